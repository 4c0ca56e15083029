import { lastValueFrom, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../../../src/errors.js';
import type { ConnectionState } from '../../../src/sse/state.js';
import { stdioTransport } from '../../../src/transports/stdio/stdioTransport.js';
import {
  done,
  isRunning,
  marker,
  open,
  pidIn,
  processesWith,
  rawServer,
  waitFor,
} from './support.js';

const states = (transport: { state$: Observable<ConnectionState> }) =>
  lastValueFrom(transport.state$.pipe(toArray()));

describe('stdioTransport', () => {
  it('is cold: creating it starts nothing, and closing it unused closes it for good', async () => {
    const tag = marker('cold');
    const transport = stdioTransport(rawServer([tag]));
    const seen = states(transport);
    expect(processesWith(tag)).toEqual([]);

    await done(transport.close());
    await expect(seen).resolves.toEqual([{ type: 'idle' }, { type: 'closed' }]);
    await expect(lastValueFrom(transport.messages$)).rejects.toMatchObject({ kind: 'closed' });
    await expect(
      lastValueFrom(transport.send({ jsonrpc: '2.0', method: 'x' }), { defaultValue: undefined }),
    ).rejects.toMatchObject({ kind: 'closed' });
    await done(transport.close());
    await expect(done(transport.exit$)).resolves.toBeUndefined();
    expect(processesWith(tag)).toEqual([]);
  });

  it('refuses to send before messages$ is subscribed, without throwing', async () => {
    const transport = stdioTransport(rawServer());
    const sending = transport.send({ jsonrpc: '2.0', id: 1, method: 'echo' });
    await expect(lastValueFrom(sending)).rejects.toThrow(/Subscribe to messages\$ first/);
    await done(transport.close());
  });

  it('spawns on subscribe, answers requests, and close() ends the server through its stdin', async () => {
    const transport = stdioTransport(rawServer());
    const seen = states(transport);
    const stderr = lastValueFrom(transport.stderr$.pipe(toArray()));
    const connection = open(transport);

    await expect(connection.call(1, 'echo', { hello: 'world' })).resolves.toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { hello: 'world' },
    });
    await done(transport.close());

    await expect(connection.ended()).resolves.toBeUndefined();
    await expect(seen).resolves.toEqual([
      { type: 'idle' },
      { type: 'connecting', attempt: 0 },
      { type: 'open' },
      { type: 'closed' },
    ]);
    // Ended by the closed stdin, without any signal.
    const exit = await lastValueFrom(transport.exit$);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(isRunning(exit.pid)).toBe(false);
    expect(await stderr).toEqual([`raw-server ${exit.pid} started`, 'stdin ended']);
    // Closing again is a no-op that completes at once.
    await done(transport.close());
    await expect(lastValueFrom(transport.messages$)).rejects.toThrow(/create a new transport/);
  });

  it('sends many messages started in one tick, in order, each send completing', async () => {
    const transport = stdioTransport(rawServer());
    const connection = open(transport);
    const ids = Array.from({ length: 50 }, (_, index) => index + 1);
    // All started synchronously: they leave together (one corked write) and in this order.
    const replies = await Promise.all(ids.map((id) => connection.call(id, 'echo', { n: id })));

    expect(replies).toEqual(ids.map((id) => ({ jsonrpc: '2.0', id, result: { n: id } })));
    const order = await lastValueFrom(connection.received.pipe(take(ids.length), toArray()));
    expect(order.map((message) => ('id' in message ? message.id : undefined))).toEqual(ids);
    await done(transport.close());
  });

  it('ends the process it spawned even when unsubscribed in the same tick', async () => {
    const tag = marker('same-tick');
    const transport = stdioTransport(rawServer([tag], { closeTimeoutMs: 30_000 }));
    transport.messages$.subscribe().unsubscribe();
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({ type: 'closed' });
    await expect(lastValueFrom(transport.exit$)).resolves.toMatchObject({ code: 0, signal: null });
    expect(processesWith(tag)).toEqual([]);
  });

  it('shares one process between subscribers', async () => {
    const tag = marker('share');
    const transport = stdioTransport(rawServer([tag]));
    const first = open(transport);
    const second = open(transport);
    await first.call(1, 'echo', {});
    expect(processesWith(tag)).toHaveLength(1);
    // One stream: the second subscriber sees the answer to the first one's request.
    await expect(
      waitFor(second.received, (message) => 'id' in message && message.id === 1),
    ).resolves.toMatchObject({ result: {} });
    second.subscription.unsubscribe();
    await first.call(2, 'echo', {});
    first.subscription.unsubscribe();
    await done(transport.state$);
    expect(processesWith(tag)).toEqual([]);
  });

  it('reports lines that are not JSON-RPC on invalid$ and goes on', async () => {
    const transport = stdioTransport(rawServer());
    const invalid = lastValueFrom(transport.invalid$.pipe(toArray()));
    const connection = open(transport);

    await expect(connection.call(1, 'garbage')).resolves.toMatchObject({
      result: { after: 'garbage' },
    });
    await done(transport.close());
    const errors = await invalid;
    expect(errors.map((error) => [error.kind, error.reason])).toEqual([
      ['parse', 'not-json'],
      ['protocol', 'bad-version'],
    ]);
    await expect(connection.ended()).resolves.toBeUndefined();
  });

  it('refuses batches unless the protocol version is 2025-03-26, then emits their messages', async () => {
    const refusing = stdioTransport(rawServer());
    const refused = lastValueFrom(refusing.invalid$.pipe(toArray()));
    const first = open(refusing);
    await first.call(1, 'batch');
    await done(refusing.close());
    expect((await refused).map((error) => error.reason)).toEqual(['batch-refused']);

    const accepting = stdioTransport(rawServer([], { protocolVersion: '2025-03-26' }));
    const second = open(accepting);
    await second.call(1, 'batch');
    await done(accepting.close());
    const methods = (await lastValueFrom(second.received.pipe(toArray())))
      .filter((message) => 'method' in message)
      .map((message) => ('method' in message ? message.method : ''));
    expect(methods).toEqual(['first', 'second']);
  });

  it('fails messages$ with a limit error on an oversized line, and the server is shut down', async () => {
    const transport = stdioTransport(rawServer([], { maxMessageBytes: 1024 }));
    const connection = open(transport);
    await connection.call(1, 'echo');
    await lastValueFrom(
      transport.send({ jsonrpc: '2.0', id: 2, method: 'oversize', params: { bytes: 4096 } }),
      { defaultValue: undefined },
    );

    const error = await connection.ended();
    expect(error).toBeInstanceOf(RxMcpError);
    expect(error).toMatchObject({ kind: 'limit', data: { maxMessageBytes: 1024 } });
    // The teardown runs on its own; close() waits for it.
    await done(transport.close());
    const exit = await lastValueFrom(transport.exit$);
    expect(isRunning(exit.pid)).toBe(false);
    const last = await lastValueFrom(transport.state$.pipe(toArray()));
    expect(last).toEqual([{ type: 'closed', reason: error }]);
  });

  it('fails messages$ at once with a closed error carrying the exit code and last stderr lines when the server crashes', async () => {
    const transport = stdioTransport(rawServer([], { stderrLines: 2 }));
    const connection = open(transport);
    await connection.call(1, 'echo');
    // The request is pending when the server dies: it never answers.
    const pending = connection.call(2, 'crash', { code: 7, lines: ['one', 'two', 'three'] });

    const error = await connection.ended();
    await expect(pending).rejects.toBe(error);
    expect(error).toBeInstanceOf(RxMcpError);
    expect(error).toMatchObject({
      kind: 'closed',
      retryable: false,
      data: { exitCode: 7, signal: null, stderr: ['two', 'three'] },
    });
    expect((error as Error).message).toMatch(/exited with code 7 before the transport was closed/);
    expect((error as Error).message).toMatch(/Last stderr lines:\n {2}two\n {2}three$/);

    // After the exit, sends fail with closed.
    await expect(
      lastValueFrom(transport.send({ jsonrpc: '2.0', id: 3, method: 'echo' })),
    ).rejects.toMatchObject({ kind: 'closed' });
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({
      type: 'closed',
      reason: error,
    });
  });

  it('completes messages$ when the server exits cleanly on its own, after its last message', async () => {
    const transport = stdioTransport(rawServer());
    const connection = open(transport);
    await expect(connection.call(1, 'exit', { code: 0 })).resolves.toMatchObject({ result: {} });
    await expect(connection.ended()).resolves.toBeUndefined();
    await expect(lastValueFrom(transport.exit$)).resolves.toMatchObject({ code: 0, signal: null });
  });

  it('ends when the server closes its stdout, and shuts the server down', async () => {
    const transport = stdioTransport(rawServer());
    const stderr = lastValueFrom(transport.stderr$.pipe(toArray()));
    const connection = open(transport);
    await lastValueFrom(transport.send({ jsonrpc: '2.0', id: 1, method: 'close-stdout' }), {
      defaultValue: undefined,
    });
    await expect(connection.ended()).resolves.toBeUndefined();
    // The transport closed the server's stdin in turn, and it exited by itself.
    expect(await stderr).toContain('stdin ended');
    await expect(lastValueFrom(transport.exit$)).resolves.toMatchObject({ code: 0, signal: null });
  });

  it('emits stderr lines as values, never as errors', async () => {
    const transport = stdioTransport(rawServer());
    const lines = lastValueFrom(transport.stderr$.pipe(toArray()));
    const connection = open(transport);
    await connection.call(1, 'stderr', { lines: ['Error: this is only a log line', 'warning'] });
    await done(transport.close());
    await expect(connection.ended()).resolves.toBeUndefined();
    expect(await lines).toEqual(
      expect.arrayContaining(['Error: this is only a log line', 'warning', 'stdin ended']),
    );
  });

  it('waits for drain when a message is larger than the pipe buffer, and bounds what waits', async () => {
    const transport = stdioTransport(
      rawServer(['--slow-read'], { maxPendingWriteBytes: 1024 * 1024 }),
    );
    const connection = open(transport);
    await connection.call(1, 'echo');
    const data = 'x'.repeat(8 * 1024 * 1024);

    let completed = false;
    const big = lastValueFrom(
      transport.send({ jsonrpc: '2.0', id: 2, method: 'length', params: { data } }),
      { defaultValue: undefined },
    ).then(() => (completed = true));
    // Nothing completes synchronously: 8 MiB cannot fit in a 64 KiB pipe.
    expect(completed).toBe(false);
    // The 8 MiB still waiting for the slow reader are over maxPendingWriteBytes: refused.
    await expect(
      lastValueFrom(transport.send({ jsonrpc: '2.0', id: 3, method: 'echo' })),
    ).rejects.toMatchObject({ kind: 'limit' });

    await big;
    await expect(
      waitFor(connection.received, (message) => 'id' in message && message.id === 2),
    ).resolves.toMatchObject({ result: { length: data.length } });
    // Drained: sending works again.
    await connection.call(4, 'echo');
    await done(transport.close());
  });

  it('fails a send at once when the server dies mid-write, even if a grandchild holds the pipe', async () => {
    const transport = stdioTransport(
      rawServer(['--slow-read', '--grandchild=pipes'], { killTimeoutMs: 200 }),
    );
    const grandchild = waitFor(transport.stderr$, (line) => line.startsWith('grandchild'));
    const started = waitFor(transport.stderr$, (line) => line.includes('started'));
    const connection = open(transport);
    const serverPid = pidIn(await started, 'raw-server');
    const grandchildPid = pidIn(await grandchild, 'grandchild');

    const sending = lastValueFrom(
      transport.send({
        jsonrpc: '2.0',
        id: 1,
        method: 'length',
        params: { data: 'y'.repeat(8 * 1024 * 1024) },
      }),
      { defaultValue: undefined },
    );
    process.kill(serverPid, 'SIGKILL');

    await expect(sending).rejects.toMatchObject({ kind: 'closed', data: { signal: 'SIGKILL' } });
    await expect(connection.ended()).resolves.toMatchObject({
      kind: 'closed',
      data: { signal: 'SIGKILL' },
    });
    expect(isRunning(grandchildPid)).toBe(false);
  });

  it('rejects a message JSON cannot represent without throwing', async () => {
    const transport = stdioTransport(rawServer());
    const connection = open(transport);
    await connection.call(1, 'echo');
    const sending = transport.send({ jsonrpc: '2.0', method: 'x', params: { n: BigInt(1) } });
    await expect(lastValueFrom(sending)).rejects.toMatchObject({ kind: 'unknown' });
    await connection.call(2, 'echo');
    await done(transport.close());
  });

  describe('environment', () => {
    const secret = 'RXMCP_TEST_PARENT_SECRET';
    beforeEach(() => {
      process.env[secret] = 'do not leak';
    });
    afterEach(() => {
      delete process.env[secret];
    });

    const childEnv = async (options: Parameters<typeof rawServer>[1]) => {
      const transport = stdioTransport(rawServer([], options));
      const connection = open(transport);
      const reply = await connection.call(1, 'env');
      await done(transport.close());
      return (reply as { result: { env: Record<string, string> } }).result.env;
    };

    it('passes the safe defaults plus the caller’s additions, not the rest of ours', async () => {
      const env = await childEnv({ env: { RXMCP_EXTRA: 'yes', HOME: '/tmp/rxmcp-home' } });
      expect(env.RXMCP_EXTRA).toBe('yes');
      expect(env.HOME).toBe('/tmp/rxmcp-home');
      expect(env.PATH).toBe(process.env.PATH);
      expect(env[secret]).toBeUndefined();
      // Only the safe list and what we added (the child's Node may add a few of its own).
      const unexpected = Object.keys(env).filter(
        (name) =>
          !['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'RXMCP_EXTRA'].includes(name) &&
          process.env[name] !== undefined,
      );
      expect(unexpected).toEqual([]);
    });

    it('passes everything with inheritEnv, minus what is set to undefined', async () => {
      expect((await childEnv({ inheritEnv: true }))[secret]).toBe('do not leak');
      const env = await childEnv({ inheritEnv: true, env: { [secret]: undefined } });
      expect(env[secret]).toBeUndefined();
    });
  });

  it('fails with a closed error naming the command when it cannot be started', async () => {
    const transport = stdioTransport({ command: '/nonexistent/mcp-server', cwd: '/' });
    const connection = open(transport);
    const error = await connection.ended();
    expect(error).toMatchObject({ kind: 'closed', data: { command: '/nonexistent/mcp-server' } });
    expect((error as Error).message).toMatch(/Could not start .*ENOENT/);
    await expect(done(transport.exit$)).resolves.toBeUndefined();
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({
      type: 'closed',
      reason: error,
    });
  });

  it('fails with closed when Node refuses to spawn (a NUL byte in the environment)', async () => {
    const transport = stdioTransport(rawServer([], { env: { BROKEN: 'a\u0000b' } }));
    await expect(open(transport).ended()).resolves.toMatchObject({
      kind: 'closed',
      message: expect.stringMatching(/Could not start .*null bytes/),
    });
    await expect(lastValueFrom(transport.state$)).resolves.toMatchObject({ type: 'closed' });
  });

  it('checks its options when it is created', () => {
    expect(() => stdioTransport({ command: '' })).toThrow(TypeError);
    expect(() => stdioTransport({ command: 'node', args: [1 as unknown as string] })).toThrow(
      /args must be an array of strings/,
    );
    expect(() => stdioTransport({ command: 'node', maxMessageBytes: 0 })).toThrow(RangeError);
    expect(() => stdioTransport({ command: 'node', closeTimeoutMs: -1 })).toThrow(
      /closeTimeoutMs must be a whole number >= 0/,
    );
    expect(() => stdioTransport({ command: 'node', stderrLines: 1.5 })).toThrow(/stderrLines/);
  });
});
