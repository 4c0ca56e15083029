import { Err, Ok } from 'ts-results-es';
import type { Result } from 'ts-results-es';
import { describeValue } from './describeValue.js';
import { JsonRpcDecodeError } from './JsonRpcDecodeError.js';
import type { JsonRpcDecodeFailure } from './JsonRpcDecodeError.js';
import { JSONRPC_VERSION } from './types.js';
import type {
  JsonRpcBatch,
  JsonRpcErrorObject,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcParams,
  JsonRpcPayload,
} from './types.js';

/** Options of {@link decodeValue} and `decode`. */
export interface DecodeOptions {
  /**
   * Accept a JSON array as a batch of messages. Batches exist in MCP 2025-03-26 only: pass
   * `batchAllowedFor(negotiatedProtocolVersion)`. A batch is accepted whole or refused whole:
   * the first bad element fails it, and the error names the element's index.
   * @default false — an array is refused with reason `'batch-refused'`
   */
  readonly allowBatch?: boolean;
}

type Decoded<T> = Result<T, JsonRpcDecodeError>;
type JsonObject = { readonly [key: string]: unknown };

const hasOwn = Object.hasOwn;

/**
 * Checks that an already-parsed JSON value (an HTTP body, a message from a worker) is a JSON-RPC
 * 2.0 message and returns it as one, or says exactly what is wrong.
 *
 * The message returned is a fresh object holding only the JSON-RPC members: unknown members
 * are dropped, and an error response's `"id": null` becomes an absent `id`.
 *
 * ## Example
 *
 * ```ts
 * import { decodeValue } from 'rxmcp';
 *
 * const body: unknown = await (await fetch('https://example.com/mcp')).json();
 * const decoded = decodeValue(body);
 * if (decoded.isOk()) console.log('got', decoded.value);
 * else console.error(decoded.error.reason, decoded.error.message);
 * // e.g. bad-id A request's "id" must be a string or a number, got boolean true. ...
 * ```
 */
export function decodeValue(
  value: unknown,
  options?: DecodeOptions & { readonly allowBatch?: false },
): Decoded<JsonRpcMessage>;
export function decodeValue(value: unknown, options: DecodeOptions): Decoded<JsonRpcPayload>;
export function decodeValue(value: unknown, options: DecodeOptions = {}): Decoded<JsonRpcPayload> {
  if (!Array.isArray(value)) return decodeMessage(value, options.allowBatch === true);
  // [spec 2025-06-18 changelog] Remove support for JSON-RPC batching (PR #416)
  if (options.allowBatch !== true) {
    return Err(
      new JsonRpcDecodeError(
        'batch-refused',
        `Got a JSON-RPC batch (${describeValue(value)}), but batches belong to MCP 2025-03-26 only ` +
          '(they were removed in 2025-06-18). Send one message per JSON text, or decode with ' +
          '{ allowBatch: batchAllowedFor(protocolVersion) } when the peer speaks 2025-03-26.',
      ),
    );
  }
  // [spec 2025-03-26 basic_transports] a JSON-RPC batch containing one or more requests
  // and/or notifications
  if (value.length === 0) {
    return Err(
      new JsonRpcDecodeError(
        'empty-batch',
        'Got an empty JSON-RPC batch ([]); a batch must hold at least one message.',
      ),
    );
  }
  const messages: JsonRpcMessage[] = [];
  for (let index = 0; index < value.length; index++) {
    const decoded = decodeMessage(value[index], false, index);
    if (decoded.isErr()) return decoded;
    messages.push(decoded.value);
  }
  return Ok(messages as unknown as JsonRpcBatch);
}

/** Why a message was refused, before it becomes a `JsonRpcDecodeError` with its context. */
class Refusal {
  constructor(
    readonly reason: JsonRpcDecodeFailure,
    readonly text: string,
  ) {}
}

/** Validates one message; `batchIndex` is set for batch elements and prefixes every message. */
function decodeMessage(
  value: unknown,
  batchAllowed: boolean,
  batchIndex?: number,
): Decoded<JsonRpcMessage> {
  let checked: JsonRpcMessage | Refusal;
  let messageId: JsonRpcId | undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const expected = batchAllowed ? 'a JSON object or a batch (array)' : 'a JSON object';
    checked = new Refusal(
      'not-object',
      `Expected a JSON-RPC 2.0 message (${expected}), got ${describeValue(value)}.`,
    );
  } else {
    const { id } = value as JsonObject;
    // Read first so that every failure can be addressed back to its request.
    messageId = isId(id) ? id : undefined;
    checked = checkMessage(value as JsonObject, messageId);
  }
  if (!(checked instanceof Refusal)) return Ok(checked);
  const prefix = batchIndex === undefined ? '' : `Batch element ${batchIndex}: `;
  return Err(
    new JsonRpcDecodeError(checked.reason, prefix + checked.text, { messageId, batchIndex }),
  );
}

// Hot path: one call per message. It returns fresh objects built from literals (no spread, no
// closures), so that the common case allocates the message and nothing else.
function checkMessage(
  message: JsonObject,
  messageId: JsonRpcId | undefined,
): JsonRpcMessage | Refusal {
  // [spec 2025-11-25 schema] jsonrpc: typeof JSONRPC_VERSION;  (JSONRPC_VERSION = "2.0")
  const version = message['jsonrpc'];
  if (version !== JSONRPC_VERSION || !hasOwn(message, 'jsonrpc')) {
    return new Refusal(
      'bad-version',
      hasOwn(message, 'jsonrpc')
        ? `"jsonrpc" must be "2.0", got ${describeValue(version)}.`
        : 'The "jsonrpc" member is missing; JSON-RPC 2.0 messages carry "jsonrpc": "2.0".',
    );
  }

  const hasResult = hasOwn(message, 'result');
  const hasError = hasOwn(message, 'error');
  if (hasOwn(message, 'method')) {
    if (hasResult || hasError) {
      return new Refusal(
        'request-and-response',
        `A message with "method" is a request or notification and cannot also carry "${hasResult ? 'result' : 'error'}".`,
      );
    }
    const { method, params } = message;
    // [spec 2025-11-25 schema] method: string;
    if (typeof method !== 'string') {
      return new Refusal('bad-method', `"method" must be a string, got ${describeValue(method)}.`);
    }
    // [spec 2025-11-25 schema] params?: { [key: string]: any };  JSON-RPC 2.0 also allows an
    // array (by-position); `null` is neither, so it is refused rather than read as "absent".
    const hasParams = hasOwn(message, 'params');
    if (hasParams && !isParams(params)) {
      return new Refusal(
        'bad-params',
        `"params" must be an object or an array when present, got ${describeValue(params)}.`,
      );
    }
    // [spec 2025-11-25 schema] JSONRPCNotification: no id. A notification expects no response.
    if (!hasOwn(message, 'id')) {
      return hasParams
        ? { jsonrpc: JSONRPC_VERSION, method, params: params as JsonRpcParams }
        : { jsonrpc: JSONRPC_VERSION, method };
    }
    // [spec 2025-11-25 schema] export type RequestId = string | number;  Base JSON-RPC allows a
    // null request id; MCP's RequestId does not, and a null id could never be answered apart
    // from a parse error's.
    if (messageId === undefined) {
      return new Refusal(
        'bad-id',
        `A request's "id" must be a string or a number, got ${describeValue(message['id'])}. ` +
          'Omit "id" to send a notification.',
      );
    }
    return hasParams
      ? { jsonrpc: JSONRPC_VERSION, id: messageId, method, params: params as JsonRpcParams }
      : { jsonrpc: JSONRPC_VERSION, id: messageId, method };
  }

  if (hasResult && hasError) {
    return new Refusal(
      'result-and-error',
      'A response must carry either "result" or "error", not both.',
    );
  }
  if (hasResult) {
    // [spec 2025-11-25 schema] JSONRPCResultResponse { ... id: RequestId; result: Result; }
    if (messageId === undefined) {
      return new Refusal(
        'bad-id',
        `A success response must carry the "id" (a string or a number) of the request it answers, got ${describeValue(message['id'])}.`,
      );
    }
    return { jsonrpc: JSONRPC_VERSION, id: messageId, result: message['result'] };
  }
  if (hasError) {
    // [spec 2025-11-25 schema] JSONRPCErrorResponse { ... id?: RequestId; error: Error; }
    // [JSON-RPC 2.0 §5] If there was an error in detecting the id in the Request object (e.g.
    // Parse error/Invalid Request), it MUST be Null.  Both spellings mean "no id".
    const { id } = message;
    if (id !== undefined && id !== null && messageId === undefined) {
      return new Refusal(
        'bad-id',
        `An error response's "id" must be a string, a number, null or absent, got ${describeValue(id)}.`,
      );
    }
    const error = readErrorObject(message['error']);
    if (typeof error === 'string') return new Refusal('bad-error', error);
    return messageId === undefined
      ? { jsonrpc: JSONRPC_VERSION, error }
      : { jsonrpc: JSONRPC_VERSION, id: messageId, error };
  }
  return new Refusal(
    'not-a-message',
    'Not a JSON-RPC message: it has no "method" (request or notification), "result" or "error" (response).',
  );
}

// [spec 2025-11-25 schema] export interface Error { code: number; message: string; data?: unknown; }
// [JSON-RPC 2.0 §5.1] code: A Number that indicates the error type that occurred. This MUST be
// an integer.
/** Returns a clean copy of the error object, or a message saying what is wrong with it. */
function readErrorObject(error: unknown): JsonRpcErrorObject | string {
  if (typeof error !== 'object' || error === null || Array.isArray(error)) {
    return `"error" must be an object with an integer "code" and a string "message", got ${describeValue(error)}.`;
  }
  const { code, message, data } = error as JsonObject;
  if (!Number.isInteger(code))
    return `"error.code" must be an integer, got ${describeValue(code)}.`;
  if (typeof message !== 'string')
    return `"error.message" must be a string, got ${describeValue(message)}.`;
  const object = { code: code as number, message };
  return hasOwn(error, 'data') ? { ...object, data } : object;
}

// [JSON-RPC 2.0 §4] Numbers SHOULD NOT contain fractional parts — a SHOULD for the sender, so a
// receiver accepts any finite number (JSON text cannot hold NaN or Infinity; decoded values can).
function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isParams(value: unknown): value is JsonRpcParams {
  return typeof value === 'object' && value !== null;
}
