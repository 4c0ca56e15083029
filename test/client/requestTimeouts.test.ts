import { NEVER, interval, map, merge, switchMap } from 'rxjs';
import type { Observable } from 'rxjs';
import type { RequestOptions } from '../../src/client/sendRequest';
import type { RequestEvent } from '../../src/client/RequestEvent';
import { requestTimeouts } from '../../src/client/requestTimeouts';
import type { JsonRpcMessage, JsonRpcRequest } from '../../src/jsonrpc/types';
import { after, progress, result } from './support/fakeServer';
import type { Responder } from './support/fakeServer';
import { describeEvents, newScheduler, setup } from './support/harness';

// Progress at 40 and 80, the result at 150.
const steady: Responder = (request) =>
  merge(
    after(40, progress(request, 1)),
    after(80, progress(request, 2)),
    after(150, result(request, { ok: true })),
  );

// Progress every 50 ms, for ever.
const endless: Responder = (request) => interval(50).pipe(map((n) => progress(request, n + 1)));

function run(
  responder: Responder,
  options: RequestOptions,
  check: (
    events$: Observable<string>,
    cancelled: () => ({ at: number } & JsonRpcMessage)[],
  ) => void,
  defaults: { requestTimeoutMs?: number; maxTotalTimeoutMs?: number } = {},
): void {
  const { server, connect$ } = setup({ responders: { work: responder } }, defaults);
  const events$ = connect$.pipe(
    switchMap((client) => client.request('work', {}, options).pipe(describeEvents())),
  );
  check(events$, () =>
    server.arrivals
      .filter(({ message }) => 'method' in message && message.method === 'notifications/cancelled')
      .map(({ at, message }) => ({ at, ...message })),
  );
}

describe('request timeouts (virtual time)', () => {
  it('per request: fails with timeout at timeoutMs, progress or not, and cancels', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      run(steady, { timeoutMs: 100 }, (events$, cancelled) => {
        expectObservable(events$).toBe('40ms a 39ms b 19ms c', {
          a: 'progress 1',
          b: 'progress 2',
          c: 'error timeout',
        });
        flush();
        expect(cancelled()).toEqual([
          {
            at: 100,
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: {
              requestId: 2,
              reason: expect.stringMatching(
                /^work \(id 2\) got no result within 100 ms \(timeoutMs\); the client sent notifications\/cancelled/,
              ),
            },
          },
        ]);
      });
    });
  });

  it('uses the client-wide requestTimeoutMs when the request says nothing', () => {
    newScheduler().run(({ expectObservable }) => {
      run(
        steady,
        {},
        (events$) => {
          expectObservable(events$).toBe('40ms a 19ms c', { a: 'progress 1', c: 'error timeout' });
        },
        { requestTimeoutMs: 60 },
      );
    });
  });

  it('with resetTimeoutOnProgress: each progress report restarts the clock', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      run(steady, { timeoutMs: 100, resetTimeoutOnProgress: true }, (events$, cancelled) => {
        expectObservable(events$).toBe('40ms a 39ms b 69ms c', {
          a: 'progress 1',
          b: 'progress 2',
          c: 'result {"ok":true}',
        });
        flush();
        expect(cancelled()).toEqual([]);
      });
    });
  });

  it('with resetTimeoutOnProgress: silence longer than timeoutMs still times out', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      const silent: Responder = (request) =>
        merge(after(40, progress(request, 1)), after(300, result(request, {})));
      run(silent, { timeoutMs: 100, resetTimeoutOnProgress: true }, (events$, cancelled) => {
        expectObservable(events$).toBe('40ms a 99ms c', { a: 'progress 1', c: 'error timeout' });
        flush();
        expect(cancelled().map(({ at }) => at)).toEqual([140]);
      });
    });
  });

  it('maxTotalTimeoutMs caps a request however much progress it reports, and cancels', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      run(
        endless,
        { timeoutMs: 100, resetTimeoutOnProgress: true, maxTotalTimeoutMs: 220 },
        (events$, cancelled) => {
          expectObservable(events$).toBe('50ms a 49ms b 49ms c 49ms d 19ms e', {
            a: 'progress 1',
            b: 'progress 2',
            c: 'progress 3',
            d: 'progress 4',
            e: 'error timeout',
          });
          flush();
          expect(cancelled()).toEqual([
            expect.objectContaining({
              at: 220,
              params: {
                requestId: 2,
                reason: expect.stringMatching(/did not finish within 220 ms in all/),
              },
            }),
          ]);
        },
      );
    });
  });

  it('a maxTotalTimeoutMs shorter than a fixed timeoutMs wins', () => {
    newScheduler().run(({ expectObservable }) => {
      run(steady, { timeoutMs: 100, maxTotalTimeoutMs: 50 }, (events$) => {
        expectObservable(events$).toBe('40ms a 9ms e', { a: 'progress 1', e: 'error timeout' });
      });
    });
  });

  it('Infinity turns both off', () => {
    newScheduler().run(({ expectObservable }) => {
      const late = (request: JsonRpcRequest) => after(5_000_000, result(request, {}));
      run(late, { timeoutMs: Infinity, maxTotalTimeoutMs: Infinity }, (events$) => {
        expectObservable(events$).toBe('5000000ms r', { r: 'result {}' });
      });
    });
  });
});

describe('requestTimeouts (the operator)', () => {
  const values = {
    p: { type: 'progress', progress: 1 },
    r: { type: 'result', result: {} },
  } as const satisfies Record<string, RequestEvent>;
  const error = (limit: string, ms: number) => `${limit} ${ms}`;

  it('fixed window: the result must come within timeoutMs', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-p--p--p--r|', values);
      expectObservable(source.pipe(requestTimeouts({ timeoutMs: 5, error }))).toBe(
        '-p--p#',
        values,
        'timeout 5',
      );
    });
  });

  it('resetOnProgress with maxTotalMs: progress extends the wait up to the cap', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-p--p--p--r|', values);
      const limited = source.pipe(
        requestTimeouts({ timeoutMs: 5, resetOnProgress: true, maxTotalMs: 8, error }),
      );
      expectObservable(limited).toBe('-p--p--p#', values, 'maxTotal 8');
      expectObservable(
        source.pipe(requestTimeouts({ timeoutMs: 5, resetOnProgress: true, error })),
      ).toBe('-p--p--p--r|', values);
    });
  });

  it('unsubscribes the source when it times out', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RequestEvent>('-------r|', values);
      expectObservable(source.pipe(requestTimeouts({ timeoutMs: 3, error }))).toBe(
        '---#',
        values,
        'timeout 3',
      );
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('refuses a timeout of 0, a negative one, or one rxjs cannot schedule', () => {
    for (const timeoutMs of [0, -1, Number.NaN, 2 ** 31]) {
      expect(() => requestTimeouts({ timeoutMs, error })).toThrow(RangeError);
    }
    expect(() => requestTimeouts({ timeoutMs: 1, maxTotalMs: 0, error })).toThrow(
      /maxTotalTimeoutMs/,
    );
    // A source that never emits is fine with no timeout at all.
    expect(() => NEVER.pipe(requestTimeouts({ timeoutMs: Infinity, error }))).not.toThrow();
  });
});
