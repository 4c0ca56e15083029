import { EMPTY, catchError, filter, mergeMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { isNotification } from '../jsonrpc/typeGuards.js';
import { JSONRPC_VERSION } from '../jsonrpc/types.js';
import type { Transport } from '../transports/transport.js';
import type { ListOptions, McpClient } from './McpClient.js';
import { paginate } from './paginate.js';
import type { RequestEvent } from './RequestEvent.js';
import { sendRequest } from './sendRequest.js';
import type { RequestContext, RequestOptions } from './sendRequest.js';
import { toResult } from './toResult.js';
import type {
  InitializeResult,
  ListPromptsResult,
  ListResourceTemplatesResult,
  ListResourcesResult,
  ListToolsResult,
  PaginatedResult,
  RequestParams,
  Result,
} from './types.js';

/**
 * Builds the {@link McpClient} of an initialized connection: `request` and `notify` over the
 * connection, and the typed helpers as one-line compositions of them.
 */
export function createMcpClient(
  transport: Transport,
  context: RequestContext,
  initialized: InitializeResult,
): McpClient {
  const { connection } = context;
  const request = <R = Result>(
    method: string,
    params?: RequestParams,
    options: RequestOptions = {},
  ): Observable<RequestEvent<R>> => sendRequest<R>(context, method, params, options);
  const call = <R>(
    method: string,
    params?: RequestParams,
    options?: RequestOptions,
  ): Observable<R> => request<R>(method, params, options).pipe(toResult<R>());
  const list = <P extends PaginatedResult, T>(
    method: string,
    itemsOf: (page: P) => readonly T[] | undefined,
    { maxPages, cursor, ...options }: ListOptions = {},
  ): Observable<T> =>
    paginate((at) => call<P>(method, at === undefined ? undefined : { cursor: at }, options), {
      label: method,
      ...(maxPages === undefined ? {} : { maxPages }),
      ...(cursor === undefined ? {} : { cursor }),
    }).pipe(mergeMap((page) => itemsOf(page) ?? []));

  return {
    protocolVersion: initialized.protocolVersion,
    serverCapabilities: initialized.capabilities,
    serverInfo: initialized.serverInfo,
    instructions: initialized.instructions,
    state$: transport.state$,
    notifications$: connection.inbox$.pipe(
      filter(isNotification),
      // The end of the connection is a completion here: there is nothing to handle.
      catchError(() => EMPTY),
    ),
    diagnostics$: connection.diagnostics$,
    request,
    notify: (method, params) =>
      connection.send({
        jsonrpc: JSONRPC_VERSION,
        method,
        ...(params === undefined ? {} : { params }),
      }),
    ping: (options) => call('ping', undefined, options),
    listTools: (options) => list('tools/list', (page: ListToolsResult) => page.tools, options),
    callTool: (params, options) => call('tools/call', params, options),
    listResources: (options) =>
      list('resources/list', (page: ListResourcesResult) => page.resources, options),
    listResourceTemplates: (options) =>
      list(
        'resources/templates/list',
        (page: ListResourceTemplatesResult) => page.resourceTemplates,
        options,
      ),
    readResource: (params, options) => call('resources/read', params, options),
    listPrompts: (options) =>
      list('prompts/list', (page: ListPromptsResult) => page.prompts, options),
    getPrompt: (params, options) => call('prompts/get', params, options),
    close: () => transport.close(),
  };
}
