import type { SchedulerLike } from 'rxjs';
import type { RetryWithJitterConfig } from '../../../operators/retryWithJitter.js';
import type { FetchLike, SseHeaders } from '../../sse/types.js';

/** Options of {@link legacySseTransport}. Only `url` is required. */
export interface LegacySseTransportOptions {
  /** The SSE endpoint of the server (for example `https://example.com/sse`). */
  readonly url: string | URL;
  /**
   * Headers for the SSE request and every POST, or a function returning them, called again
   * for every request and reconnect (token refresh).
   * @default none
   */
  readonly headers?: SseHeaders;
  /**
   * The `fetch` to use; redirects are followed only within the origin of `url`.
   * @default the global `fetch`, else cross-fetch
   */
  readonly fetch?: FetchLike;
  /**
   * Other `fetch` options for every request (`credentials`, `mode`, ...).
   * @default none
   */
  readonly init?: Omit<RequestInit, 'method' | 'headers' | 'body' | 'signal' | 'redirect'>;
  /**
   * Backoff for reconnecting the SSE stream (see `retryWithJitter`). `retry:` and
   * `Retry-After` win.
   * @default {} (10 retries from 1 s doubling to 30 s)
   */
  readonly retry?: Omit<RetryWithJitterConfig, 'scheduler'>;
  /**
   * How long the SSE stream may stay silent before it is treated as dropped.
   * @default Infinity
   */
  readonly idleTimeoutMs?: number;
  /**
   * The most characters one SSE event may take.
   * @default 10485760 (10 MiB)
   */
  readonly maxBufferSize?: number;
  /**
   * How many requests may await their response at once. The transport tracks them to fail
   * them at once when the server starts a new session; beyond it the oldest is no longer
   * tracked (it then waits for the client's own timeout).
   * @default 10000
   */
  readonly maxPendingRequests?: number;
  /**
   * How many same-origin redirects one request may follow.
   * @default 5
   */
  readonly maxRedirects?: number;
  /**
   * Where backoff and idle timers run.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}
