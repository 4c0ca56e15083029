/**
 * The official SDK's Streamable HTTP server, mounted on a plain `node:http` server on
 * 127.0.0.1 port 0, as the peer of the client transport tests.
 *
 * Every session gets its own `McpServer` + `StreamableHTTPServerTransport`, as the SDK's
 * examples do. Everything a test needs to wait for is an event: requests received
 * (`requests`, with `until`), tool gates a test opens, sessions forgotten (a restart).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { untilTrue } from '../../../support/whenChanged';

export interface SdkServerOptions {
  /** Keep events for resumption (and send priming events). */
  readonly eventStore?: boolean | 'replay-one-more';
  /** Answer requests with JSON instead of SSE. */
  readonly json?: boolean;
  /** The `retry:` the server sends with priming events. */
  readonly retryInterval?: number;
}

/** One HTTP request the server saw. */
export interface Seen {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  /** The JSON-RPC method in a POST body, if any. */
  readonly rpc?: string;
  readonly status: () => number;
  readonly res: ServerResponse;
}

export interface SdkHttpServer {
  readonly url: string;
  readonly requests: Seen[];
  /** Resolves when `predicate` holds for the requests seen, checked on each new request. */
  until(predicate: (requests: readonly Seen[]) => boolean): Promise<void>;
  /** Opens the gate the `gated` tool waits on. */
  openGate(): void;
  /** Resolves when the `gated` tool reaches its gate. */
  gateReached(): Promise<void>;
  /** Forgets every session, as a restarted server would: old ids now get 404. */
  forgetSessions(): Promise<void>;
  /** Sends a notification on the standalone GET stream of every session. */
  broadcast(text: string): Promise<void>;
  /** Session ids created so far. */
  readonly sessions: string[];
  close(): Promise<void>;
}

export async function startSdkServer(options: SdkServerOptions = {}): Promise<SdkHttpServer> {
  const changes = new EventEmitter();
  const requests: Seen[] = [];
  const sessions: string[] = [];
  const live = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  let gate = deferred();
  let reached = deferred();

  const makeServer = (): McpServer => {
    const server = new McpServer(
      { name: 'sdk-http', version: '1.0.0' },
      { capabilities: { logging: {} } },
    );
    server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    server.registerTool(
      'progress',
      { inputSchema: { steps: z.number() } },
      async ({ steps }, extra) => {
        const progressToken = extra._meta?.progressToken;
        for (let step = 1; step <= steps && progressToken !== undefined; step += 1) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: step, total: steps },
          });
        }
        return { content: [{ type: 'text', text: `did ${steps}` }] };
      },
    );
    // Sends progress 1, waits for the test, then progress 2 and the result.
    server.registerTool('gated', {}, async (extra) => {
      const progressToken = extra._meta?.progressToken ?? 'none';
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: 1 },
      });
      reached.resolve();
      await gate.promise;
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: 2 },
      });
      return { content: [{ type: 'text', text: 'through' }] };
    });
    // SEP-1699: closes the response stream after the priming event; the client polls.
    server.registerTool('poll', {}, async (extra) => {
      extra.closeSSEStream?.();
      await gate.promise;
      return { content: [{ type: 'text', text: 'polled' }] };
    });
    return server;
  };

  const newTransport = async (): Promise<StreamableHTTPServerTransport> => {
    const server = makeServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.json ?? false,
      ...(options.eventStore ? { eventStore: eventStore(options.eventStore) } : {}),
      ...(options.retryInterval === undefined ? {} : { retryInterval: options.retryInterval }),
      onsessioninitialized: (id) => {
        sessions.push(id);
        live.set(id, { transport, server });
      },
    });
    await server.connect(transport);
    return transport;
  };

  const http = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = req.method === 'POST' ? JSON.parse(await readAll(req)) : undefined;
    const seen: Seen = {
      method: req.method ?? '',
      headers: req.headers,
      ...(body?.method ? { rpc: body.method as string } : {}),
      status: () => res.statusCode,
      res,
    };
    requests.push(seen);
    changes.emit('change');
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const entry = live.get(sessionId);
      if (entry === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: { code: -32001, message: 'Session not found' },
          }),
        );
        return;
      }
      await entry.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method === 'POST' && body?.method === 'initialize') {
      const transport = await newTransport();
      await transport.handleRequest(req, res, body);
      return;
    }
    res.writeHead(400).end('no session');
  };

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const closeSessions = async (): Promise<void> => {
    const entries = [...live.values()];
    live.clear();
    await Promise.all(entries.map(({ server }) => server.close()));
  };

  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    sessions,
    until: (predicate) => untilTrue(changes, () => predicate(requests)),
    openGate: () => gate.resolve(),
    gateReached: () => reached.promise,
    forgetSessions: async () => {
      await closeSessions();
      gate = deferred();
      reached = deferred();
    },
    broadcast: async (text) => {
      await Promise.all(
        [...live.values()].map(({ server }) =>
          server.server.sendLoggingMessage({ level: 'info', data: text }),
        ),
      );
    },
    close: async () => {
      gate.resolve();
      await closeSessions();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * An event store in arrival order (the SDK example sorts ids that embed random parts, which
 * can reorder events of one millisecond). `replay-one-more` also replays the event at
 * `Last-Event-ID`, as a server might after a crash, to prove the client drops duplicates.
 */
function eventStore(kind: true | 'replay-one-more'): EventStore {
  const events: { id: string; streamId: string; message: JSONRPCMessage }[] = [];
  let next = 0;
  return {
    storeEvent: async (streamId, message) => {
      next += 1;
      const id = `${streamId}:${next}`;
      events.push({ id, streamId, message });
      return id;
    },
    replayEventsAfter: async (lastEventId, { send }) => {
      const index = events.findIndex((event) => event.id === lastEventId);
      if (index === -1) return '';
      const { streamId } = events[index]!;
      const from = kind === 'replay-one-more' ? index : index + 1;
      for (const event of events.slice(from)) {
        if (event.streamId === streamId) await send(event.id, event.message);
      }
      return streamId;
    },
  };
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
