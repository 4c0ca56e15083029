import {
  EMPTY,
  catchError,
  concat,
  defer,
  filter,
  finalize,
  ignoreElements,
  map,
  mergeMap,
  share,
  take,
  throwError,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { isErrorResponse, isResponse } from '../../jsonrpc/typeGuards.js';
import type { JsonRpcMessage, JsonRpcResponse } from '../../jsonrpc/types.js';
import type { SseResponse } from '../../sse/types.js';
import { discardBody } from './discardBody.js';
import type { HttpContext } from './httpContext.js';
import { reinitializeError } from './httpTransportErrors.js';
import { postMessage } from './postMessage.js';
import { replyMessages } from './replyMessages.js';

/** What {@link createReinitializer} returns. */
export interface Reinitializer {
  /**
   * Starts a new session in place of `expiredSessionId`; completes when it is ready. Callers
   * that find the same session expired at the same time share one re-initialization; a
   * caller whose session was already replaced completes at once.
   */
  renew(expiredSessionId: string): Observable<void>;
  /** Completes when no re-initialization is running (at once when none is). */
  settled(): Observable<never>;
}

/**
 * Re-runs the `initialize` handshake the client made, after the server said (404) that the
 * session is gone.
 *
 * The transport sees raw JSON-RPC, so it replays what the client sent: the same `initialize`
 * request, then the same `notifications/initialized`. The replayed initialize's response is
 * swallowed, not delivered on `messages$` (the client already has one); it must succeed and
 * keep the negotiated protocol version, otherwise the renewal fails with a `protocol` error,
 * because the client's view of the server would be wrong.
 *
 * ```text
 * renew('s1')   POST initialize (no session id) -> 200, Mcp-Session-Id: s2, result
 *               POST notifications/initialized  -> 202
 *               --|
 * ```
 */
export function createReinitializer(context: HttpContext): Reinitializer {
  let running: Observable<void> | undefined;

  const run = (): Observable<void> =>
    defer(() => {
      const { session } = context;
      const { initialize, initialized, protocolVersion } = session;
      if (initialize === undefined) {
        return throwError(() => reinitializeError('no initialize request was sent before.'));
      }
      // [spec 2025-11-25 transports] it MUST start a new session by sending a new
      // InitializeRequest without a session ID attached.
      // The old id stays in place until the new one arrives, so that requests (and GET
      // reconnects) made meanwhile meet a 404 and join this renewal, instead of a 400.
      const handshake = postMessage(context, initialize, true).pipe(
        mergeMap((response) => replyMessages(context, initialize, response)),
        filter((message): message is JsonRpcResponse => isResponseTo(message, initialize.id)),
        take(1),
        map((response) => {
          if (isErrorResponse(response)) {
            throw reinitializeError(
              `the server answered initialize with "${response.error.message}".`,
            );
          }
          const negotiated = (response.result as { protocolVersion?: unknown } | null)
            ?.protocolVersion;
          if (protocolVersion !== undefined && negotiated !== protocolVersion) {
            throw reinitializeError(
              `the server negotiated protocol version ${String(negotiated)} instead of ` +
                `${protocolVersion}. Reconnect the client to start over.`,
            );
          }
          if (protocolVersion === undefined && typeof negotiated === 'string') {
            session.protocolVersion = negotiated;
          }
        }),
      );
      const notify =
        initialized === undefined
          ? EMPTY
          : postMessage(context, initialized).pipe(mergeMap((response) => discard(response)));
      return concat(handshake, notify).pipe(ignoreElements());
    });

  return {
    renew: (expiredSessionId) =>
      defer(() => {
        if (running !== undefined) return running;
        if (context.session.sessionId !== expiredSessionId) return EMPTY;
        const renewal: Observable<void> = run().pipe(
          finalize(() => {
            if (running === renewal) running = undefined;
          }),
          // Not reset on completion: a caller reaching it while the completion is still being
          // delivered (before `finalize`) must see it done, not start it over.
          share({ resetOnComplete: false, resetOnError: false }),
        );
        running = renewal;
        return renewal;
      }),
    // A failed renewal is reported to those who asked for it; a send that only waited goes on
    // and meets the server's answer itself.
    settled: () =>
      defer(() =>
        running === undefined
          ? EMPTY
          : running.pipe(
              ignoreElements(),
              catchError(() => EMPTY),
            ),
      ),
  };
}

function isResponseTo(message: JsonRpcMessage, id: string | number): boolean {
  return isResponse(message) && message.id === id;
}

function discard(response: SseResponse): Observable<never> {
  discardBody(response);
  return EMPTY;
}
