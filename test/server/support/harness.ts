import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { EMPTY, filter, firstValueFrom, lastValueFrom, mergeMap } from 'rxjs';
import { isRequest } from '../../../src/jsonrpc/typeGuards';
import type { JsonRpcRequest } from '../../../src/jsonrpc/types';
import type { ServerSession } from '../../../src/server/ServerSession';
import { z } from 'zod';
import { createStreamableHttpServer } from '../../../src/server/createStreamableHttpServer';
import type { McpHttpServer } from '../../../src/server/createStreamableHttpServer';
import type { StreamableHttpServerOptions } from '../../../src/server/StreamableHttpServerOptions';
import { toSdkTransport } from '../../../src/sdk/toSdkTransport';

/** A listening server and the way to stop it; `stop()` is idempotent. */
export interface Running {
  readonly server: McpHttpServer;
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. */
export async function start(options: StreamableHttpServerOptions = {}): Promise<Running> {
  const server = createStreamableHttpServer(options);
  const listening = server.listen();
  let subscription: { unsubscribe(): void } | undefined;
  const address = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    subscription = listening.subscribe({ next: resolve, error: reject });
  });
  let stopped = false;
  return {
    server,
    ...address,
    async stop() {
      if (stopped) return;
      stopped = true;
      await lastValueFrom(server.close(), { defaultValue: undefined });
      subscription?.unsubscribe();
    },
  };
}

/** Hosts an SDK McpServer with a few tools on every session of `server`. */
export function hostSdkServer(server: McpHttpServer): { readonly servers: McpServer[] } {
  const servers: McpServer[] = [];
  server.sessions$.subscribe((session) => {
    const mcp = new McpServer({ name: 'rxmcp-test', version: '1.0.0' });
    mcp.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    mcp.registerTool('whoami', {}, async (extra) => ({
      content: [{ type: 'text', text: extra.sessionId ?? 'no session id' }],
    }));
    mcp.registerTool('count', { inputSchema: { to: z.number() } }, async ({ to }, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (let n = 1; n <= to; n++) {
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: n, total: to },
          });
        }
      }
      return { content: [{ type: 'text', text: `counted to ${to}` }] };
    });
    servers.push(mcp);
    void mcp.connect(toSdkTransport(session));
  });
  return { servers };
}

/** A raw HTTP exchange, for headers and statuses the SDK client hides. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export const ACCEPT_BOTH = 'application/json, text/event-stream';

export const initializeBody = (version = '2025-11-25', id: number | string = 1): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: version,
      capabilities: {},
      clientInfo: { name: 'raw', version: '0.0.0' },
    },
  });

/**
 * Sends one request with `node:http` (no agent: each request its own socket, closed after)
 * and resolves with the whole response; `until` resolves early with what arrived so far once
 * it returns true (the socket is then destroyed), for SSE streams that stay open.
 */
export function raw(
  url: string,
  init: {
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    readonly until?: (body: string) => boolean;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'POST', headers: init.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        const done = (): void =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        res.on('data', (chunk: string) => {
          body += chunk;
          if (init.until?.(body)) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', () => done());
        res.on('close', done);
        if (init.until?.(body)) {
          done();
          res.destroy();
        }
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Initializes a session over raw HTTP; resolves with its id. */
export async function rawSession(url: string, version = '2025-11-25'): Promise<string> {
  const res = await raw(url, {
    headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json' },
    body: initializeBody(version),
    until: (body) => body.includes('"result"'),
  });
  const id = res.headers['mcp-session-id'];
  if (typeof id !== 'string') throw new Error(`no session id: ${res.status} ${res.body}`);
  return id;
}

/** Headers of a request in an open session. */
export const inSession = (id: string, version = '2025-11-25'): Record<string, string> => ({
  accept: ACCEPT_BOTH,
  'content-type': 'application/json',
  'mcp-session-id': id,
  'mcp-protocol-version': version,
});

/** The complete events of an SSE body (a partial last event is left out). */
function sseBlocks(body: string): string[] {
  return body.split('\n\n').slice(0, -1);
}

/** The `data:` payloads of the complete message events in an SSE body. */
export function sseData(body: string): unknown[] {
  return sseBlocks(body)
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined && line.length > 'data: '.length)
    .map((line) => JSON.parse(line.slice('data: '.length)) as unknown);
}

/** The `id:` fields of an SSE body, in order. */
export function sseIds(body: string): string[] {
  return sseBlocks(body)
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.startsWith('id: '))
    .map((line) => line.slice('id: '.length));
}

export { firstValueFrom };

/**
 * An rxmcp-level application: answers `initialize` and every request `respond` returns a
 * result for (others stay open), through the session's Transport contract.
 */
export function answerRequests(
  server: McpHttpServer,
  respond: (request: JsonRpcRequest, session: ServerSession) => unknown = () => ({}),
): { readonly sessions: ServerSession[] } {
  const sessions: ServerSession[] = [];
  server.sessions$.subscribe((session) => {
    sessions.push(session);
    session.messages$
      .pipe(
        filter(isRequest),
        mergeMap((request) => {
          const result =
            request.method === 'initialize'
              ? {
                  protocolVersion:
                    (request.params as { protocolVersion?: string }).protocolVersion ??
                    '2025-11-25',
                  capabilities: {},
                  serverInfo: { name: 'rx-app', version: '0.0.0' },
                }
              : respond(request, session);
          return result === undefined
            ? EMPTY
            : session.send({ jsonrpc: '2.0', id: request.id, result });
        }),
      )
      .subscribe({ error: () => undefined });
  });
  return { sessions };
}

/** An SSE response held open: resolved once its head arrived. */
export interface OpenStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Resolves with the whole body once the server ends the response (or the socket closes). */
  readonly ended: Promise<string>;
  /** Drops the connection from the client side. */
  destroy(): void;
}

/** Sends a request and resolves at the response head, leaving the body streaming. */
export function openStream(
  url: string,
  init: {
    readonly method?: string;
    readonly headers: Record<string, string>;
    readonly body?: string;
  },
): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'POST', headers: init.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        const ended = new Promise<string>((done) => {
          res.on('end', () => done(body));
          res.on('close', () => done(body));
          res.on('error', () => done(body));
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          ended,
          destroy: () => res.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
