import { defer } from 'rxjs';
import type { Observable } from 'rxjs';
import { valvedPull } from './internal/valvedPull.js';
import type { Valve } from './valve.js';

/** Options of {@link fromAsyncIterable}. */
export interface FromAsyncIterableOptions {
  /**
   * Flow control: while the valve is paused `next()` is not called, so a lazy producer (an
   * async generator, a Node stream's iterator) is not asked for more.
   * @default none: iterates as fast as values come
   */
  readonly valve?: Valve;
}

/**
 * Reads an `AsyncIterable` (for example a Node.js stream body, as returned by
 * `cross-fetch` in Node) as an Observable, calling `next()` one at a time and only while the
 * valve is open. Unlike rxjs `from(iterable)`, unsubscribing calls the iterator's `return()`
 * at once, so the producer can clean up.
 *
 * One limit is in the language: an async generator busy in an `await` handles `return()`
 * only when it reaches its next `yield`. A Node `Readable`'s iterator waiting for data is
 * such a case; read a Node stream with {@link fromReadable} instead, which destroys it at
 * once.
 *
 * ```text
 * iterator:  --v1--v2--v3--done
 * result:    --v1--v2--v3--|
 *
 * valve:     f-----t---f          while paused next() is not called
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { fromAsyncIterable } from 'rxmcp/operators';
 *
 * async function* countdown() {
 *   for (let n = 3; n > 0; n--) yield n;
 * }
 * fromAsyncIterable(countdown()).subscribe(console.log);
 * // 3, 2, 1
 * ```
 */
export function fromAsyncIterable<T>(
  iterable: AsyncIterable<T>,
  options: FromAsyncIterableOptions = {},
): Observable<T> {
  return defer(() => {
    const iterator = iterable[Symbol.asyncIterator]();
    // Abandoned midway, the iterator is told to return (a finished one has cleaned up). The
    // promise only reports the producer's cleanup failing, and nobody is listening any more,
    // so that report is dropped on purpose.
    return valvedPull<T>(
      () => iterator.next(),
      options.valve,
      () => {
        iterator.return?.().then(undefined, () => undefined);
      },
    );
  });
}
