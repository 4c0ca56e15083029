import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BehaviorSubject,
  Observable,
  Subscription,
  asyncScheduler,
  defer,
  finalize,
  filter,
  ignoreElements,
  merge,
  take,
  takeUntil,
  tap,
  timer,
} from 'rxjs';
import type { Valve } from '../../operators/valve.js';
import { RxMcpError } from '../errors.js';
import { createStreamableHttpServer } from '../server/createStreamableHttpServer.js';
import type { ListeningAddress, ServerCloseOptions } from '../server/createStreamableHttpServer.js';
import type { ServerSession } from '../server/ServerSession.js';
import type { StreamableHttpServerOptions } from '../server/StreamableHttpServerOptions.js';
import type { Transport } from '../transports/transport.js';
import { createProxyEventStore } from './createProxyEventStore.js';
import { pipeTransports } from './pipeTransports.js';
import type { PipeEvent, PipeTransportsOptions } from './pipeTransports.js';
import { createResponseTracker } from './trackResponses.js';

/**
 * How a proxy answers requests unless told otherwise: a JSON body when the upstream's
 * response is the first message for the request, an SSE stream otherwise (see
 * `StreamableHttpServerOptions.responseMode`). Most calls through a proxy are answered by
 * their response alone, and a JSON body costs the proxy and the client about half the CPU of
 * a stream of one event (bench/proxy).
 */
export const DEFAULT_PROXY_RESPONSE_MODE = 'auto';

/**
 * Options shared by the proxies that serve Streamable HTTP (`proxyStdio`, `proxyUpstream`).
 *
 * Unlike the server's, the proxy's default `eventStore` is {@link createProxyEventStore}: a
 * proxy relays bursts, and what it keeps per session is what its memory holds per slow client.
 * `eventStoreCapacity` (default 32 here, not 1000) and `eventStoreMaxBytes` bound it.
 * `responseMode` defaults to {@link DEFAULT_PROXY_RESPONSE_MODE}.
 */
export interface ProxyServerOptions extends StreamableHttpServerOptions {
  /**
   * Bytes of messages kept per session for resumption (with at most `eventStoreCapacity`
   * events), when `eventStore` is not given.
   * @default 512 * 1024 (512 KiB)
   */
  readonly eventStoreMaxBytes?: number;
  /** Where `GET` answers the health status; `null` turns it off. @default '/healthz' */
  readonly healthPath?: string | null;
  /** Limits of each session's pipe (see {@link pipeTransports}). */
  readonly pipe?: Pick<PipeTransportsOptions, 'maxInFlight' | 'bufferCapacity' | 'pauseAt'>;
  /** Told about sessions, upstreams and trouble, for logs. @default none */
  readonly onEvent?: (event: ProxyEvent) => void;
  /**
   * Files answered to `GET` at these paths (for example a page at `/` that talks to the MCP
   * endpoint), keyed by path. A file that cannot be read answers 404.
   * @default none
   */
  readonly staticFiles?: Readonly<Record<string, StaticFile>>;
}

/** A file the proxy serves as is. */
export interface StaticFile {
  /** Its path on disk. */
  readonly file: string;
  /** The `Content-Type` it is served with. */
  readonly contentType: string;
}

/** What a proxy reports to `onEvent`. */
export type ProxyEvent =
  | {
      readonly type: 'session-opened';
      readonly sessionId: string;
      readonly protocolVersion: string;
    }
  | { readonly type: 'session-closed'; readonly sessionId: string; readonly error?: RxMcpError }
  | (PipeEvent & { readonly sessionId: string });

/** The health status `GET /healthz` answers. */
export interface ProxyHealth {
  readonly status: 'ok' | 'closing';
  /** Client sessions open. */
  readonly sessions: number;
  /** Upstream connections alive: child processes for `proxyStdio`, remote sessions otherwise. */
  readonly children: number;
  readonly uptimeSeconds: number;
}

/** A running proxy: see `proxyStdio` and `proxyUpstream`. */
export interface McpProxy {
  /** Binds `host:port` (cold); emits the address; completes after `close()`. */
  listen(): Observable<ListeningAddress>;
  /** The request handler (MCP endpoint and health route), to mount on a server of your own. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Graceful shutdown: 503 to newcomers, every session ended, every upstream closed (children
   * get the stdio shutdown sequence). What is left at `timeoutMs` is destroyed and killed.
   */
  close(options?: ServerCloseOptions): Observable<void>;
  /** The current health figures. */
  health(): ProxyHealth;
}

/** The upstream of one session, and the valve its reading obeys when it has one. */
export interface SessionUpstream {
  readonly transport: Transport;
  readonly valve?: Valve;
}

/**
 * The part both proxies share: a Streamable HTTP server whose every session is piped to an
 * upstream made by `connect`, with a health route, live counts and graceful shutdown. The
 * pipe's subscription is the session's and the upstream's lifetime.
 */
export function createProxyServer(
  options: ProxyServerOptions,
  connect: (session: ServerSession) => SessionUpstream,
): McpProxy {
  const {
    healthPath = '/healthz',
    onEvent,
    pipe,
    staticFiles = {},
    eventStoreCapacity,
    eventStoreMaxBytes,
    ...serverOptions
  } = options;
  const scheduler = options.scheduler ?? asyncScheduler;
  const startedAt = scheduler.now();
  const server = createStreamableHttpServer({
    ...serverOptions,
    responseMode: options.responseMode ?? DEFAULT_PROXY_RESPONSE_MODE,
    eventStore:
      options.eventStore ??
      createProxyEventStore({
        capacityPerSession: eventStoreCapacity,
        maxBytesPerSession: eventStoreMaxBytes,
      }),
  });
  const tracker = createResponseTracker();
  const mcpHandle = tracker.wrap(server.handle);
  const upstreams = new BehaviorSubject(0);
  const pipes = new Subscription();
  const counts = new Subscription();
  const httpServers = new Set<Server>();
  let closing = false;

  const sessions = server.sessions$.subscribe((session) => {
    let upstream: SessionUpstream;
    try {
      upstream = connect(session);
    } catch (error) {
      // A bad option (a negative limit...) fails this session, not the server.
      onEvent?.({ type: 'session-closed', sessionId: session.id, error: RxMcpError.from(error) });
      session.close().subscribe();
      return;
    }
    const { transport, valve } = upstream;
    onEvent?.({
      type: 'session-opened',
      sessionId: session.id,
      protocolVersion: session.protocolVersion,
    });
    upstreams.next(upstreams.value + 1);
    // Counted until the upstream says it is closed (a child: once its process tree is gone).
    const counted = transport.state$
      .pipe(
        filter((state) => state.type === 'closed'),
        take(1),
      )
      .subscribe(() => upstreams.next(upstreams.value - 1));
    counts.add(counted);
    const piped = pipeTransports(session, transport, {
      ...pipe,
      upstreamValve: valve,
      downstreamDrained: () => tracker.drained(session.id),
      onEvent: (event) => onEvent?.({ ...event, sessionId: session.id }),
    }).subscribe({
      error: (error: unknown) =>
        onEvent?.({ type: 'session-closed', sessionId: session.id, error: RxMcpError.from(error) }),
      complete: () => onEvent?.({ type: 'session-closed', sessionId: session.id }),
    });
    pipes.add(piped);
  });

  const health = (): ProxyHealth => ({
    status: closing ? 'closing' : 'ok',
    sessions: server.stats.sessions,
    children: upstreams.value,
    uptimeSeconds: Math.floor((scheduler.now() - startedAt) / 1000),
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (healthPath !== null && path === healthPath && req.method === 'GET') {
      const body = JSON.stringify(health());
      res.writeHead(closing ? 503 : 200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(body);
      return;
    }
    const served = Object.hasOwn(staticFiles, path) ? staticFiles[path] : undefined;
    if (served !== undefined && req.method === 'GET') {
      serveFile(served, res);
      return;
    }
    mcpHandle(req, res);
  };

  const listen = (): Observable<ListeningAddress> =>
    new Observable<ListeningAddress>((subscriber) => {
      const host = options.host ?? '127.0.0.1';
      const path = options.path ?? '/mcp';
      const http = createServer(handle);
      httpServers.add(http);
      http.on('error', (error) =>
        subscriber.error(
          new RxMcpError('network', `Could not listen on ${host}:${options.port ?? 0}.`, {
            cause: error,
          }),
        ),
      );
      http.on('close', () => {
        httpServers.delete(http);
        subscriber.complete();
      });
      http.listen(options.port ?? 0, host, () => {
        const { port } = http.address() as AddressInfo;
        const shown = host.includes(':') ? `[${host}]` : host;
        subscriber.next({ url: `http://${shown}:${port}${path}`, host: shown, port });
      });
      return () => {
        if (!http.listening) return;
        http.close();
        http.closeAllConnections();
      };
    });

  const close = (closeOptions: ServerCloseOptions = {}): Observable<void> =>
    defer(() => {
      closing = true;
      const timeoutMs = closeOptions.timeoutMs ?? options.shutdownTimeoutMs ?? 5000;
      for (const http of httpServers) {
        http.close();
        http.closeIdleConnections();
      }
      const upstreamsGone$ = upstreams.pipe(
        filter((count) => count === 0),
        take(1),
      );
      // At the deadline: unsubscribing the pipes is the destructor (children are killed).
      const deadline$ = timer(timeoutMs, scheduler).pipe(
        takeUntil(upstreamsGone$),
        tap(() => pipes.unsubscribe()),
      );
      return merge(server.close({ timeoutMs }), upstreamsGone$, deadline$).pipe(
        ignoreElements(),
        finalize(() => {
          sessions.unsubscribe();
          for (const http of httpServers) http.closeAllConnections();
        }),
      );
    });

  return { listen, handle, close, health };
}

function serveFile({ file, contentType }: StaticFile, res: ServerResponse): void {
  const stream = createReadStream(file);
  stream.once('open', () => {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    stream.pipe(res);
  });
  stream.once('error', () => {
    if (res.headersSent) res.destroy();
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  });
  // A client that goes away stops the read.
  res.once('close', () => stream.destroy());
}
