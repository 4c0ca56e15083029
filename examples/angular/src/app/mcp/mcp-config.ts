import { InjectionToken, inject } from '@angular/core';
import type { Provider } from '@angular/core';
import { asyncScheduler } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { httpTransport } from 'rxmcp';
import type {
  FetchLike,
  Implementation,
  RetryWithJitterConfig,
  SseHeaders,
  Transport,
} from 'rxmcp';

/** How {@link McpService} reaches its server. Provide it with {@link provideMcp}. */
export interface McpConfig {
  /** The server's MCP endpoint (Streamable HTTP; legacy HTTP+SSE servers work too). */
  readonly url: string | URL;
  /** Who the app is, sent in `initialize`. */
  readonly clientInfo: Implementation;
  /**
   * Headers for every HTTP request; a function is called before each one (fresh tokens).
   * @default none
   */
  readonly headers?: SseHeaders;
  /**
   * The `fetch` to use (tests pass Node's; an app can pass one that adds tracing).
   * @default the global `fetch`
   */
  readonly fetch?: FetchLike;
  /**
   * How the session is re-established when it breaks or cannot be opened: the options of
   * rxmcp's `retryWithJitter` (the scheduler comes from {@link MCP_SCHEDULER}). When the
   * retries are spent, `state$` shows `failed`.
   * @default {} (10 retries, 1 s doubling up to 30 s, 25 % jitter)
   */
  readonly retry?: Omit<RetryWithJitterConfig, 'scheduler' | 'onRetry'>;
  /**
   * How long a request (`initialize` included) waits for its answer, in milliseconds.
   * @default 60000
   */
  readonly requestTimeoutMs?: number;
  /**
   * How long the service waits for the server to acknowledge the end of the session (the
   * DELETE) when its injector is destroyed, in milliseconds; then it lets go anyway.
   * @default 2000
   */
  readonly closeTimeoutMs?: number;
}

/** The configuration {@link McpService} reads. */
export const MCP_CONFIG = new InjectionToken<McpConfig>('MCP_CONFIG');

/**
 * Where the service's time runs: reconnect delays, request timeouts, the close timeout.
 * Tests provide a `TestScheduler` to check reconnect timing in virtual time.
 */
export const MCP_SCHEDULER = new InjectionToken<SchedulerLike>('MCP_SCHEDULER', {
  providedIn: 'root',
  factory: () => asyncScheduler,
});

/**
 * Makes the transport of one connection attempt. Called again for each attempt, so
 * single-use transports (stdio, an in-memory pair) work as well as the HTTP ones.
 * @default `httpTransport` on `MCP_CONFIG.url` (Streamable HTTP, legacy SSE fallback)
 */
export const MCP_TRANSPORT = new InjectionToken<() => Transport>('MCP_TRANSPORT', {
  providedIn: 'root',
  factory: () => {
    const { url, headers, fetch } = inject(MCP_CONFIG);
    const scheduler = inject(MCP_SCHEDULER);
    return () => httpTransport({ url, headers, fetch, scheduler });
  },
});

/** The providers for an app (or a component subtree) that talks to one MCP server. */
export function provideMcp(config: McpConfig): Provider[] {
  return [{ provide: MCP_CONFIG, useValue: config }];
}
