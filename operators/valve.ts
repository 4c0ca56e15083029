import { BehaviorSubject } from 'rxjs';
import type { Observable } from 'rxjs';

/** Options of {@link createValve}. */
export interface ValveConfig {
  /**
   * Whether the valve starts closed, so that a source subscribed to it waits for the first
   * `resume()` before it reads anything.
   * @default false
   */
  readonly paused?: boolean;
}

/**
 * A flow-control switch between a consumer that knows when it is full and a source that can
 * stop producing: the consumer (for example {@link boundedBuffer} with `overflow: 'pause'`)
 * calls `pause()` and `resume()`, the source ({@link fromReadable},
 * {@link fromReadableStream}, {@link fromAsyncIterable}) listens to `paused$`.
 *
 * The state is a value, not an event: late subscribers get the current state at once, and
 * only changes are emitted after that.
 */
export interface Valve {
  /**
   * `true` while paused. Emits the current state on subscription, then each change (never
   * the same value twice in a row). Never completes.
   */
  readonly paused$: Observable<boolean>;
  /** The current state, for code that needs it synchronously. */
  readonly isPaused: boolean;
  /** Asks the source to stop producing. Does nothing when already paused. */
  pause(): void;
  /** Lets the source produce again. Does nothing when not paused. */
  resume(): void;
}

/**
 * Creates a {@link Valve}.
 *
 * ```text
 * calls:     pause()   pause()   resume()          (subscribed at the start)
 * paused$:  f--t------------------f--
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { createValve } from 'rxmcp/operators';
 *
 * const valve = createValve();
 * valve.paused$.subscribe((paused) => console.log(paused ? 'stop' : 'go'));
 * valve.pause();
 * valve.pause();
 * valve.resume();
 * // go
 * // stop
 * // go
 * ```
 */
export function createValve(config: ValveConfig = {}): Valve {
  let paused = config.paused ?? false;
  const state = new BehaviorSubject(paused);
  let emitting = false;

  const set = (value: boolean): void => {
    if (value === paused) return;
    paused = value;
    // Re-entrancy guard: a listener may flip the valve while it is being told about the
    // previous flip (a synchronous source refills the buffer on resume, which pauses again).
    // Nested `next` calls would reach the remaining listeners in reverse order and leave them
    // believing a stale state. Instead the outer call keeps emitting until the state it last
    // emitted is the current one, so every listener ends on the truth.
    if (emitting) return;
    emitting = true;
    try {
      while (state.value !== paused) state.next(paused);
    } finally {
      emitting = false;
    }
  };

  return {
    paused$: state.asObservable(),
    get isPaused() {
      return paused;
    },
    pause: () => set(true),
    resume: () => set(false),
  };
}
