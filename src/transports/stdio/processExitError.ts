import { RxMcpError } from '../../errors.js';
import type { ProcessExit } from './watchChildProcess.js';

/** The `data` of the error that {@link processExitError} builds. */
export interface ProcessExitErrorData {
  /** The process id of the server (the leader of its process group). */
  readonly pid: number;
  /** Its exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr, oldest first (as many as the transport keeps). */
  readonly stderr: readonly string[];
}

/**
 * The `closed` error of a server process that ended before the transport was closed: its
 * exit code or signal, and its last stderr lines, in the message (for people) and in `data`
 * (for code, as {@link ProcessExitErrorData}). Not retryable: starting the same command again
 * is the caller's decision, not a transport's.
 *
 * ```text
 * exit { code: 1 } + stderr ['Error: EADDRINUSE']
 *   → RxMcpError('closed', 'The MCP server process `node server.js` (pid 4242) exited with
 *      code 1 before the transport was closed. Last stderr lines:\n  Error: EADDRINUSE\n…')
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { processExitError } from 'rxmcp/node';
 *
 * const error = processExitError('node server.js', { pid: 42, code: 1, signal: null }, ['boom']);
 * console.log(error.kind, error.data); // closed { pid: 42, exitCode: 1, signal: null, stderr: [ 'boom' ] }
 * ```
 */
export function processExitError(
  command: string,
  exit: ProcessExit,
  stderr: readonly string[],
): RxMcpError {
  const how =
    exit.signal === null ? `exited with code ${exit.code}` : `was ended by ${exit.signal}`;
  const log =
    stderr.length === 0
      ? 'It wrote nothing to stderr.'
      : `Last stderr lines:\n${stderr.map((line) => `  ${line}`).join('\n')}`;
  const data: ProcessExitErrorData = {
    pid: exit.pid,
    exitCode: exit.code,
    signal: exit.signal,
    stderr: [...stderr],
  };
  return new RxMcpError(
    'closed',
    `The MCP server process \`${command}\` (pid ${exit.pid}) ${how} before the transport was ` +
      'closed; requests still waiting for an answer will not get one. Check that the command ' +
      `runs on its own and what its log says. ${log}`,
    { data },
  );
}
