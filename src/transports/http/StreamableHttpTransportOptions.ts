import type { SchedulerLike } from 'rxjs';
import type { RetryWithJitterConfig } from '../../../operators/retryWithJitter.js';
import type { FetchLike, SseHeaders } from '../../sse/types.js';

/** Options of {@link streamableHttpTransport}. Only `url` is required. */
export interface StreamableHttpTransportOptions {
  /** The MCP endpoint (one URL for POST, GET and DELETE). */
  readonly url: string | URL;
  /**
   * Headers sent on every request, or a function returning them that is called again for
   * every request (and every reconnect), so a refreshed auth token is picked up. `Accept`,
   * `Content-Type`, `Mcp-Session-Id`, `MCP-Protocol-Version` and `Last-Event-ID` are set by
   * the transport and win over yours.
   * @default none
   */
  readonly headers?: SseHeaders;
  /**
   * The `fetch` to use. Whatever it is, redirects are followed only within the origin of
   * `url` (see `sameOriginFetch`).
   * @default the global `fetch`, else cross-fetch
   */
  readonly fetch?: FetchLike;
  /**
   * Other `fetch` options for every request (`credentials`, `mode`, ...).
   * @default none
   */
  readonly init?: Omit<RequestInit, 'method' | 'headers' | 'body' | 'signal' | 'redirect'>;
  /**
   * Open the GET stream for messages the server sends on its own, once the client has sent
   * `notifications/initialized`. A server without one answers 405, which is fine.
   * @default true
   */
  readonly listen?: boolean;
  /**
   * Backoff for the GET stream and for resuming POST response streams (see
   * `retryWithJitter`): by default 10 retries from 1 s doubling to 30 s with 25 % jitter,
   * the count reset by every event. A server's `retry:` field and `Retry-After` win.
   * @default {}
   */
  readonly retry?: Omit<RetryWithJitterConfig, 'scheduler'>;
  /**
   * How long an event stream may stay silent before it is treated as dropped (and resumed).
   * Off by default, because many servers send no keep-alives and a long tool call may be
   * silent for minutes.
   * @default Infinity
   */
  readonly idleTimeoutMs?: number;
  /**
   * The most characters one SSE event, or bytes one JSON response, may take.
   * @default 10485760 (10 MiB)
   */
  readonly maxBufferSize?: number;
  /**
   * How many recent event ids each stream remembers to drop replays after a resume.
   * @default 1000
   */
  readonly dedupeCapacity?: number;
  /**
   * How many same-origin redirects one request may follow.
   * @default 5
   */
  readonly maxRedirects?: number;
  /**
   * The statuses that mean, on a request carrying `Mcp-Session-Id`, that the server does not
   * know the session any more, so the transport re-initializes and retries once. The spec
   * says 404; some servers answer 400 instead (the reference "everything" server, after a
   * restart), which can be added here. A retry that fails again fails for good.
   * @default [404]
   */
  readonly sessionExpiredStatuses?: readonly number[];
  /**
   * Where backoff and idle timers run, and where `now()` is read.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}
