import { defer, throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { computeBackoffDelay, retryWithJitter } from '../../operators/retryWithJitter';
import type { RetryState, RetryWithJitterConfig } from '../../operators/retryWithJitter';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** One cold source per subscription, so each retry gets its own subscription marble. */
function inTurn(sources: Observable<unknown>[]): Observable<unknown> {
  let next = 0;
  return defer(() => {
    const source = sources[next++];
    if (source === undefined) throw new Error('test subscribed more often than expected');
    return source;
  });
}

/** Records what onRetry saw, and the virtual time when it saw it. */
function recorder(scheduler: TestScheduler) {
  const seen: (RetryState & { at: number })[] = [];
  return { seen, onRetry: (state: RetryState) => seen.push({ ...state, at: scheduler.now() }) };
}

const retryable = { retryable: true };

describe('retryWithJitter: backoff', () => {
  it('waits initialDelayMs * factor^(k-1) when random() sits in the middle of the range', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const { seen, onRetry } = recorder(scheduler);
      const result = source.pipe(
        retryWithJitter({ maxRetries: 3, initialDelayMs: 3, random: () => 0.5, onRetry }),
      );
      expectObservable(result).toBe('-------------------------#', undefined, retryable);
      expectSubscriptions(source.subscriptions).toBe([
        '^!',
        '----^!',
        '-----------^!',
        '------------------------^!',
      ]);
      scheduler.flush();
      expect(seen.map((s) => s.delayMs)).toEqual([3, 6, 12]);
    });
  });

  it('waits exact delays with jitter 0, whatever random() says', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const result = source.pipe(
        retryWithJitter({
          maxRetries: 2,
          initialDelayMs: 2,
          factor: 3,
          jitter: 0,
          random: () => 0.99,
        }),
      );
      expectObservable(result).toBe('-----------#', undefined, retryable);
      expectSubscriptions(source.subscriptions).toBe(['^!', '---^!', '----------^!']);
    });
  });

  it('stays within [base*(1-j), base*(1+j)]: random()=0 gives the minimum', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const result = source.pipe(
        retryWithJitter({ maxRetries: 2, initialDelayMs: 8, jitter: 0.5, random: () => 0 }),
      );
      // base 8 then 16, halved: waits of 4 and 8 frames.
      expectObservable(result).toBe('---------------#', undefined, retryable);
      expectSubscriptions(source.subscriptions).toBe(['^!', '-----^!', '--------------^!']);
    });
  });

  it('stays within [base*(1-j), base*(1+j)]: random() -> 1 gives the maximum', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const result = source.pipe(
        retryWithJitter({
          maxRetries: 2,
          initialDelayMs: 8,
          jitter: 0.5,
          random: () => 1 - Number.EPSILON,
        }),
      );
      // base 8 then 16, times 1.5: waits of 12 and 24 frames.
      expectObservable(result).toBe('39ms #', undefined, retryable);
      expectSubscriptions(source.subscriptions).toBe(['^!', '13ms ^!', '38ms ^!']);
    });
  });

  it("spreads 'full' jitter over [0, base]", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const randoms = [0.5, 0, 0.75];
      const { seen, onRetry } = recorder(scheduler);
      const result = source.pipe(
        retryWithJitter({
          maxRetries: 3,
          initialDelayMs: 8,
          jitter: 'full',
          random: () => randoms.shift() ?? 0,
          onRetry,
        }),
      );
      // 0.5 * 8, 0 * 16, 0.75 * 32: a zero wait resubscribes in the same frame.
      expectObservable(result).toBe('32ms #', undefined, retryable);
      expectSubscriptions(source.subscriptions).toBe(['^!', '-----^!', '------^!', '31ms ^!']);
      scheduler.flush();
      expect(seen.map((s) => s.delayMs)).toEqual([4, 0, 24]);
    });
  });

  it('caps the delay at maxDelayMs, after jitter too', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, retryable);
      const { seen, onRetry } = recorder(scheduler);
      const result = source.pipe(
        retryWithJitter({
          maxRetries: 3,
          initialDelayMs: 4,
          factor: 3,
          maxDelayMs: 10,
          jitter: 0.5,
          random: () => 1,
          onRetry,
        }),
      );
      // bases 4, 12 -> 10, 36 -> 10; jittered 6, 15 -> 10, 15 -> 10.
      expectObservable(result).toBe('30ms #', undefined, retryable);
      scheduler.flush();
      expect(seen.map((s) => s.delayMs)).toEqual([6, 10, 10]);
    });
  });
});

describe('retryWithJitter: budgets', () => {
  it('fails with the last error when maxRetries is spent', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const sources = [
        cold('-#', undefined, new Error('first')),
        cold('-#', undefined, new Error('second')),
        cold('-#', undefined, new Error('third')),
      ];
      const result = inTurn(sources).pipe(
        retryWithJitter({ maxRetries: 2, initialDelayMs: 2, jitter: 0 }),
      );
      expectObservable(result).toBe('---------#', undefined, new Error('third'));
      expectSubscriptions(sources[0]!.subscriptions).toBe('^!');
      expectSubscriptions(sources[1]!.subscriptions).toBe('---^!');
      expectSubscriptions(sources[2]!.subscriptions).toBe('--------^!');
    });
  });

  it('passes the error on at once with maxRetries 0', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a: 1 }, retryable);
      const result = inTurn([source]).pipe(retryWithJitter({ maxRetries: 0 }));
      expectObservable(result).toBe('-a-#', { a: 1 }, retryable);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('gives up when the next wait would end past maxElapsedMs', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const { seen, onRetry } = recorder(scheduler);
      const result = source.pipe(
        retryWithJitter({ initialDelayMs: 10, jitter: 0, maxElapsedMs: 35, onRetry }),
      );
      // 1 + 10 = 11 and 12 + 20 = 32 fit in 35 ms; 33 + 40 does not, so no third wait.
      expectObservable(result).toBe('33ms #', undefined, retryable);
      expectSubscriptions(source.subscriptions).toBe(['^!', '11ms ^!', '32ms ^!']);
      scheduler.flush();
      expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    });
  });

  it('restarts the maxElapsedMs clock at each value', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const sources = [
        cold('-#', undefined, retryable),
        cold('-a-#', { a: 1 }, retryable),
        cold('-b|', { b: 2 }),
      ];
      const result = inTurn(sources).pipe(
        retryWithJitter({ initialDelayMs: 10, jitter: 0, maxElapsedMs: 20 }),
      );
      // The error at 14 would end its wait at 24 > 20 counted from the start, but the value
      // at 12 started a new streak: 2 + 10 <= 20.
      expectObservable(result).toBe('------------a------------b|', { a: 1, b: 2 });
    });
  });

  it('restarts the attempt count at each value by default', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const sources = ['a', 'b', 'c'].map((v) => cold('-x-#', { x: v }, retryable));
      const { seen, onRetry } = recorder(scheduler);
      const result = inTurn([...sources, cold('-|')]).pipe(
        retryWithJitter({ maxRetries: 1, initialDelayMs: 2, jitter: 0, onRetry }),
      );
      expectObservable(result).toBe('-a----b----c----|', { a: 'a', b: 'b', c: 'c' });
      scheduler.flush();
      expect(seen.map((s) => [s.attempt, s.delayMs])).toEqual([
        [1, 2],
        [1, 2],
        [1, 2],
      ]);
    });
  });

  it('keeps counting across values with resetOnSuccess: false', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const sources = ['a', 'b', 'c'].map((v) => cold('-x-#', { x: v }, retryable));
      const { seen, onRetry } = recorder(scheduler);
      const result = inTurn(sources).pipe(
        retryWithJitter({
          maxRetries: 2,
          initialDelayMs: 2,
          jitter: 0,
          resetOnSuccess: false,
          onRetry,
        }),
      );
      expectObservable(result).toBe('-a----b------c-#', { a: 'a', b: 'b', c: 'c' }, retryable);
      scheduler.flush();
      expect(seen.map((s) => [s.attempt, s.delayMs])).toEqual([
        [1, 2],
        [2, 4],
      ]);
    });
  });

  it('keeps the maxElapsedMs clock running across values with resetOnSuccess: false', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const sources = [cold('-a-#', { a: 1 }, retryable), cold('-b-#', { b: 2 }, retryable)];
      const result = inTurn(sources).pipe(
        retryWithJitter({ initialDelayMs: 2, jitter: 0, maxElapsedMs: 8, resetOnSuccess: false }),
      );
      // Second wait: 8 + 4 > 8 counted from the subscription, despite the value at 6.
      expectObservable(result).toBe('-a----b-#', { a: 1, b: 2 }, retryable);
    });
  });
});

describe('retryWithJitter: server hints', () => {
  it('waits exactly retryAfterMs instead of the computed delay, without jitter', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const hinted = { retryable: true, retryAfterMs: 7 };
      const sources = [cold('-#', undefined, hinted), cold('-a|', { a: 1 })];
      const { seen, onRetry } = recorder(scheduler);
      const result = inTurn(sources).pipe(
        retryWithJitter({ initialDelayMs: 100, jitter: 0.5, random: () => 0.9, onRetry }),
      );
      expectObservable(result).toBe('---------a|', { a: 1 });
      expectSubscriptions(sources[1]!.subscriptions).toBe('--------^-!');
      scheduler.flush();
      expect(seen).toEqual([{ attempt: 1, delayMs: 7, error: hinted, hinted: true, at: 1 }]);
    });
  });

  it('never retries earlier than the hint, even when backoff would be shorter or capped lower', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const sources = [cold('-#', undefined, { retryAfterMs: 6 }), cold('-a|', { a: 1 })];
      const result = inTurn(sources).pipe(
        retryWithJitter({ initialDelayMs: 1, maxDelayMs: 2, jitter: 0 }),
      );
      expectObservable(result).toBe('--------a|', { a: 1 });
      expectSubscriptions(sources[1]!.subscriptions).toBe('-------^-!');
    });
  });

  it('caps a hint at maxHintDelayMs', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const sources = [cold('-#', undefined, { retryAfterMs: 3_600_000 }), cold('-a|', { a: 1 })];
      const result = inTurn(sources).pipe(retryWithJitter({ maxHintDelayMs: 5 }));
      expectObservable(result).toBe('-------a|', { a: 1 });
    });
  });

  it('caps a hint at 5 minutes by default', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const sources = [cold('-#', undefined, { retryAfterMs: 3_600_000 }), cold('-a|', { a: 1 })];
      expectObservable(inTurn(sources).pipe(retryWithJitter())).toBe('300001ms -a|', { a: 1 });
    });
  });

  it('counts a hinted retry as an attempt', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const hinted = { retryAfterMs: 2 };
      const source = cold('-#', undefined, hinted);
      expectObservable(source.pipe(retryWithJitter({ maxRetries: 2 }))).toBe(
        '-------#',
        undefined,
        hinted,
      );
    });
  });

  it('accepts a hint of 0 and resubscribes in the same frame', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const sources = [cold('-#', undefined, { retryAfterMs: 0 }), cold('-a|', { a: 1 })];
      expectObservable(inTurn(sources).pipe(retryWithJitter())).toBe('--a|', { a: 1 });
    });
  });

  it.each([[-1], [Number.NaN], [Infinity], ['7'], [null]])(
    'ignores an unusable hint (%p) and backs off as usual',
    (retryAfterMs) => {
      newScheduler().run(({ cold, expectObservable }) => {
        const sources = [cold('-#', undefined, { retryAfterMs }), cold('-a|', { a: 1 })];
        const result = inTurn(sources).pipe(retryWithJitter({ initialDelayMs: 3, jitter: 0 }));
        expectObservable(result).toBe('-----a|', { a: 1 });
      });
    },
  );

  it('still gives up when a hinted wait would end past maxElapsedMs', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const hinted = { retryAfterMs: 50 };
      const result = cold('-#', undefined, hinted).pipe(retryWithJitter({ maxElapsedMs: 40 }));
      expectObservable(result).toBe('-#', undefined, hinted);
    });
  });
});

describe('retryWithJitter: which errors retry', () => {
  it('passes an error with retryable: false on at once', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const fatal = { retryable: false, retryAfterMs: 1 };
      const source = cold('-a-#', { a: 1 }, fatal);
      const { seen, onRetry } = recorder(scheduler);
      // inTurn fails a second subscription, so a wrong retry cannot loop forever.
      const result = inTurn([source]).pipe(retryWithJitter({ onRetry }));
      expectObservable(result).toBe('-a-#', { a: 1 }, fatal);
      expectSubscriptions(source.subscriptions).toBe('^--!');
      scheduler.flush();
      expect(seen).toEqual([]);
    });
  });

  it.each([['a string'], [new Error('plain')], [null], [{ retryable: 'yes' }]])(
    'retries errors without a boolean retryable flag (%p), like rxjs retry',
    (error) => {
      newScheduler().run(({ cold, expectObservable }) => {
        const sources = [cold('-#', undefined, error), cold('-a|', { a: 1 })];
        const result = inTurn(sources).pipe(retryWithJitter({ initialDelayMs: 1, jitter: 0 }));
        expectObservable(result).toBe('---a|', { a: 1 });
      });
    },
  );

  it('asks a custom shouldRetry with the error and the 1-based attempt', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = { retryable: false, code: 'flaky' };
      const source = cold('-#', undefined, error);
      const asked: [unknown, number][] = [];
      const shouldRetry = (e: unknown, attempt: number) => {
        asked.push([e, attempt]);
        return attempt < 3;
      };
      const result = source.pipe(
        retryWithJitter({ initialDelayMs: 1, jitter: 0, factor: 1, shouldRetry }),
      );
      // retryable: false is overridden; the third question is answered "no".
      expectObservable(result).toBe('-----#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['^!', '--^!', '----^!']);
      scheduler.flush();
      expect(asked).toEqual([
        [error, 1],
        [error, 2],
        [error, 3],
      ]);
    });
  });

  it('fails the stream when a hook throws', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const boom = new Error('hook failed');
      const result = cold('-#', undefined, retryable).pipe(
        retryWithJitter({
          onRetry: () => {
            throw boom;
          },
        }),
      );
      expectObservable(result).toBe('-#', undefined, boom);
    });
  });
});

describe('retryWithJitter: onRetry and teardown', () => {
  it('reports attempt, delay, error and hinted just before each wait', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const first = { retryable: true, n: 1 };
      const second = { retryable: true, n: 2, retryAfterMs: 5 };
      const third = { retryable: true, n: 3 };
      const sources = [
        cold('-#', undefined, first),
        cold('-#', undefined, second),
        cold('-#', undefined, third),
        cold('-a|', { a: 1 }),
      ];
      const { seen, onRetry } = recorder(scheduler);
      const result = inTurn(sources).pipe(
        retryWithJitter({ initialDelayMs: 2, jitter: 0, onRetry }),
      );
      expectObservable(result).toBe('-------------------a|', { a: 1 });
      scheduler.flush();
      expect(seen).toEqual([
        { attempt: 1, delayMs: 2, error: first, hinted: false, at: 1 },
        { attempt: 2, delayMs: 5, error: second, hinted: true, at: 4 },
        { attempt: 3, delayMs: 8, error: third, hinted: false, at: 10 },
      ]);
    });
  });

  it('cancels the pending wait on unsubscribe and never resubscribes', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, retryable);
      const result = source.pipe(retryWithJitter({ initialDelayMs: 10, jitter: 0 }));
      expectObservable(result, '^----!').toBe('-');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('keeps a separate budget clock for each subscription', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, retryable);
      const result = source.pipe(
        retryWithJitter({ initialDelayMs: 4, jitter: 0, maxElapsedMs: 6 }),
      );
      expectObservable(result).toBe('------#', undefined, retryable);
      expectObservable(result, '---^').toBe('---------#', undefined, retryable);
    });
  });

  it('runs with the default options on asyncScheduler (virtual in run mode)', () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      newScheduler().run(({ cold, expectObservable }) => {
        const sources = [cold('#', undefined, retryable), cold('a|', { a: 1 })];
        expectObservable(inTurn(sources).pipe(retryWithJitter())).toBe('1000ms a|', { a: 1 });
      });
      expect(random).toHaveBeenCalledTimes(1);
    } finally {
      random.mockRestore();
    }
  });
});

describe('retryWithJitter: options', () => {
  const invalid: [string, RetryWithJitterConfig][] = [
    ['maxRetries', { maxRetries: -1 }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['maxRetries', { maxRetries: Number.NaN }],
    ['initialDelayMs', { initialDelayMs: -1 }],
    ['initialDelayMs', { initialDelayMs: Number.NaN }],
    ['maxDelayMs', { maxDelayMs: -5 }],
    ['maxDelayMs', { maxDelayMs: Infinity }],
    ['maxDelayMs', { maxDelayMs: 2 ** 31 }],
    ['factor', { factor: 0.5 }],
    ['factor', { factor: Infinity }],
    ['factor', { factor: Number.NaN }],
    ['jitter', { jitter: -0.1 }],
    ['jitter', { jitter: 1.1 }],
    ['jitter', { jitter: Number.NaN }],
    ['maxElapsedMs', { maxElapsedMs: -1 }],
    ['maxElapsedMs', { maxElapsedMs: Number.NaN }],
    ['maxHintDelayMs', { maxHintDelayMs: -1 }],
  ];

  it.each(invalid)('rejects a bad %s %p with a RangeError at creation', (name, config) => {
    expect(() => retryWithJitter(config)).toThrow(RangeError);
    expect(() => retryWithJitter(config)).toThrow(name);
  });

  it.each<RetryWithJitterConfig>([
    {},
    { maxRetries: Infinity },
    { maxRetries: 0 },
    { jitter: 0 },
    { jitter: 1 },
    { jitter: 'full' },
    { factor: 1, initialDelayMs: 0, maxDelayMs: 0 },
    { maxElapsedMs: Infinity },
  ])('accepts %p', (config) => {
    expect(() => retryWithJitter(config)).not.toThrow();
  });

  it('does not subscribe to anything at creation', () => {
    const connect = jest.fn(() => throwError(() => retryable));
    defer(connect).pipe(retryWithJitter());
    expect(connect).not.toHaveBeenCalled();
  });
});

describe('computeBackoffDelay', () => {
  it('grows by factor and caps at maxDelayMs', () => {
    const config = { initialDelayMs: 100, factor: 2, maxDelayMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((k) => computeBackoffDelay(k, config))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('hits both ends of the jitter range', () => {
    const config = { initialDelayMs: 1000, jitter: 0.25 };
    expect(computeBackoffDelay(1, { ...config, random: () => 0 })).toBe(750);
    expect(computeBackoffDelay(1, { ...config, random: () => 1 - Number.EPSILON })).toBe(1250);
    expect(computeBackoffDelay(2, { ...config, random: () => 0 })).toBe(1500);
  });

  it("spreads 'full' jitter from 0 to the base", () => {
    const full = { initialDelayMs: 1000, jitter: 'full' as const };
    expect(computeBackoffDelay(1, { ...full, random: () => 0 })).toBe(0);
    expect(computeBackoffDelay(3, { ...full, random: () => 1 - Number.EPSILON })).toBe(4000);
  });

  it('uses the operator defaults', () => {
    expect(computeBackoffDelay(1, { random: () => 0.5 })).toBe(1000);
    expect(computeBackoffDelay(30, { random: () => 0.5 })).toBe(30_000);
  });

  it('stays finite for huge attempt numbers, also from a zero initial delay', () => {
    expect(computeBackoffDelay(5000, { jitter: 0 })).toBe(30_000);
    expect(computeBackoffDelay(5000, { initialDelayMs: 0, jitter: 0 })).toBe(0);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('rejects attempt %p', (attempt) => {
    expect(() => computeBackoffDelay(attempt)).toThrow(RangeError);
  });

  it('rejects bad options like the operator does', () => {
    expect(() => computeBackoffDelay(1, { factor: 0 })).toThrow(/factor/);
  });
});
