import type { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { Err, Ok } from 'ts-results-es';
import type { Result } from 'ts-results-es';
import { refusal } from './HttpRefusal.js';
import type { HttpRefusal } from './HttpRefusal.js';

/**
 * Reads a request body of at most `maxBytes` and parses it as JSON. Emits one `Result`: the
 * value, or the refusal to answer with (413 too large, 400 not JSON). Cold; unsubscribing
 * stops listening (the caller owns the request).
 *
 * ```text
 * body ≤ maxBytes, JSON    --(Ok(value)|)
 * body > maxBytes          --(Err(413)|)     as soon as the limit is crossed, not at the end
 * ```
 */
export function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
): Observable<Result<unknown, HttpRefusal>> {
  return new Observable((subscriber) => {
    const tooLarge = (): Result<unknown, HttpRefusal> =>
      Err(
        refusal(
          413,
          `The request body is larger than the limit of ${maxBytes} bytes. Send smaller ` +
            'messages, or raise maxBodyBytes.',
        ),
      );
    // Refuse before reading a byte when the client announced the size.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      subscriber.next(tooLarge());
      subscriber.complete();
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        subscriber.next(tooLarge());
        subscriber.complete();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        subscriber.next(Ok(JSON.parse(text) as unknown));
      } catch (error) {
        subscriber.next(
          Err(
            refusal(400, `The body is not valid JSON: ${(error as Error).message}`, {
              code: -32700,
            }),
          ),
        );
      }
      subscriber.complete();
    };
    const onError = (error: Error): void => {
      cleanup();
      subscriber.next(Err(refusal(400, `The request body could not be read: ${error.message}`)));
      subscriber.complete();
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    return cleanup;
  });
}
