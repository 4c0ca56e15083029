import type {
  JsonRpcErrorResponse,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccess,
} from './types.js';

// These guards tell apart the members of an already-valid `JsonRpcMessage` (from `decode`, or
// built by the caller); they do not validate. For untrusted values, use `decodeValue`.

/**
 * Whether the message is a request (it has a `method` and an `id`, and awaits a response).
 *
 * ## Example
 *
 * ```ts
 * import { isRequest } from 'rxmcp';
 *
 * isRequest({ jsonrpc: '2.0', id: 1, method: 'ping' }); // true
 * isRequest({ jsonrpc: '2.0', method: 'notifications/initialized' }); // false
 * ```
 */
export function isRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return 'method' in message && 'id' in message && message.id !== undefined;
}

/**
 * Whether the message is a notification (a `method` without `id`, never answered).
 *
 * ## Example
 *
 * ```ts
 * import { isNotification } from 'rxmcp';
 *
 * isNotification({ jsonrpc: '2.0', method: 'notifications/initialized' }); // true
 * ```
 */
export function isNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return 'method' in message && !isRequest(message);
}

/**
 * Whether the message is a response, successful or not.
 *
 * ## Example
 *
 * ```ts
 * import { isResponse } from 'rxmcp';
 *
 * isResponse({ jsonrpc: '2.0', id: 1, result: {} }); // true
 * ```
 */
export function isResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !('method' in message);
}

/**
 * Whether the message is a successful response (it has a `result`).
 *
 * ## Example
 *
 * ```ts
 * import { isSuccessResponse } from 'rxmcp';
 *
 * isSuccessResponse({ jsonrpc: '2.0', id: 1, result: {} }); // true
 * ```
 */
export function isSuccessResponse(message: JsonRpcMessage): message is JsonRpcSuccess {
  return 'result' in message;
}

/**
 * Whether the message is an error response (it has an `error`).
 *
 * ## Example
 *
 * ```ts
 * import { isErrorResponse } from 'rxmcp';
 *
 * isErrorResponse({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'no such method' } });
 * // true
 * ```
 */
export function isErrorResponse(message: JsonRpcMessage): message is JsonRpcErrorResponse {
  return 'error' in message;
}
