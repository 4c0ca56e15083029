import type { Observable } from 'rxjs';
import type { JsonRpcNotification } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';
import type { ClientDiagnostic } from './ClientDiagnostic.js';
import type { PaginateOptions } from './paginate.js';
import type { RequestEvent } from './RequestEvent.js';
import type { RequestOptions } from './sendRequest.js';
import type {
  CallToolRequestParams,
  CallToolResult,
  EmptyResult,
  GetPromptRequestParams,
  GetPromptResult,
  Implementation,
  Prompt,
  ReadResourceRequestParams,
  ReadResourceResult,
  RequestParams,
  Resource,
  ResourceTemplate,
  Result,
  ServerCapabilities,
  Tool,
} from './types.js';

/** Options of the list helpers: per-page request options, and the pagination limits. */
export interface ListOptions extends RequestOptions, Omit<PaginateOptions, 'label'> {}

/**
 * An initialized MCP session, as emitted by `connect`. Everything it does is an Observable:
 * cold (nothing is sent before subscribing), cancellable (unsubscribing sends
 * `notifications/cancelled`), and failing with an `RxMcpError`. It lives as long as the
 * subscription to `connect`; afterwards every request fails with `closed`.
 *
 * Results are not validated against the MCP schema: a type parameter says what the server
 * should send, not what it did.
 */
export interface McpClient {
  /** The protocol version both sides agreed on. */
  readonly protocolVersion: string;
  /** What the server offers. */
  readonly serverCapabilities: ServerCapabilities;
  /** Who the server is. */
  readonly serverInfo: Implementation;
  /** How to use the server, as the server puts it (a hint for the model). */
  readonly instructions: string | undefined;

  /** The transport's connection state, as values (see `Transport.state$`). */
  readonly state$: Observable<ConnectionState>;
  /**
   * Every notification from the server, progress and cancellations included. Hot: only what
   * arrives while subscribed. Completes when the connection ends.
   */
  readonly notifications$: Observable<JsonRpcNotification>;
  /**
   * What the client noticed and dealt with (responses for no waiting request, failed
   * handlers, messages it could not send), as values. Hot; completes with the connection.
   */
  readonly diagnostics$: Observable<ClientDiagnostic>;

  /**
   * Sends any request. Emits each progress report the server sends for it, then the result,
   * then completes. A progress token is attached as `params._meta.progressToken` (one given
   * there is kept). Unsubscribing before the result, or a timeout, sends
   * `notifications/cancelled`. A JSON-RPC error answer fails it with an `rpc` RxMcpError
   * carrying the server's `code`, `message` and `data`.
   *
   * ```text
   * request('tools/call', …)   ---p---p------r|
   * ```
   */
  request<R = Result>(
    method: string,
    params?: RequestParams,
    options?: RequestOptions,
  ): Observable<RequestEvent<R>>;
  /** Sends a notification (for example `notifications/roots/list_changed`). */
  notify(method: string, params?: RequestParams): Observable<void>;

  /** `ping`: emits the (empty) result once the server answers. */
  ping(options?: RequestOptions): Observable<EmptyResult>;
  /** `tools/list`, every page: emits each tool. */
  listTools(options?: ListOptions): Observable<Tool>;
  /** `tools/call`: emits the result (progress is dropped; use `request` to see it). */
  callTool(params: CallToolRequestParams, options?: RequestOptions): Observable<CallToolResult>;
  /** `resources/list`, every page: emits each resource. */
  listResources(options?: ListOptions): Observable<Resource>;
  /** `resources/templates/list`, every page: emits each template. */
  listResourceTemplates(options?: ListOptions): Observable<ResourceTemplate>;
  /** `resources/read`: emits the contents. */
  readResource(
    params: ReadResourceRequestParams,
    options?: RequestOptions,
  ): Observable<ReadResourceResult>;
  /** `prompts/list`, every page: emits each prompt. */
  listPrompts(options?: ListOptions): Observable<Prompt>;
  /** `prompts/get`: emits the prompt's messages. */
  getPrompt(params: GetPromptRequestParams, options?: RequestOptions): Observable<GetPromptResult>;

  /**
   * Ends the connection gracefully (the transport's `close()`); the `connect` Observable then
   * completes. Unsubscribing from `connect` ends it at once instead.
   */
  close(): Observable<void>;
}
