import { asyncScheduler } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { createMemoryEventStore } from './EventStore.js';
import type { EventStore } from './EventStore.js';
import { resolveCors, withCorsOrigins } from './cors.js';
import type { CorsOptions, ResolvedCors } from './cors.js';

/** Protocol revisions that use the Streamable HTTP transport, newest first. */
export const STREAMABLE_HTTP_PROTOCOL_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
];

/** Host names a local server answers to: `localhost`, `127.0.0.1` and `[::1]`, any port. */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Options of `createStreamableHttpServer`. Every option is optional. */
export interface StreamableHttpServerOptions {
  /** The MCP endpoint path. Other paths get 404. @default '/mcp' */
  readonly path?: string;
  /**
   * Interface `listen()` binds to. Binding anything else than loopback exposes the server
   * to the network: then set `allowedHosts`, `allowedOrigins` and `bearerToken`.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** Port `listen()` binds to; `0` picks a free one. @default 0 */
  readonly port?: number;
  /**
   * Accepted `Host` header values: a host name (any port) or `name:port`. `'any'` turns the
   * check off. Against DNS rebinding, a page on `evil.example` resolving to 127.0.0.1 sends
   * `Host: evil.example`, which this refuses with 403.
   * @default LOCALHOST_NAMES
   */
  readonly allowedHosts?: readonly string[] | 'any';
  /**
   * Accepted `Origin` header values (requests without `Origin`, from non-browser clients,
   * pass): a host name (any scheme and port) or a full origin (`https://app.example`).
   * `'any'` turns the check off. The origins of `cors` are added to it.
   * @default LOCALHOST_NAMES
   */
  readonly allowedOrigins?: readonly string[] | 'any';
  /**
   * Cross-origin access (CORS) for pages of other origins: preflight `OPTIONS` answered,
   * `Access-Control-*` headers on every response to a listed origin. Its origins are added to
   * `allowedOrigins`; `origins: '*'` turns the `Origin` check off (see {@link CorsOptions}).
   * @default undefined (no CORS: `OPTIONS` gets 405, no `Access-Control-*` headers)
   */
  readonly cors?: CorsOptions;
  /**
   * When set, every request must carry `Authorization: Bearer <token>` (compared in constant
   * time), or a function that accepts the token; others get 401.
   * @default none (no authentication)
   */
  readonly bearerToken?: string | ((token: string) => boolean);
  /**
   * How a POSTed request is answered: an SSE stream (which can carry progress and
   * server-to-client requests before the response, and can be resumed) or one JSON body.
   * `'auto'`: one JSON body when the response is the first message for the request and comes
   * within `autoJsonWindowMs`, else an SSE stream, opened at the first other message or at
   * the end of the window (the client sees the same messages either way; a JSON body costs
   * both sides less than a stream of one event).
   * @default 'sse'
   */
  readonly responseMode?: 'sse' | 'json' | 'auto';
  /**
   * With `responseMode: 'auto'`, how long a request's answer waits to be a JSON body before
   * it becomes an SSE stream (head and priming event sent, resumable, kept alive).
   * @default 1000
   */
  readonly autoJsonWindowMs?: number;
  /** Largest POST body; larger ones get 413. @default 4 MiB (4_194_304) */
  readonly maxBodyBytes?: number;
  /**
   * A session with no HTTP request and no open stream for this long ends and frees everything
   * it held; its id then gets 404.
   * @default 1_800_000 (30 min)
   */
  readonly sessionIdleTimeoutMs?: number;
  /** Most sessions at once; an `initialize` over it gets 503 with `Retry-After`. @default 1000 */
  readonly maxSessions?: number;
  /**
   * Most SSE streams (POST and GET) and pending JSON answers at once, over all sessions; a
   * request over it gets 503 with `Retry-After`.
   * @default 10_000
   */
  readonly maxStreams?: number;
  /**
   * Most requests one session may have open (sent, not yet answered), whether or not their
   * connection is still there; one more gets 503. Bounds what a client that fires requests
   * and hangs up can make the server keep.
   * @default 1000
   */
  readonly maxRequestsPerSession?: number;
  /** Seconds sent in `Retry-After` with 503. @default 1 */
  readonly retryAfterSeconds?: number;
  /**
   * Events kept per session for resumption, when `eventStore` is not given.
   * @default 1000
   */
  readonly eventStoreCapacity?: number;
  /** Where events are kept for resumption. @default createMemoryEventStore({ capacityPerSession: eventStoreCapacity }) */
  readonly eventStore?: EventStore;
  /**
   * Interval of `: keep-alive` comments on an SSE stream that has been quiet that long, so
   * that proxies and runtimes with body timeouts (often 300 s) do not cut it. `0` disables.
   * @default 15_000
   */
  readonly keepAliveMs?: number;
  /**
   * The `retry:` (milliseconds) sent in the priming event, and before the server closes a
   * stream for the client to poll. Sent to clients on 2025-11-25 or later only.
   * @default 1000
   */
  readonly retryMs?: number;
  /**
   * Events that may wait for a slow client on one connection. When a client reads so slowly
   * that more would wait, the server ends that connection (not the stream or the session):
   * the events stay in the event store, and the client resumes with `Last-Event-ID`. Memory
   * per connection is thus bounded whatever the client does.
   * @default 1000
   */
  readonly streamQueueCapacity?: number;
  /**
   * Messages from the client kept for a session whose `messages$` nobody subscribes yet; a
   * POST beyond it gets 503.
   * @default 100
   */
  readonly inboxCapacity?: number;
  /** How long `close()` waits for streams to end before destroying sockets. @default 5000 */
  readonly shutdownTimeoutMs?: number;
  /** Protocol versions accepted in `MCP-Protocol-Version`. @default STREAMABLE_HTTP_PROTOCOL_VERSIONS */
  readonly protocolVersions?: readonly string[];
  /** Scheduler for keep-alive, idle expiry and the shutdown deadline. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** {@link StreamableHttpServerOptions} with every default applied. */
export type ResolvedServerOptions = Required<
  Omit<StreamableHttpServerOptions, 'bearerToken' | 'eventStoreCapacity' | 'cors'>
> &
  Pick<StreamableHttpServerOptions, 'bearerToken'> & { readonly cors: ResolvedCors | undefined };

/** Applies defaults and checks numbers, so that a typo fails at creation, not under load. */
export function resolveServerOptions(options: StreamableHttpServerOptions): ResolvedServerOptions {
  const cors = resolveCors(options.cors);
  const resolved: ResolvedServerOptions = {
    path: options.path ?? '/mcp',
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    allowedHosts: options.allowedHosts ?? LOCALHOST_NAMES,
    allowedOrigins: withCorsOrigins(options.allowedOrigins ?? LOCALHOST_NAMES, cors),
    cors,
    bearerToken: options.bearerToken,
    responseMode: options.responseMode ?? 'sse',
    autoJsonWindowMs: options.autoJsonWindowMs ?? 1000,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    sessionIdleTimeoutMs: options.sessionIdleTimeoutMs ?? 30 * 60 * 1000,
    maxSessions: options.maxSessions ?? 1000,
    maxStreams: options.maxStreams ?? 10_000,
    maxRequestsPerSession: options.maxRequestsPerSession ?? 1000,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    eventStore:
      options.eventStore ??
      createMemoryEventStore({ capacityPerSession: options.eventStoreCapacity ?? 1000 }),
    keepAliveMs: options.keepAliveMs ?? 15_000,
    retryMs: options.retryMs ?? 1000,
    streamQueueCapacity: options.streamQueueCapacity ?? 1000,
    inboxCapacity: options.inboxCapacity ?? 100,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5000,
    protocolVersions: options.protocolVersions ?? STREAMABLE_HTTP_PROTOCOL_VERSIONS,
    scheduler: options.scheduler ?? asyncScheduler,
  };
  for (const key of [
    'port',
    'maxBodyBytes',
    'autoJsonWindowMs',
    'sessionIdleTimeoutMs',
    'maxSessions',
    'maxStreams',
    'maxRequestsPerSession',
    'retryAfterSeconds',
    'keepAliveMs',
    'retryMs',
    'streamQueueCapacity',
    'inboxCapacity',
    'shutdownTimeoutMs',
  ] as const) {
    const value = resolved[key];
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new RangeError(`${key} must be a non-negative integer, got ${value}.`);
    }
  }
  if (resolved.streamQueueCapacity < 1) {
    throw new RangeError('streamQueueCapacity must be at least 1.');
  }
  return resolved;
}
