import type { ServerResponse } from 'node:http';
import { Observable } from 'rxjs';
import { RxMcpError } from '../errors.js';

/**
 * Writes one chunk of an SSE response and completes once the socket took it: at once when
 * `write` returned `true`, else on `'drain'`. This is what makes a slow client slow the
 * queue in front of it down instead of growing Node's write buffer. Errors with `closed` when
 * the response is gone.
 */
export function writeSse(res: ServerResponse, chunk: string): Observable<void> {
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

/** The SSE text of one message event. `JSON.stringify` escapes newlines, so one `data:` line. */
export function sseMessage(eventId: string, data: unknown): string {
  return `id: ${eventId}\nevent: message\ndata: ${JSON.stringify(data)}\n\n`;
}
