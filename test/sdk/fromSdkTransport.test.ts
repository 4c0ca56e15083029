import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport as SdkTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { fromSdkTransport } from '../../src/sdk/fromSdkTransport.js';
import { toSdkTransport } from '../../src/sdk/toSdkTransport.js';
import {
  NODE,
  SDK_SERVER,
  done,
  marker,
  open,
  processesWith,
  waitFor,
} from '../transports/stdio/support.js';

const initialize = {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'rxmcp-test', version: '1.0.0' },
};

/** An SDK server on one end of an in-memory pair; the other end as an rxmcp transport. */
async function inMemoryServer() {
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  const server = new McpServer({ name: 'in-memory', version: '1.0.0' });
  server.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, async (args) => ({
    content: [{ type: 'text', text: String(args.a + args.b) }],
  }));
  await server.connect(serverEnd);
  return { server, clientEnd, transport: fromSdkTransport(clientEnd) };
}

/** A hand-written SDK transport whose start, send and close fail on demand. */
class FailingTransport implements SdkTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: SdkTransport['onmessage'];
  constructor(private readonly failing: { send?: Error; close?: Error }) {}
  async start(): Promise<void> {}
  async send(): Promise<void> {
    if (this.failing.send) throw this.failing.send;
  }
  async close(): Promise<void> {
    if (this.failing.close) throw this.failing.close;
    this.onclose?.();
  }
}

describe('fromSdkTransport', () => {
  it('runs an SDK transport as an rxmcp transport: start, messages, send, close', async () => {
    const { server, transport } = await inMemoryServer();
    const states = lastValueFrom(transport.state$.pipe(toArray()));
    let serverClosed = false;
    server.server.onclose = () => (serverClosed = true);

    await expect(
      lastValueFrom(transport.send({ jsonrpc: '2.0', id: 0, method: 'ping' })),
    ).rejects.toThrow(/Subscribe to messages\$ first/);
    const connection = open(transport);
    // start() has not resolved yet in this tick: the contract says a send made while
    // connecting waits for open, so initialize can go out in the same tick as the subscribe.
    expect(await firstValueFrom(transport.state$)).toEqual({ type: 'connecting', attempt: 0 });
    await expect(connection.call(1, 'initialize', initialize)).resolves.toMatchObject({
      result: { serverInfo: { name: 'in-memory' } },
    });
    await lastValueFrom(transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
      defaultValue: undefined,
    });
    await expect(
      connection.call(2, 'tools/call', { name: 'add', arguments: { a: 1, b: 2 } }),
    ).resolves.toMatchObject({ result: { content: [{ type: 'text', text: '3' }] } });

    await done(transport.close());
    await expect(connection.ended()).resolves.toBeUndefined();
    expect(serverClosed).toBe(true);
    await expect(states).resolves.toEqual([
      { type: 'idle' },
      { type: 'connecting', attempt: 0 },
      { type: 'open' },
      { type: 'closed' },
    ]);
    await expect(
      lastValueFrom(transport.send({ jsonrpc: '2.0', id: 3, method: 'ping' })),
    ).rejects.toThrow(/create a new one/);
    await expect(lastValueFrom(transport.messages$)).rejects.toMatchObject({ kind: 'closed' });
  });

  it('round-trips the SDK Client through both adapters', async () => {
    const { transport } = await inMemoryServer();
    const client = new Client({ name: 'rxmcp-test', version: '1.0.0' });
    await client.connect(toSdkTransport(transport));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['add']);
    await expect(client.callTool({ name: 'add', arguments: { a: 20, b: 22 } })).resolves.toEqual({
      content: [{ type: 'text', text: '42' }],
    });
    await client.close();
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({ type: 'closed' });
  });

  it('reports onerror as values, passes sessionId, and closes the SDK transport on unsubscribe', async () => {
    const { server, clientEnd, transport } = await inMemoryServer();
    let serverClosed = false;
    server.server.onclose = () => (serverClosed = true);
    clientEnd.sessionId = 'session-7';
    expect(transport.sessionId).toBe('session-7');
    const errors = lastValueFrom(transport.errors$.pipe(toArray()));
    const connection = open(transport);
    await waitFor(transport.state$, (state) => state.type === 'open');

    clientEnd.onerror?.(new Error('a line did not parse'));
    await expect(connection.call(1, 'ping')).resolves.toMatchObject({ result: {} });

    connection.subscription.unsubscribe();
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({ type: 'closed' });
    expect(serverClosed).toBe(true);
    expect((await errors).map((error) => error.message)).toEqual(['a line did not parse']);
  });

  it('fails messages$ with closed when start() rejects (the SDK’s own stdio, a missing command)', async () => {
    const transport = fromSdkTransport(new StdioClientTransport({ command: '/nonexistent/x' }));
    const connection = open(transport);
    await expect(connection.ended()).resolves.toMatchObject({
      kind: 'closed',
      message: expect.stringMatching(/could not start: .*ENOENT/),
    });
  });

  it('wraps the SDK’s stdio client transport around a real server', async () => {
    const tag = marker('sdk-stdio');
    const transport = fromSdkTransport(
      new StdioClientTransport({ command: NODE, args: [SDK_SERVER, tag], stderr: 'ignore' }),
    );
    const connection = open(transport);
    await waitFor(transport.state$, (state) => state.type === 'open');
    await expect(connection.call(1, 'initialize', initialize)).resolves.toMatchObject({
      result: { serverInfo: { name: 'rxmcp-fixture' } },
    });
    await done(transport.close());
    await expect(connection.ended()).resolves.toBeUndefined();
    expect(processesWith(tag)).toEqual([]);
  }, 60_000);

  it('closes the SDK transport after its start(), even when unsubscribed in the same tick', async () => {
    const tag = marker('sdk-stdio-quick');
    const sdk = new StdioClientTransport({
      command: NODE,
      args: [SDK_SERVER, tag],
      stderr: 'ignore',
    });
    // The real methods, with a note of when they run and end.
    const calls: string[] = [];
    const [start, close] = [sdk.start.bind(sdk), sdk.close.bind(sdk)];
    sdk.start = async () => {
      calls.push('start');
      await start();
      calls.push(`started pid ${sdk.pid === null ? 'none' : 'set'}`);
    };
    sdk.close = async () => {
      calls.push('close');
      await close();
    };
    const transport = fromSdkTransport(sdk);
    transport.messages$.subscribe().unsubscribe();
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({ type: 'closed' });
    // start() spawned the server, and close() came only after it: nothing is left.
    expect(calls).toEqual(['start', 'started pid set', 'close']);
    expect(processesWith(tag)).toEqual([]);
  }, 60_000);

  it('normalises a failing send and a failing close into RxMcpErrors', async () => {
    const transport = fromSdkTransport(
      new FailingTransport({ send: new Error('pipe broke'), close: new Error('close broke') }),
    );
    const connection = open(transport);
    await waitFor(transport.state$, (state) => state.type === 'open');
    await expect(
      lastValueFrom(transport.send({ jsonrpc: '2.0', method: 'x' })),
    ).rejects.toMatchObject({ kind: 'unknown', message: 'pipe broke' });
    await done(transport.close());
    await expect(connection.ended()).resolves.toMatchObject({ message: 'close broke' });
  });

  it('closes at once when it was never started', async () => {
    const transport = fromSdkTransport(new FailingTransport({}));
    await done(transport.close());
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({ type: 'closed' });
    await expect(lastValueFrom(transport.errors$, { defaultValue: 'none' })).resolves.toBe('none');
  });
});
