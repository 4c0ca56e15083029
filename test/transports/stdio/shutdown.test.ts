import { lastValueFrom, toArray } from 'rxjs';
import { stdioTransport } from '../../../src/transports/stdio/stdioTransport.js';
import type { StdioTransportOptions } from '../../../src/transports/stdio/stdioTransportOptions.js';
import {
  NODE,
  RAW_SERVER,
  REPO,
  done,
  isRunning,
  marker,
  open,
  pidIn,
  processesWith,
  rawServer,
  waitFor,
} from './support.js';

// Short graces keep the escalations quick. Where a test expects the polite path (exit on
// EOF), the grace before SIGTERM is long instead, so that a loaded machine cannot turn it
// into an escalation; it costs nothing, as the wait ends with the exit event.
const quick = { closeTimeoutMs: 150, killTimeoutMs: 150 } as const;
const politeLeader = { closeTimeoutMs: 30_000, killTimeoutMs: 150 } as const;

/**
 * Starts a transport and waits for an answer to `method` (so every process is up), collecting
 * stderr and the pid of a grandchild if the server reports one; `stop()` closes it.
 */
async function start(options: StdioTransportOptions, method = 'echo') {
  const transport = stdioTransport(options);
  const stderr = lastValueFrom(transport.stderr$.pipe(toArray()));
  const grandchild = waitFor(transport.stderr$, (line) => line.startsWith('grandchild '));
  const connection = open(transport);
  await connection.call(1, method, {});
  return {
    transport,
    connection,
    grandchild: async () => pidIn(await grandchild, 'grandchild'),
    async stop() {
      await done(transport.close());
      await expect(connection.ended()).resolves.toBeUndefined();
      // The grandchild watch may never fire; it ends with stderr$.
      await grandchild.catch(() => undefined);
      return { exit: await lastValueFrom(transport.exit$), stderr: await stderr };
    },
  };
}

describe('stdio shutdown', () => {
  it('a server that exits on stdin EOF is not sent any signal', async () => {
    const server = await start(rawServer());
    const { exit, stderr } = await server.stop();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(stderr).toContain('stdin ended');
  });

  it('a server that ignores stdin EOF gets SIGTERM after closeTimeoutMs', async () => {
    const server = await start(rawServer(['--ignore-eof'], quick));
    const { exit, stderr } = await server.stop();
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(stderr).toContain('stdin ended');
  });

  it('a server that ignores SIGTERM too is SIGKILLed after killTimeoutMs', async () => {
    const server = await start(rawServer(['--ignore-eof', '--ignore-sigterm'], quick));
    const { exit, stderr } = await server.stop();
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(stderr).toEqual(expect.arrayContaining(['stdin ended', 'ignoring SIGTERM']));
  });

  it('unsubscribing runs the same sequence in the background', async () => {
    const tag = marker('unsubscribe');
    const transport = stdioTransport(rawServer(['--ignore-eof', '--ignore-sigterm', tag], quick));
    const connection = open(transport);
    await connection.call(1, 'echo');
    expect(processesWith(tag)).toHaveLength(1);
    connection.subscription.unsubscribe();
    // Nobody subscribes any more; state$ still reports the end once the process is gone.
    await expect(lastValueFrom(transport.state$)).resolves.toEqual({ type: 'closed' });
    await expect(lastValueFrom(transport.exit$)).resolves.toMatchObject({ signal: 'SIGKILL' });
    expect(processesWith(tag)).toEqual([]);
  });

  describe.each([
    ['holds the pipes', ['--grandchild=pipes']],
    ['holds none of the pipes', ['--grandchild=detached']],
    ['holds the pipes and ignores SIGTERM', ['--grandchild=pipes', '--stubborn-grandchild']],
    [
      'holds none of the pipes, ignores SIGTERM',
      ['--grandchild=detached', '--stubborn-grandchild'],
    ],
  ])('a grandchild that %s', (_name, flags) => {
    it('is gone after close(), although the server itself exited on EOF', async () => {
      const tag = marker('grandchild');
      const server = await start(rawServer([...flags, tag], politeLeader));
      const grandchild = await server.grandchild();
      expect(isRunning(grandchild)).toBe(true);

      const { exit } = await server.stop();
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(isRunning(grandchild)).toBe(false);
      expect(processesWith(tag)).toEqual([]);
    });
  });

  it('a grandchild is ended when the server crashes on its own, and the error still says why', async () => {
    const tag = marker('crash-grandchild');
    const transport = stdioTransport(rawServer(['--grandchild=pipes', tag], politeLeader));
    const grandchild = waitFor(transport.stderr$, (line) => line.startsWith('grandchild '));
    const connection = open(transport);
    const pid = pidIn(await grandchild, 'grandchild');
    void connection.call(1, 'crash', { code: 5, lines: ['fatal'] }).catch(() => undefined);

    await expect(connection.ended()).resolves.toMatchObject({
      kind: 'closed',
      data: { exitCode: 5, stderr: expect.arrayContaining(['fatal']) },
    });
    expect(isRunning(pid)).toBe(false);
    expect(processesWith(tag)).toEqual([]);
  });

  it('does not hang on a descendant that left the group but holds the pipes; it cannot reach it', async () => {
    const tag = marker('escaped');
    const server = await start(rawServer(['--grandchild=escaped', tag], politeLeader));
    const escaped = await server.grandchild();
    // close() completes: after killTimeoutMs it lets go of its ends of the pipes.
    const { exit } = await server.stop();
    expect(exit).toMatchObject({ code: 0, signal: null });
    // The documented limit: a process in a session of its own is out of reach of the group
    // signals. The test cleans up after it.
    expect(processesWith(tag)).toEqual([escaped]);
    process.kill(escaped, 'SIGKILL');
    expect(isRunning(escaped)).toBe(false);
  });

  describe('wrappers', () => {
    const graces = (flags: readonly string[]) => (flags.length > 0 ? quick : politeLeader);
    const sh = (tag: string, ...flags: string[]): StdioTransportOptions => ({
      command: 'sh',
      // `; true` keeps sh alive as the parent (no exec of the last command).
      args: ['-c', `"${NODE}" "${RAW_SERVER}" ${[...flags, tag].join(' ')}; true`],
      ...graces(flags),
    });
    const npx = (tag: string, ...flags: string[]): StdioTransportOptions => ({
      command: 'npx',
      args: ['--no-install', 'node', RAW_SERVER, ...flags, tag],
      cwd: REPO,
      ...graces(flags),
    });

    it.each([
      ['sh -c', sh],
      ['npx --no-install', npx],
    ])('%s: a polite server leaves nothing behind', async (_name, wrap) => {
      const tag = marker('wrapped');
      const server = await start(wrap(tag));
      expect(processesWith(tag).length).toBeGreaterThanOrEqual(2);
      const { exit } = await server.stop();
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(processesWith(tag)).toEqual([]);
    });

    it.each([
      ['sh -c', sh],
      ['npx --no-install', npx],
    ])('%s: a server deaf to EOF and SIGTERM is killed with its wrapper', async (_name, wrap) => {
      const tag = marker('wrapped-deaf');
      const server = await start(wrap(tag, '--ignore-eof', '--ignore-sigterm'));
      expect(processesWith(tag).length).toBeGreaterThanOrEqual(2);
      await server.stop();
      expect(processesWith(tag)).toEqual([]);
    });

    it('npx --no-install mcp-server-everything leaves nothing behind', async () => {
      const tag = marker('everything');
      const server = await start(
        {
          command: 'npx',
          args: ['--no-install', 'mcp-server-everything', 'stdio', tag],
          cwd: REPO,
          ...politeLeader,
        },
        'ping',
      );
      expect(processesWith(tag).length).toBeGreaterThanOrEqual(1);
      await server.stop();
      expect(processesWith(tag)).toEqual([]);
    }, 60_000);
  });
});
