import {
  Observable,
  asyncScheduler,
  defer,
  identity,
  mergeMap,
  repeat,
  tap,
  throwError,
  timer,
  window,
} from 'rxjs';
import type { MonoTypeOperatorFunction, SchedulerLike } from 'rxjs';
import type { Valve } from '../../operators/valve.js';

/** Options of {@link idleTimeout}. */
export interface IdleTimeoutConfig {
  /**
   * How long the source may stay silent, in milliseconds, before the stream fails.
   * `Infinity` turns the check off.
   */
  readonly idleMs: number;
  /** The error to fail with, built when the time is up. */
  readonly error: () => unknown;
  /**
   * While this valve is paused the clock stops: the consumer, not the server, is holding
   * the data back, so silence proves nothing. It restarts with a full `idleMs` on resume.
   * @default none: the clock always runs
   */
  readonly valve?: Valve;
  /**
   * Where the clock runs.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

// rxjs (setInterval) reads a longer delay as 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Fails the stream when no value arrives for `idleMs`, counting from subscription and from
 * each value, like rxjs `timeout({ first, each })`; applied window by window between valve
 * changes, so that time spent paused by a full consumer buffer is not counted as silence.
 *
 * ```text
 * idleMs: 3
 * source:  -a-b-------      (server falls silent)
 * result:  -a-b---#         error() after 3 frames without a value
 *
 * valve:   f--t------f      paused: no clock; resumed: a fresh idleMs
 * source:  -a---------------b-
 * result:  -a---------------b-
 * ```
 */
export function idleTimeout<T>(config: IdleTimeoutConfig): MonoTypeOperatorFunction<T> {
  const { idleMs, error, valve, scheduler = asyncScheduler } = config;
  assertIdleMs(idleMs);
  if (idleMs === Infinity) return identity;

  // Performance: rxjs `timeout({ each })` cancels its timer and schedules a new one for every
  // value. Behind asyncScheduler that is a clearInterval and a setInterval per body chunk,
  // several microseconds each time, which on a 64 KiB chunk of 1 KiB events came to a tenth
  // of a microsecond per event. Instead each value only notes the time, and one timer, armed
  // for the earliest possible deadline, checks when it fires: past the deadline it fails,
  // otherwise it re-arms for what is left. One timer per `idleMs` of traffic, not per chunk,
  // and in virtual time the failure lands on the same frame as with `timeout`.
  const watch: MonoTypeOperatorFunction<T> = (values) =>
    new Observable<T>((subscriber) => {
      let lastSeen = 0;
      values.pipe(tap(() => (lastSeen = scheduler.now()))).subscribe(subscriber);
      if (subscriber.closed) return undefined;
      // The clock starts once the source is subscribed, as rxjs `timeout` starts its first
      // timer: whatever subscribing did synchronously (the first fetch in a process loads
      // its HTTP stack) is not counted as silence.
      lastSeen = scheduler.now();
      const silence = defer(() => {
        const left = lastSeen + idleMs - scheduler.now();
        return left > 0 ? timer(left, scheduler) : throwError(error);
      }).pipe(repeat());
      // Unsubscribed with the subscriber: when the source ends, fails or is dropped.
      return silence.subscribe({ error: (failure: unknown) => subscriber.error(failure) });
    });

  if (valve === undefined) return watch;
  return (source) =>
    source.pipe(
      // A new window at every valve change; only the windows opened while the valve is open
      // are watched.
      window(valve.paused$),
      mergeMap((values) => (valve.isPaused ? values : values.pipe(watch))),
    );
}

/** Throws a `RangeError` unless `value` is a usable idle time (`Infinity` turns it off). */
export function assertIdleMs(value: number): void {
  if (!(value === Infinity || (value > 0 && value <= MAX_TIMER_MS))) {
    throw new RangeError(
      `idleTimeoutMs must be a number of milliseconds in (0, ${MAX_TIMER_MS}] or Infinity, got ${value}.`,
    );
  }
}
