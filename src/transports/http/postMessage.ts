import { catchError, defer, throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import { encode } from '../../jsonrpc/encode.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import type { SseResponse } from '../../sse/types.js';
import { discardBody } from './discardBody.js';
import { requestSignal, sessionHeaders } from './httpContext.js';
import type { HttpContext } from './httpContext.js';
import { postRejectedError, sessionExpiredError } from './httpTransportErrors.js';

/**
 * POSTs one JSON-RPC message and emits the response once its status says the server took
 * it (2xx), with the body still unread. Captures the `Mcp-Session-Id` the server assigns.
 * With `newSession`, the request goes without session id and protocol version (a new
 * initialize), and the session id becomes whatever the answer assigns, even none.
 *
 * ```text
 * 200/202         -> --response|
 * 404 + session   -> --#  sessionExpiredError (the caller re-initializes)
 * other status    -> --#  RxMcpError http with status (and Retry-After)
 * ```
 */
export function postMessage(
  context: HttpContext,
  message: JsonRpcMessage,
  newSession = false,
): Observable<SseResponse> {
  return defer(async () => {
    const { session, url } = context;
    const sentSessionId = newSession ? undefined : session.sessionId;
    // [spec 2025-11-25 transports] The client MUST include an Accept header, listing both
    // application/json and text/event-stream as supported content types.
    const headers = await sessionHeaders(
      context,
      'application/json, text/event-stream',
      !newSession,
    );
    headers['content-type'] = 'application/json';
    // [spec 2025-11-25 transports] Every JSON-RPC message sent from the client MUST be a new
    // HTTP POST request to the MCP endpoint.
    const response = await context.fetch(url, {
      ...context.init,
      method: 'POST',
      headers,
      body: encode(message),
      signal: requestSignal(context),
    });
    const { status } = response;
    if (status >= 200 && status <= 299) {
      // [spec 2025-11-25 transports] A server using the Streamable HTTP transport MAY assign
      // a session ID at initialization time, by including it in an MCP-Session-Id header on
      // the HTTP response containing the InitializeResult.
      const assigned = response.headers.get('mcp-session-id') || undefined;
      if (assigned !== undefined || newSession) session.sessionId = assigned;
      return response;
    }
    discardBody(response);
    // [spec 2025-11-25 transports] When a client receives HTTP 404 in response to a request
    // containing an MCP-Session-Id, it MUST start a new session by sending a new
    // InitializeRequest without a session ID attached.
    if (context.sessionExpiredStatuses.has(status) && sentSessionId !== undefined) {
      throw sessionExpiredError(url, sentSessionId, status);
    }
    throw postRejectedError(url, response, context.scheduler.now());
  }).pipe(catchError((error: unknown) => throwError(() => RxMcpError.from(error))));
}
