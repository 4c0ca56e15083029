/**
 * The Streamable HTTP client transport against the official SDK's server transport
 * (StreamableHTTPServerTransport on node:http), in SSE and JSON response modes, with and
 * without an event store.
 */
import { firstValueFrom, toArray } from 'rxjs';
import type { RetryWithJitterConfig } from '../../../operators/retryWithJitter';
import { connect } from '../../../src/client/connect';
import { RxMcpError } from '../../../src/errors';
import { clientInfo, openClient } from '../../client/support/harness';
import type { JsonRpcMessage } from '../../../src/jsonrpc/types';
import { streamableHttpTransport } from '../../../src/transports/http/streamableHttpTransport';
import { TRANSPORT_ERROR_CODE } from '../../../src/transports/http/errorResponseFor';
import { PROTOCOL_VERSION, rawClient, resultOf } from './support/rawClient';
import type { RawClient } from './support/rawClient';
import { startSdkServer } from './support/sdkHttpServer';
import type { SdkHttpServer, SdkServerOptions } from './support/sdkHttpServer';

let server: SdkHttpServer | undefined;
let client: RawClient | undefined;

afterEach(async () => {
  client?.unsubscribe();
  client = undefined;
  await server?.close();
  server = undefined;
});

async function open(
  options: SdkServerOptions = {},
  retry: RetryWithJitterConfig = { initialDelayMs: 5 },
) {
  server = await startSdkServer(options);
  const transport = streamableHttpTransport({ url: server.url, retry });
  client = rawClient(transport);
  return { server, client, transport };
}

const isProgress = (progress: number) => (message: JsonRpcMessage) =>
  'method' in message &&
  message.method === 'notifications/progress' &&
  (message.params as { progress?: number } | undefined)?.progress === progress;

describe.each([
  ['SSE responses', {}],
  ['JSON responses', { json: true }],
] as const)('streamableHttpTransport with %s', (_, mode) => {
  it('initializes, keeps the session and the protocol version, and calls tools', async () => {
    const { server, client } = await open(mode);
    const init = resultOf(await client.initialize());
    expect(init.protocolVersion).toBe(PROTOCOL_VERSION);
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { text: 'hi' } }),
    );
    expect(echo.content).toEqual([{ type: 'text', text: 'hi' }]);

    const posts = server.requests.filter((seen) => seen.method === 'POST');
    expect(posts.map((seen) => seen.rpc)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/call',
    ]);
    for (const seen of posts) {
      expect(seen.headers.accept).toBe('application/json, text/event-stream');
      expect(seen.headers['content-type']).toBe('application/json');
    }
    // The initialize carries no session and no version; every later request carries both.
    expect(posts[0]!.headers['mcp-session-id']).toBeUndefined();
    expect(posts[0]!.headers['mcp-protocol-version']).toBeUndefined();
    for (const seen of posts.slice(1)) {
      expect(seen.headers['mcp-session-id']).toBe(server.sessions[0]);
      expect(seen.headers['mcp-protocol-version']).toBe(PROTOCOL_VERSION);
    }
    // Once initialized, the GET stream opens in the session.
    await server.until((seen) => seen.some((each) => each.method === 'GET'));
    const get = server.requests.find((seen) => seen.method === 'GET')!;
    expect(get.headers.accept).toBe('text/event-stream');
    expect(get.headers['mcp-session-id']).toBe(server.sessions[0]);
  });

  it('delivers notifications sent on the GET stream', async () => {
    const { server, client } = await open(mode);
    await client.initialize();
    await server.until((seen) =>
      seen.some((each) => each.method === 'GET' && each.status() === 200),
    );
    await client.waitForState((state) => state.type === 'open');
    // The stream is registered on the server once its headers went out.
    await server.broadcast('hello on GET');
    const note = await client.waitFor(
      (message) => 'method' in message && message.method === 'notifications/message',
    );
    expect(note).toMatchObject({ params: { level: 'info', data: 'hello on GET' } });
  });

  it('starts a new session when the server forgot the old one, and retries the request once', async () => {
    const { server, client } = await open(mode);
    await client.initialize();
    await server.until((seen) => seen.some((each) => each.method === 'GET'));
    await server.forgetSessions();
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { text: 'again' } }),
    );
    expect(echo.content).toEqual([{ type: 'text', text: 'again' }]);
    expect(server.sessions).toHaveLength(2);
    // The replayed initialize was answered, but its response was not delivered again.
    expect(client.messages.filter((message) => 'id' in message && message.id === 1)).toHaveLength(
      1,
    );
    const afterRenewal = server.requests.filter(
      (seen) => seen.headers['mcp-session-id'] === server.sessions[1],
    );
    expect(afterRenewal.map((seen) => seen.rpc ?? seen.method)).toEqual(
      expect.arrayContaining(['notifications/initialized', 'tools/call']),
    );
    // The GET stream comes back in the new session.
    await server.until((seen) =>
      seen.some(
        (each) => each.method === 'GET' && each.headers['mcp-session-id'] === server.sessions[1],
      ),
    );
    expect(client.ended()).toBeUndefined();
  });
});

describe('streamableHttpTransport, SSE response streams', () => {
  it('delivers progress notifications before the response', async () => {
    const { client } = await open();
    await client.initialize();
    const id = await client.start('tools/call', {
      name: 'progress',
      arguments: { steps: 3 },
      _meta: { progressToken: 'p' },
    });
    const reply = await client.response(id);
    expect(resultOf(reply).content).toEqual([{ type: 'text', text: 'did 3' }]);
    const order = client.messages
      .filter((message) =>
        'method' in message ? message.method === 'notifications/progress' : message.id === id,
      )
      .map((message) =>
        'method' in message ? (message.params as { progress: number }).progress : 'result',
      );
    expect(order).toEqual([1, 2, 3, 'result']);
  });

  it('resumes a response stream dropped mid-response, without loss or duplicates', async () => {
    const { server, client } = await open({ eventStore: 'replay-one-more' });
    await client.initialize();
    const id = await client.start('tools/call', {
      name: 'gated',
      arguments: {},
      _meta: { progressToken: 'g' },
    });
    await client.waitFor(isProgress(1));
    await server.gateReached();
    const post = server.requests.find((seen) => seen.rpc === 'tools/call')!;
    post.res.socket?.destroy();
    await server.until((seen) =>
      seen.some((each) => each.method === 'GET' && each.headers['last-event-id'] !== undefined),
    );
    server.openGate();
    const reply = await client.response(id);
    expect(resultOf(reply).content).toEqual([{ type: 'text', text: 'through' }]);
    const progress = client.messages.filter(
      (message) => 'method' in message && message.method === 'notifications/progress',
    );
    expect(
      progress.map(
        (message) => (message as unknown as { params: { progress: number } }).params.progress,
      ),
    ).toEqual([1, 2]);
    expect(
      client.messages.filter((message) => !('method' in message) && message.id === id),
    ).toHaveLength(1);
  });

  it('fails the request at once when its stream drops and cannot be resumed', async () => {
    const { server, client } = await open();
    await client.initialize();
    const id = await client.start('tools/call', {
      name: 'gated',
      arguments: {},
      _meta: { progressToken: 'g' },
    });
    await client.waitFor(isProgress(1));
    server.requests.find((seen) => seen.rpc === 'tools/call')!.res.socket?.destroy();
    const reply = await client.response(id);
    expect(reply).toMatchObject({
      id,
      error: {
        code: TRANSPORT_ERROR_CODE,
        data: { source: 'rxmcp/transport', kind: 'network', retryable: true },
      },
    });
    // Only that request failed: the transport goes on.
    const echo = resultOf(
      await client.request('tools/call', { name: 'echo', arguments: { text: 'still' } }),
    );
    expect(echo.content).toEqual([{ type: 'text', text: 'still' }]);
    expect(client.ended()).toBeUndefined();
  });

  it('polls a stream the server closed after the priming event (SEP-1699)', async () => {
    const { server, client } = await open({ eventStore: true, retryInterval: 20 });
    await client.initialize();
    const id = await client.start('tools/call', { name: 'poll', arguments: {} });
    await server.until((seen) =>
      seen.some((each) => each.method === 'GET' && each.headers['last-event-id'] !== undefined),
    );
    server.openGate();
    expect(resultOf(await client.response(id)).content).toEqual([{ type: 'text', text: 'polled' }]);
  });
});

describe('streamableHttpTransport with the rxmcp client', () => {
  it('connects and calls a tool through connect()', async () => {
    server = await startSdkServer();
    const transport = streamableHttpTransport({ url: server.url, retry: { initialDelayMs: 5 } });
    const opened = await openClient(connect(transport, { clientInfo }));
    try {
      const result = await firstValueFrom(
        opened.client.callTool({ name: 'echo', arguments: { text: 'via connect' } }),
      );
      expect(result.content).toEqual([{ type: 'text', text: 'via connect' }]);
    } finally {
      opened.disconnect();
    }
  });
});

describe('streamableHttpTransport, lifecycle', () => {
  it('refuses to send before messages$ is subscribed', async () => {
    const transport = streamableHttpTransport({ url: 'http://127.0.0.1:9/mcp' });
    await expect(
      firstValueFrom(transport.send({ jsonrpc: '2.0', method: 'ping', id: 1 }).pipe(toArray())),
    ).rejects.toMatchObject({ kind: 'closed' });
  });

  it('DELETEs the session on close and completes', async () => {
    const { server, client } = await open();
    await client.initialize();
    await client.close();
    const deleted = server.requests.find((seen) => seen.method === 'DELETE');
    expect(deleted?.headers['mcp-session-id']).toBe(server.sessions[0]);
    expect(client.ended()).toBe('complete');
    expect(client.states.at(-1)).toEqual({ type: 'closed' });
  });

  it('publishes reconnecting, then closed with the reason, when the GET stream gives up', async () => {
    const { server, client } = await open({}, { initialDelayMs: 5, maxRetries: 2 });
    await client.initialize();
    await server.until((seen) => seen.some((each) => each.method === 'GET'));
    await client.waitForState((state) => state.type === 'open');
    await server.close();
    const ended = await client.waitForEnd();
    expect(RxMcpError.is(ended)).toBe(true);
    expect(ended).toMatchObject({ kind: 'network' });
    expect(client.states.some((state) => state.type === 'reconnecting')).toBe(true);
    expect(client.states.at(-1)).toMatchObject({ type: 'closed', reason: { kind: 'network' } });
  });
});
