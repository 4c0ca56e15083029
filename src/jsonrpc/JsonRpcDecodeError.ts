import { RxMcpError } from '../errors.js';
import { JsonRpcErrorCode } from './JsonRpcErrorCode.js';
import type { JsonRpcId } from './types.js';

/** Why a JSON text or value is not an acceptable JSON-RPC 2.0 message. */
export type JsonRpcDecodeFailure =
  /** The text is not JSON at all. */
  | 'not-json'
  /** Valid JSON, but not an object (nor, where batches are allowed, an array). */
  | 'not-object'
  /** `jsonrpc` is missing or is not `"2.0"`. */
  | 'bad-version'
  /** `id` is missing where required, or not a string or number. */
  | 'bad-id'
  /** `method` is not a string. */
  | 'bad-method'
  /** `params` is present but neither an object nor an array. */
  | 'bad-params'
  /** `method` together with `result` or `error`: both a request and a response. */
  | 'request-and-response'
  /** Both `result` and `error`. */
  | 'result-and-error'
  /** None of `method`, `result` and `error`. */
  | 'not-a-message'
  /** `error` is not an object with an integer `code` and a string `message`. */
  | 'bad-error'
  /** A batch (JSON array) with no element. */
  | 'empty-batch'
  /** A batch where batches are not allowed (any MCP revision but 2025-03-26). */
  | 'batch-refused';

/** Options of the {@link JsonRpcDecodeError} constructor. */
export interface JsonRpcDecodeErrorOptions {
  /** The id of the offending message, when it could be read. */
  readonly messageId?: JsonRpcId;
  /** The position of the offending message in its batch. */
  readonly batchIndex?: number;
  /** The underlying error (the `SyntaxError` of `JSON.parse`). */
  readonly cause?: unknown;
}

/**
 * Says exactly why a JSON-RPC message could not be decoded. It is an {@link RxMcpError} of kind
 * `'parse'` (not JSON) or `'protocol'` (JSON, but not JSON-RPC 2.0), never retryable: the same
 * bytes will fail the same way.
 *
 * It is returned as the `Err` of a `Result`, not thrown: one bad message is recoverable
 * trouble, and the stream it came from goes on. A receiver can answer it with an error
 * response built from {@link JsonRpcDecodeError.responseCode} and
 * {@link JsonRpcDecodeError.messageId}.
 */
export class JsonRpcDecodeError extends RxMcpError {
  override readonly name: string = 'JsonRpcDecodeError';
  /** What is wrong, as a discriminant for code. */
  readonly reason: JsonRpcDecodeFailure;
  /** The id of the offending message, when it could be read (to address the error response). */
  declare readonly messageId?: JsonRpcId;
  /** The position of the offending message in its batch, for batches. */
  declare readonly batchIndex?: number;

  constructor(
    reason: JsonRpcDecodeFailure,
    message: string,
    options: JsonRpcDecodeErrorOptions = {},
  ) {
    super(reason === 'not-json' ? 'parse' : 'protocol', message, { cause: options.cause });
    this.reason = reason;
    if (options.messageId !== undefined) this.messageId = options.messageId;
    if (options.batchIndex !== undefined) this.batchIndex = options.batchIndex;
  }

  /**
   * The JSON-RPC error code to answer this failure with: `ParseError` (-32700) for text that
   * is not JSON, `InvalidRequest` (-32600) for everything else.
   */
  get responseCode(): JsonRpcErrorCode {
    return this.reason === 'not-json'
      ? JsonRpcErrorCode.ParseError
      : JsonRpcErrorCode.InvalidRequest;
  }
}
