/**
 * JSON-RPC 2.0 for MCP: message types, a `Result`-returning codec and NDJSON framing.
 * Browser-safe: no Node built-ins (bytes are `Uint8Array`, decoding is `TextDecoder`).
 *
 * @packageDocumentation
 */
export { JSONRPC_VERSION } from './types.js';
export type {
  JsonRpcBatch,
  JsonRpcErrorObject,
  JsonRpcErrorResponse,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcParams,
  JsonRpcPayload,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccess,
} from './types.js';
export { JsonRpcErrorCode } from './JsonRpcErrorCode.js';
export { JsonRpcDecodeError } from './JsonRpcDecodeError.js';
export type { JsonRpcDecodeErrorOptions, JsonRpcDecodeFailure } from './JsonRpcDecodeError.js';
export {
  isErrorResponse,
  isNotification,
  isRequest,
  isResponse,
  isSuccessResponse,
} from './typeGuards.js';
export { decode } from './decode.js';
export { decodeValue } from './decodeValue.js';
export type { DecodeOptions } from './decodeValue.js';
export { batchAllowedFor } from './batchAllowedFor.js';
export { encode, encodeLine } from './encode.js';
export { createLineSplitter } from './createLineSplitter.js';
export { DEFAULT_NDJSON_MAX_MESSAGE_BYTES } from './maxMessageBytes.js';
export type { LineSplitter, LineSplitterOptions, LineSplitterStats } from './createLineSplitter.js';
export { ndjsonFrames } from './ndjsonFrames.js';
export type { NdjsonFramesOptions } from './ndjsonFrames.js';
export { ndjsonMessages } from './ndjsonMessages.js';
export type { NdjsonMessagesOptions } from './ndjsonMessages.js';
