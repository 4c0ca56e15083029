import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Observable,
  Subject,
  defer,
  filter,
  finalize,
  ignoreElements,
  merge,
  startWith,
  take,
  takeUntil,
  tap,
  timer,
} from 'rxjs';
import { RxMcpError } from '../errors.js';
import { checkAccess } from './checkAccess.js';
import { MCP_METHODS, addCorsHeaders, answerPreflight } from './cors.js';
import { createKeepAlive } from './createKeepAlive.js';
import type { SessionHandle } from './createServerSession.js';
import { createSlots } from './createSlots.js';
import { handleGet } from './handleGet.js';
import { handlePost } from './handlePost.js';
import { refusal, sendRefusal } from './HttpRefusal.js';
import { isRefusal, sessionOf } from './negotiateHeaders.js';
import type { ServerContext } from './ServerContext.js';
import type { ServerSession } from './ServerSession.js';
import { resolveServerOptions } from './StreamableHttpServerOptions.js';
import type { StreamableHttpServerOptions } from './StreamableHttpServerOptions.js';

/** Where `listen()` bound the server. */
export interface ListeningAddress {
  /** The MCP endpoint, e.g. `http://127.0.0.1:53211/mcp`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** Options of {@link McpHttpServer.close}. */
export interface ServerCloseOptions {
  /** Overrides `shutdownTimeoutMs` for this call. @default shutdownTimeoutMs */
  readonly timeoutMs?: number;
}

/** A Streamable HTTP MCP server on `node:http`: see {@link createStreamableHttpServer}. */
export interface McpHttpServer {
  /**
   * Each new session, once, when the client's `initialize` arrives (hot: subscribe before
   * clients connect). The application subscribes to the session's `messages$` and answers
   * with `send`, or hosts an SDK server on it with `toSdkTransport`.
   */
  readonly sessions$: Observable<ServerSession>;
  /**
   * The request handler, for mounting on an `http.Server` of your own (next to `/healthz`):
   * it answers every request it is given (404 off `path`).
   */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Binds an `http.Server` on `host:port` (cold: nothing happens before subscribe). Emits
   * the address once bound; completes after `close()`; errors with a `network` RxMcpError
   * when binding fails. Unsubscribing closes at once, destroying open connections.
   */
  listen(): Observable<ListeningAddress>;
  /**
   * Graceful shutdown: refuses new requests (503), ends every session and stream cleanly,
   * completes `sessions$`, waits for connections to close, and after the deadline destroys
   * what is left. Completes when everything is released. A closed server stays closed:
   * create a new one to serve again.
   */
  close(options?: ServerCloseOptions): Observable<void>;
  /** Live counts, for metrics and tests. */
  readonly stats: { readonly sessions: number; readonly streams: number };
}

/**
 * Creates a Streamable HTTP server transport for MCP (spec 2025-11-25): one endpoint for
 * POST, GET and DELETE, sessions, resumable SSE streams, admission limits and graceful
 * shutdown. Creating has no side effects; `listen()` binds.
 *
 * ```text
 * POST initialize ──> sessions$: session ──> session.messages$: initialize
 *                                             session.send(result) ──> SSE: id s1_1 result, end
 * GET (session)   ──> standalone stream: session.send(notification) goes here
 * GET Last-Event-ID: s1_0 ──> replay of stream s1 after seq 0, then live
 * DELETE          ──> session ends, its id gets 404 from now on
 * close()         ──> 503 to newcomers, streams end, sockets close; force after deadline
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
 * import { createStreamableHttpServer } from 'rxmcp/node';
 * import { toSdkTransport } from 'rxmcp/sdk';
 *
 * const server = createStreamableHttpServer({ port: 3000 });
 * server.sessions$.subscribe((session) => {
 *   const mcp = new McpServer({ name: 'demo', version: '1.0.0' });
 *   void mcp.connect(toSdkTransport(session));
 * });
 * server.listen().subscribe(({ url }) => console.log(`MCP on ${url}`));
 * process.on('SIGTERM', () => server.close().subscribe());
 * ```
 */
export function createStreamableHttpServer(
  options: StreamableHttpServerOptions = {},
): McpHttpServer {
  const resolved = resolveServerOptions(options);
  const context: ServerContext = {
    options: resolved,
    sessions: new Map<string, SessionHandle>(),
    sessionSlots: createSlots(resolved.maxSessions),
    streamSlots: createSlots(resolved.maxStreams),
    newSessions: new Subject<ServerSession>(),
    keepAlive: createKeepAlive(resolved.keepAliveMs, resolved.scheduler),
  };
  // Every response in flight, so that shutdown can wait for them and destroy the rest.
  const inFlight = new Set<ServerResponse>();
  const servers = new Set<Server>();
  const settled = new Subject<void>();
  let closing = false;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      settled.next();
    });
    // Before anything can answer: refusals and SSE streams need them too, or the page sees
    // an opaque network error instead of the status.
    if (resolved.cors !== undefined) addCorsHeaders(req, res, resolved.cors);
    if (closing) {
      res.setHeader('connection', 'close');
      sendRefusal(res, refusal(503, 'The server is shutting down.'));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== resolved.path) {
      sendRefusal(res, refusal(404, `Not found; the MCP endpoint is ${resolved.path}.`));
      return;
    }
    const preflightCors = req.method === 'OPTIONS' ? resolved.cors : undefined;
    // Browsers send no credentials on a preflight: only Host and Origin are checked.
    const denied = checkAccess(
      req,
      preflightCors === undefined ? resolved : { ...resolved, bearerToken: undefined },
    );
    if (denied !== undefined) {
      sendRefusal(res, denied);
      return;
    }
    if (preflightCors !== undefined) {
      answerPreflight(res, preflightCors);
      return;
    }
    switch (req.method) {
      case 'POST': {
        const reading = handlePost(req, res, context);
        if (reading !== undefined) res.on('close', () => reading.unsubscribe());
        return;
      }
      case 'GET':
        handleGet(req, res, context);
        return;
      case 'DELETE': {
        // [spec 2025-11-25 transports] Clients that no longer need a particular session ...
        // SHOULD send an HTTP DELETE to the MCP endpoint with the MCP-Session-Id header
        const session = sessionOf(req, context);
        if (isRefusal(session)) {
          sendRefusal(res, session);
          return;
        }
        session.end();
        res.writeHead(200).end();
        return;
      }
      default:
        sendRefusal(
          res,
          refusal(405, `Method ${req.method ?? ''} is not allowed on the MCP endpoint.`, {
            headers: { allow: MCP_METHODS },
          }),
        );
    }
  };

  const forceClose = (): void => {
    for (const res of inFlight) res.socket?.destroy();
    for (const server of servers) server.closeAllConnections();
  };

  const endEverything = (): void => {
    for (const session of [...context.sessions.values()]) session.end();
    // No session can start any more: let subscribers of sessions$ finish.
    context.newSessions.complete();
    for (const server of servers) server.close();
  };

  const listen = (): Observable<ListeningAddress> =>
    new Observable<ListeningAddress>((subscriber) => {
      const server = createServer(handle);
      servers.add(server);
      server.on('error', (error) =>
        subscriber.error(
          new RxMcpError('network', `Could not listen on ${resolved.host}:${resolved.port}.`, {
            cause: error,
          }),
        ),
      );
      server.on('close', () => {
        servers.delete(server);
        settled.next();
        subscriber.complete();
      });
      server.listen(resolved.port, resolved.host, () => {
        const { port } = server.address() as AddressInfo;
        const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
        subscriber.next({ url: `http://${host}:${port}${resolved.path}`, host, port });
      });
      return () => {
        if (!server.listening) return;
        server.close();
        server.closeAllConnections();
      };
    });

  const close = (closeOptions: ServerCloseOptions = {}): Observable<void> =>
    defer(() => {
      closing = true;
      endEverything();
      // Responses that just ended leave keep-alive sockets behind: close them as they idle.
      const idleSweep = settled.subscribe(() => {
        for (const server of servers) server.closeIdleConnections();
      });
      for (const server of servers) server.closeIdleConnections();
      const done$ = settled.pipe(
        startWith(undefined),
        filter(() => inFlight.size === 0 && servers.size === 0),
        take(1),
      );
      const timeoutMs = closeOptions.timeoutMs ?? resolved.shutdownTimeoutMs;
      const deadline$ = timer(timeoutMs, resolved.scheduler).pipe(
        takeUntil(done$),
        tap(forceClose),
      );
      return merge(done$, deadline$).pipe(
        ignoreElements(),
        finalize(() => idleSweep.unsubscribe()),
      );
    });

  return {
    sessions$: context.newSessions.asObservable(),
    handle,
    listen,
    close,
    get stats() {
      return { sessions: context.sessionSlots.used, streams: context.streamSlots.used };
    },
  };
}
