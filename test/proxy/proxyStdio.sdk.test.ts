/**
 * The official SDK client through `proxyStdio` to stdio servers: the SDK fixture server
 * (tools, progress with server-to-client pings) and the reference "everything" server.
 */
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { lastValueFrom } from 'rxjs';
import { proxyStdio } from '../../src/proxy/proxyStdio';
import type { McpProxy } from '../../src/proxy/createProxyServer';
import { listening } from './support/listen';

const sdkServer = resolve(__dirname, '../fixtures/stdio/sdk-server.mjs');

let proxy: McpProxy | undefined;
afterEach(async () => {
  await lastValueFrom(proxy!.close(), { defaultValue: undefined });
  proxy = undefined;
});

async function start(command: string, args: string[]): Promise<string> {
  proxy = proxyStdio({ server: { command, args } });
  return (await listening(proxy)).url;
}

describe('proxyStdio with the official SDK client', () => {
  it('lists and calls tools and streams progress through a child per session', async () => {
    const url = await start(process.execPath, [sdkServer]);
    const client = new Client({ name: 'sdk-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('rxmcp-fixture');
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(['add', 'crash', 'echo', 'slow']);
    expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).toMatchObject({
      content: [{ type: 'text', text: '5' }],
    });
    const progress: number[] = [];
    const slow = await client.callTool({ name: 'slow', arguments: { steps: 3 } }, undefined, {
      onprogress: ({ progress: value }) => progress.push(value),
    });
    expect(slow.content).toEqual([{ type: 'text', text: 'done after 3 steps' }]);
    expect(progress).toEqual([1, 2, 3]);
    expect(proxy!.health()).toMatchObject({ status: 'ok', sessions: 1, children: 1 });
    await transport.terminateSession();
    await client.close();
  });
});

describe('proxyStdio fronting @modelcontextprotocol/server-everything (stdio)', () => {
  it('carries tools, progress, resources, sampling, elicitation and roots round trips', async () => {
    const entry = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
    const url = await start(process.execPath, [entry, 'stdio']);
    const client = new Client(
      { name: 'sdk-client', version: '1.0.0' },
      { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
    );
    const seen: string[] = [];
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      seen.push(request.method);
      return {
        model: 'test-model',
        role: 'assistant',
        content: { type: 'text', text: 'sampled through the proxy' },
      };
    });
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      seen.push(request.method);
      return { action: 'decline' };
    });
    client.setRequestHandler(ListRootsRequestSchema, async (request) => {
      seen.push(request.method);
      return { roots: [{ uri: 'file:///tmp/proxy-root', name: 'proxy-root' }] };
    });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);

    const echoed = await client.callTool({ name: 'echo', arguments: { message: 'via proxy' } });
    expect(JSON.stringify(echoed.content)).toContain('via proxy');

    const progress: number[] = [];
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: ({ progress: value }) => progress.push(value) },
    );
    expect(progress.length).toBeGreaterThanOrEqual(2);

    const resources = await client.listResources();
    expect(resources.resources.length).toBeGreaterThan(0);
    const read = await client.readResource({ uri: resources.resources[0]!.uri });
    expect(read.contents.length).toBeGreaterThan(0);

    const sampled = await client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hello', maxTokens: 5 },
    });
    expect(JSON.stringify(sampled.content)).toContain('sampled through the proxy');

    const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(elicited.content)).toContain('declined');

    const roots = await client.callTool({ name: 'get-roots-list', arguments: {} });
    expect(JSON.stringify(roots.content)).toContain('proxy-root');
    expect(seen).toEqual(
      expect.arrayContaining(['sampling/createMessage', 'elicitation/create', 'roots/list']),
    );
    await transport.terminateSession();
    await client.close();
  });
});
