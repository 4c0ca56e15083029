import type { Writable } from 'node:stream';
import { Observable } from 'rxjs';
import { RxMcpError } from '../../errors.js';

/** Options of {@link writeToStream}. */
export interface WriteToStreamOptions {
  /**
   * The most bytes that may wait in the stream's buffer (written, not yet taken by the
   * reader) when a write starts. A write that finds more fails at once with an `RxMcpError`
   * of kind `'limit'` instead of growing the buffer (overflow policy: refuse). One message of
   * any size is accepted into a buffer below the limit, so memory stays within this plus the
   * largest message. A whole number >= 1.
   * @default 16 * 1024 * 1024 (16 MiB)
   */
  readonly maxPendingBytes?: number;
  /**
   * Fails the write at once with the error it emits: the reader is gone (the child process
   * exited), so waiting for the callback could take forever when another process still holds
   * the pipe.
   * @default none
   */
  readonly abort$?: Observable<RxMcpError>;
  /**
   * What the stream is, for error messages.
   * @default 'the output stream'
   */
  readonly name?: string;
}

/** The default of {@link WriteToStreamOptions.maxPendingBytes}: 16 MiB. */
export const DEFAULT_MAX_PENDING_WRITE_BYTES = 16 * 1024 * 1024;

/**
 * Writes `text` to a Node `Writable` and completes once it has been handed to the operating
 * system and, when the write filled the stream's buffer, once the buffer has drained. So
 * `concatMap(() => writeToStream(...))` moves at the pace of the reader. Cold: nothing is
 * written before subscription. Unsubscribing does not take back what was written.
 *
 * Errors are `RxMcpError`s: `'closed'` when the stream is not writable, when the write fails
 * (`EPIPE`: nobody reads any more) or when `abort$` fires; `'limit'` when the buffer is over
 * `maxPendingBytes`. The caller must keep an `'error'` listener on the stream for as long as it
 * writes (the transports do): Node reports a failed write to the callback *and* as an event.
 *
 * ```text
 * write fits the buffer:     write ─cb─|
 * write fills the buffer:    write ─cb──────drain─|
 * reader exits meanwhile:    write ───abort$─#        (closed)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { from, concatMap } from 'rxjs';
 * import { writeToStream } from 'rxmcp/node';
 *
 * from(['{"jsonrpc":"2.0","method":"a"}\n', '{"jsonrpc":"2.0","method":"b"}\n'])
 *   .pipe(concatMap((line) => writeToStream(process.stdout, line)))
 *   .subscribe({ complete: () => console.error('both written') });
 * ```
 */
export function writeToStream(
  stream: Writable,
  text: string,
  options: WriteToStreamOptions = {},
): Observable<void> {
  const {
    maxPendingBytes = DEFAULT_MAX_PENDING_WRITE_BYTES,
    abort$,
    name = 'the output stream',
  } = options;
  return new Observable<void>((subscriber) => {
    if (!stream.writable) {
      subscriber.error(
        new RxMcpError('closed', `Cannot write to ${name}: it is already closed.`, {
          data: { ended: stream.writableEnded, destroyed: stream.destroyed },
        }),
      );
      return;
    }
    if (stream.writableLength >= maxPendingBytes) {
      subscriber.error(
        new RxMcpError(
          'limit',
          `Cannot write to ${name}: ${stream.writableLength} bytes are already waiting for the ` +
            `reader (maxPendingBytes is ${maxPendingBytes}). Wait for earlier sends to complete ` +
            '(for example with concatMap) instead of starting them all at once.',
          { data: { pendingBytes: stream.writableLength, maxPendingBytes } },
        ),
      );
      return;
    }
    const aborted = abort$?.subscribe((error) => subscriber.error(error));
    if (subscriber.closed) return;

    let written = false;
    let drained = true;
    const settle = (): void => {
      if (written && drained) subscriber.complete();
    };
    const onDrain = (): void => {
      drained = true;
      settle();
    };
    drained = stream.write(text, (error) => {
      if (error) {
        subscriber.error(
          new RxMcpError(
            'closed',
            `Could not write to ${name}: ${error.message}. The reader has gone away (it exited ` +
              'or closed its input); nothing more can be sent.',
            { cause: error },
          ),
        );
        return;
      }
      written = true;
      settle();
    });
    // Waiting for the callback alone would finish as soon as this chunk is out; 'drain' also
    // waits for the reader to take what filled the buffer, which is the backpressure asked for.
    if (!drained) stream.once('drain', onDrain);

    return () => {
      stream.removeListener('drain', onDrain);
      aborted?.unsubscribe();
    };
  });
}
