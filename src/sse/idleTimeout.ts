import { NEVER, identity, mergeMap, throwError, timeout, window } from 'rxjs';
import type { MonoTypeOperatorFunction, Observable, SchedulerLike } from 'rxjs';
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
   * @default asyncScheduler (through rxjs `timeout`)
   */
  readonly scheduler?: SchedulerLike;
}

// rxjs (setInterval) reads a longer delay as 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Fails the stream when no value arrives for `idleMs`, counting from subscription and from
 * each value: rxjs `timeout({ first, each })`, applied window by window between valve
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
  const { idleMs, error, valve, scheduler } = config;
  assertIdleMs(idleMs);
  if (idleMs === Infinity) return identity;
  const watch = timeout<T, Observable<never>>({
    first: idleMs,
    each: idleMs,
    with: () => throwError(error),
    scheduler,
  });
  return (source) =>
    source.pipe(
      // A new window at every valve change; only the windows opened while the valve is open
      // are watched. Without a valve there is a single window, watched from the start.
      window(valve?.paused$ ?? NEVER),
      mergeMap((values) => (valve?.isPaused === true ? values : values.pipe(watch))),
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
