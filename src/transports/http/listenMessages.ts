import { EMPTY, Observable, catchError, concat, defer, ignoreElements, throwError } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import { eventStream } from '../../sse/eventStream.js';
import type { ConnectionState } from '../../sse/state.js';
import { sessionHeaders, sessionStreamOptions } from './httpContext.js';
import type { HttpContext } from './httpContext.js';
import { expiredSessionOf, sessionExpiredError } from './httpTransportErrors.js';
import { sseMessages } from './sseMessages.js';

/**
 * The optional GET stream on which the server sends requests and notifications of its own,
 * read through {@link eventStream}: it reconnects with backoff, honours `retry:` and
 * `Retry-After`, resumes with `Last-Event-ID` and drops replays.
 *
 * - 405: the server offers no such stream; completes quietly. So do 404 and 400 when no
 *   session id was sent (a stateless server with a POST route only answers that way).
 * - 404 on a request of a session: the session is gone. `reinitialize(sessionId)` is run and
 *   the stream opens again in the new session; a second 404 before the stream was open again
 *   fails it (never a loop).
 * - Retries spent, or an error that is not retryable: fails with that `RxMcpError`, which
 *   ends the transport, so that a dead stream is never silent.
 *
 * `onState` receives the stream's `reconnecting`, `connecting` and `open` states, for the
 * transport's `state$`.
 *
 * ```text
 * GET  200 --m1--X ·retry· GET Last-Event-ID --m2--404 ·reinitialize· GET 200 --m3--
 * out       --m1-------------------------------m2-----------------------------m3--
 * ```
 */
export function listenMessages(
  context: HttpContext,
  reinitialize: (expiredSessionId: string) => Observable<void>,
  onState: (state: ConnectionState) => void,
): Observable<JsonRpcMessage> {
  let renewalsWithoutOpen = 0;
  const connect = (): Observable<JsonRpcMessage> =>
    defer(() => {
      const sentSessionId = context.session.sessionId;
      const stream = eventStream(
        {
          url: context.url,
          method: 'GET',
          // [spec 2025-11-25 transports] The client MUST include an Accept header, listing
          // text/event-stream as a supported content type.
          headers: () => sessionHeaders(context, 'text/event-stream'),
          init: context.init,
        },
        {
          fetch: context.fetch,
          // [spec 2025-11-25 transports] If the server closes the connection without
          // terminating the stream, it SHOULD follow the same polling behavior as described
          // for POST requests: sending a retry field and allowing the client to reconnect.
          ...sessionStreamOptions(context),
          onOpen: () => (renewalsWithoutOpen = 0),
        },
      );
      return new Observable<JsonRpcMessage>((subscriber) => {
        // Subscribed first: the stream publishes `connecting` as soon as events$ is subscribed.
        const states = stream.state$.subscribe((state) => {
          if (state.type !== 'idle' && state.type !== 'closed') onState(state);
        });
        const events = stream.events$
          .pipe(
            sseMessages(context.onInvalid),
            catchError((error: unknown) => {
              const failure = RxMcpError.from(error);
              // [spec 2025-11-25 transports] The server MUST either return Content-Type:
              // text/event-stream in response to this HTTP GET, or else return HTTP 405
              // Method Not Allowed, indicating that the server does not offer an SSE stream.
              if (failure.status === 405) return EMPTY;
              const { status } = failure;
              // [spec 2025-11-25 transports] The client MAY issue an HTTP GET to the MCP
              // endpoint. The stream is optional, so a stateless server (no session, POST
              // route only) that answers it 404 or 400 instead of 405 is refusing the stream,
              // not failing the connection: without a session there is nothing to expire.
              if (sentSessionId === undefined && (status === 404 || status === 400)) return EMPTY;
              if (
                status !== undefined &&
                context.sessionExpiredStatuses.has(status) &&
                sentSessionId !== undefined
              ) {
                return throwError(() => sessionExpiredError(context.url, sentSessionId, status));
              }
              return throwError(() => failure);
            }),
          )
          .subscribe(subscriber);
        return () => {
          events.unsubscribe();
          states.unsubscribe();
        };
      });
    });

  const resilient: Observable<JsonRpcMessage> = connect().pipe(
    catchError((error: unknown) => {
      const expired = expiredSessionOf(error);
      if (expired === undefined || renewalsWithoutOpen >= 1) return throwError(() => error);
      renewalsWithoutOpen += 1;
      // A new stream in the new session: the old one's event ids mean nothing there.
      return concat(reinitialize(expired).pipe(ignoreElements()), resilient);
    }),
  );
  return resilient;
}
