import { of, throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import { Err, Ok } from 'ts-results-es';
import type { Result } from 'ts-results-es';
import { RxMcpError } from '../../errors.js';
import { encodeLine } from '../../jsonrpc/encode.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';

/**
 * Encodes a message as one NDJSON line for a stdio stream, as an Observable, so that a send
 * never throws synchronously: a message JSON cannot represent (a `BigInt`, a cycle) fails the
 * send with an `RxMcpError` instead.
 *
 * ```text
 * { jsonrpc: '2.0', method: 'ping', id: 1 }  →  ('{"jsonrpc":"2.0","method":"ping","id":1}\n'|)
 * { …, params: { n: 1n } }                   →  #  (kind 'unknown': not serialisable)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { concatMap } from 'rxjs';
 * import { serialiseLine, writeToStream } from 'rxmcp/node';
 *
 * serialiseLine({ jsonrpc: '2.0', method: 'notifications/initialized' })
 *   .pipe(concatMap((line) => writeToStream(process.stdout, line)))
 *   .subscribe();
 * ```
 */
export function serialiseLine(message: JsonRpcMessage): Observable<string> {
  const line = encodeMessageLine(message);
  return line.isOk() ? of(line.value) : throwError(() => line.error);
}

/**
 * {@link serialiseLine} without the Observable, for the transports' send paths: they write
 * the line in the same subscription instead of `concatMap`-ing it from a one-value stream.
 */
export function encodeMessageLine(message: JsonRpcMessage): Result<string, RxMcpError> {
  try {
    // [spec 2025-11-25 transports] Messages are delimited by newlines, and MUST NOT contain
    // embedded newlines.
    return Ok(encodeLine(message));
  } catch (error) {
    return Err(
      new RxMcpError(
        'unknown',
        `Cannot send: the message cannot be written as JSON (${RxMcpError.from(error).message}). ` +
          'Remove BigInt values and circular references.',
        { cause: error },
      ),
    );
  }
}
