/**
 * `rxmcp connect` as a desktop client runs it: JSON-RPC on its stdin and stdout, Streamable
 * HTTP to an rxmcp server hosting an SDK McpServer. The server restarts mid-session (close,
 * then listen again on the same port): the bridge re-initializes and requests keep working.
 */
import { createInterface } from 'node:readline';
import { hostSdkServer, start } from '../server/support/harness';
import type { Running } from '../server/support/harness';
import { removeCliBundle, spawnCli } from '../proxy/support/cliProcess';
import type { CliProcess } from '../proxy/support/cliProcess';

let server: Running | undefined;
let cli: CliProcess | undefined;
afterAll(removeCliBundle);
afterEach(async () => {
  if (cli !== undefined && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await cli?.exited;
  await server?.stop();
});

it('bridges stdio to Streamable HTTP across a server restart; stdin EOF exits 0', async () => {
  server = await start();
  hostSdkServer(server.server);
  const { port, url } = server;
  cli = await spawnCli(['connect', url, '--header', 'X-Test: yes', '--log-level', 'debug'], {
    stdin: 'pipe',
  });
  const lines = createInterface({ input: cli.child.stdout! });
  const waiting = new Map<
    number,
    (message: { id: number; result?: unknown; error?: unknown }) => void
  >();
  const stray: string[] = [];
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; result?: unknown };
    if (typeof message.id === 'number' && waiting.has(message.id)) {
      waiting.get(message.id)!(message as { id: number });
      waiting.delete(message.id);
    } else stray.push(line);
  });
  const request = (id: number, method: string, params: Record<string, unknown>) =>
    new Promise<{ id: number; result?: unknown; error?: unknown }>((resolve) => {
      waiting.set(id, resolve);
      cli!.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  const call = (id: number, name: string, args: Record<string, unknown> = {}) =>
    request(id, 'tools/call', { name, arguments: args });

  const init = await request(1, 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'stdio-client', version: '1.0.0' },
  });
  // What the client asked for is what it gets: nothing rewritten on the way.
  expect(init.result).toMatchObject({
    protocolVersion: '2025-11-25',
    serverInfo: { name: 'rxmcp-test' },
  });
  cli.child.stdin!.write(
    `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
  );
  expect(await call(2, 'echo', { text: 'before' })).toMatchObject({
    result: { content: [{ text: 'before' }] },
  });
  const before = ((await call(3, 'whoami')).result as { content: [{ text: string }] }).content[0]
    .text;

  // The server restarts: every session it had is gone.
  await server.stop();
  server = await start({ port });
  hostSdkServer(server.server);

  expect(await call(4, 'echo', { text: 'after' })).toMatchObject({
    result: { content: [{ text: 'after' }] },
  });
  const after = ((await call(5, 'whoami')).result as { content: [{ text: string }] }).content[0]
    .text;
  expect(after).not.toBe(before);
  // The same id again (the client's business): still answered.
  expect(await call(5, 'echo', { text: 'again' })).toMatchObject({
    id: 5,
    result: { content: [{ text: 'again' }] },
  });
  // Nothing but JSON-RPC on stdout; the log is on stderr.
  expect(stray.every((line) => JSON.parse(line).jsonrpc === '2.0')).toBe(true);
  expect(cli.stderr()).toContain('connecting');

  cli.child.stdin!.end();
  expect(await cli.exited).toEqual({ code: 0, signal: null });
}, 60_000);
