import type { SchedulerLike } from 'rxjs';
import type { RetryWithJitterConfig } from '../../../operators/retryWithJitter.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import type { JsonRpcNotification, JsonRpcRequest } from '../../jsonrpc/types.js';
import type { EventStreamOptions } from '../../sse/eventStream.js';
import type { FetchLike, SseHeaders } from '../../sse/types.js';
import { isWorthReconnecting } from './httpTransportErrors.js';

/**
 * What one connection of the Streamable HTTP transport knows about its MCP session. It lives
 * as long as one subscription to `messages$`; a new subscription starts a new one.
 */
export interface HttpSession {
  /** The `Mcp-Session-Id` the server assigned, sent on every later request. */
  sessionId: string | undefined;
  /** The negotiated protocol version, sent as `MCP-Protocol-Version` once known. */
  protocolVersion: string | undefined;
  /** The `initialize` request the client sent, replayed when the session expires. */
  initialize: JsonRpcRequest | undefined;
  /** The `notifications/initialized` the client sent, replayed after `initialize`. */
  initialized: JsonRpcNotification | undefined;
}

/** Everything the pieces of one connection share: where, how, and the session. */
export interface HttpContext {
  readonly url: string;
  /** Already restricted to same-origin redirects. */
  readonly fetch: FetchLike;
  readonly headers: SseHeaders | undefined;
  readonly init: Omit<RequestInit, 'method' | 'headers' | 'body' | 'signal' | 'redirect'>;
  readonly session: HttpSession;
  /** Aborted when the connection ends: every request and body of the connection stops. */
  readonly signal: AbortSignal;
  readonly retry: Omit<RetryWithJitterConfig, 'scheduler'>;
  readonly idleTimeoutMs: number;
  readonly maxBufferSize: number;
  readonly dedupeCapacity: number;
  readonly scheduler: SchedulerLike;
  /** The statuses that mean "this session is gone" on a request that carried one. */
  readonly sessionExpiredStatuses: ReadonlySet<number>;
  /** Told about each event whose data is not JSON-RPC (the transport's `invalid$`). */
  readonly onInvalid: (error: JsonRpcDecodeError) => void;
}

/**
 * The headers of one request of the session: the caller's (a header function is called again
 * for every request, so a refreshed token is picked up), then `Accept`, `Mcp-Session-Id` and
 * `MCP-Protocol-Version`, which the transport owns (none of these two with `withSession`
 * false: a new session starts without them). Returned as a plain object, which every
 * fetch implementation reads.
 */
export async function sessionHeaders(
  context: HttpContext,
  accept: string,
  withSession = true,
): Promise<Record<string, string>> {
  const given = typeof context.headers === 'function' ? await context.headers() : context.headers;
  const headers = new Headers(given);
  headers.set('accept', accept);
  const { sessionId, protocolVersion } = withSession ? context.session : noSession;
  // [spec 2025-11-25 transports] If an MCP-Session-Id is returned by the server during
  // initialization, clients using the Streamable HTTP transport MUST include it in the
  // MCP-Session-Id header on all of their subsequent HTTP requests.
  if (sessionId !== undefined) headers.set('mcp-session-id', sessionId);
  // [spec 2025-11-25 transports] If using HTTP, the client MUST include the
  // MCP-Protocol-Version: <protocol-version> HTTP header on all subsequent requests.
  if (protocolVersion !== undefined) headers.set('mcp-protocol-version', protocolVersion);
  return Object.fromEntries(headers);
}

const noSession = { sessionId: undefined, protocolVersion: undefined } as const;

/**
 * The signal for one request of the connection: aborted when the connection's is.
 *
 * Handing every request the connection's own long-lived signal would make `fetch` (undici in
 * Node) add an abort listener to it per request and drop it only when the request is
 * garbage-collected; with many requests in flight that piles up into
 * MaxListenersExceededWarning floods. `AbortSignal.any` gives each request a dependent signal
 * the connection's holds only weakly, so the listeners belong to the request and go with it.
 * Where `AbortSignal.any` is missing (older browsers), the connection's signal is used as is.
 */
export function requestSignal(context: Pick<HttpContext, 'signal'>): AbortSignal {
  const { any } = AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal };
  return typeof any === 'function' ? any.call(AbortSignal, [context.signal]) : context.signal;
}

/**
 * The options every SSE stream of a session is read with (the GET stream and each POST's
 * response stream): the context's limits and scheduler, reconnection when the server ends a
 * response without ending the stream (the spec's polling), and retries only for errors worth
 * reconnecting for, which `mayRetry` can narrow further before the caller's own
 * `retry.shouldRetry` is asked.
 */
export function sessionStreamOptions(
  context: HttpContext,
  mayRetry: () => boolean = () => true,
): Omit<EventStreamOptions, 'fetch'> {
  const { retry } = context;
  return {
    reconnectOnEnd: true,
    idleTimeoutMs: context.idleTimeoutMs,
    maxBufferSize: context.maxBufferSize,
    dedupeCapacity: context.dedupeCapacity,
    scheduler: context.scheduler,
    retry: {
      ...retry,
      shouldRetry: (error, attempt) =>
        mayRetry() && isWorthReconnecting(error) && (retry.shouldRetry?.(error, attempt) ?? true),
    },
  };
}
