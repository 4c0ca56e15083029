import { Observable, Subject, of, range } from 'rxjs';
import type { ObservableInput } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { BufferOverflowError, boundedBuffer } from '../../operators/boundedBuffer.js';
import type { BoundedBufferConfig, OverflowEvent } from '../../operators/boundedBuffer.js';
import { createValve } from '../../operators/valve.js';
import { RxMcpError } from '../../src/errors.js';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Marble values: lower-case letters are source items, upper-case their consumed results. */
const V = { a: 'a', b: 'b', c: 'c', d: 'd', A: 'A', B: 'B', C: 'C', D: 'D' };
const valveValues = { f: false, t: true };

describe('boundedBuffer', () => {
  describe('without a consumer', () => {
    it('passes every item through, in order', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-c-|', V);
        expectObservable(source.pipe(boundedBuffer({ capacity: 1 }))).toBe('-a-b-c-|', V);
        expectObservable(source.pipe(boundedBuffer())).toBe('-a-b-c-|', V);
      });
    });

    it('never fills, even with a synchronous burst, since each item is consumed at once', () => {
      const seen: number[] = [];
      range(0, 5_000)
        .pipe(boundedBuffer({ capacity: 1 }))
        .subscribe((n) => seen.push(n));
      expect(seen).toEqual(Array.from({ length: 5_000 }, (_, n) => n));
    });
  });

  describe('consuming', () => {
    it('with concurrency 1 keeps the order and completes only after the queue drained', () => {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-abc|', V);
        const consume = (x: string) => cold('---(X|)', { X: x.toUpperCase() });
        // The source completes at 4, the output only once C is done at 10.
        expectObservable(source.pipe(boundedBuffer({ consume }))).toBe('----A--B--(C|)', V);
        expectSubscriptions(source.subscriptions).toBe('^---!');
      });
    });

    it('with concurrency 2 runs two at a time and emits results as they complete', () => {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const inners = {
          a: cold('-----(A|)', V),
          b: cold('-(B|)', V),
          c: cold('----(C|)', V),
        };
        const source = cold('-abc|', V);
        const consume = (x: string) => inners[x as keyof typeof inners];
        // a runs 1..6 and b 2..3 side by side; c waits for b's slot and runs 3..7.
        expectObservable(source.pipe(boundedBuffer({ concurrency: 2, consume }))).toBe(
          '---B--A(C|)',
          V,
        );
        expectSubscriptions(inners.c.subscriptions).toBe('---^---!');
      });
    });

    it('never runs more than `concurrency` consumers at once', () => {
      let running = 0;
      let peak = 0;
      newScheduler().run(({ cold, expectObservable }) => {
        const consume = (x: string) =>
          new Observable<string>((subscriber) => {
            running++;
            peak = Math.max(peak, running);
            const inner = cold('-----(X|)', { X: x.toUpperCase() }).subscribe(subscriber);
            return () => {
              running--;
              inner.unsubscribe();
            };
          });
        const source = cold('-(abcd|)', V);
        // a, b, c run 1..6; d waits for a free slot and runs 6..11.
        expectObservable(source.pipe(boundedBuffer({ concurrency: 3, consume }))).toBe(
          '------(ABC)(D|)',
          V,
        );
      });
      expect(peak).toBe(3);
      expect(running).toBe(0);
    });

    it('passes each consume call its 0-based number', () => {
      const indexes: number[] = [];
      of('a', 'b', 'c')
        .pipe(boundedBuffer({ consume: (x, index) => (indexes.push(index), of(x)) }))
        .subscribe();
      expect(indexes).toEqual([0, 1, 2]);
    });

    it('takes items off a long queue in a loop, not by recursion', () => {
      const gate = new Subject<number>();
      const source = new Subject<number>();
      const seen: number[] = [];
      let completed = false;
      source
        .pipe(
          boundedBuffer({
            capacity: 50_000,
            // The first item is slow, every other one completes synchronously.
            consume: (n): ObservableInput<number> => (n === 0 ? gate : of(n)),
          }),
        )
        .subscribe({ next: (n) => seen.push(n), complete: () => (completed = true) });
      for (let n = 0; n < 50_000; n++) source.next(n);
      source.complete();
      expect(seen).toEqual([]);
      gate.next(0);
      gate.complete();
      expect(seen).toHaveLength(50_000);
      expect(seen[49_999]).toBe(49_999);
      expect(completed).toBe(true);
    });

    it('with Infinity concurrency starts every item at once', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-abcd|', V);
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        expectObservable(
          source.pipe(boundedBuffer({ concurrency: Infinity, capacity: 1, consume })),
        ).toBe('-----ABC(D|)', V);
      });
    });
  });

  describe("overflow: 'error' (the default)", () => {
    // capacity 2, concurrency 1: a is consumed at once, b and c wait, d is one too many.
    it('accepts a queue that is exactly full', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-abc|', V);
        const consume = (x: string) => cold('-----(X|)', { X: x.toUpperCase() });
        expectObservable(source.pipe(boundedBuffer({ capacity: 2, consume }))).toBe(
          '------A----B----(C|)',
          V,
        );
      });
    });

    it('fails with BufferOverflowError on the first item over, cancelling everything', () => {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-abcd-|', V);
        const inner = cold('-----(A|)', V);
        const result = source.pipe(boundedBuffer({ capacity: 2, consume: () => inner }));
        expectObservable(result).toBe('----#', undefined, new BufferOverflowError(2, 'error'));
        expectSubscriptions(source.subscriptions).toBe('^---!');
        expectSubscriptions(inner.subscriptions).toBe('-^--!');
      });
    });

    it('reports the overflow before failing', () => {
      const events: OverflowEvent<number>[] = [];
      const errors: unknown[] = [];
      const source = new Subject<number>();
      source
        .pipe(
          boundedBuffer({
            capacity: 1,
            consume: () => new Subject<number>(),
            onOverflow: (e) => events.push(e),
          }),
        )
        .subscribe({ error: (e) => errors.push(e) });
      source.next(1);
      source.next(2);
      expect(errors).toEqual([]);
      source.next(3);
      expect(events).toEqual([{ policy: 'error', size: 1, capacity: 1 }]);
      expect(errors).toEqual([new BufferOverflowError(1, 'error')]);
      expect(source.observed).toBe(false);
    });

    it('stops a synchronous source instead of letting it loop on after the failure', () => {
      let emitted = 0;
      const endless = new Observable<number>((subscriber) => {
        for (let n = 0; n < 1_000_000 && !subscriber.closed; n++) {
          emitted++;
          subscriber.next(n);
        }
      });
      let error: unknown;
      endless
        .pipe(boundedBuffer({ capacity: 3, consume: () => new Subject<number>() }))
        .subscribe({ error: (e) => (error = e) });
      expect(error).toBeInstanceOf(BufferOverflowError);
      // 1 consumed + 3 waiting + the one that overflowed + the one that shows the source
      // that nobody listens any more. Without that signal it would run to a million.
      expect(emitted).toBe(6);
    });
  });

  describe("overflow: 'drop-oldest' and 'drop-newest'", () => {
    it("'drop-oldest' evicts the head of the queue to make room", () => {
      const events: OverflowEvent<string>[] = [];
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-abcd|', V);
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        const result = source.pipe(
          boundedBuffer({
            capacity: 2,
            overflow: 'drop-oldest',
            consume,
            onOverflow: (e) => events.push(e),
          }),
        );
        expectObservable(result).toBe('-----A---C---(D|)', V);
      });
      expect(events).toEqual([{ policy: 'drop-oldest', dropped: 'b', size: 2, capacity: 2 }]);
    });

    it("'drop-newest' discards the arriving item", () => {
      const events: OverflowEvent<string>[] = [];
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-abcd|', V);
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        const result = source.pipe(
          boundedBuffer({
            capacity: 2,
            overflow: 'drop-newest',
            consume,
            onOverflow: (e) => events.push(e),
          }),
        );
        expectObservable(result).toBe('-----A---B---(C|)', V);
      });
      expect(events).toEqual([{ policy: 'drop-newest', dropped: 'd', size: 2, capacity: 2 }]);
    });

    it('keeps at most `capacity` items however long the burst, and numbers consumes densely', () => {
      const source = new Subject<number>();
      const gate = new Subject<number>();
      const seen: number[] = [];
      const indexes: number[] = [];
      let dropped = 0;
      source
        .pipe(
          boundedBuffer({
            capacity: 3,
            overflow: 'drop-oldest',
            consume: (n, index): ObservableInput<number> => (
              indexes.push(index),
              n === 0 ? gate : of(n)
            ),
            onOverflow: () => dropped++,
          }),
        )
        .subscribe((n) => seen.push(n));
      for (let n = 0; n < 100; n++) source.next(n);
      gate.next(0);
      gate.complete();
      expect(dropped).toBe(96);
      expect(seen).toEqual([0, 97, 98, 99]);
      expect(indexes).toEqual([0, 1, 2, 3]);
    });
  });

  describe("overflow: 'pause'", () => {
    it('pauses the valve when the queue becomes full and resumes it at resumeAt', () => {
      const events: OverflowEvent<string>[] = [];
      newScheduler().run(({ cold, expectObservable }) => {
        const valve = createValve();
        const source = cold('-abcd|', V);
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        const result = source.pipe(
          boundedBuffer({
            capacity: 3,
            resumeAt: 0,
            overflow: 'pause',
            valve,
            consume,
            onOverflow: (e) => events.push(e),
          }),
        );
        // Full (b, c, d waiting) at 4; back to 0 waiting when d is taken at 13.
        expectObservable(result).toBe('-----A---B---C---(D|)', V);
        expectObservable(valve.paused$, '^-----------------!').toBe('f---t--------f', valveValues);
      });
      expect(events).toEqual([{ policy: 'pause', size: 3, capacity: 3 }]);
    });

    it('resumes at half the capacity by default', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const valve = createValve();
        const source = cold('-abc|', V);
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        // capacity 2: full when c arrives at 3; at 5 b is taken, leaving 1 = resumeAt.
        expectObservable(
          source.pipe(boundedBuffer({ capacity: 2, overflow: 'pause', valve, consume })),
        ).toBe('-----A---B---(C|)', V);
        expectObservable(valve.paused$, '^------------!').toBe('f--t-f', valveValues);
      });
    });

    it('reports each pause through onOverflow, with nothing dropped', () => {
      const valve = createValve();
      const events: OverflowEvent<number>[] = [];
      const source = new Subject<number>();
      source
        .pipe(
          boundedBuffer({
            capacity: 2,
            overflow: 'pause',
            valve,
            consume: () => new Subject<number>(),
            onOverflow: (e) => events.push(e),
          }),
        )
        .subscribe();
      source.next(1);
      source.next(2);
      expect(valve.isPaused).toBe(false);
      source.next(3);
      expect(valve.isPaused).toBe(true);
      expect(events).toEqual([{ policy: 'pause', size: 2, capacity: 2 }]);
    });

    it('fails rather than grows when the source ignores the valve, and lifts its pause', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const valve = createValve();
        const source = cold('-abcd|', V);
        const consume = (x: string) => cold('-----(X|)', { X: x.toUpperCase() });
        expectObservable(
          source.pipe(boundedBuffer({ capacity: 2, overflow: 'pause', valve, consume })),
        ).toBe('----#', undefined, new BufferOverflowError(2, 'pause'));
        // Paused when full at 3; the failure at 4 tears down and releases the pause.
        expectObservable(valve.paused$, '^-----!').toBe('f--t(f)', valveValues);
      });
    });

    it('lifts its own pause on unsubscribe so that a resubscription does not start stalled', () => {
      const valve = createValve();
      const source = new Subject<number>();
      const subscription = source
        .pipe(
          boundedBuffer({ capacity: 1, overflow: 'pause', valve, consume: () => new Subject() }),
        )
        .subscribe();
      source.next(1);
      source.next(2);
      expect(valve.isPaused).toBe(true);
      subscription.unsubscribe();
      expect(valve.isPaused).toBe(false);
    });

    it('leaves alone a pause that someone else placed', () => {
      const valve = createValve({ paused: true });
      const source = new Subject<number>();
      const subscription = source
        .pipe(
          boundedBuffer({ capacity: 2, overflow: 'pause', valve, consume: () => new Subject() }),
        )
        .subscribe();
      source.next(1);
      source.next(2);
      source.next(3);
      subscription.unsubscribe();
      expect(valve.isPaused).toBe(true);
    });

    it('does not lose items a synchronous source pushes while being resumed', () => {
      // A source that honours the valve synchronously: it emits its backlog on resume.
      const valve = createValve();
      let next = 0;
      const source = new Observable<number>((subscriber) =>
        valve.paused$.subscribe((paused) => {
          while (!paused && !valve.isPaused && next < 20) subscriber.next(next++);
          if (next === 20) subscriber.complete();
        }),
      );
      const gates: Subject<number>[] = [];
      const seen: number[] = [];
      let completed = false;
      source
        .pipe(
          boundedBuffer({
            capacity: 4,
            overflow: 'pause',
            valve,
            consume: (n) => {
              const gate = new Subject<number>();
              gates.push(gate);
              return n % 2 === 0 ? gate : of(n);
            },
          }),
        )
        .subscribe({ next: (n) => seen.push(n), complete: () => (completed = true) });
      for (let i = 0; i < 20 && !completed; i++) {
        const gate = gates.find((g) => g.observed);
        gate?.next(-1);
        gate?.complete();
      }
      // Concurrency 1 keeps the order: each gated even item yields -1, each odd one itself.
      expect(seen).toEqual(Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? -1 : n)));
      expect(completed).toBe(true);
    });
    it('keeps the order when resuming makes a synchronous source emit into an empty queue', () => {
      // capacity 1, resumeAt 0: the valve opens exactly when the queue is empty again.
      const valve = createValve();
      let next = 0;
      const source = new Observable<number>((subscriber) =>
        valve.paused$.subscribe(() => {
          while (!valve.isPaused && next < 6) subscriber.next(next++);
          if (next === 6) subscriber.complete();
        }),
      );
      const gates: Subject<number>[] = [];
      const started: number[] = [];
      const seen: number[] = [];
      source
        .pipe(
          boundedBuffer({
            capacity: 1,
            resumeAt: 0,
            overflow: 'pause',
            valve,
            consume: (n) => {
              started.push(n);
              // Every other item is slow, so the queue fills and the valve flips.
              if (n % 2 === 1) return of(n);
              const gate = new Subject<number>();
              gates.push(gate);
              return gate;
            },
          }),
        )
        .subscribe((n) => seen.push(n));
      for (const gate of gates) {
        gate.next(-1);
        gate.complete();
      }
      expect(started).toEqual([0, 1, 2, 3, 4, 5]);
      expect(seen).toEqual([-1, 1, -1, 3, -1, 5]);
    });
  });

  describe('fill level', () => {
    it('reports the number of waiting items on every change', () => {
      const fills: [frame: number, size: number, capacity: number][] = [];
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const source = cold('-abc|', V);
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        const result = source.pipe(
          boundedBuffer({
            capacity: 2,
            consume,
            onFill: (size, capacity) => fills.push([scheduler.now(), size, capacity]),
          }),
        );
        expectObservable(result).toBe('-----A---B---(C|)', V);
      });
      // b and c wait at 2 and 3; b is taken at 5, c at 9.
      expect(fills).toEqual([
        [2, 1, 2],
        [3, 2, 2],
        [5, 1, 2],
        [9, 0, 2],
      ]);
    });
  });

  describe('errors', () => {
    it('fails when a consumer fails, cancelling the other consumers and the source', () => {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const inners = { a: cold('--#', undefined, 'boom'), b: cold('-----(B|)', V) };
        const source = cold('-ab---|', V);
        const consume = (x: string) => inners[x as keyof typeof inners];
        expectObservable(source.pipe(boundedBuffer({ concurrency: 2, consume }))).toBe(
          '---#',
          undefined,
          'boom',
        );
        expectSubscriptions(source.subscriptions).toBe('^--!');
        expectSubscriptions(inners.b.subscriptions).toBe('--^!');
      });
    });

    it('fails when consume throws', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-ab|', V);
        const consume = (x: string) => {
          if (x === 'b') throw new Error('bad item');
          return of(x);
        };
        expectObservable(source.pipe(boundedBuffer({ consume }))).toBe(
          '-a#',
          V,
          new Error('bad item'),
        );
      });
    });

    it('fails at once on a source error by default, cancelling the consumer', () => {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-ab#', V, 'source failed');
        const inner = cold('----(A|)', V);
        expectObservable(source.pipe(boundedBuffer({ consume: () => inner }))).toBe(
          '---#',
          undefined,
          'source failed',
        );
        expectSubscriptions(inner.subscriptions).toBe('-^-!');
      });
    });

    it('with delayError, drains the queue before passing the source error on', () => {
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-ab#', V, 'source failed');
        const consume = (x: string) => cold('----(X|)', { X: x.toUpperCase() });
        expectObservable(source.pipe(boundedBuffer({ consume, delayError: true }))).toBe(
          '-----A---(B#)',
          V,
          'source failed',
        );
      });
    });

    it('fails when a hook throws', () => {
      const errors: unknown[] = [];
      const source = new Subject<number>();
      source
        .pipe(
          boundedBuffer({
            consume: () => new Subject<number>(),
            onFill: () => {
              throw new Error('metrics down');
            },
          }),
        )
        .subscribe({ error: (e) => errors.push(e) });
      source.next(1);
      source.next(2);
      expect(errors).toEqual([new Error('metrics down')]);
      expect(source.observed).toBe(false);
    });

    it('BufferOverflowError maps to a non-retryable limit error', () => {
      const error = new BufferOverflowError(8, 'error');
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: 'BufferOverflowError', kind: 'limit', capacity: 8 });
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/8 items are waiting/);
      const normalised = RxMcpError.from(error);
      expect(normalised.kind).toBe('limit');
      expect(normalised.retryable).toBe(false);
      expect(normalised.cause).toBe(error);
    });
  });

  describe('unsubscribe', () => {
    it('cancels the running consumer and the source, and drops the queue', () => {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-abcd-----|', V);
        const inners = {
          a: cold('----(A|)', V),
          b: cold('----(B|)', V),
          c: cold('----(C|)', V),
          d: cold('----(D|)', V),
        };
        const consume = (x: string) => inners[x as keyof typeof inners];
        expectObservable(source.pipe(boundedBuffer({ consume })), '^------!').toBe('-----A--', V);
        expectSubscriptions(source.subscriptions).toBe('^------!');
        expectSubscriptions(inners.b.subscriptions).toBe('-----^-!');
        expectSubscriptions(inners.c.subscriptions).toBe([]);
        expectSubscriptions(inners.d.subscriptions).toBe([]);
      });
    });
  });

  describe('options', () => {
    const valve = createValve();
    it.each<[string, Omit<BoundedBufferConfig<number, number>, 'consume'>, RegExp]>([
      ['capacity 0', { capacity: 0 }, /capacity must be a positive integer, got 0/],
      ['capacity 1.5', { capacity: 1.5 }, /capacity must be a positive integer/],
      ['capacity NaN', { capacity: NaN }, /capacity must be a positive integer/],
      ['concurrency 0', { concurrency: 0 }, /concurrency must be an integer >= 1/],
      ['concurrency 2.5', { concurrency: 2.5 }, /concurrency must be an integer >= 1/],
      [
        'resumeAt -1',
        { resumeAt: -1 },
        /resumeAt must be an integer in \[0, 1023\] \(below the capacity\), got -1/,
      ],
      ['resumeAt = capacity', { capacity: 4, resumeAt: 4 }, /resumeAt .* \[0, 3\] .*got 4/],
      [
        'an unknown policy',
        { overflow: 'block' as unknown as 'error' },
        /overflow must be one of error, drop-oldest, drop-newest, pause, got block/,
      ],
    ])('rejects %s with a RangeError', (_, config, message) => {
      expect(() => boundedBuffer(config)).toThrow(RangeError);
      expect(() => boundedBuffer(config)).toThrow(message);
    });

    it("requires a valve with 'pause'", () => {
      expect(() => boundedBuffer({ overflow: 'pause' })).toThrow(TypeError);
      expect(() => boundedBuffer({ overflow: 'pause' })).toThrow(/needs a valve/);
    });

    it("rejects a valve with any policy but 'pause'", () => {
      expect(() => boundedBuffer({ overflow: 'drop-newest', valve })).toThrow(
        /only operated with overflow 'pause', got 'drop-newest'/,
      );
    });

    it('accepts the boundaries', () => {
      expect(() =>
        boundedBuffer({ capacity: 1, resumeAt: 0, concurrency: 1, overflow: 'pause', valve }),
      ).not.toThrow();
      expect(() => boundedBuffer({ capacity: 8, resumeAt: 7 })).not.toThrow();
    });
  });
});
