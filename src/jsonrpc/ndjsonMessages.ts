import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { Result } from 'ts-results-es';
import { decode } from './decode.js';
import type { DecodeOptions } from './decodeValue.js';
import type { JsonRpcDecodeError } from './JsonRpcDecodeError.js';
import { ndjsonFrames } from './ndjsonFrames.js';
import type { NdjsonFramesOptions } from './ndjsonFrames.js';
import type { JsonRpcMessage, JsonRpcPayload } from './types.js';

/** Options of {@link ndjsonMessages}: those of `ndjsonFrames` and of `decode`. */
export interface NdjsonMessagesOptions extends NdjsonFramesOptions, DecodeOptions {}

/**
 * Reads JSON-RPC messages from an NDJSON byte or text stream: `ndjsonFrames` then `decode` on
 * every line.
 *
 * Each line becomes a `Result`: `Ok(message)`, or `Err(JsonRpcDecodeError)` for a line that is
 * not a JSON-RPC 2.0 message (a stray log line on stdout, a truncated last line). A bad line is
 * recoverable trouble, so it is a value and the stream goes on; only what ends the stream
 * reaches the error channel (a line over `maxMessageBytes`, kind `'limit'`, or a source
 * error). A peer whose protocol version is negotiated mid-stream should use `ndjsonFrames`
 * and call `decode(line, { allowBatch: batchAllowedFor(version) })` itself.
 *
 * ```text
 * source:  --a------b-----|   a = '{"jsonrpc":"2.0","method":"x"}\n', b = 'oops\n'
 * ndjsonMessages()
 * result:  --O------E-----|   O = Ok(notification x), E = Err(reason 'not-json')
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { of } from 'rxjs';
 * import { ndjsonMessages } from 'rxmcp';
 *
 * of('{"jsonrpc":"2.0","id":1,"result":{}}\n', 'not json\n')
 *   .pipe(ndjsonMessages())
 *   .subscribe((decoded) => {
 *     if (decoded.isOk()) console.log('message', decoded.value);
 *     else console.warn('skipped a bad line:', decoded.error.message);
 *   });
 * ```
 */
export function ndjsonMessages(
  options?: NdjsonFramesOptions & { readonly allowBatch?: false },
): OperatorFunction<Uint8Array | string, Result<JsonRpcMessage, JsonRpcDecodeError>>;
export function ndjsonMessages(
  options: NdjsonMessagesOptions,
): OperatorFunction<Uint8Array | string, Result<JsonRpcPayload, JsonRpcDecodeError>>;
export function ndjsonMessages(
  options: NdjsonMessagesOptions = {},
): OperatorFunction<Uint8Array | string, Result<JsonRpcPayload, JsonRpcDecodeError>> {
  const frames = ndjsonFrames(options);
  const decodeOptions: DecodeOptions = { allowBatch: options.allowBatch === true };
  return (source) =>
    source.pipe(
      frames,
      map((line) => decode(line, decodeOptions)),
    );
}
