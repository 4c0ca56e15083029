import { EMPTY, mergeMap } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { decode } from '../../jsonrpc/decode.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import type { SseEvent } from '../../sse/types.js';

/**
 * Turns the events of an MCP event stream into JSON-RPC messages.
 *
 * Events without data are skipped: they are the priming events a server sends to hand out an
 * event id ([spec 2025-11-25 transports] "an SSE event consisting of an event ID and an empty
 * data field"). Events of a type other than `message` are skipped too. A batch (2025-03-26)
 * is split into its messages. Data that is not a JSON-RPC message is reported to `onInvalid`
 * (the transport's `invalid$`) rather than ending the stream: one bad event must not cost the
 * session (the server's next message may be fine), and there is no request to fail it with.
 *
 * ```text
 * events:   -{id:1,data:''}-{data:'{"id":1,...}'}-{data:'oops'}-{data:'[m2,m3]'}-
 * messages: ----------------{id:1,...}------------------------------m2,m3------
 * ```
 */
export function sseMessages(
  onInvalid: (error: JsonRpcDecodeError) => void,
): OperatorFunction<SseEvent, JsonRpcMessage> {
  return mergeMap((event) => {
    if (event.data === '' || (event.event !== undefined && event.event !== 'message')) {
      return EMPTY;
    }
    return decodedMessages(event.data, onInvalid);
  });
}

/**
 * The messages of one JSON text (a single message or a batch); none when it is invalid, which
 * is reported to `onInvalid`.
 */
export function decodedMessages(
  text: string,
  onInvalid: (error: JsonRpcDecodeError) => void,
): readonly JsonRpcMessage[] {
  const decoded = decode(text, { allowBatch: true });
  if (decoded.isErr()) {
    onInvalid(decoded.error);
    return [];
  }
  const payload = decoded.value;
  return Array.isArray(payload) ? payload : [payload as JsonRpcMessage];
}
