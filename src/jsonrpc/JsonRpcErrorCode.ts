// [spec 2025-11-25 schema] // Standard JSON-RPC error codes
//   PARSE_ERROR = -32700; INVALID_REQUEST = -32600; METHOD_NOT_FOUND = -32601;
//   INVALID_PARAMS = -32602; INTERNAL_ERROR = -32603;
/**
 * The standard JSON-RPC 2.0 error codes, for the `code` of an error response.
 *
 * ## Example
 *
 * ```ts
 * import { JsonRpcErrorCode, encode } from 'rxmcp';
 *
 * encode({
 *   jsonrpc: '2.0',
 *   id: 7,
 *   error: { code: JsonRpcErrorCode.MethodNotFound, message: 'Unknown method: tools/lst' },
 * });
 * ```
 */
export const JsonRpcErrorCode = {
  /** Invalid JSON was received. */
  ParseError: -32700,
  /** The JSON is not a valid request object. */
  InvalidRequest: -32600,
  /** The method does not exist or is not available. */
  MethodNotFound: -32601,
  /** Invalid method parameters. */
  InvalidParams: -32602,
  /** Internal JSON-RPC error. */
  InternalError: -32603,
} as const;

/** One of the standard codes in {@link JsonRpcErrorCode}. */
export type JsonRpcErrorCode = (typeof JsonRpcErrorCode)[keyof typeof JsonRpcErrorCode];
