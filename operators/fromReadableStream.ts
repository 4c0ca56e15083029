import { defer, finalize } from 'rxjs';
import type { Observable } from 'rxjs';
import { valvedPull } from './internal/valvedPull.js';
import type { Valve } from './valve.js';

/** Options of {@link fromReadableStream}. */
export interface FromReadableStreamOptions {
  /**
   * Flow control: while the valve is paused no `read()` is issued, so the stream's queue
   * fills to its high-water mark and the stream stops pulling from its source (a `fetch`
   * body stops reading from the socket, and TCP slows the server down).
   * @default none: reads as fast as the stream delivers
   */
  readonly valve?: Valve;
  /**
   * Whether tearing down the subscription before the stream ended cancels it
   * (`reader.cancel()`, which for a `fetch` body aborts the download). With `false` only the
   * lock is released, so that another reader can continue where this one stopped.
   * @default true
   */
  readonly cancelOnUnsubscribe?: boolean;
}

/**
 * Reads a web `ReadableStream` as an Observable of its chunks, one `read()` at a time.
 * Cold: the stream is locked (`getReader()`) on subscription and released on teardown. A
 * stream that is already locked fails the subscription with the `TypeError` of
 * `getReader()`; a stream error fails the Observable with that error.
 *
 * ```text
 * stream:    --c1--c2--c3--close
 * result:    --c1--c2--c3--|
 *
 * valve:     f-----t---f          while paused no read() is made
 * stream:    --c1--......c2--c3--close
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { boundedBuffer, createValve, fromReadableStream } from 'rxmcp/operators';
 *
 * const response = await fetch('https://example.com/big.ndjson');
 * const valve = createValve();
 * fromReadableStream(response.body!, { valve })
 *   .pipe(boundedBuffer({ overflow: 'pause', valve, capacity: 8, consume: (chunk) => store(chunk) }))
 *   .subscribe({ complete: () => console.log('stored') });
 * ```
 */
export function fromReadableStream<T>(
  stream: ReadableStream<T>,
  options: FromReadableStreamOptions = {},
): Observable<T> {
  const { valve, cancelOnUnsubscribe = true } = options;
  return defer(() => {
    const reader = stream.getReader();
    // Abandoned midway, the stream is cancelled: cancel() settles a pending read() at once,
    // so the lock can be released right after (finalize runs after the source's teardown).
    // Its promise only reports the source's cancel hook failing, and nobody is listening any
    // more, so that report is dropped on purpose.
    const abandon = cancelOnUnsubscribe
      ? () => void reader.cancel().catch(() => undefined)
      : undefined;
    return valvedPull<T>(() => reader.read(), valve, abandon).pipe(
      finalize(() => reader.releaseLock()),
    );
  });
}
