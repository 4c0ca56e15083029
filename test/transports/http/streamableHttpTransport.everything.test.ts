/**
 * The Streamable HTTP client transport against the reference server,
 * `@modelcontextprotocol/server-everything streamableHttp`, in a child process: tools,
 * progress, and a server restart in the middle of a session.
 */
import type { JsonRpcMessage } from '../../../src/jsonrpc/types';
import { streamableHttpTransport } from '../../../src/transports/http/streamableHttpTransport';
import { rawClient, resultOf } from './support/rawClient';
import type { RawClient } from './support/rawClient';
import { freePort } from '../../support/freePort';
import { startEverything } from './support/everythingServer';
import type { EverythingServer } from './support/everythingServer';

let server: EverythingServer | undefined;
let client: RawClient | undefined;

afterEach(async () => {
  client?.unsubscribe();
  client = undefined;
  await server?.stop();
  server = undefined;
});

const isProgress = (message: JsonRpcMessage) =>
  'method' in message && message.method === 'notifications/progress';

async function open(): Promise<{ port: number; client: RawClient }> {
  const port = await freePort();
  server = await startEverything('streamableHttp', port);
  client = rawClient(
    streamableHttpTransport({
      url: `http://127.0.0.1:${port}/mcp`,
      retry: { initialDelayMs: 10, maxDelayMs: 100, maxRetries: 100 },
      // After a restart this server answers an unknown session with 400, not 404.
      sessionExpiredStatuses: [404, 400],
    }),
  );
  return { port, client };
}

describe('streamableHttpTransport against server-everything', () => {
  it('lists and calls tools, with progress before the result', async () => {
    const { client } = await open();
    const init = resultOf(await client.initialize());
    expect(init.serverInfo).toMatchObject({ name: expect.any(String) });
    const tools = resultOf(await client.request('tools/list')).tools as { name: string }[];
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'trigger-long-running-operation']),
    );
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { message: 'hi' } }),
    );
    expect(JSON.stringify(echo.content)).toContain('hi');

    const id = await client.start('tools/call', {
      name: 'trigger-long-running-operation',
      arguments: { duration: 0.1, steps: 2 },
      _meta: { progressToken: 'lr' },
    });
    const reply = await client.response(id);
    expect(JSON.stringify(resultOf(reply).content)).toContain('completed');
    const replyIndex = client.messages.indexOf(reply);
    const progress = client.messages.filter(isProgress);
    expect(progress).toHaveLength(2);
    for (const note of progress) expect(client.messages.indexOf(note)).toBeLessThan(replyIndex);
  });

  it('survives a server restart in the middle of a session: new session, requests work', async () => {
    const { port, client } = await open();
    await client.initialize();
    await client.waitForState((state) => state.type === 'open');
    await server!.stop();
    // The GET stream notices and starts reconnecting, and keeps trying while the server is down.
    await client.waitForState((state) => state.type === 'reconnecting');
    server = await startEverything('streamableHttp', port);
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { message: 'after' } }),
    );
    expect(JSON.stringify(echo.content)).toContain('after');
    expect(client.ended()).toBeUndefined();
  });
});
