import { RxMcpError } from '../../errors.js';
import type { SseResponse } from '../../sse/types.js';
import { parseRetryAfter } from '../../sse/parseRetryAfter.js';

/**
 * The errors of the HTTP client transports, one factory per situation, so that every
 * message says what happened, what was expected and what to do, and `kind`, `status` and
 * `retryable` are decided in one place.
 */

/** What `data` of an error for an expired session holds. */
export interface SessionExpiredData {
  /** The session id the server no longer knows. */
  readonly sessionId: string;
}

/**
 * The server answered a request carrying `Mcp-Session-Id` with 404 (or another status listed
 * in `sessionExpiredStatuses`): the session is gone. Not retryable as such: the transport
 * re-initializes instead (see {@link expiredSessionOf}).
 */
export function sessionExpiredError(url: string, sessionId: string, status: number): RxMcpError {
  return new RxMcpError(
    'http',
    `${url} answered ${status} to a request of session ${sessionId}: the server does not ` +
      'know the session (it ended it, or restarted). A new session must be initialized.',
    { status, retryable: false, data: { sessionId } satisfies SessionExpiredData },
  );
}

/** Whether an error is {@link sessionExpiredError}, and which session it names. */
export function expiredSessionOf(error: unknown): string | undefined {
  if (!RxMcpError.is(error) || error.status === undefined) return undefined;
  const data = error.data as Partial<SessionExpiredData> | undefined;
  return typeof data?.sessionId === 'string' ? data.sessionId : undefined;
}

/** A POST answered with a status outside 2xx (other than an expired session). */
export function postRejectedError(url: string, response: SseResponse, nowMs: number): RxMcpError {
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
  const reason = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new RxMcpError(
    'http',
    `${url} answered ${reason} to a POST of a JSON-RPC message; expected 200 or 202. ` +
      (status === 401 || status === 403
        ? 'Check the credentials (a `headers` function is called for every request).'
        : 'Check the URL and that it is a Streamable HTTP MCP endpoint.'),
    { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  );
}

/** A 200 whose content type is neither JSON nor an event stream. */
export function unexpectedContentTypeError(url: string, contentType: string | null): RxMcpError {
  return new RxMcpError(
    'protocol',
    `${url} answered a request with Content-Type ${contentType ?? '(none)'}; the Streamable ` +
      'HTTP transport expects "application/json" or "text/event-stream".',
    { retryable: false },
  );
}

/** A response stream ended (or broke) before the response to its request, with no way back. */
export function streamLostError(
  url: string,
  requestId: string | number,
  cause: unknown,
): RxMcpError {
  const reason = RxMcpError.from(cause);
  return new RxMcpError(
    'network',
    `The response stream of request ${String(requestId)} from ${url} ended before the ` +
      `response (${reason.message}) and could not be resumed. Send the request again.`,
    { retryable: true, cause },
  );
}

/** The re-initialization after a 404 did not give a usable session. */
export function reinitializeError(message: string, cause?: unknown): RxMcpError {
  return new RxMcpError(
    'protocol',
    `The session expired and re-initializing it failed: ${message}`,
    { retryable: false, ...(cause === undefined ? {} : { cause }) },
  );
}

/** The transport is not open. */
export function notOpenError(): RxMcpError {
  return new RxMcpError(
    'closed',
    'The HTTP transport is not open: subscribe to its messages$ before sending, and do not ' +
      'send after close().',
  );
}

/**
 * Whether an event stream of the session should reconnect after `error`: what the error
 * says, and also 409 Conflict, which a server answers to a reconnect that arrives before it
 * noticed the previous connection of that stream was gone (the official SDK does).
 */
export function isWorthReconnecting(error: unknown): boolean {
  const failure = RxMcpError.from(error);
  return failure.retryable || failure.status === 409;
}
