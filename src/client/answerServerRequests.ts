import {
  EMPTY,
  catchError,
  defer,
  filter,
  finalize,
  from,
  ignoreElements,
  map,
  mergeMap,
  of,
  take,
  takeUntil,
  tap,
  throwIfEmpty,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { JsonRpcErrorCode } from '../jsonrpc/JsonRpcErrorCode.js';
import { isNotification, isRequest } from '../jsonrpc/typeGuards.js';
import { JSONRPC_VERSION } from '../jsonrpc/types.js';
import type { JsonRpcErrorObject, JsonRpcRequest, JsonRpcResponse } from '../jsonrpc/types.js';
import { applyElicitationDefaults } from './applyElicitationDefaults.js';
import type { ClientHandlers, RequestHandlerContext } from './ClientHandlers.js';
import type { Connection } from './createConnection.js';
import type { ElicitRequestParams, ElicitResult } from './serverRequestTypes.js';
import type { Meta, Result } from './types.js';

/** Options of {@link answerServerRequests}. */
export interface AnswerServerRequestsOptions {
  readonly handlers: ClientHandlers;
  /** Fill omitted elicitation fields from the schema's defaults (SEP-1034). */
  readonly applyElicitationDefaults: boolean;
  /** The most server requests handled at once; more are refused, not queued. */
  readonly maxConcurrentHandlers: number;
}

type Handler = (params: unknown, context: RequestHandlerContext) => Observable<Result>;

interface Route {
  readonly handler: Handler;
  /** Whether the method's params are required (an object) or optional. */
  readonly paramsRequired: boolean;
}

/**
 * Answers the requests the server sends to the client, each with the handler for its method,
 * for as long as the connection lasts. A handler runs until it gives its first value, the
 * server cancels the request, or the connection ends; the last two unsubscribe it and abort
 * its `signal`, and no response is sent.
 *
 * ```text
 * inbox$       --q1--q2----c2----        q: a server request, c2: notifications/cancelled for q2
 * handler(q1)    ----a|
 * handler(q2)        ------!             unsubscribed, no answer
 * sent            ------A1------         A1: the response to q1
 * ```
 */
export function answerServerRequests(
  connection: Connection,
  options: AnswerServerRequestsOptions,
): Observable<never> {
  const routes = routesFor(options);
  let inProgress = 0;

  const answer = (request: JsonRpcRequest): Observable<JsonRpcResponse> =>
    defer(() => {
      const route = routes.get(request.method);
      if (route === undefined) {
        return of(failure(request, JsonRpcErrorCode.MethodNotFound, methodNotFound(request)));
      }
      const { params } = request;
      if (Array.isArray(params) || (route.paramsRequired && params === undefined)) {
        return of(
          failure(
            request,
            JsonRpcErrorCode.InvalidParams,
            `${request.method} needs its params as an object.`,
          ),
        );
      }
      if (inProgress >= options.maxConcurrentHandlers) {
        return of(
          failure(
            request,
            JsonRpcErrorCode.InternalError,
            `The client is busy with ${inProgress} requests from this server; try again later.`,
          ),
        );
      }
      inProgress += 1;
      const abort = new AbortController();
      const meta = (params as { _meta?: Meta } | undefined)?._meta;
      const context: RequestHandlerContext = {
        requestId: request.id,
        method: request.method,
        signal: abort.signal,
        ...(meta === undefined ? {} : { meta }),
      };
      return route.handler(params, context).pipe(
        take(1),
        throwIfEmpty(
          () => new RxMcpError('protocol', `The ${request.method} handler ended without a result.`),
        ),
        map((result): JsonRpcResponse => ({ jsonrpc: JSONRPC_VERSION, id: request.id, result })),
        catchError((error: unknown) => of(handlerFailure(connection, request, error))),
        tap({ unsubscribe: () => abort.abort(new RxMcpError('aborted', 'Request cancelled.')) }),
        finalize(() => (inProgress -= 1)),
      );
    }).pipe(
      // [spec 2025-11-25 cancellation] Receivers of cancellation notifications SHOULD: stop
      // processing the cancelled request, free associated resources, not send a response.
      takeUntil(cancellationOf(connection, request)),
    );

  return connection.inbox$.pipe(
    filter(isRequest),
    mergeMap(answer),
    tap((response) => connection.post(response)),
    ignoreElements(),
    // The connection ended: every handler in progress was unsubscribed above; nothing to add.
    catchError(() => EMPTY),
  );
}

function routesFor(options: AnswerServerRequestsOptions): ReadonlyMap<string, Route> {
  const { handlers } = options;
  const routes = new Map<string, Route>();
  const add = (method: string, handler: unknown, paramsRequired: boolean): void => {
    if (typeof handler !== 'function') return;
    const call = handler as (params: unknown, context: RequestHandlerContext) => unknown;
    routes.set(method, {
      // `defer` so that a handler that throws becomes an error like any other.
      handler: (params, context) => defer(() => from(call(params, context) as Observable<Result>)),
      paramsRequired,
    });
  };
  // [spec 2025-11-25 schema] (ping) The receiver must promptly respond, or else may be
  // disconnected: `{}` at once unless the app has a handler of its own.
  add('ping', handlers.ping ?? (() => of({})), false);
  add('roots/list', handlers.roots, false);
  add('sampling/createMessage', handlers.sampling, true);
  const elicit = handlers.elicitation;
  add(
    'elicitation/create',
    elicit !== undefined && options.applyElicitationDefaults
      ? (params: ElicitRequestParams, context: RequestHandlerContext) =>
          from(elicit(params, context)).pipe(
            map((result: ElicitResult) => applyElicitationDefaults(params, result)),
          )
      : elicit,
    true,
  );
  return routes;
}

function cancellationOf(connection: Connection, request: JsonRpcRequest): Observable<unknown> {
  return connection.inbox$.pipe(
    filter(
      (message) =>
        isNotification(message) &&
        message.method === 'notifications/cancelled' &&
        (message.params as { requestId?: unknown } | undefined)?.requestId === request.id,
    ),
  );
}

function methodNotFound(request: JsonRpcRequest): string {
  return `Method not found: this client does not handle ${request.method}.`;
}

function failure(request: JsonRpcRequest, code: number, message: string): JsonRpcResponse {
  return { jsonrpc: JSONRPC_VERSION, id: request.id, error: { code, message } };
}

/**
 * The answer to a failed handler: the JSON-RPC error it chose (an `rpc` RxMcpError with a
 * code), or `InternalError` with a message that reveals nothing of the app, the original
 * error going to `diagnostics$`.
 */
function handlerFailure(
  connection: Connection,
  request: JsonRpcRequest,
  error: unknown,
): JsonRpcResponse {
  const normalised = RxMcpError.from(error);
  if (normalised.kind === 'rpc' && normalised.code !== undefined) {
    const chosen: JsonRpcErrorObject = {
      code: normalised.code,
      message: normalised.message,
      ...(normalised.data === undefined ? {} : { data: normalised.data }),
    };
    return { jsonrpc: JSONRPC_VERSION, id: request.id, error: chosen };
  }
  connection.report({
    type: 'handler-error',
    method: request.method,
    requestId: request.id,
    error: normalised,
  });
  return failure(
    request,
    JsonRpcErrorCode.InternalError,
    `The client failed to handle ${request.method}.`,
  );
}
