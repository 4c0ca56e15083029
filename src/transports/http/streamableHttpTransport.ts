import {
  BehaviorSubject,
  EMPTY,
  Subject,
  asyncScheduler,
  catchError,
  concat,
  defer,
  finalize,
  ignoreElements,
  map,
  merge,
  mergeAll,
  share,
  switchMap,
  take,
  tap,
  throwError,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { isNotification, isRequest, isSuccessResponse } from '../../jsonrpc/typeGuards.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import { DEFAULT_MAX_BUFFER_SIZE } from '../../sse/parseEventStream.js';
import type { ConnectionState } from '../../sse/state.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import type { HttpClientTransport } from './HttpClientTransport.js';
import { endConnection } from './endConnection.js';
import { createReinitializer } from './createReinitializer.js';
import type { Reinitializer } from './createReinitializer.js';
import { deleteSession } from './deleteSession.js';
import type { HttpContext } from './httpContext.js';
import { expiredSessionOf, notOpenError } from './httpTransportErrors.js';
import { listenMessages } from './listenMessages.js';
import { postMessage } from './postMessage.js';
import { replyMessages } from './replyMessages.js';
import { sameOriginFetch } from './sameOriginFetch.js';
import type { StreamableHttpTransportOptions } from './StreamableHttpTransportOptions.js';

/** One subscription's worth of transport: its session, its streams, its reason to stop. */
interface Connection {
  readonly context: HttpContext;
  readonly reinitializer: Reinitializer;
  readonly replies: Subject<Observable<JsonRpcMessage>>;
  readonly listen: Subject<void>;
  readonly closing: Subject<void>;
}

/**
 * The MCP Streamable HTTP client transport (spec 2025-11-25), as a {@link Transport}.
 *
 * Each message is one POST. Its answer (202, one JSON response, or an event stream of
 * requests and notifications ending with the response) is read in the background and
 * delivered on `messages$`; `send` completes once the server accepted the POST. The session
 * id and protocol version are captured from the initialize exchange and sent on every later
 * request; `close()` DELETEs the session.
 *
 * Resilience, as pipelines:
 * - **Session expired (404):** the transport replays the client's `initialize` and
 *   `notifications/initialized` (swallowing the replayed response, checking that the
 *   protocol version is unchanged), then retries the failed POST once, or reopens the GET
 *   stream. A second 404 fails with a typed error; never a loop.
 * - **A POST stream drops or is closed early** (SEP-1699 polling): resumed with GET +
 *   `Last-Event-ID` after the `retry:` interval, replays dropped. When it cannot be resumed
 *   (no event id, retries spent), the request fails at once: a JSON-RPC error response with
 *   code -32000 and `data: { source: 'rxmcp/transport', kind, retryable }` is delivered for
 *   it (see `errorResponseFor`).
 * - **The GET stream** reconnects with backoff and resumes; `state$` shows `reconnecting`;
 *   when retries are spent `state$` ends `closed` with the reason and `messages$` errors.
 *
 * ```text
 * send(initialize)  POST -> 200 JSON, Mcp-Session-Id: s1      ----|
 * send(initialized) POST -> 202                                   --|   then GET opens
 * send(tools/call)  POST -> 200 SSE  --progress--result|         --|
 * messages$         --initialize result----progress--result--(GET: notifications)--
 * state$            idle-connecting-open-------reconnecting(1)-connecting(1)-open--
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { connect, streamableHttpTransport } from 'rxmcp';
 *
 * const transport = streamableHttpTransport({
 *   url: 'https://example.com/mcp',
 *   headers: async () => ({ Authorization: `Bearer ${await getToken()}` }),
 * });
 * transport.state$.subscribe((state) => console.log(state.type));
 * connect(transport, { clientInfo: { name: 'app', version: '1.0.0' } }).subscribe((client) =>
 *   client.callTool({ name: 'echo', arguments: { text: 'hi' } }).subscribe(console.log),
 * );
 * ```
 */
export function streamableHttpTransport(
  options: StreamableHttpTransportOptions,
): HttpClientTransport {
  const url = new URL(options.url).href;
  const fetch = sameOriginFetch(options.fetch, options.maxRedirects ?? 5);
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  let current: Connection | undefined;
  const invalid = new Subject<JsonRpcDecodeError>();

  const open = (): Connection => {
    const controller = new AbortController();
    const context: HttpContext = {
      url,
      fetch,
      headers: options.headers,
      init: options.init ?? {},
      session: {
        sessionId: undefined,
        protocolVersion: undefined,
        initialize: undefined,
        initialized: undefined,
      },
      signal: controller.signal,
      retry: options.retry ?? {},
      idleTimeoutMs: options.idleTimeoutMs ?? Infinity,
      maxBufferSize: options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE,
      dedupeCapacity: options.dedupeCapacity ?? 1000,
      scheduler: options.scheduler ?? asyncScheduler,
      sessionExpiredStatuses: new Set(options.sessionExpiredStatuses ?? [404]),
      onInvalid: (error) => invalid.next(error),
    };
    const closing = new Subject<void>();
    closing.subscribe(() => controller.abort());
    return {
      context,
      reinitializer: createReinitializer(context),
      replies: new Subject(),
      listen: new Subject(),
      closing,
    };
  };

  const messages$ = defer(() => {
    const connection = open();
    current = connection;
    state.next({ type: 'connecting', attempt: 0 });
    // HTTP has no connection to wait for: the transport can send at once.
    state.next({ type: 'open' });
    const listen$ =
      options.listen === false
        ? EMPTY
        : connection.listen.pipe(
            take(1),
            switchMap(() =>
              listenMessages(
                connection.context,
                (expired) => connection.reinitializer.renew(expired),
                (next) => {
                  if (next.type !== 'open' || state.value.type !== 'open') state.next(next);
                },
              ),
            ),
          );
    return merge(connection.replies.pipe(mergeAll()), listen$).pipe(
      endConnection(state, connection.closing, () => {
        connection.closing.next();
        if (current === connection) current = undefined;
      }),
    );
  }).pipe(share());

  const send = (message: JsonRpcMessage): Observable<void> =>
    defer(() => {
      const connection = current;
      if (connection === undefined) return throwError(() => notOpenError());
      const { context, reinitializer } = connection;
      if (isRequest(message) && message.method === 'initialize') {
        context.session.initialize = message;
      } else if (isNotification(message) && message.method === 'notifications/initialized') {
        context.session.initialized = message;
      }
      // A send waits while the session is being renewed, so it goes out in the new session.
      const post = () => concat(reinitializer.settled(), postMessage(context, message));
      return post().pipe(
        catchError((error: unknown) => {
          const expired = expiredSessionOf(error);
          if (expired === undefined || message === context.session.initialize) {
            return throwError(() => error);
          }
          // Once: a second 404 is the answer.
          return concat(reinitializer.renew(expired).pipe(ignoreElements()), post());
        }),
        map((response) => {
          let replies = replyMessages(context, message, response);
          if (message === context.session.initialize) {
            replies = replies.pipe(tap((reply) => captureProtocolVersion(context, reply)));
          }
          connection.replies.next(replies);
          if (message === context.session.initialized) connection.listen.next();
        }),
        ignoreElements(),
      );
    });

  const close = (): Observable<void> =>
    defer(() => {
      const connection = current;
      if (connection === undefined) return EMPTY;
      return deleteSession(connection.context).pipe(finalize(() => connection.closing.next()));
    });

  return { messages$, state$: state.asObservable(), invalid$: invalid.asObservable(), send, close };
}

function captureProtocolVersion(context: HttpContext, reply: JsonRpcMessage): void {
  const initialize = context.session.initialize;
  if (initialize === undefined || !isSuccessResponse(reply) || reply.id !== initialize.id) return;
  const version = (reply.result as { protocolVersion?: unknown } | null)?.protocolVersion;
  if (typeof version === 'string') context.session.protocolVersion = version;
}
