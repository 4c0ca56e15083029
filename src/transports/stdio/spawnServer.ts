import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { RxMcpError } from '../../errors.js';
import type { ResolvedStdioTransportOptions } from './stdioTransportOptions.js';

/** A server process with all three stdio streams piped. */
export type ServerProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Starts the MCP server of a stdio transport: no shell, the environment and working
 * directory of the options, three pipes, and on POSIX a process group of its own. Throws
 * what `child_process.spawn` throws synchronously (arguments Node refuses, such as a NUL
 * byte in the environment); failures to start the program itself (`ENOENT`) arrive as the
 * child's `'error'` event. Internal to `stdioTransport` (not exported from `rxmcp/node`).
 *
 * ```text
 * spawnServer({ command: 'npx', args: ['srv'] })  →  npx srv   (pid = pgid = 4242)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { spawnServer } from './spawnServer.js';
 * import { resolveStdioTransportOptions } from './stdioTransportOptions.js';
 *
 * const child = spawnServer(resolveStdioTransportOptions({ command: 'node', args: ['server.js'] }));
 * child.stdout.on('data', (chunk) => process.stdout.write(chunk));
 * ```
 */
export function spawnServer(config: ResolvedStdioTransportOptions): ServerProcess {
  return spawn(config.command, config.args, {
    cwd: config.cwd,
    env: config.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Never a shell: nothing in command or args is interpreted.
    shell: false,
    // POSIX: the child leads a new process group, so that `kill(-pid)` reaches everything it
    // starts (the real server behind `npx` or `sh -c`). On Windows `detached` would open a
    // console window instead; there the tree is ended with `taskkill /T`.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
}

/**
 * The `closed` error of a server process that could not be started, saying what to check.
 * The original error is its `cause`; `data` holds the command, arguments and `cwd`.
 */
export function startError(config: ResolvedStdioTransportOptions, error: unknown): RxMcpError {
  const cause = RxMcpError.from(error);
  return new RxMcpError(
    'closed',
    `Could not start the MCP server process \`${config.description}\`: ${cause.message}. Check ` +
      'that the command exists in the PATH it is given (only a safe environment is passed ' +
      'unless inheritEnv is set) and that cwd exists.',
    { cause: error, data: { command: config.command, args: config.args, cwd: config.cwd } },
  );
}
