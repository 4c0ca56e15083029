/**
 * The official SDK's deprecated HTTP+SSE server (SSEServerTransport, 2024-11-05) on a plain
 * node:http server on 127.0.0.1 port 0: GET /sse opens a session and names
 * /messages?sessionId=... in its endpoint event; POST /messages carries the client's
 * messages. Any other method on /sse answers 405 (what makes a client fall back).
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { z } from 'zod';
import { untilTrue } from '../../../support/whenChanged';

export interface SdkSseServer {
  readonly url: string;
  readonly requests: { method: string; path: string }[];
  /** The open SSE responses, newest last. */
  readonly streams: ServerResponse[];
  readonly sessions: string[];
  until(predicate: () => boolean): Promise<void>;
  gateReached(): Promise<void>;
  close(): Promise<void>;
}

export async function startSdkSseServer(): Promise<SdkSseServer> {
  const changes = new EventEmitter();
  const requests: { method: string; path: string }[] = [];
  const streams: ServerResponse[] = [];
  const sessions: string[] = [];
  const live = new Map<string, { transport: SSEServerTransport; server: McpServer }>();
  let reached: () => void = () => undefined;
  const gateReached = new Promise<void>((resolve) => (reached = resolve));
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (openGate = resolve));

  const makeServer = (): McpServer => {
    const server = new McpServer({ name: 'sdk-sse', version: '1.0.0' });
    server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    server.registerTool('gated', {}, async () => {
      reached();
      await gate;
      return { content: [{ type: 'text', text: 'late' }] };
    });
    return server;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '';
    requests.push({ method: req.method ?? '', path });
    changes.emit('change');
    if (path === '/sse' && req.method === 'GET') {
      const transport = new SSEServerTransport('/messages', res);
      const server = makeServer();
      live.set(transport.sessionId, { transport, server });
      sessions.push(transport.sessionId);
      streams.push(res);
      await server.connect(transport);
      changes.emit('change');
      return;
    }
    if (path.startsWith('/messages') && req.method === 'POST') {
      const sessionId = new URL(path, 'http://localhost').searchParams.get('sessionId') ?? '';
      const entry = live.get(sessionId);
      if (entry === undefined) {
        res.writeHead(404).end('no such session');
        return;
      }
      await entry.transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(path === '/sse' ? 405 : 404).end();
  };

  const http = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    requests,
    streams,
    sessions,
    until: (predicate) => untilTrue(changes, predicate),
    gateReached: () => gateReached,
    close: async () => {
      openGate();
      await Promise.all([...live.values()].map(({ server }) => server.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
