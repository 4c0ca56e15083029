/**
 * A node:http server on 127.0.0.1 port 0 that answers with whatever the test's handler
 * writes, and records every request (method, path, headers, JSON-RPC body), for the cases
 * the SDK's server cannot be made to produce (redirects, a second 404, a changed version).
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { untilTrue } from '../../../support/whenChanged';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** The parsed JSON body of a POST. */
  readonly body?: { id?: number | string; method?: string; [key: string]: unknown };
}

export type Handler = (request: Recorded, res: ServerResponse) => void;

export interface ScriptedServer {
  readonly origin: string;
  readonly url: string;
  readonly requests: Recorded[];
  until(predicate: (requests: readonly Recorded[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startScriptedServer(handler: Handler): Promise<ScriptedServer> {
  const changes = new EventEmitter();
  const requests: Recorded[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        ...(text === '' ? {} : { body: JSON.parse(text) as Recorded['body'] }),
      };
      requests.push(recorded);
      handler(recorded, res);
      changes.emit('change');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/mcp`,
    requests,
    until: (predicate) => untilTrue(changes, () => predicate(requests)),
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Answers a JSON-RPC request with a JSON body. */
export function json(
  res: ServerResponse,
  message: unknown,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(200, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(message));
}

/** The initialize result of a server speaking `version`. */
export function initializeResult(id: number | string | undefined, version = '2025-11-25') {
  return {
    jsonrpc: '2.0',
    id,
    result: {
      protocolVersion: version,
      capabilities: {},
      serverInfo: { name: 'scripted', version: '0.0.0' },
    },
  };
}
