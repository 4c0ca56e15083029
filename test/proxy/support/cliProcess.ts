import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const launcher = resolve(__dirname, '../../fixtures/proxy/rxmcp.ts');

/** The Node flags `bin/rxmcp.cjs` runs with (from its `#!/usr/bin/env -S node ...` line). */
export const binNodeFlags: readonly string[] = readFileSync(
  resolve(__dirname, '../../../bin/rxmcp.cjs'),
  'utf8',
)
  .split('\n', 1)[0]!
  .replace(/^#!\/usr\/bin\/env -S node\s*/, '')
  .split(/\s+/)
  .filter((flag) => flag !== '');
let bundled: Promise<string> | undefined;

/**
 * The CLI bundled into one CommonJS file (as `dist` would run it, without a TypeScript
 * loader in the process), so that a spawned proxy's memory is the proxy's own.
 */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(tmpdir(), `rxmcp-cli-test-${process.pid}.cjs`);
    await build({
      entryPoints: [launcher],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

/** Removes the bundle (call in `afterAll`). */
export async function removeCliBundle(): Promise<void> {
  if (bundled === undefined) return;
  const file = await bundled;
  bundled = undefined;
  rmSync(file, { force: true });
}

/** A running `rxmcp` process, its stderr lines collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** Resolves with the first stderr match of `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or the signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the bundled CLI with `args`, under the Node flags the bin runs with by default. */
export async function spawnCli(
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    stdin?: 'pipe' | 'ignore';
    nodeFlags?: readonly string[];
  } = {},
): Promise<CliProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? binNodeFlags), await cliBundle(), ...args],
    {
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    },
  );
  let text = '';
  const waiters: Array<() => void> = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    text += chunk;
    for (const waiter of waiters.splice(0)) waiter();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    stderr: () => text,
    exited,
    waitFor: (pattern) =>
      new Promise((resolvePromise, reject) => {
        const check = (): void => {
          const match = pattern.exec(text);
          if (match !== null) resolvePromise(match);
          else waiters.push(check);
        };
        void exited.then(() => reject(new Error(`rxmcp exited before ${pattern}: ${text}`)));
        check();
      }),
  };
}

/** The resident set size of a process, in MiB, from /proc. */
export function rssMiB(pid: number): number {
  return statusKiB(pid, 'VmRSS') / 1024;
}

/** The highest resident set size a process has had so far (the kernel's VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  return statusKiB(pid, 'VmHWM') / 1024;
}

function statusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
}
