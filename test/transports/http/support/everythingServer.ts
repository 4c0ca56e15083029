/**
 * `@modelcontextprotocol/server-everything` as a child process, in `streamableHttp` or `sse`
 * mode, on a port chosen by the OS. Started and stopped on events (its "listening" line, its
 * exit), never on sleeps.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const entry = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

export interface EverythingServer {
  readonly port: number;
  /** Stops the process and waits for its exit. */
  stop(): Promise<void>;
}

export async function startEverything(
  mode: 'streamableHttp' | 'sse',
  port: number,
): Promise<EverythingServer> {
  const child: ChildProcess = spawn(process.execPath, [entry, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (/listening on port|running on port/i.test(seen)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${seen}`)));
  });
  await ready;
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
