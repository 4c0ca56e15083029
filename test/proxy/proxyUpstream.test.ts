/**
 * `proxyUpstream`: the official SDK client through the reverse proxy to a remote Streamable
 * HTTP server (rxmcp's, hosting an SDK McpServer). Tools, progress, the protocol version
 * passed through unchanged, and an upstream restart absorbed by re-initializing upstream.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { lastValueFrom } from 'rxjs';
import type { McpProxy } from '../../src/proxy/createProxyServer';
import { proxyUpstream } from '../../src/proxy/proxyUpstream';
import { hostSdkServer, start } from '../server/support/harness';
import type { Running } from '../server/support/harness';
import { listening } from './support/listen';

let upstream: Running | undefined;
let proxy: McpProxy | undefined;
afterEach(async () => {
  if (proxy !== undefined) await lastValueFrom(proxy.close(), { defaultValue: undefined });
  await upstream?.stop();
});

it('proxies the SDK client to a remote server, and survives an upstream restart', async () => {
  upstream = await start();
  hostSdkServer(upstream.server);
  const { port } = upstream;
  proxy = proxyUpstream({
    upstream: { url: upstream.url, retry: { initialDelayMs: 10, maxDelayMs: 100 } },
  });
  const { url } = await listening(proxy);
  const client = new Client({ name: 'sdk-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  expect(client.getServerVersion()?.name).toBe('rxmcp-test');
  expect(transport.protocolVersion).toBe('2025-11-25');

  const progress: number[] = [];
  const counted = await client.callTool({ name: 'count', arguments: { to: 3 } }, undefined, {
    onprogress: ({ progress: value }) => progress.push(value),
  });
  expect(counted.content).toEqual([{ type: 'text', text: 'counted to 3' }]);
  expect(progress).toEqual([1, 2, 3]);
  const before = await client.callTool({ name: 'whoami', arguments: {} });
  expect(proxy.health()).toMatchObject({ sessions: 1, children: 1 });

  await upstream.stop();
  upstream = await start({ port });
  hostSdkServer(upstream.server);

  const echoed = await client.callTool({ name: 'echo', arguments: { text: 'after restart' } });
  expect(echoed.content).toEqual([{ type: 'text', text: 'after restart' }]);
  const after = await client.callTool({ name: 'whoami', arguments: {} });
  // A new upstream session behind the same client session.
  expect(after.content).not.toEqual(before.content);
  await transport.terminateSession();
  await client.close();
  // Closing waits for every upstream to report closed: it does not need the deadline.
  const started = performance.now();
  await lastValueFrom(proxy.close({ timeoutMs: 3000 }), { defaultValue: undefined });
  expect(performance.now() - started).toBeLessThan(2000);
  expect(proxy.health()).toMatchObject({ sessions: 0, children: 0 });
});
