/**
 * Server-to-client messages of a stdio child carry no relation to a client request. The
 * proxy relates a request or notification to the client's request in flight when there is
 * exactly one, so it travels on that request's SSE stream (a client without a GET stream
 * still gets it); with several in flight it goes on the GET stream.
 */
import { resolve } from 'node:path';
import { lastValueFrom } from 'rxjs';
import type { McpProxy } from '../../src/proxy/createProxyServer';
import { proxyStdio } from '../../src/proxy/proxyStdio';
import { listening } from './support/listen';
import { initialize, post } from './support/rawHttp';
import { openSseStream } from './support/sseStream';
import type { SseStream } from './support/sseStream';

const askingServer = resolve(__dirname, '../fixtures/proxy/asking-server.mjs');

let proxy: McpProxy | undefined;
const streams: SseStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  if (proxy !== undefined) await lastValueFrom(proxy.close(), { defaultValue: undefined });
  proxy = undefined;
});

async function start(): Promise<{ url: string; session: string }> {
  proxy = proxyStdio({ server: { command: process.execPath, args: [askingServer] } });
  const { url } = await listening(proxy);
  return { url, session: await initialize(url) };
}

async function open(url: string, session: string, message?: object): Promise<SseStream> {
  const stream = await openSseStream(url, session, message as never);
  streams.push(stream);
  expect(stream.status).toBe(200);
  return stream;
}

const call = (id: number, name: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

/** Answers an elicitation request with `name`, as the client would (a POST: 202). */
async function answer(url: string, session: string, request: unknown, name: string) {
  const { id } = request as { id: string };
  const { status } = await post(
    url,
    { jsonrpc: '2.0', id, result: { action: 'accept', content: { name } } },
    session,
  );
  expect(status).toBe(202);
}

describe('server-to-client messages from a stdio child', () => {
  it('go on the stream of the only client request in flight', async () => {
    const { url, session } = await start();
    const ask = await open(url, session, call(7, 'ask'));
    expect(await ask.next()).toMatchObject({
      method: 'notifications/message',
      params: { data: 'asking' },
    });
    const elicitation = await ask.next();
    expect(elicitation).toMatchObject({ method: 'elicitation/create', id: expect.anything() });
    await answer(url, session, elicitation, 'Ada');
    expect(await ask.next()).toMatchObject({
      id: 7,
      result: { content: [{ text: 'answer: {"name":"Ada"}' }] },
    });
  });

  it('go on the GET stream while several client requests are in flight', async () => {
    const { url, session } = await start();
    const get = await open(url, session);
    // In flight first (never answered); the proxy has mapped it before the child sees `ask`.
    await open(url, session, call(1, 'hang'));
    const ask = await open(url, session, call(2, 'ask'));
    expect(await get.next()).toMatchObject({ method: 'notifications/message' });
    const elicitation = await get.next();
    expect(elicitation).toMatchObject({ method: 'elicitation/create' });
    await answer(url, session, elicitation, 'Grace');
    // The POST stream of `ask` carried nothing but its result.
    expect(await ask.next()).toMatchObject({
      id: 2,
      result: { content: [{ text: 'answer: {"name":"Grace"}' }] },
    });
  });
});
