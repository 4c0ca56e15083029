import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { stdioServerTransport } from '../../../src/transports/stdio/stdioServerTransport.js';
import { stdioTransport } from '../../../src/transports/stdio/stdioTransport.js';
import { NODE, REPO, RXMCP_SERVER, done, open } from './support.js';

/** A server transport over two in-memory pipes, and the client's ends of them. */
function pipes(options: Parameters<typeof stdioServerTransport>[0] = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = stdioServerTransport({ stdin: input, stdout: output, ...options });
  const written: string[] = [];
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => written.push(chunk));
  return { input, output, transport, written: () => written.join('') };
}

const sendAll = (transport: ReturnType<typeof stdioServerTransport>, id: number) =>
  lastValueFrom(transport.send({ jsonrpc: '2.0', id, result: {} }), { defaultValue: undefined });

describe('stdioServerTransport (in process)', () => {
  it('reads messages from stdin, writes to stdout, and ends on stdin EOF', async () => {
    const { input, output, transport, written } = pipes();
    const seen = lastValueFrom(transport.state$.pipe(toArray()));
    const connection = open(transport);
    input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0",');
    input.write('"method":"notifications/initialized"}\n');
    await expect(firstValueFrom(connection.received)).resolves.toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
    });
    await sendAll(transport, 1);

    input.end();
    await expect(connection.ended()).resolves.toBeUndefined();
    // The output was flushed and ended: that is how the client learns we are done.
    expect(output.writableEnded).toBe(true);
    expect(written()).toBe('{"jsonrpc":"2.0","id":1,"result":{}}\n');
    expect((await lastValueFrom(connection.received.pipe(toArray()))).length).toBe(2);
    await expect(seen).resolves.toEqual([
      { type: 'idle' },
      { type: 'connecting', attempt: 0 },
      { type: 'open' },
      { type: 'closed' },
    ]);
    await expect(lastValueFrom(transport.send({ jsonrpc: '2.0', method: 'x' }))).rejects.toThrow(
      /cannot be reopened/,
    );
    await expect(lastValueFrom(transport.messages$)).rejects.toMatchObject({ kind: 'closed' });
  });

  it('completes a send only once the output has drained', async () => {
    const input = new PassThrough();
    const output = new PassThrough({ highWaterMark: 16 });
    const transport = stdioServerTransport({ stdin: input, stdout: output });
    const connection = open(transport);
    const events: string[] = [];
    output.once('drain', () => events.push('drain'));
    const sending = sendAll(transport, 1).then(() => events.push('send complete'));
    // The line is larger than the buffer: it waits until somebody reads.
    expect(output.writableNeedDrain).toBe(true);
    output.resume();
    await sending;
    expect(events).toEqual(['drain', 'send complete']);
    input.end();
    await connection.ended();
  });

  it('checks its options when it is created', () => {
    expect(() => stdioServerTransport({ maxPendingWriteBytes: 0 })).toThrow(
      /maxPendingWriteBytes must be a whole number >= 1/,
    );
    expect(() => stdioServerTransport({ maxMessageBytes: -1 })).toThrow(RangeError);
  });

  it('survives a failing output: messages$ and sends fail with closed, nothing is thrown', async () => {
    const { input, output, transport } = pipes({ endOutput: false });
    const connection = open(transport);
    output.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(connection.ended()).resolves.toMatchObject({
      kind: 'closed',
      message: expect.stringMatching(/no longer reading/),
    });
    await expect(sendAll(transport, 1)).rejects.toMatchObject({ kind: 'closed' });
    input.end();
  });

  it('reports lines that are not JSON-RPC on invalid$, and fails with limit on an oversized line', async () => {
    const { input, transport } = pipes({ maxMessageBytes: 64 });
    const invalid = lastValueFrom(transport.invalid$.pipe(toArray()));
    const connection = open(transport);
    input.write('hello\n');
    input.write(`${'x'.repeat(100)}\n`);
    await expect(connection.ended()).resolves.toMatchObject({ kind: 'limit' });
    expect((await invalid).map((error) => error.reason)).toEqual(['not-json']);
  });

  it('reports a failing stdin as closed', async () => {
    const { input, transport } = pipes();
    const connection = open(transport);
    input.destroy(new Error('read ECONNRESET'));
    await expect(connection.ended()).resolves.toMatchObject({
      kind: 'closed',
      message: expect.stringMatching(/Our stdin failed/),
    });
  });

  it('accepts batches with protocol version 2025-03-26', async () => {
    const { input, transport } = pipes({ protocolVersion: '2025-03-26' });
    const connection = open(transport);
    input.end('[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]\n');
    await connection.ended();
    const methods = (await lastValueFrom(connection.received.pipe(toArray()))).map((m) =>
      'method' in m ? m.method : '',
    );
    expect(methods).toEqual(['a', 'b']);
  });

  it('close() and the last unsubscribe end it; with endOutput false the output stays open', async () => {
    const first = pipes({ endOutput: false });
    const connection = open(first.transport);
    await done(first.transport.close());
    await expect(connection.ended()).resolves.toBeUndefined();
    expect(first.output.writableEnded).toBe(false);

    const second = pipes();
    const subscription = second.transport.messages$.subscribe();
    subscription.unsubscribe();
    await expect(lastValueFrom(second.transport.state$)).resolves.toEqual({ type: 'closed' });
    expect(second.output.writableEnded).toBe(true);

    const unused = pipes();
    await expect(
      lastValueFrom(unused.transport.send({ jsonrpc: '2.0', method: 'x' })),
    ).rejects.toThrow(/Subscribe to messages\$ first/);
    await done(unused.transport.close());
    await expect(lastValueFrom(unused.transport.state$)).resolves.toEqual({ type: 'closed' });
  });
});

describe('stdioServerTransport (a real server process, run with tsx)', () => {
  const server = (...args: string[]) => ({
    command: NODE,
    args: ['--import', 'tsx', RXMCP_SERVER, ...args],
    cwd: REPO,
    // tsx compiles on start; a loaded machine must not turn the polite exit into a SIGTERM.
    closeTimeoutMs: 30_000,
  });

  it('answers, and exits with code 0 when its stdin is closed', async () => {
    const transport = stdioTransport(server());
    const stderr = lastValueFrom(transport.stderr$.pipe(toArray()));
    const connection = open(transport);
    await expect(connection.call(1, 'echo', { a: 1 })).resolves.toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { a: 1 },
    });
    await done(transport.close());
    await expect(lastValueFrom(transport.exit$)).resolves.toMatchObject({ code: 0, signal: null });
    expect(await stderr).toContain('stdin ended: transport closed');
  }, 60_000);

  it('survives EPIPE when the client stops reading its stdout', async () => {
    const child = spawn(NODE, ['--import', 'tsx', RXMCP_SERVER, '--flood'], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdin.write('{"jsonrpc":"2.0","id":1,"method":"go"}\n');
    // The flood has started; now the client goes away without closing the server's stdin.
    await once(child.stdout, 'data');
    child.stdout.destroy();

    const [code, signal] = await exited;
    child.stdin.end();
    expect({ code, signal }).toEqual({ code: 42, signal: null });
    expect(stderr).toMatch(/send failed: closed: .*EPIPE/);
    expect(stderr).toContain('survived EPIPE');
    expect(stderr).not.toMatch(/Unhandled|uncaught/i);
  }, 60_000);
});
