import { catchError, defer, ignoreElements, throwError } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import { encode } from '../../jsonrpc/encode.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import type { FetchLike, SseHeaders } from '../../sse/types.js';
import { discardBody } from './discardBody.js';
import { postRejectedError } from './httpTransportErrors.js';
import { requestSignal } from './httpContext.js';

/** What {@link postToEndpoint} needs besides the endpoint and the message. */
export interface EndpointPostContext {
  readonly fetch: FetchLike;
  readonly headers: SseHeaders | undefined;
  readonly init: Omit<RequestInit, 'method' | 'headers' | 'body' | 'signal' | 'redirect'>;
  readonly signal: AbortSignal;
  readonly scheduler: SchedulerLike;
}

/**
 * POSTs one message to the endpoint of a legacy HTTP+SSE server (2024-11-05) and completes
 * when the server accepted it (any 2xx; the answer arrives on the SSE stream, so the body is
 * dropped). Another status fails with an `http` error.
 *
 * [spec 2024-11-05 transports] All subsequent client messages MUST be sent as HTTP POST
 * requests to this endpoint.
 */
export function postToEndpoint(
  context: EndpointPostContext,
  endpoint: string,
  message: JsonRpcMessage,
): Observable<never> {
  return defer(async () => {
    const given = typeof context.headers === 'function' ? await context.headers() : context.headers;
    const headers = new Headers(given);
    headers.set('content-type', 'application/json');
    const response = await context.fetch(endpoint, {
      ...context.init,
      method: 'POST',
      headers: Object.fromEntries(headers),
      body: encode(message),
      signal: requestSignal(context),
    });
    discardBody(response);
    if (response.status < 200 || response.status > 299) {
      throw postRejectedError(endpoint, response, context.scheduler.now());
    }
  }).pipe(
    ignoreElements(),
    // One exit: whatever failed (fetch, a header function) leaves as an RxMcpError.
    catchError((error: unknown) => throwError(() => RxMcpError.from(error))),
  );
}
