import { catchError, defer, ignoreElements, map, merge, tap, throwError } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { isErrorResponse, isResponse } from '../jsonrpc/typeGuards.js';
import { JSONRPC_VERSION } from '../jsonrpc/types.js';
import type { JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/types.js';
import type { Connection } from './createConnection.js';
import type { RequestEvent } from './RequestEvent.js';
import { assertTimeoutMs, requestTimeouts } from './requestTimeouts.js';
import type { TimeoutLimit } from './requestTimeouts.js';
import type { ProgressToken, RequestParams } from './types.js';

/** Per-request options of `McpClient.request` and the typed helpers. */
export interface RequestOptions {
  /**
   * How long to wait for the result, in milliseconds; then the request is cancelled and fails
   * with a `timeout` error. `Infinity` waits for ever.
   * @default the client's `requestTimeoutMs` (60000)
   */
  readonly timeoutMs?: number;
  /**
   * Restart the `timeoutMs` clock at each progress notification for this request.
   * @default false
   */
  readonly resetTimeoutOnProgress?: boolean;
  /**
   * The most the request may take in all, however much progress it reports. `Infinity` for
   * no cap.
   * @default the client's `maxTotalTimeoutMs` (600000)
   */
  readonly maxTotalTimeoutMs?: number;
}

/** What {@link sendRequest} needs besides the call itself. */
export interface RequestContext {
  readonly connection: Connection;
  readonly timeoutMs: number;
  readonly maxTotalTimeoutMs: number;
  readonly scheduler?: SchedulerLike;
}

/**
 * One request as a cold Observable: subscribing sends it, each `notifications/progress` for
 * its token is a value, the result is the last value. Correlation is the connection's routing
 * of its incoming stream by id and progress token (see `createConnection`). Unsubscribing
 * before the result, or a timeout, sends `notifications/cancelled`. The pending id is
 * released on response, error, timeout and unsubscribe alike.
 *
 * ```text
 * inbox$      ---p1--x--p2---r1---      (x: progress of another request, r1: our response)
 * request     ---p1-----p2---R|
 * ```
 *
 * Routing is a map lookup, so a message costs the same however many requests are pending.
 *
 * `attachProgressToken` is off only for `initialize`, which asks for no progress.
 */
export function sendRequest<R>(
  context: RequestContext,
  method: string,
  params: RequestParams | undefined,
  options: RequestOptions,
  attachProgressToken = true,
): Observable<RequestEvent<R>> {
  const { connection } = context;
  const resetOnProgress = options.resetTimeoutOnProgress ?? false;
  const timeoutMs = options.timeoutMs ?? context.timeoutMs;
  const maxTotalMs = options.maxTotalTimeoutMs ?? context.maxTotalTimeoutMs;
  // Checked at call time so that a bad timeout throws at once, not at subscription.
  assertTimeoutMs('timeoutMs', timeoutMs);
  assertTimeoutMs('maxTotalTimeoutMs', maxTotalMs);

  // [spec 2025-11-25 cancellation] The `initialize` request MUST NOT be cancelled by clients
  const cancellable = method !== 'initialize';

  return defer(() => {
    const id = connection.pending.open(method);
    const describe = `${method} (id ${id})`;
    // [spec 2025-11-25 progress] Progress tokens ... MUST be unique across all active
    // requests. The id is; a token the caller chose is kept as it is.
    const token: ProgressToken | undefined = attachProgressToken
      ? (params?._meta?.progressToken ?? id)
      : undefined;
    const request: JsonRpcRequest = {
      jsonrpc: JSONRPC_VERSION,
      id,
      method,
      ...(token === undefined
        ? params === undefined
          ? {}
          : { params }
        : { params: { ...params, _meta: { ...params?._meta, progressToken: token } } }),
    };
    const cancel = (reason: string): void => {
      // [spec 2025-11-25 cancellation] Cancellation notifications MUST only reference
      // requests that ... are believed to still be in-progress: not one just answered.
      if (!cancellable || !connection.pending.isPending(id)) return;
      connection.post({
        jsonrpc: JSONRPC_VERSION,
        method: 'notifications/cancelled',
        params: { requestId: id, reason },
      });
    };

    // The connection routes the replies and settles the id as the response passes.
    const events$ = connection
      .replies(id, token)
      .pipe(map((message) => toEvent<R>(message, describe)));
    // The listener is subscribed before the request is sent, so no answer can slip past.
    return merge(events$, connection.send(request).pipe(ignoreElements())).pipe(
      requestTimeouts<R>({
        timeoutMs,
        resetOnProgress,
        maxTotalMs,
        error: (limit, ms) => timeoutError(describe, limit, ms, resetOnProgress, cancellable),
        ...(context.scheduler === undefined ? {} : { scheduler: context.scheduler }),
      }),
      catchError((error: unknown) => throwError(() => withContext(error, describe))),
      tap({
        // [spec 2025-11-25 lifecycle] When the request has not received a success or error
        // response within the timeout period, the sender SHOULD issue a cancellation
        // notification for that request and stop waiting for a response.
        error: (error: unknown) => {
          if (RxMcpError.is(error) && error.kind === 'timeout') cancel(error.message);
        },
        // `unsubscribe` fires only when the subscriber leaves before the end: the result is
        // no longer wanted, so the server may stop working on it.
        unsubscribe: () => cancel('The client no longer needs the result (unsubscribed).'),
        // After `error` and `unsubscribe`, which look the id up first.
        finalize: () => connection.pending.settle(id),
      }),
    );
  });
}

function toEvent<R>(message: JsonRpcMessage, describe: string): RequestEvent<R> {
  if (isErrorResponse(message)) {
    const { code, message: text, data } = message.error;
    throw new RxMcpError(
      'rpc',
      `${text} (JSON-RPC error ${code} from the server for ${describe})`,
      data === undefined ? { code } : { code, data },
    );
  }
  if (isResponse(message)) return { type: 'result', result: message.result as R };
  // Only progress notifications pass the filter besides the response.
  const {
    progress,
    total,
    message: note,
  } = message.params as {
    progress: number;
    total?: unknown;
    message?: unknown;
  };
  return {
    type: 'progress',
    progress,
    ...(typeof total === 'number' ? { total } : {}),
    ...(typeof note === 'string' ? { message: note } : {}),
  };
}

function timeoutError(
  describe: string,
  limit: TimeoutLimit,
  ms: number,
  resetOnProgress: boolean,
  cancelled: boolean,
): RxMcpError {
  const what =
    limit === 'maxTotal'
      ? `did not finish within ${ms} ms in all (maxTotalTimeoutMs), progress notwithstanding`
      : resetOnProgress
        ? `got neither a result nor progress for ${ms} ms (timeoutMs)`
        : `got no result within ${ms} ms (timeoutMs)`;
  return new RxMcpError(
    'timeout',
    `${describe} ${what}; the client ${cancelled ? 'sent notifications/cancelled and ' : ''}` +
      'stopped waiting. ' +
      'Raise the timeout for slow operations, or use resetTimeoutOnProgress.',
    { data: { limit, ms } },
  );
}

// A closed connection is reported once, in general terms; say which request it ended.
function withContext(error: unknown, describe: string): RxMcpError {
  const normalised = RxMcpError.from(error);
  if (normalised.kind !== 'closed') return normalised;
  return new RxMcpError('closed', `${describe} ended without a response: ${normalised.message}`, {
    cause: normalised,
  });
}
