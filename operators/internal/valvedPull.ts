import { Observable } from 'rxjs';
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
 * its producer. Waiting is a subscription to `valve.paused$`, which also says when to pull
 * again: no polling, and unsubscribing ends the wait.
 *
 * A source that finished (done, or failed) has cleaned up after itself. One abandoned midway
 * (the subscriber left first) has not: `abandon` is called then, and only then, to cancel or
 * return it — only the caller knows how.
 */
export function valvedPull<T>(
  pull: () => PromiseLike<Pulled<T>>,
  valve: Valve | undefined,
  abandon?: () => void,
): Observable<T> {
  // Performance: this runs once per body chunk of every SSE stream. It used to be
  // `open$.pipe(concatMap(pull))` re-subscribed through `expand` for each chunk, which built
  // and tore down half a dozen subscribers per pull: ~14 µs per 64 KiB chunk, a quarter of
  // a microsecond per SSE event. Here a pull is a function call and a `then`; the valve is
  // followed by one subscription for the whole stream, whose last value says whether to pull.
  return new Observable<T>((subscriber) => {
    let open = true;
    // A pull that found the valve closed, to be made when it opens.
    let parked = false;
    // Set before notifying the end: the teardown runs inside error() and complete().
    let settled = false;
    const fail = (error: unknown): void => {
      settled = true;
      subscriber.error(error);
    };

    const pullNext = (): void => {
      if (subscriber.closed) return;
      if (!open) {
        parked = true;
        return;
      }
      let answer: PromiseLike<Pulled<T>>;
      try {
        answer = pull();
      } catch (error) {
        fail(error);
        return;
      }
      // Settles asynchronously, so the chain of pulls never deepens the stack.
      answer.then(deliver, (error: unknown) => {
        if (!subscriber.closed) fail(error);
      });
    };

    const deliver = (answer: Pulled<T>): void => {
      if (subscriber.closed) return;
      if (answer.done) {
        settled = true;
        subscriber.complete();
        return;
      }
      subscriber.next(answer.value);
      pullNext();
    };

    // paused$ replays its state on subscription, so `open` is right before the first pull.
    const watching = valve?.paused$.subscribe((paused) => {
      open = !paused;
      if (open && parked) {
        parked = false;
        pullNext();
      }
    });
    pullNext();
    return () => {
      watching?.unsubscribe();
      if (!settled) abandon?.();
    };
  });
}
