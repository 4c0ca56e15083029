import { Buffer } from 'node:buffer';
import type { ServerResponse } from 'node:http';
import { Observable } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { encodeJson } from './encodeJson.js';

/**
 * Writes one chunk of an SSE response and completes once the socket took it: at once when
 * `write` returned `true`, else on `'drain'`. This is what makes a slow client slow the
 * queue in front of it down instead of growing Node's write buffer. Errors with `closed` when
 * the response is gone.
 */
export function writeSse(res: ServerResponse, chunk: string | Uint8Array): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (res.writableEnded || res.destroyed) {
      subscriber.error(
        new RxMcpError('closed', 'The SSE connection is closed; the event stays in the store.'),
      );
      return undefined;
    }
    if (res.write(chunk)) {
      subscriber.complete();
      return undefined;
    }
    const onDrain = (): void => {
      cleanup();
      subscriber.complete();
    };
    const onClose = (): void => {
      cleanup();
      subscriber.error(new RxMcpError('closed', 'The SSE connection closed while writing.'));
    };
    const cleanup = (): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
    };
    res.on('drain', onDrain);
    res.on('close', onClose);
    return cleanup;
  });
}

/**
 * The SSE text (or bytes) of one message event. JSON escapes newlines, so one `data:` line. A
 * message with a long string is encoded straight into a buffer (`encodeJson`): its payload is
 * not copied into a JSON text, then into the event's text, then into bytes, which in a proxy
 * relaying a burst was most of the garbage that made V8 grow its young generation.
 */
export function sseMessage(eventId: string, data: unknown): string | Buffer {
  const head = `id: ${eventId}\nevent: message\ndata: `;
  const json = encodeJson(data);
  // A message without long strings: its text is short, the socket encodes it as before.
  if (json.text !== undefined) return `${head}${json.text}\n\n`;
  const headBytes = Buffer.byteLength(head, 'utf8');
  const chunk = Buffer.allocUnsafe(headBytes + json.bytes + 2);
  chunk.write(head, 0, 'utf8');
  json.writeTo(chunk, headBytes);
  chunk.write('\n\n', headBytes + json.bytes, 'latin1');
  return chunk;
}
