import type { Writable } from 'node:stream';
import { AsyncSubject, BehaviorSubject, Observable, Subject } from 'rxjs';
import type { Subscriber } from 'rxjs';
import { defer, ignoreElements, map, of, share, throwError } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import type { ConnectionState } from '../../sse/state.js';
import type { Transport } from '../transport.js';
import { processExitError } from './processExitError.js';
import { readMessages } from './readMessages.js';
import { encodeMessageLine } from './serialiseLine.js';
import { shutdownProcessTree } from './shutdownProcessTree.js';
import { spawnServer, startError } from './spawnServer.js';
import type { ServerProcess } from './spawnServer.js';
import { createStderrRing } from './stderrRing.js';
import { resolveStdioTransportOptions } from './stdioTransportOptions.js';
import type {
  ResolvedStdioTransportOptions,
  StdioTransportOptions,
} from './stdioTransportOptions.js';
import { watchChildProcess } from './watchChildProcess.js';
import type { ProcessExit } from './watchChildProcess.js';
import { writeToStream } from './writeToStream.js';
import type { WriteToStreamOptions } from './writeToStream.js';

/** A {@link Transport} to an MCP server run as a child process; see {@link stdioTransport}. */
export interface StdioTransport extends Transport<JsonRpcMessage, JsonRpcMessage> {
  /**
   * The server's stderr, one line at a time (cut at `maxStderrLineLength`), while it runs.
   * Hot: lines written before a subscription are not replayed (the last `stderrLines` of them
   * are attached to the error of an unexpected exit). Never errors; completes when the
   * transport is closed. A line on stderr is a log line, never an error by itself.
   */
  readonly stderr$: Observable<string>;
  /**
   * Lines of the server's stdout that are not JSON-RPC messages, as decode errors (kind
   * `'parse'` or `'protocol'`, with the reason). They are skipped and `messages$` goes on.
   * Hot; completes when the transport is closed.
   */
  readonly invalid$: Observable<JsonRpcDecodeError>;
  /**
   * How the server process ended (pid, exit code, signal), once it has; replayed to late
   * subscribers. Completes without a value if the process never started.
   */
  readonly exit$: Observable<ProcessExit>;
}

/** One server process, once started: what `send` and `close` need. */
interface Session {
  readonly stdin: Writable;
  /** Corks `stdin` until the end of this tick (once per tick): see {@link start}. */
  coalesce(): void;
  /** How every write to `stdin` is made (built once: a send is the hot path). */
  readonly writeOptions: WriteToStreamOptions;
  /** Whether the shutdown sequence has started. */
  stopping(): boolean;
  /** Starts the shutdown sequence (once); `requested`: we asked for it. */
  stop(requested: boolean): void;
}

/**
 * A client transport that runs an MCP server as a child process and talks to it over stdin
 * and stdout (NDJSON). Creating it does nothing; subscribing to `messages$` spawns the
 * server (no shell; a safe environment), and the end of that subscription, `close()`, or
 * the server's own exit shuts it down together with every process in its process group.
 * One transport runs one process: once closed, create a new transport to start another.
 *
 * ```text
 * subscribe(messages$) ─spawn─ state$: connecting ─ open ─────────────────── closed|
 * messages$            ─────────────────────m──m──────m──────────────────────|
 * send(m)                          ──write──drain|
 * close()                                               ─stdin.end()─exit─close|
 * server crashes:      messages$   ──m──#   closed: { exitCode, signal, stderr: [...] }
 * ```
 *
 * [spec 2025-11-25 transports] The client launches the MCP server as a subprocess.
 *
 * ## Example
 *
 * ```ts
 * import { stdioTransport } from 'rxmcp/node';
 *
 * const server = stdioTransport({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] });
 * server.stderr$.subscribe((line) => console.error('[server]', line));
 * // This subscription is the connection: it starts the server, and ending it stops the server.
 * server.messages$.subscribe((message) => console.log('from the server:', message));
 * server.send({ jsonrpc: '2.0', id: 1, method: 'ping' }).subscribe();
 * // Later: end stdin, wait, SIGTERM, wait, SIGKILL, for the server and all it started.
 * server.close().subscribe({ complete: () => console.log('the server and its helpers are gone') });
 * ```
 */
export function stdioTransport(options: StdioTransportOptions): StdioTransport {
  const config = resolveStdioTransportOptions(options);
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  const stderrLines = new Subject<string>();
  const invalid = new Subject<JsonRpcDecodeError>();
  const exit = new AsyncSubject<ProcessExit>();
  let session: Session | undefined;

  function finish(reason: RxMcpError | undefined): void {
    stderrLines.complete();
    invalid.complete();
    exit.complete();
    state.next(reason === undefined ? { type: 'closed' } : { type: 'closed', reason });
    state.complete();
  }

  const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
    if (state.value.type !== 'idle') {
      subscriber.error(notOpenError('messages$', config, state.value));
      return;
    }
    state.next({ type: 'connecting', attempt: 0 });
    let child: ServerProcess;
    try {
      child = spawnServer(config);
    } catch (error) {
      const reason = startError(config, error);
      finish(reason);
      subscriber.error(reason);
      return;
    }
    const started = start(child, subscriber);
    session = started;
    const ended = state.subscribe((current) => {
      if (current.type !== 'closed') return;
      if (current.reason === undefined) subscriber.complete();
      else subscriber.error(current.reason);
    });
    return () => {
      ended.unsubscribe();
      started.stop(true);
    };
  }).pipe(share());

  /** Wires one spawned process to the transport's subjects; returns its session. */
  function start(child: ServerProcess, subscriber: Subscriber<JsonRpcMessage>): Session {
    const watched = watchChildProcess(child);
    const ring = createStderrRing({
      capacity: config.stderrLines,
      maxLineLength: config.maxStderrLineLength,
      onLine: (line) => stderrLines.next(line),
    });
    let failure: RxMcpError | undefined;
    let requested = false;
    let unexpectedExit: ProcessExit | undefined;
    let stopping = false;

    const stop = (byUs: boolean): void => {
      requested ||= byUs;
      if (stopping) return;
      stopping = true;
      shutdownProcessTree(watched, config).subscribe({
        complete: () => {
          const exited = unexpectedExit;
          const clean = exited === undefined || (exited.code === 0 && exited.signal === null);
          finish(
            failure ??
              (clean ? undefined : processExitError(config.description, exited, ring.lines())),
          );
        },
      });
    };

    // A failed write is reported to its send; the events themselves carry nothing more, but
    // without listeners Node would throw them at the host (EPIPE after the server exited).
    child.stdin.on('error', () => undefined);
    child.stdout.on('error', () => undefined);
    child.stderr.on('error', () => undefined);
    // [spec 2025-11-25 transports] The client MAY capture, forward, or ignore the server's
    // stderr output and SHOULD NOT assume stderr output indicates error conditions.
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => ring.push(chunk));
    child.stderr.on('end', () => ring.end());

    watched.spawned$.subscribe({
      complete: () => state.next({ type: 'open' }),
      error: (error: unknown) => {
        failure ??= startError(config, error);
        stop(false);
      },
    });
    watched.exit$.subscribe((exited) => {
      if (!requested) unexpectedExit = exited;
      exit.next(exited);
      exit.complete();
      // Also when the leader exits on its own: its group may still hold stragglers.
      stop(false);
    });
    subscriber.add(
      readMessages(child.stdout, {
        maxMessageBytes: config.maxMessageBytes,
        allowBatch: config.allowBatch,
        valve: config.valve,
        onInvalid: (error) => invalid.next(error),
      }).subscribe({
        next: (message) => subscriber.next(message),
        error: (error: RxMcpError) => {
          // Too long a line: the stream is out of step with the server for good. Say so at
          // once; the teardown that follows shuts the server down.
          if (error.kind === 'limit') {
            failure ??= error;
            subscriber.error(error);
          }
          // Any other read failure: stdout is gone, so is the conversation.
          stop(false);
        },
        // [spec 2025-11-25 lifecycle] The server MAY initiate shutdown by closing its output
        // stream to the client and exiting.
        complete: () => stop(false),
      }),
    );
    // Nobody reads stdout any more (unsubscribed, or it failed): keep draining it into the
    // void so that a server writing while it shuts down never blocks on a full pipe.
    subscriber.add(() => child.stdout.resume());

    // Performance: the sends made in one tick (the next requests started while a chunk of
    // responses is handled, a burst of requests) leave in one `writev` instead of one
    // syscall each, each waking the server. Node's own pattern for this: `cork()`, then
    // `uncork()` in `process.nextTick`. Order, write callbacks and 'drain' are unchanged;
    // `end()` (on close) uncorks first.
    let corked = false;
    const uncork = (): void => {
      corked = false;
      child.stdin.uncork();
    };
    const coalesce = (): void => {
      if (corked) return;
      corked = true;
      child.stdin.cork();
      process.nextTick(uncork);
    };

    return {
      stdin: child.stdin,
      coalesce,
      writeOptions: {
        maxPendingBytes: config.maxPendingWriteBytes,
        // Emits the `closed` error of the exit, for writes still in flight.
        abort$: watched.exit$.pipe(
          map((exited) => processExitError(config.description, exited, ring.lines())),
        ),
        name: `the stdin of \`${config.description}\``,
      },
      stopping: () => stopping,
      stop,
    };
  }

  return {
    messages$,
    // A completed BehaviorSubject replays nothing: late subscribers still get `closed`.
    state$: defer(() => (state.value.type === 'closed' ? of(state.value) : state)),
    stderr$: stderrLines.asObservable(),
    invalid$: invalid.asObservable(),
    exit$: exit.asObservable(),
    send: (message) =>
      defer(() => {
        const current = session;
        if (current === undefined || current.stopping()) {
          return throwError(() => notOpenError('send', config, state.value));
        }
        const line = encodeMessageLine(message);
        if (line.isErr()) return throwError(() => line.error);
        current.coalesce();
        return writeToStream(current.stdin, line.value, current.writeOptions);
      }),
    close: () =>
      defer(() => {
        if (session !== undefined) session.stop(true);
        else if (state.value.type === 'idle') finish(undefined);
        // state$ completes right after `closed`, when everything is released.
        return state.pipe(ignoreElements());
      }),
  };
}

function notOpenError(
  what: 'send' | 'messages$',
  config: ResolvedStdioTransportOptions,
  current: ConnectionState,
): RxMcpError {
  const advice =
    current.type === 'idle'
      ? 'Subscribe to messages$ first: that starts the server.'
      : 'The server process has exited or is shutting down; a stdio transport runs one ' +
        'process, so create a new transport to start it again.';
  return new RxMcpError(
    'closed',
    `Cannot ${what === 'send' ? 'send' : 'subscribe to messages$'}: the stdio transport to ` +
      `\`${config.description}\` is not open (state: ${current.type}). ${advice}`,
  );
}
