import { asyncScheduler, defer, retry, tap, throwError, timer } from 'rxjs';
import type { MonoTypeOperatorFunction, ObservableInput, SchedulerLike } from 'rxjs';
import { readProperty } from './internal/readProperty.js';

/** Options of {@link retryWithJitter}. Every option is optional. */
export interface RetryWithJitterConfig {
  /**
   * How many times to resubscribe after an error before giving up with that error.
   * `Infinity` retries forever (then bound the streak with `maxElapsedMs`).
   * @default 10
   */
  readonly maxRetries?: number;
  /**
   * The base delay before the first retry, in milliseconds.
   * @default 1000
   */
  readonly initialDelayMs?: number;
  /**
   * The largest computed delay, in milliseconds, before and after jitter. Server hints are
   * bounded by `maxHintDelayMs` instead.
   * @default 30000
   */
  readonly maxDelayMs?: number;
  /**
   * The growth of the base delay per attempt: attempt `k` (1-based) waits around
   * `min(maxDelayMs, initialDelayMs * factor ** (k - 1))`. `1` gives a constant delay.
   * @default 2
   */
  readonly factor?: number;
  /**
   * How much randomness to add so that many clients do not reconnect in lock-step:
   * - a fraction `j` in `[0, 1]`: the delay is uniform in `[base * (1 - j), base * (1 + j)]`,
   *   then capped at `maxDelayMs`; `0` gives exact delays;
   * - `'full'`: the delay is uniform in `[0, base]` (AWS "full jitter").
   *
   * Computed delays are rounded to whole milliseconds.
   * @default 0.25
   */
  readonly jitter?: number | 'full';
  /**
   * The total time, in milliseconds, one failure streak may take. The clock starts at
   * subscription, and again at each value when `resetOnSuccess` is on. When waiting the next
   * delay would end past the budget, the stream fails with the last error instead of waiting.
   * @default Infinity
   */
  readonly maxElapsedMs?: number;
  /**
   * Whether a value ends the failure streak: the attempt count and the `maxElapsedMs` clock
   * start over, so a connection that worked for an hour gets its full budget again.
   * @default true
   */
  readonly resetOnSuccess?: boolean;
  /**
   * Decides whether an error is worth retrying. `attempt` is the 1-based number of the
   * retry that would follow. Returning `false` fails the stream with the error at once.
   * @default reads the error's `retryable` boolean when it has one, otherwise retries. rxmcp
   * normalises its errors so the flag is always set; foreign errors (a bare `Error`, a
   * string) are retried like rxjs `retry` would.
   */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
  /**
   * The longest a server hint may make us wait, in milliseconds. An error with a finite
   * numeric `retryAfterMs >= 0` (an SSE `retry:` field, a `Retry-After` header) is retried
   * after exactly `min(retryAfterMs, maxHintDelayMs)`, without jitter, instead of the
   * computed delay. A hinted retry still counts as an attempt.
   * @default 300000 (5 minutes)
   */
  readonly maxHintDelayMs?: number;
  /**
   * Called just before each wait, so that a UI can say "reconnecting in 2 s (attempt 3)"
   * without the stream ever erroring. Not called when the operator gives up.
   * @default none
   */
  readonly onRetry?: (state: RetryState) => void;
  /**
   * The source of randomness for jitter: a function returning a number in `[0, 1)`.
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * Where the waits are scheduled and where `now()` is read for `maxElapsedMs`.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

/** What {@link RetryWithJitterConfig.onRetry} is told before each wait. */
export interface RetryState {
  /** The 1-based number of the retry about to happen. */
  readonly attempt: number;
  /** How long the operator waits before resubscribing, in milliseconds. */
  readonly delayMs: number;
  /** The error that ended the previous subscription. */
  readonly error: unknown;
  /** `true` when `delayMs` comes from the error's `retryAfterMs` rather than backoff. */
  readonly hinted: boolean;
}

/** The options {@link computeBackoffDelay} reads; the defaults are those of the operator. */
export type BackoffConfig = Pick<
  RetryWithJitterConfig,
  'initialDelayMs' | 'maxDelayMs' | 'factor' | 'jitter' | 'random'
>;

// setTimeout/setInterval (behind rxjs' asyncScheduler) fire almost at once when asked to wait
// longer than this, which would turn a generous cap into a retry storm.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resubscribes to the source after an error, waiting an exponentially growing, jittered
 * delay between attempts, and giving up with the last error when the budget is spent.
 *
 * A server's `retryAfterMs` hint on the error wins over the computed delay. Errors that say
 * `retryable: false` are not retried. Built on rxjs `retry({ count, delay, resetOnSuccess })`.
 *
 * ```text
 * source (1st):  --a--#
 * source (2nd):          ---#            attempt 1, after ~initialDelayMs
 * source (3rd):                   --b--| attempt 2, after ~initialDelayMs * factor
 * result:        --a----------------b--|
 *
 * error { retryable: false }:  --#  is passed on at once, no retry
 * error { retryAfterMs: 5 }:   --#  resubscribes after exactly 5 ms, no jitter
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { defer, throwError } from 'rxjs';
 * import { retryWithJitter } from 'rxmcp/operators';
 *
 * let calls = 0;
 * const flaky$ = defer(() =>
 *   ++calls < 3 ? throwError(() => new Error(`try ${calls} failed`)) : ['connected'],
 * );
 *
 * flaky$
 *   .pipe(
 *     retryWithJitter({
 *       initialDelayMs: 100,
 *       onRetry: ({ attempt, delayMs }) => console.log(`reconnecting in ${delayMs} ms (attempt ${attempt})`),
 *     }),
 *   )
 *   .subscribe(console.log);
 * // reconnecting in ~100 ms (attempt 1)
 * // reconnecting in ~200 ms (attempt 2)
 * // connected
 * ```
 */
export function retryWithJitter<T>(
  config: RetryWithJitterConfig = {},
): MonoTypeOperatorFunction<T> {
  const backoff = resolveBackoff(config);
  const {
    maxRetries = 10,
    maxElapsedMs = Infinity,
    maxHintDelayMs = 300_000,
    resetOnSuccess = true,
    shouldRetry = isRetryable,
    onRetry,
    scheduler = asyncScheduler,
  } = config;
  if (!(maxRetries === Infinity || (Number.isInteger(maxRetries) && maxRetries >= 0))) {
    throw new RangeError(
      `retryWithJitter: maxRetries must be a whole number >= 0 or Infinity, got ${maxRetries}.`,
    );
  }
  if (!(maxElapsedMs >= 0)) {
    throw new RangeError(`retryWithJitter: maxElapsedMs must be >= 0, got ${maxElapsedMs}.`);
  }
  assertTimerDelay('maxHintDelayMs', maxHintDelayMs);

  // Performance: the clock is read for each value only when a budget needs it. With the
  // default (no `maxElapsedMs`) there is no per-value step before `retry` at all, so a value
  // costs what it costs in rxjs `retry`.
  const restartClockOnValue = resetOnSuccess && maxElapsedMs !== Infinity;

  return (source) =>
    // defer: the budget clock belongs to one subscription, like retry's own attempt count.
    defer(() => {
      let streakStart = scheduler.now();
      const delay = (error: unknown, attempt: number): ObservableInput<unknown> => {
        if (!shouldRetry(error, attempt)) return throwError(() => error);
        const hint = retryHint(error, maxHintDelayMs);
        const delayMs = hint ?? backoffDelay(attempt, backoff);
        // Waiting and then failing anyway would only postpone the bad news.
        if (scheduler.now() - streakStart + delayMs > maxElapsedMs) return throwError(() => error);
        onRetry?.({ attempt, delayMs, error, hinted: hint !== undefined });
        return timer(delayMs, scheduler);
      };
      // Sits before retry so it sees the values of every resubscription.
      const watched = restartClockOnValue
        ? source.pipe(tap(() => (streakStart = scheduler.now())))
        : source;
      // When the count is spent, retry rethrows the error it just received: the last one.
      return watched.pipe(retry({ count: maxRetries, delay, resetOnSuccess }));
    });
}

/**
 * The delay before retry `attempt` (1-based), in whole milliseconds, as
 * {@link retryWithJitter} computes it when the error carries no hint.
 *
 * @throws RangeError when `attempt` is not a whole number >= 1 or an option is out of range.
 */
export function computeBackoffDelay(attempt: number, config: BackoffConfig = {}): number {
  if (!(Number.isInteger(attempt) && attempt >= 1)) {
    throw new RangeError(
      `computeBackoffDelay: attempt must be a whole number >= 1, got ${attempt}.`,
    );
  }
  return backoffDelay(attempt, resolveBackoff(config));
}

interface ResolvedBackoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly jitter: number | 'full';
  readonly random: () => number;
}

function resolveBackoff(config: BackoffConfig): ResolvedBackoff {
  const {
    initialDelayMs = 1000,
    maxDelayMs = 30_000,
    factor = 2,
    jitter = 0.25,
    random = Math.random,
  } = config;
  assertTimerDelay('initialDelayMs', initialDelayMs);
  assertTimerDelay('maxDelayMs', maxDelayMs);
  if (!(factor >= 1 && Number.isFinite(factor))) {
    throw new RangeError(`retryWithJitter: factor must be a finite number >= 1, got ${factor}.`);
  }
  if (jitter !== 'full' && !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(
      `retryWithJitter: jitter must be a fraction in [0, 1] or 'full', got ${String(jitter)}.`,
    );
  }
  return { initialDelayMs, maxDelayMs, factor, jitter, random };
}

function backoffDelay(attempt: number, backoff: ResolvedBackoff): number {
  const { initialDelayMs, maxDelayMs, factor, jitter, random } = backoff;
  // factor ** k overflows to Infinity after ~1000 attempts; 0 * Infinity would be NaN.
  const base =
    initialDelayMs === 0 ? 0 : Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
  const jittered =
    jitter === 'full' ? random() * base : base * (1 - jitter) + random() * 2 * jitter * base;
  return Math.min(maxDelayMs, Math.round(jittered));
}

function assertTimerDelay(name: string, value: number): void {
  if (!(value >= 0 && value <= MAX_TIMER_MS)) {
    throw new RangeError(
      `retryWithJitter: ${name} must be a number of milliseconds in [0, ${MAX_TIMER_MS}], got ${value}.`,
    );
  }
}

function isRetryable(error: unknown): boolean {
  const retryable = readProperty(error, 'retryable');
  return typeof retryable === 'boolean' ? retryable : true;
}

function retryHint(error: unknown, maxHintDelayMs: number): number | undefined {
  const hint = readProperty(error, 'retryAfterMs');
  if (typeof hint !== 'number' || !Number.isFinite(hint) || hint < 0) return undefined;
  return Math.min(hint, maxHintDelayMs);
}
