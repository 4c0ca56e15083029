/**
 * `proxyStdio` with raw HTTP clients and the tool-server fixture: colliding ids across
 * clients, one child per session, /healthz, and a client that vanishes mid-call (its session
 * expires and its child's process tree is reaped).
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { lastValueFrom } from 'rxjs';
import type { McpProxy, ProxyEvent } from '../../src/proxy/createProxyServer';
import { proxyStdio } from '../../src/proxy/proxyStdio';
import type { ProxyStdioOptions } from '../../src/proxy/proxyStdio';
import { listening } from './support/listen';
import { initialize, post, processesWith } from './support/rawHttp';

const toolServer = resolve(__dirname, '../fixtures/proxy/tool-server.mjs');

let proxy: McpProxy | undefined;
afterEach(async () => {
  if (proxy !== undefined) await lastValueFrom(proxy.close(), { defaultValue: undefined });
  proxy = undefined;
});

async function start(marker: string, options: Partial<ProxyStdioOptions> = {}): Promise<string> {
  proxy = proxyStdio({
    ...options,
    server: { command: process.execPath, args: [toolServer, marker] },
  });
  return (await listening(proxy)).url;
}

const textOf = (messages: readonly unknown[]): string =>
  (messages.at(-1) as { result: { content: [{ text: string }] } }).result.content[0].text;

describe('proxyStdio with raw HTTP clients', () => {
  it('keeps two clients that both use id 1 apart, each on a child of its own', async () => {
    const marker = `marker-${randomUUID()}`;
    const url = await start(marker);
    const [a, b] = await Promise.all([initialize(url), initialize(url)]);
    expect(a).not.toEqual(b);
    const call = (session: string, tag: string) =>
      post(
        url,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'whoami', arguments: { tag } },
        },
        session,
      );
    // Concurrent across sessions; within a session id 1 is reused for the next request (the
    // server transport refuses nothing but routes by id, so concurrent duplicates within one
    // session are the client's own spec violation: see docs/proxy.md).
    const answers = [
      ...(await Promise.all([call(a, 'A'), call(b, 'B')])),
      ...(await Promise.all([call(a, 'A2'), call(b, 'B2')])),
    ];
    const texts = answers.map(({ messages }) => textOf(messages));
    for (const { messages } of answers) expect(messages.at(-1)).toMatchObject({ id: 1 });
    const [pidA, tagA, idSeenA] = texts[0]!.split(' ');
    const [pidB, tagB] = texts[1]!.split(' ');
    expect([tagA, tagB]).toEqual(['A', 'B']);
    expect(texts[2]!.split(' ')[0]).toBe(pidA);
    expect(texts[3]!.split(' ')[0]).toBe(pidB);
    expect(pidA).not.toBe(pidB);
    // The child saw the proxy's id, not the client's.
    expect(idSeenA).not.toBe('1');
    expect(processesWith(marker)).toHaveLength(2);

    const health = await (await fetch(url.replace('/mcp', '/healthz'))).json();
    expect(health).toEqual({
      status: 'ok',
      sessions: 2,
      children: 2,
      uptimeSeconds: expect.any(Number),
    });

    // DELETE ends a session and its child.
    await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': a } });
    await lastValueFrom(proxy!.close(), { defaultValue: undefined });
    expect(processesWith(marker)).toEqual([]);
    expect(proxy!.health()).toMatchObject({ status: 'closing', sessions: 0, children: 0 });
  });

  it('reaps the child of a client killed mid-call once its session expires', async () => {
    const marker = `marker-${randomUUID()}`;
    const events: ProxyEvent[] = [];
    let sessionClosed!: () => void;
    const closed = new Promise<void>((resolve) => (sessionClosed = resolve));
    const url = await start(marker, {
      sessionIdleTimeoutMs: 300,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'session-closed') sessionClosed();
      },
    });
    const session = await initialize(url);
    expect(processesWith(marker)).toHaveLength(1);
    const abort = new AbortController();
    const call = post(
      url,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'hang', arguments: {} } },
      session,
      abort.signal,
    ).catch((error: unknown) => error);
    // The call is in flight (the child holds it); now the client vanishes without DELETE.
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    await call;
    // The session expires; the pipe ends once the child's process tree is gone.
    await closed;
    expect(processesWith(marker)).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['session-opened', 'session-closed']);
    expect(proxy!.health()).toMatchObject({ sessions: 0, children: 0 });
  });
});
