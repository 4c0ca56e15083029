import { asyncScheduler } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import type { Valve } from '../../../operators/valve.js';
import { batchAllowedFor } from '../../jsonrpc/batchAllowedFor.js';
import { checkMaxMessageBytes } from '../../jsonrpc/maxMessageBytes.js';
import { safeEnvironment } from './safeEnvironment.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_KILL_TIMEOUT_MS } from './shutdownProcessTree.js';
import { DEFAULT_MAX_STDERR_LINE_LENGTH, DEFAULT_STDERR_LINES } from './stderrRing.js';
import { DEFAULT_MAX_PENDING_WRITE_BYTES } from './writeToStream.js';

/** Options of `stdioTransport`. Only `command` is required. */
export interface StdioTransportOptions {
  /**
   * The program that runs the MCP server: a path, or a name looked up in the child's `PATH`.
   * It is started directly, never through a shell, so nothing in `command` or `args` is
   * expanded or interpreted. To use shell syntax, say so: `command: 'sh', args: ['-c', …]`.
   */
  readonly command: string;
  /**
   * The arguments, passed as they are.
   * @default []
   */
  readonly args?: readonly string[];
  /**
   * Variables for the child, laid over the inherited ones (see `inheritEnv`). A variable set
   * to `undefined` is removed.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether the child inherits this process's whole environment. By default it gets only
   * `safeEnvironment()` (on POSIX `HOME`, `LOGNAME`, `PATH`, `SHELL`, `TERM`, `USER`), so that
   * secrets in this process's environment do not leak into third-party servers.
   * @default false
   */
  readonly inheritEnv?: boolean;
  /**
   * The child's working directory.
   * @default this process's working directory
   */
  readonly cwd?: string;
  /**
   * The largest message read from the server, in UTF-8 bytes. A longer line ends the
   * transport with an `RxMcpError` of kind `'limit'` and the server is shut down.
   * @default 10 * 1024 * 1024 (10 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * How many bytes may wait in the server's stdin buffer when a send starts; a send that
   * finds more fails with kind `'limit'` (use `concatMap` to send at the server's pace).
   * @default 16 * 1024 * 1024 (16 MiB)
   */
  readonly maxPendingWriteBytes?: number;
  /**
   * How many of the server's last stderr lines are kept for error messages.
   * @default 100
   */
  readonly stderrLines?: number;
  /**
   * The longest stderr line kept or emitted on `stderr$`, in UTF-16 code units; longer lines
   * are cut and marked.
   * @default 1000
   */
  readonly maxStderrLineLength?: number;
  /**
   * How long the server may take to exit after its stdin is closed, before `SIGTERM`, in
   * milliseconds.
   * @default 2000
   */
  readonly closeTimeoutMs?: number;
  /**
   * How long after `SIGTERM` before `SIGKILL`, in milliseconds (and the same for processes
   * left in the group after the server exited).
   * @default 2000
   */
  readonly killTimeoutMs?: number;
  /**
   * The MCP protocol version in use, if known in advance. Only `'2025-03-26'` changes
   * anything: JSON-RPC batches from the server are then accepted (and emitted one message at
   * a time); otherwise a batch is reported on `invalid$`.
   * @default none: batches are refused
   */
  readonly protocolVersion?: string;
  /**
   * Flow control for the server's stdout: while the valve is paused, stdout is not read, the
   * pipe fills up and the server blocks on its next write. Pair it with
   * `boundedBuffer({ overflow: 'pause', valve })` downstream of `messages$`.
   * @default none: stdout is read as fast as the server writes
   */
  readonly valve?: Valve;
  /**
   * Where the shutdown waits are scheduled.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

/** {@link StdioTransportOptions} with every default applied and checked. */
export interface ResolvedStdioTransportOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string | undefined;
  readonly maxMessageBytes: number;
  readonly maxPendingWriteBytes: number;
  readonly stderrLines: number;
  readonly maxStderrLineLength: number;
  readonly closeTimeoutMs: number;
  readonly killTimeoutMs: number;
  readonly allowBatch: boolean;
  readonly valve: Valve | undefined;
  readonly scheduler: SchedulerLike;
  /** `command` and `args` as one string, for messages. */
  readonly description: string;
}

/**
 * Applies the defaults of {@link StdioTransportOptions} and checks the values, throwing a
 * `TypeError` or `RangeError` that names the option, so that a mistake shows where the
 * transport is created rather than when it is first used. Reads the environment, starts
 * nothing.
 */
export function resolveStdioTransportOptions(
  options: StdioTransportOptions,
): ResolvedStdioTransportOptions {
  const { command, args = [], inheritEnv = false } = options;
  if (typeof command !== 'string' || command.length === 0) {
    throw new TypeError('stdioTransport: command must be a non-empty string.');
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    throw new TypeError('stdioTransport: args must be an array of strings.');
  }
  const env: Record<string, string> = inheritEnv ? copyDefined(process.env) : safeEnvironment();
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return {
    command,
    args: [...args],
    env,
    cwd: options.cwd,
    maxMessageBytes: checkMaxMessageBytes(options.maxMessageBytes, 'stdioTransport'),
    maxPendingWriteBytes: count(
      options.maxPendingWriteBytes,
      DEFAULT_MAX_PENDING_WRITE_BYTES,
      1,
      'maxPendingWriteBytes',
    ),
    stderrLines: count(options.stderrLines, DEFAULT_STDERR_LINES, 0, 'stderrLines'),
    maxStderrLineLength: count(
      options.maxStderrLineLength,
      DEFAULT_MAX_STDERR_LINE_LENGTH,
      1,
      'maxStderrLineLength',
    ),
    closeTimeoutMs: count(options.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS, 0, 'closeTimeoutMs'),
    killTimeoutMs: count(options.killTimeoutMs, DEFAULT_KILL_TIMEOUT_MS, 0, 'killTimeoutMs'),
    allowBatch: batchAllowedFor(options.protocolVersion),
    valve: options.valve,
    scheduler: options.scheduler ?? asyncScheduler,
    description: [command, ...args].join(' '),
  };
}

function count(value: number | undefined, fallback: number, min: number, name: string): number {
  const resolved = value ?? fallback;
  if (!(Number.isInteger(resolved) && resolved >= min)) {
    throw new RangeError(
      `stdioTransport: ${name} must be a whole number >= ${min}, got ${resolved}.`,
    );
  }
  return resolved;
}

function copyDefined(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value !== undefined) env[name] = value;
  return env;
}
