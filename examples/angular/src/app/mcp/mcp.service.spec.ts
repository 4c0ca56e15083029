/**
 * @jest-environment node
 *
 * McpService against a real server: the repository's demo server (the official SDK, over
 * stdio) behind rxmcp's `proxyStdio` on 127.0.0.1, reached with Node's fetch.
 */
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { TestBed } from '@angular/core/testing';
import { toSignal } from '@angular/core/rxjs-interop';
import { ReplaySubject, filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { Subscription } from 'rxjs';
import { proxyStdio } from 'rxmcp/node';
import type { McpProxy, ProxyEvent } from 'rxmcp/node';
import { provideNoDom } from '../../testing/no-dom';
import { provideMcp } from './mcp-config';
import type { McpConfig } from './mcp-config';
import { McpService } from './mcp.service';
import type { McpState, ToolCallEvent } from './mcp-values';

const demoServer = resolve(__dirname, '../../../../demo-server/server.mjs');
const clientInfo = { name: 'angular-test', version: '1.0.0' };

let proxy: McpProxy | undefined;
let listening: Subscription | undefined;
let proxyEvents = new ReplaySubject<ProxyEvent>();

/** Starts the demo server behind the proxy; resolves with its MCP endpoint. */
function startServer(): Promise<string> {
  proxy = proxyStdio({
    host: '127.0.0.1',
    port: 0,
    server: { command: process.execPath, args: [demoServer] },
    onEvent: (event) => proxyEvents.next(event),
  });
  return new Promise((done, fail) => {
    listening = proxy!.listen().subscribe({ next: ({ url }) => done(url), error: fail });
  });
}

/** A port nothing listens on: bound by the OS, then released. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function inject(config: Omit<McpConfig, 'clientInfo'>): McpService {
  TestBed.configureTestingModule({
    providers: [provideNoDom(), provideMcp({ clientInfo, fetch, ...config })],
  });
  return TestBed.inject(McpService);
}

const whenOpen = (service: McpService) =>
  firstValueFrom(service.state$.pipe(filter((state) => state.type === 'open')));

afterEach(async () => {
  TestBed.resetTestingModule();
  if (proxy) await lastValueFrom(proxy.close(), { defaultValue: undefined });
  listening?.unsubscribe();
  proxy = undefined;
  proxyEvents = new ReplaySubject<ProxyEvent>();
});

describe('McpService with a real server', () => {
  it('has a state and a tool list at once, so toSignal needs no initial value', () => {
    const service = inject({ url: 'http://127.0.0.1:9/mcp', retry: { maxRetries: 0 } });
    const [state, tools] = TestBed.runInInjectionContext(() => [
      toSignal(service.state$, { requireSync: true }),
      toSignal(service.tools$, { requireSync: true }),
    ]);
    expect(state()).toEqual({ type: 'connecting', attempt: 0 });
    expect(tools()).toEqual({ status: 'loading', tools: [] });
  });

  it("lists the demo server's tools and calls countdown with its progress", async () => {
    const service = inject({ url: await startServer() });
    const tools = await firstValueFrom(service.tools$.pipe(filter((t) => t.status === 'ready')));
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual([
      'add',
      'announce',
      'countdown',
      'echo',
    ]);
    expect(await whenOpen(service)).toMatchObject({
      serverInfo: { name: 'rxmcp-demo', version: '1.0.0' },
      protocolVersion: '2025-11-25',
    });

    const events = await lastValueFrom(
      service.callTool('countdown', { from: 3, intervalMs: 10 }).pipe(toArray()),
    );
    expect(events).toEqual<ToolCallEvent[]>([
      { type: 'progress', progress: 1, total: 3, message: '2 to go' },
      { type: 'progress', progress: 2, total: 3, message: '1 to go' },
      { type: 'progress', progress: 3, total: 3, message: '0 to go' },
      { type: 'result', result: { content: [{ type: 'text', text: 'Lift-off after 3 steps.' }] } },
    ]);
    const echo = await lastValueFrom(service.callTool('echo', { text: 'hi' }));
    expect(echo).toEqual({ type: 'result', result: { content: [{ type: 'text', text: 'hi' }] } });
  });

  it('reports a call the server rejects as a value, not an error', async () => {
    const service = inject({ url: await startServer() });
    const events = await lastValueFrom(service.callTool('echo', { text: 42 }).pipe(toArray()));
    expect(events).toEqual([
      {
        type: 'result',
        result: expect.objectContaining({
          isError: true,
          content: [expect.objectContaining({ text: expect.stringContaining('text') })],
        }),
      },
    ]);
  });

  it('shows an unreachable server as values: failed state, tools error, call error', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const service = inject({ url, retry: { maxRetries: 2, initialDelayMs: 1, jitter: 0 } });
    const states = await lastValueFrom(service.state$.pipe(take(6), toArray()));
    const network = expect.objectContaining({ kind: 'network', retryable: true });
    expect(states).toEqual<McpState[]>([
      { type: 'connecting', attempt: 0 },
      { type: 'reconnecting', attempt: 1, delayMs: 1, reason: network },
      { type: 'connecting', attempt: 1 },
      { type: 'reconnecting', attempt: 2, delayMs: 2, reason: network },
      { type: 'connecting', attempt: 2 },
      { type: 'failed', error: network },
    ]);
    // A late subscriber sees `loading`, then at once (in the same tick) what became of it.
    const tools$ = service.tools$.pipe(filter((tools) => tools.status !== 'loading'));
    expect(await firstValueFrom(tools$)).toEqual({
      status: 'error',
      tools: [],
      error: network,
    });
    expect(await lastValueFrom(service.callTool('echo', { text: 'hi' }).pipe(toArray()))).toEqual([
      { type: 'error', error: network },
    ]);
  });

  it('ends the session on the server when its injector is destroyed', async () => {
    const service = inject({ url: await startServer() });
    const states: McpState['type'][] = [];
    const ended = new Promise<void>((done) =>
      service.state$.subscribe({ next: (state) => states.push(state.type), complete: done }),
    );
    await whenOpen(service);
    expect(proxy!.health()).toMatchObject({ sessions: 1, children: 1 });

    TestBed.resetTestingModule();
    await ended;
    expect(states).toEqual(['connecting', 'open', 'closed']);
    // The server heard the DELETE: the session ended cleanly and its child process is gone.
    const closed = await firstValueFrom(
      proxyEvents.pipe(filter((event) => event.type === 'session-closed')),
    );
    expect(closed).toEqual({ type: 'session-closed', sessionId: expect.any(String) });
    expect(proxy!.health()).toMatchObject({ sessions: 0, children: 0 });
  });
});
