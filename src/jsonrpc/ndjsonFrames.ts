import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { createLineSplitter } from './createLineSplitter.js';
import { checkMaxMessageBytes } from './maxMessageBytes.js';

/** Options of {@link ndjsonFrames}. */
export interface NdjsonFramesOptions {
  /**
   * The largest message accepted, in UTF-8 bytes, not counting its `\n`. A longer line fails
   * the stream with an `RxMcpError` of kind `'limit'` (naming the limit and the size seen) as
   * soon as more than this many bytes of it have arrived; no more than this many bytes of a
   * partial line are ever held. Must be a whole number >= 1.
   * @default 10 * 1024 * 1024 (10 MiB)
   */
  readonly maxMessageBytes?: number;
}

/**
 * Splits a stream of bytes or text chunks into NDJSON lines: one string per line, without its
 * `\n` or `\r\n`, empty lines skipped. UTF-8 is decoded across chunk boundaries, the work is
 * linear in the input (see `createLineSplitter`), and a last line without a trailing newline is
 * emitted when the source completes.
 *
 * The error channel means "stream over": an over-long line fails it with kind `'limit'`, and a
 * source error is passed on, normalised by `RxMcpError.from` (its partial line is dropped).
 * Each subscription has its own splitter.
 *
 * ```text
 * source:  --a-----b-----|   a = '{"x":1}\r\n{"y"', b = ':2}\n\n'
 * ndjsonFrames()
 * result:  --x-----y-----|   x = '{"x":1}', y = '{"y":2}'
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { of } from 'rxjs';
 * import { ndjsonFrames } from 'rxmcp';
 *
 * const bytes = new TextEncoder().encode('{"jsonrpc":"2.0","method":"a"}\n{"jsonrpc":');
 * of(bytes, '"2.0","method":"b"}\n')
 *   .pipe(ndjsonFrames({ maxMessageBytes: 1024 * 1024 }))
 *   .subscribe((line) => console.log(line));
 * // {"jsonrpc":"2.0","method":"a"}
 * // {"jsonrpc":"2.0","method":"b"}
 * ```
 */
export function ndjsonFrames(
  options: NdjsonFramesOptions = {},
): OperatorFunction<Uint8Array | string, string> {
  const maxMessageBytes = checkMaxMessageBytes(options.maxMessageBytes, 'ndjsonFrames');
  return (source) =>
    new Observable<string>((subscriber) => {
      const splitter = createLineSplitter({
        maxMessageBytes,
        onLine: (line) => subscriber.next(line),
      });
      // A synchronous source keeps calling after the splitter failed (its subscription is only
      // torn down when it returns), and a failed splitter throws again: it lands here, where
      // `subscriber.error` on a closed subscriber is a no-op.
      const guarded = (step: () => void): void => {
        try {
          step();
        } catch (error) {
          subscriber.error(RxMcpError.from(error));
        }
      };
      return source.subscribe({
        next: (chunk) => guarded(() => splitter.push(chunk)),
        error: (error: unknown) => subscriber.error(RxMcpError.from(error)),
        // [spec 2025-11-25 basic_transports] Messages are delimited by newlines. A last line
        // cut short by the end of the stream is emitted, not dropped: if it is a truncated
        // message, decoding reports it.
        complete: () =>
          guarded(() => {
            splitter.end();
            subscriber.complete();
          }),
      });
    });
}
