// The rxmcp client over stdio, end to end: `connect(stdioTransport(...))` against real MCP
// server processes — the official SDK's McpServer in fixtures, and the reference
// `@modelcontextprotocol/server-everything` in stdio mode. No SDK client anywhere.
import path from 'node:path';
import { ReplaySubject, filter, firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import { connect } from '../../src/client/connect';
import type { ConnectOptions } from '../../src/client/connect';
import type { McpClient } from '../../src/client/McpClient';
import type { CallToolResult } from '../../src/client/types';
import { RxMcpError } from '../../src/errors';
import type { JsonRpcDecodeError } from '../../src/jsonrpc/JsonRpcDecodeError';
import type { JsonRpcMessage } from '../../src/jsonrpc/types';
import { stdioTransport } from '../../src/transports/stdio/stdioTransport';
import type { StdioTransport } from '../../src/transports/stdio/stdioTransport';
import type { StdioTransportOptions } from '../../src/transports/stdio/stdioTransportOptions';
import type { Transport } from '../../src/transports/transport';
import {
  FIXTURES,
  NODE,
  REPO,
  SDK_SERVER,
  marker,
  processesWith,
} from '../transports/stdio/support';

const MISBEHAVING_SERVER = path.join(FIXTURES, 'sdk-misbehaving-server.mjs');
const EVERYTHING_SERVER = path.join(
  REPO,
  'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
);
const clientInfo = { name: 'rxmcp-integration', version: '0.0.1' };

/** One client session over one server process, with what the test needs to look at. */
interface Session {
  readonly client: McpClient;
  readonly transport: StdioTransport;
  /** Every stderr line of the server since it started (it is hot: captured from the start). */
  readonly stderr: ReplaySubject<string>;
  /** Every line of its stdout that was not JSON-RPC. */
  readonly invalid: ReplaySubject<JsonRpcDecodeError>;
  /** Every message the client handed to the transport, in order. */
  readonly sent: JsonRpcMessage[];
  /** How `connect` ended: `'complete'`, `'unsubscribed'` or the error. */
  readonly ended: Promise<unknown>;
  /** The unique argument that finds this session's processes in `/proc`. */
  readonly marker: string;
  /** Unsubscribes from `connect`: the destructor. */
  disconnect(): void;
}

const sessions: Session[] = [];

/** Starts `node <script> ...args <marker>` and connects the rxmcp client to it. */
async function start(
  script: string,
  args: readonly string[] = [],
  options: { transport?: Partial<StdioTransportOptions>; client?: Partial<ConnectOptions> } = {},
): Promise<Session> {
  const mark = marker('client-stdio');
  const transport = stdioTransport({
    command: NODE,
    args: [script, ...args, mark],
    ...options.transport,
  });
  const stderr = new ReplaySubject<string>(200);
  const invalid = new ReplaySubject<JsonRpcDecodeError>(200);
  // Both hot: subscribed before connect spawns the process.
  transport.stderr$.subscribe(stderr);
  transport.invalid$.subscribe(invalid);
  // The client's side of the conversation, recorded on its way to the real transport.
  const sent: JsonRpcMessage[] = [];
  const recording: Transport = {
    messages$: transport.messages$,
    state$: transport.state$,
    send: (message, sendOptions) => {
      sent.push(message);
      return transport.send(message, sendOptions);
    },
    close: () => transport.close(),
  };
  let settle: (outcome: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => (settle = resolve));
  let subscription: Subscription | undefined;
  const client = await new Promise<McpClient>((resolve, reject) => {
    subscription = connect(recording, { clientInfo, ...options.client }).subscribe({
      next: resolve,
      error: (error: unknown) => {
        settle(error);
        reject(error);
      },
      complete: () => settle('complete'),
    });
  });
  const session: Session = {
    client,
    transport,
    stderr,
    invalid,
    sent,
    ended,
    marker: mark,
    disconnect: () => {
      subscription?.unsubscribe();
      settle('unsubscribed');
    },
  };
  sessions.push(session);
  return session;
}

/** Closes the session gracefully and waits until its process tree is gone. */
async function stop(session: Session): Promise<void> {
  await lastValueFrom(session.client.close(), { defaultValue: undefined }).catch(() => undefined);
  await session.ended;
  // Single-use transport: state$ completes once the shutdown sequence is over.
  await lastValueFrom(session.transport.state$);
}

afterEach(async () => {
  const open = sessions.splice(0);
  await Promise.all(open.map(stop));
  for (const session of open) expect(processesWith(session.marker)).toEqual([]);
});

/** Resolves with the first stderr line that starts with `prefix` (already seen or to come). */
const stderrLine = (session: Session, prefix: string): Promise<string> =>
  firstValueFrom(session.stderr.pipe(filter((line) => line.startsWith(prefix))));

const textOf = (result: CallToolResult): string => {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
};

/** Awaits how an Observable ends: its values, or the error. */
function outcome<T>(source: Observable<T>): Promise<{ values: T[]; error?: unknown }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    source.subscribe({
      next: (value) => values.push(value),
      error: (error: unknown) => resolve({ values, error }),
      complete: () => resolve({ values }),
    });
  });
}

/**
 * Calls the misbehaving server's `wait` tool and keeps it pending: `progressed` resolves at
 * its first progress report (the tool is running), `call` with how the request ended.
 */
function callWait(client: McpClient): {
  call: Promise<{ values: unknown[]; error?: unknown }>;
  progressed: Promise<void>;
} {
  let onProgress: () => void = () => undefined;
  const progressed = new Promise<void>((resolve) => (onProgress = resolve));
  const call = outcome(
    client
      .request('tools/call', { name: 'wait' })
      .pipe(tap((event) => event.type === 'progress' && onProgress())),
  );
  return { call, progressed };
}

describe('the rxmcp client over stdio against the official SDK server (fixture)', () => {
  it('initializes: negotiated version, server info, capabilities', async () => {
    const { client } = await start(SDK_SERVER);
    expect(client.protocolVersion).toBe('2025-11-25');
    expect(client.serverInfo).toEqual({ name: 'rxmcp-fixture', version: '1.0.0' });
    expect(client.serverCapabilities).toHaveProperty('tools');
  });

  it('negotiates an older protocol version when the client offers one', async () => {
    const { client } = await start(SDK_SERVER, [], { client: { protocolVersion: '2025-06-18' } });
    expect(client.protocolVersion).toBe('2025-06-18');
    await expect(lastValueFrom(client.ping())).resolves.toEqual({});
  });

  it('lists tools and calls them', async () => {
    const { client } = await start(SDK_SERVER);
    const tools = await lastValueFrom(client.listTools().pipe(toArray()));
    expect(tools.map((tool) => tool.name)).toEqual(['echo', 'add', 'slow', 'crash']);
    expect(tools[0]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
    });
    const echoed = await lastValueFrom(
      client.callTool({ name: 'echo', arguments: { text: 'hi' } }),
    );
    expect(textOf(echoed)).toBe('hi');
    const sum = await lastValueFrom(client.callTool({ name: 'add', arguments: { a: 2, b: 40 } }));
    expect(textOf(sum)).toBe('42');
  });

  it('delivers every progress report of a tool call, then the result', async () => {
    const { client } = await start(SDK_SERVER);
    const events = await lastValueFrom(
      client
        .request<CallToolResult>('tools/call', { name: 'slow', arguments: { steps: 3 } })
        .pipe(toArray()),
    );
    expect(events).toEqual([
      { type: 'progress', progress: 1, total: 3 },
      { type: 'progress', progress: 2, total: 3 },
      { type: 'progress', progress: 3, total: 3 },
      { type: 'result', result: { content: [{ type: 'text', text: 'done after 3 steps' }] } },
    ]);
  });

  it('fails the pending request at once with closed (exit code, stderr) when the server crashes mid-request', async () => {
    const session = await start(SDK_SERVER, [], { client: { requestTimeoutMs: 60_000 } });
    const call = outcome(session.client.callTool({ name: 'crash' }));

    const { values, error } = await call;
    expect(values).toEqual([]);
    // Not the 60 s timeout: the exit itself ended the request.
    expect(error).toBeInstanceOf(RxMcpError);
    expect(error).toMatchObject({ kind: 'closed' });
    const message = (error as Error).message;
    expect(message).toMatch(/^tools\/call \(id \d+\) ended without a response/);
    expect(message).toMatch(/exited with code 3 before the transport was closed/);
    expect(message).toContain('crash tool called: exiting with code 3');

    // connect fails with the transport's own error, whose data says how the process ended.
    const ended = await session.ended;
    expect(ended).toBeInstanceOf(RxMcpError);
    expect(ended).toMatchObject({
      kind: 'closed',
      data: {
        exitCode: 3,
        signal: null,
        stderr: expect.arrayContaining(['crash tool called: exiting with code 3']),
      },
    });
    // The request's error carries it as its cause, through the connection's end.
    expect(causes(error)).toContain(ended);
    await expect(lastValueFrom(session.transport.exit$)).resolves.toMatchObject({ code: 3 });
    // Requests after the end fail at once with closed too.
    await expect(lastValueFrom(session.client.ping())).rejects.toMatchObject({ kind: 'closed' });
  });
});

describe('the rxmcp client over stdio against a misbehaving SDK server (fixture)', () => {
  it('cancels on unsubscribe: the server sees notifications/cancelled and aborts the tool', async () => {
    const session = await start(MISBEHAVING_SERVER);
    const { client } = session;
    const first = await firstValueFrom(
      client.request('tools/call', { name: 'wait' }).pipe(filter((e) => e.type === 'progress')),
    );
    expect(first).toEqual({ type: 'progress', progress: 1 });
    // firstValueFrom unsubscribed after the progress: the client sent notifications/cancelled.
    const line = await stderrLine(session, 'cancelled ');
    expect(line).toMatch(
      /^cancelled \d+ The client no longer needs the result \(unsubscribed\)\.$/,
    );
    // The session goes on.
    const echoed = await lastValueFrom(
      client.callTool({ name: 'echo', arguments: { text: 'ok' } }),
    );
    expect(textOf(echoed)).toBe('ok');
  });

  it('fails a request that outlives timeoutMs with timeout, and the server sees it cancelled', async () => {
    const session = await start(MISBEHAVING_SERVER);
    const { values, error } = await outcome(
      session.client.request('tools/call', { name: 'wait' }, { timeoutMs: 500 }),
    );
    // No result: at most the progress that came before the deadline (it does not reset it).
    expect(values.every((event) => event.type === 'progress')).toBe(true);
    expect(error).toBeInstanceOf(RxMcpError);
    expect(error).toMatchObject({ kind: 'timeout', data: { limit: 'timeout', ms: 500 } });
    const id = /\(id (\d+)\)/.exec((error as Error).message)?.[1];
    expect(id).toBeDefined();
    const line = await stderrLine(session, `cancelled ${id} `);
    expect(line).toContain('got no result within 500 ms (timeoutMs)');
    await expect(lastValueFrom(session.client.ping())).resolves.toEqual({});
  });

  it('unsubscribing from connect ends the server process tree, and the pending request fails with closed', async () => {
    const session = await start(MISBEHAVING_SERVER);
    const { call, progressed } = callWait(session.client);
    await progressed;
    session.disconnect();

    const { error } = await call;
    expect(error).toMatchObject({ kind: 'closed' });
    expect((error as Error).message).toMatch(/^tools\/call \(id \d+\) ended without a response/);
    // The shutdown sequence runs on its own; state$ completes when it is over.
    await expect(lastValueFrom(session.transport.state$)).resolves.toMatchObject({
      type: 'closed',
    });
    await expect(lastValueFrom(session.transport.exit$)).resolves.toMatchObject({ code: 0 });
    expect(processesWith(session.marker)).toEqual([]);
  });

  it('closes gracefully with client.close() while a request is pending', async () => {
    const session = await start(MISBEHAVING_SERVER);
    const { call, progressed } = callWait(session.client);
    await progressed;
    await lastValueFrom(session.client.close(), { defaultValue: undefined });
    await expect(session.ended).resolves.toBe('complete');
    const { error } = await call;
    expect(error).toMatchObject({ kind: 'closed' });
    await expect(lastValueFrom(session.transport.exit$)).resolves.toMatchObject({ code: 0 });
  });

  it('goes on when the server prints garbage on stdout, and reports it as values', async () => {
    const session = await start(MISBEHAVING_SERVER);
    const { client } = session;
    const diagnostic = firstValueFrom(client.diagnostics$);

    const result = await lastValueFrom(client.callTool({ name: 'garbage' }));
    expect(textOf(result)).toBe('after garbage');
    // The two lines that are not JSON-RPC 2.0 are on invalid$, in order.
    const invalid = await firstValueFrom(session.invalid.pipe(take(2), toArray()));
    expect(invalid.map((error) => error.kind)).toEqual(['parse', 'protocol']);
    // The well-formed response nobody asked for is reported, not delivered.
    await expect(diagnostic).resolves.toMatchObject({
      type: 'unmatched-response',
      reason: 'unknown-id',
      response: { id: 'nobody-asked' },
    });
    const echoed = await lastValueFrom(
      client.callTool({ name: 'echo', arguments: { text: 'still' } }),
    );
    expect(textOf(echoed)).toBe('still');
  });

  it('ends with a typed limit error on a message over maxMessageBytes, and the server is shut down', async () => {
    const session = await start(MISBEHAVING_SERVER, [], {
      transport: { maxMessageBytes: 64 * 1024 },
    });
    const { client } = session;
    // Under the limit: fine.
    const small = await lastValueFrom(client.callTool({ name: 'big', arguments: { bytes: 1000 } }));
    expect(textOf(small)).toHaveLength(1000);

    const { error } = await outcome(
      client.callTool({ name: 'big', arguments: { bytes: 100_000 } }),
    );
    const ended = await session.ended;
    expect(ended).toBeInstanceOf(RxMcpError);
    expect(ended).toMatchObject({ kind: 'limit', data: { maxMessageBytes: 64 * 1024 } });
    // The pending request fails with closed, because of that limit error.
    expect(error).toMatchObject({ kind: 'closed' });
    expect(causes(error)).toContain(ended);
    // The transport shut the server down on its own.
    await expect(lastValueFrom(session.transport.state$)).resolves.toEqual({
      type: 'closed',
      reason: ended,
    });
    expect(processesWith(session.marker)).toEqual([]);
  });
});

describe('the rxmcp client over stdio against @modelcontextprotocol/server-everything', () => {
  it('initializes, lists tools, calls them, and delivers progress then the result', async () => {
    const { client } = await start(EVERYTHING_SERVER, ['stdio']);
    expect(client.protocolVersion).toBe('2025-11-25');
    expect(client.serverInfo).toMatchObject({ name: 'mcp-servers/everything', version: '2.0.0' });
    expect(client.serverCapabilities).toHaveProperty('tools');

    const names = (await lastValueFrom(client.listTools().pipe(toArray()))).map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']),
    );
    const echoed = await lastValueFrom(
      client.callTool({ name: 'echo', arguments: { message: 'hello' } }),
    );
    expect(textOf(echoed)).toBe('Echo: hello');
    const sum = await lastValueFrom(
      client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } }),
    );
    expect(textOf(sum)).toBe('The sum of 2 and 3 is 5.');

    const events = await lastValueFrom(
      client
        .request<CallToolResult>('tools/call', {
          name: 'trigger-long-running-operation',
          arguments: { duration: 0.3, steps: 3 },
        })
        .pipe(toArray()),
    );
    expect(events.slice(0, 3)).toEqual([
      { type: 'progress', progress: 1, total: 3 },
      { type: 'progress', progress: 2, total: 3 },
      { type: 'progress', progress: 3, total: 3 },
    ]);
    expect(events).toHaveLength(4);
    const last = events[3];
    expect(last?.type === 'result' && textOf(last.result)).toMatch(
      /^Long running operation completed\. Duration: 0\.3 seconds, Steps: 3\.$/,
    );
  });

  it('cancels a long-running operation on unsubscribe, the session goes on, and the server is ended', async () => {
    // The server does not stop its operation, so it does not exit at EOF: the shutdown
    // escalates to SIGTERM after closeTimeoutMs, and the marker scan proves the tree is gone.
    const session = await start(EVERYTHING_SERVER, ['stdio'], {
      transport: { closeTimeoutMs: 300 },
    });
    const { client } = session;
    const first = await firstValueFrom(
      client
        .request('tools/call', {
          name: 'trigger-long-running-operation',
          arguments: { duration: 3, steps: 30 },
        })
        .pipe(filter((e) => e.type === 'progress')),
    );
    expect(first).toEqual({ type: 'progress', progress: 1, total: 30 });
    const call = session.sent.find(
      (message) => 'method' in message && message.method === 'tools/call',
    );
    expect(session.sent).toContainEqual({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: {
        requestId: call !== undefined && 'id' in call ? call.id : 'missing',
        reason: 'The client no longer needs the result (unsubscribed).',
      },
    });
    // Its late progress and result are not ours to see; a new call is answered.
    await expect(lastValueFrom(client.ping())).resolves.toEqual({});
    await lastValueFrom(client.close(), { defaultValue: undefined });
    await expect(lastValueFrom(session.transport.exit$)).resolves.toMatchObject({
      signal: 'SIGTERM',
    });
  });
});

/** The chain of `cause`s of an error, nearest first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = (error as { cause?: unknown } | undefined)?.cause;
  while (current !== undefined && chain.length < 10) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
