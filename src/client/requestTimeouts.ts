import { Observable, asyncScheduler, identity, throwError, timeout } from 'rxjs';
import type { MonoTypeOperatorFunction, SchedulerLike } from 'rxjs';
import type { RequestEvent } from './RequestEvent.js';

/** Which limit ran out: the per-request timeout, or the cap on the whole request. */
export type TimeoutLimit = 'timeout' | 'maxTotal';

/** Options of {@link requestTimeouts}. */
export interface RequestTimeoutsConfig {
  /**
   * How long the request may wait for its result, in milliseconds. `Infinity` turns it off.
   */
  readonly timeoutMs: number;
  /**
   * Restart the `timeoutMs` clock at each progress report: work is evidently happening.
   * @default false
   */
  readonly resetOnProgress?: boolean;
  /**
   * The most the request may take in all, progress or not. `Infinity` turns it off.
   * @default Infinity
   */
  readonly maxTotalMs?: number;
  /** The error to fail with, given the limit that ran out and its length in milliseconds. */
  readonly error: (limit: TimeoutLimit, ms: number) => unknown;
  /**
   * Where the clocks run.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

// rxjs (setTimeout) reads a longer delay as 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The timeouts of one MCP request, as rxjs clocks: a fixed window for the result, or (with
 * `resetOnProgress`) rxjs `timeout({ each })` restarted by every event, and a cap on the
 * total that progress cannot extend.
 *
 * ```text
 * timeoutMs: 5, maxTotalMs: 8
 * source:                  -p--p--p--r|
 * fixed window:            -p--p#                error('timeout', 5)
 * resetOnProgress:         -p--p--p#             error('maxTotal', 8)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { RxMcpError } from 'rxmcp';
 * import { of } from 'rxjs';
 *
 * of({ type: 'result', result: {} } as const)
 *   .pipe(
 *     requestTimeouts({
 *       timeoutMs: 10_000,
 *       resetOnProgress: true,
 *       maxTotalMs: 60_000,
 *       error: (limit, ms) => new RxMcpError('timeout', `no result within ${ms} ms (${limit})`),
 *     }),
 *   )
 *   .subscribe(console.log);
 * ```
 */
export function requestTimeouts<R>(
  config: RequestTimeoutsConfig,
): MonoTypeOperatorFunction<RequestEvent<R>> {
  const { timeoutMs, resetOnProgress = false, maxTotalMs = Infinity, error, scheduler } = config;
  assertTimeoutMs('timeoutMs', timeoutMs);
  assertTimeoutMs('maxTotalTimeoutMs', maxTotalMs);
  // Fails the request once `ms` have passed, whatever it emitted meanwhile. One scheduled
  // action, not `takeUntil(timer(ms).pipe(switchMap(() => throwError(...))))`: that is four
  // more subscribers per request for the same clock, and every request has one.
  const deadline =
    (limit: TimeoutLimit, ms: number): MonoTypeOperatorFunction<RequestEvent<R>> =>
    (source) =>
      new Observable<RequestEvent<R>>((subscriber) => {
        subscriber.add(
          (scheduler ?? asyncScheduler).schedule(() => subscriber.error(error(limit, ms)), ms),
        );
        // The source's teardown joins the subscriber's: the deadline ends it too.
        source.subscribe(subscriber);
      });

  const perRequest: MonoTypeOperatorFunction<RequestEvent<R>> =
    timeoutMs === Infinity
      ? identity
      : resetOnProgress
        ? timeout({
            each: timeoutMs,
            with: () => throwError(() => error('timeout', timeoutMs)),
            scheduler,
          })
        : deadline('timeout', timeoutMs);
  // Without reset the fixed window already bounds the total unless the cap is shorter.
  const total: MonoTypeOperatorFunction<RequestEvent<R>> =
    maxTotalMs === Infinity || (!resetOnProgress && maxTotalMs >= timeoutMs)
      ? identity
      : deadline('maxTotal', maxTotalMs);
  return (source) => source.pipe(perRequest, total);
}

/** Throws a `RangeError` unless `value` is a usable timeout (`Infinity` turns it off). */
export function assertTimeoutMs(name: string, value: number): void {
  if (!(value === Infinity || (value > 0 && value <= MAX_TIMER_MS))) {
    throw new RangeError(
      `${name} must be a number of milliseconds in (0, ${MAX_TIMER_MS}] or Infinity, got ${value}.`,
    );
  }
}
