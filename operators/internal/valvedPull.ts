import { EMPTY, concatMap, expand, first, map, of, takeWhile } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Valve } from '../valve.js';

/**
 * One answer of a pull-based source: the shape shared by a web stream reader's `read()` and
 * an async iterator's `next()`.
 */
export type Pulled<T> = { readonly done: true } | { readonly done?: false; readonly value: T };

/**
 * Turns a pull function (`reader.read`, `iterator.next`) into an Observable of its values,
 * pulling one value at a time and only while the valve is open.
 *
 * The next pull is requested only after the previous value was delivered downstream, so a
 * consumer that pauses the valve synchronously on a value (a full `boundedBuffer`) stops the
 * very next pull. While paused nothing is pulled, so the source's own backpressure reaches
 * its producer. Waiting is a subscription to `valve.paused$` turning `false`: no polling, and
 * unsubscribing ends the wait.
 *
 * Cleanup of the source itself (cancel, return) is the caller's job: only it knows how.
 */
export function valvedPull<T>(
  pull: () => PromiseLike<Pulled<T>>,
  valve: Valve | undefined,
): Observable<T> {
  const open$ = valve ? valve.paused$.pipe(first((paused) => !paused)) : of(false);
  // Cold: each subscription waits for the valve, then pulls once.
  const pullOnce$ = open$.pipe(concatMap(() => pull()));
  return pullOnce$.pipe(
    // expand emits each answer before it subscribes to the next pull; pulls are
    // asynchronous, so the chain never deepens the stack.
    expand((answer) => (answer.done ? EMPTY : pullOnce$)),
    takeWhile((answer): answer is { readonly done?: false; readonly value: T } => !answer.done),
    map((answer) => answer.value),
  );
}
