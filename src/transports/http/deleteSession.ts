import { EMPTY, catchError, defer, ignoreElements } from 'rxjs';
import type { Observable } from 'rxjs';
import { discardBody } from './discardBody.js';
import { requestSignal, sessionHeaders } from './httpContext.js';
import type { HttpContext } from './httpContext.js';

/**
 * Ends the session on the server with a DELETE, when there is one; completes in any case.
 *
 * [spec 2025-11-25 transports] Clients that no longer need a particular session [...] SHOULD
 * send an HTTP DELETE to the MCP endpoint with the MCP-Session-Id header, to explicitly
 * terminate the session. The server MAY respond to this request with HTTP 405 Method Not
 * Allowed.
 *
 * Any answer (405, 404, a network error) is accepted: the client is leaving, and the server
 * expires sessions it is not told about.
 */
export function deleteSession(context: HttpContext): Observable<void> {
  if (context.session.sessionId === undefined) return EMPTY;
  return defer(async () => {
    const headers = await sessionHeaders(context, 'application/json, text/event-stream');
    const response = await context.fetch(context.url, {
      ...context.init,
      method: 'DELETE',
      headers,
      signal: requestSignal(context),
    });
    discardBody(response);
  }).pipe(
    ignoreElements(),
    catchError(() => EMPTY),
  );
}
