import { Err } from 'ts-results-es';
import type { Result } from 'ts-results-es';
import { decodeValue } from './decodeValue.js';
import type { DecodeOptions } from './decodeValue.js';
import { quote } from './describeValue.js';
import { JsonRpcDecodeError } from './JsonRpcDecodeError.js';
import type { JsonRpcMessage, JsonRpcPayload } from './types.js';

/**
 * Decodes one JSON text (an NDJSON line, an SSE `data` field, an HTTP body) into a JSON-RPC 2.0
 * message, or says exactly what is wrong with it: not JSON (with the parser's position), not an
 * object, `jsonrpc` missing or not `"2.0"`, an id of the wrong type, a method that is not a
 * string, both `result` and `error`, and so on (see `JsonRpcDecodeFailure`).
 *
 * Never throws; a bad message is a value (`Err`), so a stream carrying it can go on. Batches
 * (JSON arrays) are refused unless `allowBatch` is set, which MCP allows for 2025-03-26 only.
 *
 * ## Example
 *
 * ```ts
 * import { batchAllowedFor, decode } from 'rxmcp';
 *
 * const single = decode('{"jsonrpc":"2.0","id":1,"method":"ping"}');
 * if (single.isOk()) console.log(single.value.jsonrpc); // 2.0
 *
 * const bad = decode('{"jsonrpc":"2.0","id":true,"method":"ping"}');
 * if (bad.isErr()) console.log(bad.error.reason); // bad-id
 *
 * const batch = decode('[{"jsonrpc":"2.0","method":"a"}]', {
 *   allowBatch: batchAllowedFor('2025-03-26'),
 * });
 * console.log(batch.isOk()); // true
 * ```
 */
export function decode(
  text: string,
  options?: DecodeOptions & { readonly allowBatch?: false },
): Result<JsonRpcMessage, JsonRpcDecodeError>;
export function decode(
  text: string,
  options: DecodeOptions,
): Result<JsonRpcPayload, JsonRpcDecodeError>;
export function decode(
  text: string,
  options: DecodeOptions = {},
): Result<JsonRpcPayload, JsonRpcDecodeError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's SyntaxError message carries the position ("... in JSON at position 12"); the start of
    // the input (cut to 40 characters) helps spot a stray log line on a stdio stream.
    // JSON.parse of a string throws nothing but a SyntaxError.
    const reason = (error as SyntaxError).message;
    return Err(
      new JsonRpcDecodeError(
        'not-json',
        `Not JSON: ${reason} (input of ${text.length} characters starting ${quote(text)}). ` +
          'Each message must be one JSON-RPC 2.0 object encoded as UTF-8 JSON.',
        { cause: error },
      ),
    );
  }
  return decodeValue(value, options);
}
