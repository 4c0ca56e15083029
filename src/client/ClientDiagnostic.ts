import type { RxMcpError } from '../errors.js';
import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from '../jsonrpc/types.js';

/**
 * Something the client noticed and dealt with, reported as a value on
 * `McpClient.diagnostics$` so that an app can log it. None of these ends the connection or
 * reaches a request's error channel.
 */
export type ClientDiagnostic = UnmatchedResponse | HandlerFailure | SendFailure;

/**
 * A response that belongs to no waiting request. It is dropped, never handed to another
 * caller.
 */
export interface UnmatchedResponse {
  readonly type: 'unmatched-response';
  /**
   * - `unknown-id`: this connection never issued the id (or the id is missing, as in an
   *   error response to a request the server could not parse);
   * - `settled`: the request already ended (answered, failed, timed out or unsubscribed),
   *   for example a late answer to a cancelled request, or a duplicate.
   */
  readonly reason: 'unknown-id' | 'settled';
  readonly response: JsonRpcResponse;
}

/**
 * A handler for a server-to-client request failed. The server got a JSON-RPC `InternalError`
 * with a generic message; the original error is here.
 */
export interface HandlerFailure {
  readonly type: 'handler-error';
  readonly method: string;
  readonly requestId: JsonRpcId;
  readonly error: RxMcpError;
}

/**
 * A message the client sends without waiting for anything (a cancellation, an answer to a
 * server request) could not be sent, usually because the transport closed meanwhile.
 */
export interface SendFailure {
  readonly type: 'send-failed';
  readonly message: JsonRpcMessage;
  readonly error: RxMcpError;
}
