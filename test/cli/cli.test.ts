/**
 * The `rxmcp` command as users run it: a process of its own. Help, version and usage errors
 * (exit code 2); `proxy` serving sessions and /healthz, then SIGTERM: sessions end, every
 * child is gone, exit code 0 within 5 s.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolve } from 'node:path';
import { initialize, post, processesWith } from '../proxy/support/rawHttp';
import { removeCliBundle, spawnCli } from '../proxy/support/cliProcess';
import { hostSdkServer, start } from '../server/support/harness';
import type { CliProcess } from '../proxy/support/cliProcess';

const toolServer = resolve(__dirname, '../fixtures/proxy/tool-server.mjs');
let cli: CliProcess | undefined;
afterAll(removeCliBundle);
afterEach(async () => {
  if (cli !== undefined && cli.child.exitCode === null && cli.child.signalCode === null) {
    cli.child.kill('SIGKILL');
  }
  await cli?.exited;
  cli = undefined;
});

/** Processes with the marker, except the CLI itself (its arguments carry the marker too). */
const children = (marker: string): number[] =>
  processesWith(marker).filter((pid) => pid !== cli?.child.pid);

async function output(
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  cli = await spawnCli(args, env === undefined ? {} : { env: { ...process.env, ...env } });
  let stdout = '';
  cli.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const { code } = await cli.exited;
  return { code, stdout, stderr: cli.stderr() };
}

describe('rxmcp', () => {
  it('prints the version and the help of each command, exit code 0', async () => {
    expect(await output(['--version'])).toMatchObject({ code: 0, stdout: '0.0.0-test\n' });
    expect((await output(['--help'])).stdout).toContain('Exit codes:');
    const proxyHelp = await output(['proxy', '--help']);
    expect(proxyHelp).toMatchObject({ code: 0 });
    expect(proxyHelp.stdout).toContain('rxmcp proxy [options] -- <command> [args...]');
    expect(proxyHelp.stdout).toContain('[RXMCP_PORT]');
    expect((await output(['connect', '--help'])).stdout).toContain('rxmcp connect [options] <url>');
  });

  it('exits with 2 on usage errors, saying what is wrong on stderr', async () => {
    const unknown = await output(['proxy', '--bogus', '--', 'node']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect(unknown.stdout).toBe('');
    expect((await output(['proxy'])).code).toBe(2);
    expect((await output(['proxy', '--port', 'x', '--', 'node'])).stderr).toContain(
      '--port must be',
    );
    expect((await output(['connect'])).stderr).toContain('missing <url>');
    expect((await output(['connect', 'ftp://x'])).code).toBe(2);
    expect((await output(['nope'])).code).toBe(2);
    expect(
      (await output(['connect', 'http://127.0.0.1:1/mcp'], { RXMCP_LOG_LEVEL: 'loud' })).stderr,
    ).toContain('--log-level must be one of');
  });

  it('exits with 1 when it cannot listen', async () => {
    const first = await spawnCli(['proxy', '--port', '0', '--', process.execPath, toolServer]);
    try {
      const [, port] = (await first.waitFor(/url=http:\/\/127\.0\.0\.1:(\d+)/)) as unknown as [
        string,
        string,
      ];
      const second = await output([
        'proxy',
        '--port',
        port,
        '--log-format',
        'json',
        '--',
        process.execPath,
        toolServer,
      ]);
      expect(second.code).toBe(1);
      expect(JSON.parse(second.stderr.trim().split('\n').at(-1)!)).toMatchObject({
        level: 'error',
      });
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
  });

  it('proxy: serves sessions and /healthz; SIGTERM ends them, kills every child, exits 0 within 5 s', async () => {
    const marker = `marker-${randomUUID()}`;
    cli = await spawnCli(['proxy', '--port', '0', '--', process.execPath, toolServer, marker], {
      env: { ...process.env, RXMCP_PATH: '/custom', RXMCP_LOG_FORMAT: 'json' },
    });
    const [, url] = (await cli.waitFor(/"url":"([^"]+)"/)) as unknown as [string, string];
    expect(url).toMatch(/\/custom$/);
    const sessions = await Promise.all([initialize(url), initialize(url)]);
    for (const session of sessions) {
      const { messages } = await post(
        url,
        {
          jsonrpc: '2.0',
          id: 5,
          method: 'tools/call',
          params: { name: 'whoami', arguments: { tag: 't' } },
        },
        session,
      );
      expect(messages.at(-1)).toMatchObject({ id: 5, result: {} });
    }
    const health = await (await fetch(url.replace('/custom', '/healthz'))).json();
    expect(health).toMatchObject({ status: 'ok', sessions: 2, children: 2 });
    expect(children(marker)).toHaveLength(2);

    const started = performance.now();
    cli.child.kill('SIGTERM');
    const { code } = await cli.exited;
    const elapsed = performance.now() - started;
    process.stdout.write(
      `proxy shutdown: ${elapsed.toFixed(0)} ms, processes left: ${children(marker).length}\n`,
    );
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(5000);
    expect(children(marker)).toEqual([]);
    expect(cli.stderr()).toContain('"msg":"stopped"');
  });
});

describe('rxmcp proxy --upstream', () => {
  it('fronts a remote server (RXMCP_UPSTREAM) for the SDK client, then stops on SIGINT', async () => {
    const upstream = await start();
    hostSdkServer(upstream.server);
    try {
      cli = await spawnCli(['proxy', '--port', '0', '--header', 'X-Via: rxmcp'], {
        env: { ...process.env, RXMCP_UPSTREAM: upstream.url },
      });
      const [, url] = (await cli.waitFor(/url=(\S+)/)) as unknown as [string, string];
      const client = new Client({ name: 'sdk-client', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport);
      const echoed = await client.callTool({ name: 'echo', arguments: { text: 'through' } });
      expect(echoed.content).toEqual([{ type: 'text', text: 'through' }]);
      await client.close();
      cli.child.kill('SIGINT');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
    } finally {
      await upstream.stop();
    }
  });
});
