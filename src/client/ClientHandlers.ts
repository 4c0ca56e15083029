import type { ObservableInput } from 'rxjs';
import type { JsonRpcId } from '../jsonrpc/types.js';
import type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  ListRootsResult,
} from './serverRequestTypes.js';
import type { EmptyResult, Meta, RequestParams } from './types.js';

/** What a handler learns about the server request it answers, besides its params. */
export interface RequestHandlerContext {
  /** The server's id for the request. */
  readonly requestId: JsonRpcId;
  /** The method, for handlers shared between methods. */
  readonly method: string;
  /**
   * Aborted when the server cancels the request (`notifications/cancelled`) or the connection
   * ends: for Promise-based handlers. An Observable handler is unsubscribed at the same moment.
   */
  readonly signal: AbortSignal;
  /** The request's `_meta`, if any. */
  readonly meta?: Meta;
}

/**
 * Answers one kind of server-to-client request. The first value of the returned Observable
 * (or the Promise's value) is the result. To answer with a particular JSON-RPC error, fail
 * with an `RxMcpError` of kind `'rpc'` and a `code` (for example `-1` when the user rejects a
 * sampling request); any other failure answers `InternalError` with a generic message, and the
 * error itself is reported on `diagnostics$`.
 */
export type RequestHandler<P, R> = (
  params: P,
  context: RequestHandlerContext,
) => ObservableInput<R>;

/**
 * Handlers for the requests a server may send to the client. A request without a handler is
 * answered with JSON-RPC `MethodNotFound` (-32601); `ping` is answered with `{}` even without
 * one. Giving `roots`, `sampling` or `elicitation` also declares the matching capability in
 * `initialize` (as `{}`) unless `capabilities` already has it.
 */
export interface ClientHandlers {
  /** `ping`: prove the client is alive. @default answers `{}` at once */
  readonly ping?: RequestHandler<RequestParams | undefined, EmptyResult>;
  /** `roots/list`: the roots the server may work in. */
  readonly roots?: RequestHandler<RequestParams | undefined, ListRootsResult>;
  /** `sampling/createMessage`: ask the app's LLM for a completion (with human review). */
  readonly sampling?: RequestHandler<CreateMessageRequestParams, CreateMessageResult>;
  /** `elicitation/create`: ask the user for information, by form or by URL. */
  readonly elicitation?: RequestHandler<ElicitRequestParams, ElicitResult>;
}
