/**
 * JSON-RPC 2.0 message types as MCP uses them.
 *
 * The shapes follow the MCP schema (2025-11-25) where it is precise and base JSON-RPC 2.0
 * where MCP leaves room (positional `params`, any JSON value as `result`), because this layer
 * frames and validates the envelope only; method-specific shapes are checked further up.
 * Every type is readonly: a decoded message is a value, not a buffer to fill in.
 */

// [spec 2025-11-25 schema] export const JSONRPC_VERSION = "2.0";
/** The only `jsonrpc` version MCP speaks. */
export const JSONRPC_VERSION = '2.0';

// [spec 2025-11-25 schema] export type RequestId = string | number;
/**
 * The id that pairs a request with its response. MCP forbids `null` for requests; a decoded
 * error response whose id could not be read has no `id` at all (see {@link JsonRpcErrorResponse}).
 */
export type JsonRpcId = string | number;

/**
 * The `params` of a request or notification: by name (an object, what MCP always sends) or by
 * position (an array, allowed by JSON-RPC 2.0 and accepted so that non-MCP peers decode too).
 */
export type JsonRpcParams = { readonly [key: string]: unknown } | readonly unknown[];

// [spec 2025-11-25 schema] export interface JSONRPCRequest extends Request {
//   jsonrpc: typeof JSONRPC_VERSION; id: RequestId; }  (Request: method: string; params?: {...})
/** A request: the peer must answer it with a response carrying the same `id`. */
export interface JsonRpcRequest {
  readonly jsonrpc: typeof JSONRPC_VERSION;
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params?: JsonRpcParams;
}

// [spec 2025-11-25 schema] export interface JSONRPCNotification extends Notification {
//   jsonrpc: typeof JSONRPC_VERSION; }
/** A notification: a request without `id`, which the peer must not answer. */
export interface JsonRpcNotification {
  readonly jsonrpc: typeof JSONRPC_VERSION;
  readonly method: string;
  readonly params?: JsonRpcParams;
}

// [spec 2025-11-25 schema] export interface JSONRPCResultResponse {
//   jsonrpc: typeof JSONRPC_VERSION; id: RequestId; result: Result; }
/**
 * A successful response. MCP results are objects; JSON-RPC 2.0 allows any JSON value, and this
 * layer does not narrow it (`unknown`), leaving result schemas to the callers that know the
 * method.
 */
export interface JsonRpcSuccess {
  readonly jsonrpc: typeof JSONRPC_VERSION;
  readonly id: JsonRpcId;
  readonly result: unknown;
}

// [spec 2025-11-25 schema] export interface Error { code: number; message: string; data?: unknown; }
/** The `error` member of an error response. */
export interface JsonRpcErrorObject {
  /** The error type; an integer (see `JsonRpcErrorCode` for the standard ones). */
  readonly code: number;
  /** A short description, ideally one sentence. */
  readonly message: string;
  /** Detail defined by the sender. */
  readonly data?: unknown;
}

// [spec 2025-11-25 schema] export interface JSONRPCErrorResponse {
//   jsonrpc: typeof JSONRPC_VERSION; id?: RequestId; error: Error; }
/**
 * An error response. `id` is absent when the failed request's id could not be read (a parse
 * error, an invalid request). JSON-RPC 2.0 writes that case as `"id": null`; MCP 2025-11-25
 * makes the member optional instead. The decoder accepts both spellings and yields a message
 * without `id`; the encoder writes it without `id`, as the current MCP schema does.
 */
export interface JsonRpcErrorResponse {
  readonly jsonrpc: typeof JSONRPC_VERSION;
  readonly id?: JsonRpcId;
  readonly error: JsonRpcErrorObject;
}

/** A response to a request: either its result or its error. */
export type JsonRpcResponse = JsonRpcSuccess | JsonRpcErrorResponse;

// [spec 2025-11-25 schema] export type JSONRPCMessage =
//   JSONRPCRequest | JSONRPCNotification | JSONRPCResponse;
/** Any single JSON-RPC message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

// [spec 2025-03-26 basic_transports] Messages may be JSON-RPC requests, notifications,
// responses—or a JSON-RPC batch containing one or more requests and/or notifications.
/**
 * A JSON-RPC batch: one or more messages sent as a JSON array. Only MCP 2025-03-26 has them
 * (see `batchAllowedFor`).
 */
export type JsonRpcBatch = readonly [JsonRpcMessage, ...JsonRpcMessage[]];

/** What one decoded JSON text holds when batches are allowed: a single message or a batch. */
export type JsonRpcPayload = JsonRpcMessage | JsonRpcBatch;
