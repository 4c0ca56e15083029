/**
 * The legacy HTTP+SSE client transport (2024-11-05) and the automatic fallback of
 * `httpTransport`, against the official SDK's SSEServerTransport, a scripted server and
 * `server-everything sse`.
 */
import { firstValueFrom, toArray } from 'rxjs';
import type { JsonRpcMessage } from '../../../src/jsonrpc/types';
import { httpTransport } from '../../../src/transports/http/httpTransport';
import { legacySseTransport } from '../../../src/transports/http/legacySseTransport';
import type { Transport } from '../../../src/transports/transport';
import { freePort } from '../../support/freePort';
import { startEverything } from './support/everythingServer';
import type { EverythingServer } from './support/everythingServer';
import { rawClient, resultOf } from './support/rawClient';
import type { RawClient } from './support/rawClient';
import { startScriptedServer } from './support/scriptedServer';
import type { ScriptedServer } from './support/scriptedServer';
import { startSdkServer } from './support/sdkHttpServer';
import type { SdkHttpServer } from './support/sdkHttpServer';
import { startSdkSseServer } from './support/sdkSseServer';
import type { SdkSseServer } from './support/sdkSseServer';

const closers: (() => Promise<void>)[] = [];
let client: RawClient | undefined;

afterEach(async () => {
  client?.unsubscribe();
  client = undefined;
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function sseServer(): Promise<SdkSseServer> {
  const server = await startSdkSseServer();
  closers.push(() => server.close());
  return server;
}

function open(transport: Transport): RawClient {
  client = rawClient(transport);
  return client;
}

const retry = { initialDelayMs: 5 };

describe('legacySseTransport', () => {
  it('waits for the endpoint event, then POSTs every message to it', async () => {
    const server = await sseServer();
    const client = open(legacySseTransport({ url: server.url, retry }));
    expect(resultOf(await client.initialize()).protocolVersion).toEqual(expect.any(String));
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { text: 'old' } }),
    );
    expect(echo.content).toEqual([{ type: 'text', text: 'old' }]);
    const posts = server.requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      expect(post.path).toBe(`/messages?sessionId=${server.sessions[0]}`);
    }
  });

  it('re-initializes when a reconnect brings a new endpoint, failing what was pending', async () => {
    const server = await sseServer();
    const client = open(legacySseTransport({ url: server.url, retry }));
    await client.initialize();
    const id = await client.start('tools/call', { name: 'gated', arguments: {} });
    await server.gateReached();
    server.streams[0]!.socket?.destroy();
    const lost = await client.response(id);
    expect(lost).toMatchObject({
      error: { code: -32000, data: { kind: 'network', retryable: true } },
    });
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { text: 'new' } }),
    );
    expect(echo.content).toEqual([{ type: 'text', text: 'new' }]);
    expect(server.sessions).toHaveLength(2);
    const initializes = server.requests.filter((request) => request.method === 'POST');
    expect(initializes.map((request) => request.path)).toContain(
      `/messages?sessionId=${server.sessions[1]}`,
    );
    // The replayed initialize's response stayed inside the transport.
    expect(
      client.messages.filter((message) => 'result' in message && message.id === 1),
    ).toHaveLength(1);
    expect(client.ended()).toBeUndefined();
  });

  it('refuses an endpoint on another origin', async () => {
    const scripted: ScriptedServer = await startScriptedServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://example.invalid/messages\n\n');
    });
    closers.push(() => scripted.close());
    const client = open(legacySseTransport({ url: `${scripted.origin}/sse`, retry }));
    const ended = await client.waitForEnd();
    expect(ended).toMatchObject({ kind: 'protocol', message: expect.stringContaining('origin') });
    expect(client.states.at(-1)).toMatchObject({ type: 'closed', reason: { kind: 'protocol' } });
  });

  it('fails a send that is still waiting for the endpoint when the transport closes', async () => {
    const scripted = await startScriptedServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': no endpoint yet\n\n');
    });
    closers.push(() => scripted.close());
    const transport = legacySseTransport({ url: `${scripted.origin}/sse`, retry });
    const client = open(transport);
    await scripted.until((requests) => requests.length === 1);
    const sent = firstValueFrom(
      transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' }).pipe(toArray()),
    );
    await client.close();
    await expect(sent).rejects.toMatchObject({ kind: 'closed' });
  });
});

describe('httpTransport', () => {
  it('falls back to HTTP+SSE when the initialize POST is answered 405', async () => {
    const server = await sseServer();
    const client = open(httpTransport({ url: server.url, retry }));
    await client.initialize();
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { text: 'fallback' } }),
    );
    expect(echo.content).toEqual([{ type: 'text', text: 'fallback' }]);
    expect(server.requests.slice(0, 2)).toEqual([
      { method: 'POST', path: '/sse' },
      { method: 'GET', path: '/sse' },
    ]);
    expect(client.states.some((state) => state.type === 'closed')).toBe(false);
  });

  it('stays on Streamable HTTP when the server speaks it', async () => {
    const server: SdkHttpServer = await startSdkServer();
    closers.push(() => server.close());
    const client = open(httpTransport({ url: server.url, retry }));
    await client.initialize();
    await client.request('tools/list');
    expect(
      server.requests.every(
        (request) => request.method !== 'GET' || request.headers['mcp-session-id'],
      ),
    ).toBe(true);
  });

  it("fails the initialize with the server's answer when fallback is 'none'", async () => {
    const server = await sseServer();
    const transport = httpTransport({ url: server.url, retry, fallback: 'none' });
    open(transport);
    const initialize: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };
    await expect(firstValueFrom(transport.send(initialize).pipe(toArray()))).rejects.toMatchObject({
      kind: 'http',
      status: 405,
    });
  });

  it('falls back against server-everything in sse mode', async () => {
    const port = await freePort();
    const everything: EverythingServer = await startEverything('sse', port);
    closers.push(() => everything.stop());
    const client = open(httpTransport({ url: `http://127.0.0.1:${port}/sse`, retry }));
    await client.initialize();
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { message: 'legacy' } }),
    );
    expect(JSON.stringify(echo.content)).toContain('legacy');
  });
});
