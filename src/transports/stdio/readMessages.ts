import { Observable, identity } from 'rxjs';
import { fromReadable } from '../../../operators/fromReadable.js';
import type { ReadableLike } from '../../../operators/fromReadable.js';
import type { Valve } from '../../../operators/valve.js';
import { decode } from '../../jsonrpc/decode.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import { ndjsonFrames } from '../../jsonrpc/ndjsonFrames.js';
import { holdLinesWhilePaused } from './holdLinesWhilePaused.js';
import type { JsonRpcBatch, JsonRpcMessage, JsonRpcPayload } from '../../jsonrpc/types.js';

/** Options of {@link readMessages}. */
export interface ReadMessagesOptions {
  /**
   * The largest message accepted, in UTF-8 bytes. A longer line fails the stream with an
   * `RxMcpError` of kind `'limit'` as soon as that many bytes of it have arrived.
   * @default 10 * 1024 * 1024 (10 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * Whether a line may hold a JSON-RPC batch (only MCP 2025-03-26 has them; see
   * `batchAllowedFor`). Its messages are emitted one by one, in order.
   * @default false
   */
  readonly allowBatch?: boolean;
  /**
   * Flow control: while paused, the stream is paused and its writer blocks on the full pipe,
   * and no further line of the chunk read last is decoded (see `holdLinesWhilePaused`).
   * @default none: the stream is read as fast as it produces
   */
  readonly valve?: Valve;
  /**
   * Called with each line that is not a JSON-RPC message (a stray `console.log` of the
   * server, a truncated last line); the stream goes on.
   * @default none: such lines are skipped silently
   */
  readonly onInvalid?: (error: JsonRpcDecodeError) => void;
}

/**
 * Reads JSON-RPC messages from an NDJSON byte stream (a child's stdout, our own stdin):
 * `fromReadable`, then `ndjsonFrames`, then `decode` on each line. It completes when the
 * stream ends.
 *
 * Unsubscribing leaves the stream paused, not destroyed: whoever owns it decides (the stdio
 * transport keeps draining a child's stdout while it shuts down, so the server never blocks
 * on a full pipe; a server leaves its own stdin alone so the process can exit).
 *
 * ```text
 * stream:    --'{"jsonrpc":"2.0","method":"a"}\nhello\n'--end
 * onInvalid:   (hello: not-json)
 * result:    --a------------------------------------------|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { readMessages } from 'rxmcp/node';
 *
 * readMessages(process.stdin, { onInvalid: (error) => console.error(error.message) })
 *   .subscribe((message) => console.error('got', message));
 * ```
 */
export function readMessages(
  readable: ReadableLike,
  options: ReadMessagesOptions = {},
): Observable<JsonRpcMessage> {
  const { allowBatch = false, valve, onInvalid } = options;
  const frames = ndjsonFrames({ maxMessageBytes: options.maxMessageBytes });
  return new Observable<JsonRpcMessage>((subscriber) =>
    fromReadable<Uint8Array>(readable, { valve, destroyOnUnsubscribe: false })
      .pipe(valve === undefined ? identity : holdLinesWhilePaused(valve), frames)
      .subscribe({
        next: (line) => {
          const decoded = decode(line, { allowBatch });
          if (decoded.isErr()) {
            onInvalid?.(decoded.error);
            return;
          }
          const payload = decoded.value;
          if (isBatch(payload)) for (const message of payload) subscriber.next(message);
          else subscriber.next(payload);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
  );
}

function isBatch(payload: JsonRpcPayload): payload is JsonRpcBatch {
  return Array.isArray(payload);
}
