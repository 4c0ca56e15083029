import { finished } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { AsyncSubject, BehaviorSubject, Observable, Subject } from 'rxjs';
import { defer, ignoreElements, of, share, throwError } from 'rxjs';
import type { Valve } from '../../../operators/valve.js';
import { RxMcpError } from '../../errors.js';
import { batchAllowedFor } from '../../jsonrpc/batchAllowedFor.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import { checkMaxMessageBytes } from '../../jsonrpc/maxMessageBytes.js';
import type { JsonRpcMessage } from '../../jsonrpc/types.js';
import type { ConnectionState } from '../../sse/state.js';
import type { Transport } from '../transport.js';
import { readMessages } from './readMessages.js';
import { encodeMessageLine } from './serialiseLine.js';
import { DEFAULT_MAX_PENDING_WRITE_BYTES, writeToStream } from './writeToStream.js';

/** Options of {@link stdioServerTransport}. */
export interface StdioServerTransportOptions {
  /**
   * Where the client's messages come from.
   * @default process.stdin
   */
  readonly stdin?: Readable;
  /**
   * Where our messages go. Nothing else may write to it: every byte on it must be an MCP
   * message (log to stderr instead).
   * @default process.stdout
   */
  readonly stdout?: Writable;
  /**
   * The largest message read, in UTF-8 bytes; a longer line ends the transport with kind
   * `'limit'`.
   * @default 10 * 1024 * 1024 (10 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * How many bytes may wait in the output buffer when a send starts; a send that finds more
   * fails with kind `'limit'`.
   * @default 16 * 1024 * 1024 (16 MiB)
   */
  readonly maxPendingWriteBytes?: number;
  /**
   * Whether the end of the transport (stdin EOF, `close()`, the last unsubscribe) also ends
   * the output stream once everything written has been flushed, which tells the client we
   * are done. Set `false` to keep writing other things to it afterwards.
   * @default true
   */
  readonly endOutput?: boolean;
  /**
   * The MCP protocol version in use; with `'2025-03-26'` JSON-RPC batches are accepted.
   * @default none: batches are refused (reported on `invalid$`)
   */
  readonly protocolVersion?: string;
  /**
   * Flow control for stdin: while paused, stdin is not read and the client blocks.
   * @default none
   */
  readonly valve?: Valve;
}

/** The server side of stdio: see {@link stdioServerTransport}. */
export interface StdioServerTransport extends Transport<JsonRpcMessage, JsonRpcMessage> {
  /** Input lines that are not JSON-RPC messages; skipped. Completes when the transport ends. */
  readonly invalid$: Observable<JsonRpcDecodeError>;
}

/**
 * A {@link Transport} for this very process acting as an MCP server over stdio: messages are
 * read from stdin and written to stdout, one JSON text per line. It also serves any pair of
 * Node streams (sockets, `PassThrough`s in tests).
 *
 * - **stdin EOF** is the client's way to shut us down: `messages$` completes, the output is
 *   flushed and ended, and nothing keeps the process alive on our account, so it exits with
 *   code 0 once the application's own work is done.
 * - **A broken stdout** (`EPIPE`: the client went away without closing our stdin) never
 *   crashes the process: `messages$` fails with kind `'closed'`, pending and later sends fail
 *   the same way. An `'error'` listener stays on the output stream for good, because Node
 *   may report a late failure after everything else is released.
 * - **Backpressure**: a send completes once its line is written and the output drained.
 *
 * ```text
 * stdin:      --m1------m2-----EOF
 * messages$:  --m1------m2-----|
 * send(r)         --write-drain|
 * stdout:     ------r1---------------end
 * state$:     open-------------------closed|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
 * import { stdioServerTransport } from 'rxmcp/node';
 * import { toSdkTransport } from 'rxmcp/sdk';
 *
 * const server = new McpServer({ name: 'demo', version: '1.0.0' });
 * await server.connect(toSdkTransport(stdioServerTransport()));
 * ```
 */
export function stdioServerTransport(
  options: StdioServerTransportOptions = {},
): StdioServerTransport {
  const { stdin = process.stdin, stdout = process.stdout, endOutput = true, valve } = options;
  const maxMessageBytes = checkMaxMessageBytes(options.maxMessageBytes, 'stdioServerTransport');
  const maxPendingBytes = options.maxPendingWriteBytes ?? DEFAULT_MAX_PENDING_WRITE_BYTES;
  if (!(Number.isInteger(maxPendingBytes) && maxPendingBytes >= 1)) {
    throw new RangeError(
      `stdioServerTransport: maxPendingWriteBytes must be a whole number >= 1, got ${maxPendingBytes}.`,
    );
  }
  const allowBatch = batchAllowedFor(options.protocolVersion);
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  const invalid = new Subject<JsonRpcDecodeError>();
  // Emits once if the output fails; fails the writes in flight.
  const broken = new AsyncSubject<RxMcpError>();
  const writeOptions = { maxPendingBytes, abort$: broken, name: 'our stdout' };
  let stopping = false;
  let failure: RxMcpError | undefined;

  function finish(): void {
    invalid.complete();
    state.next(failure === undefined ? { type: 'closed' } : { type: 'closed', reason: failure });
    state.complete();
  }

  function stop(reason?: RxMcpError): void {
    failure ??= reason;
    if (stopping) return;
    stopping = true;
    (endOutput ? endStream(stdout) : of(undefined)).subscribe({ complete: finish });
  }

  const onOutputError = (error: Error): void => {
    const reason = new RxMcpError(
      'closed',
      `Our stdout failed (${error.message}): the client is no longer reading it. Nothing more ` +
        'can be sent; the transport is closed.',
      { cause: error },
    );
    broken.next(reason);
    broken.complete();
    stop(reason);
  };

  const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
    if (state.value.type !== 'idle') {
      subscriber.error(notOpenError(state.value));
      return;
    }
    state.next({ type: 'connecting', attempt: 0 });
    // For good, not per subscription: see the EPIPE note above.
    stdout.on('error', onOutputError);
    state.next({ type: 'open' });
    const ended = state.subscribe((current) => {
      if (current.type !== 'closed') return;
      if (current.reason === undefined) subscriber.complete();
      else subscriber.error(current.reason);
    });
    const reading = readMessages(stdin, {
      maxMessageBytes,
      allowBatch,
      valve,
      onInvalid: (error) => invalid.next(error),
    }).subscribe({
      next: (message) => subscriber.next(message),
      error: (error: RxMcpError) => stop(error.kind === 'limit' ? error : inputError(error)),
      // [spec 2025-11-25 lifecycle] the client SHOULD initiate shutdown by: 1. First, closing
      // the input stream to the child process (the server)
      complete: () => stop(),
    });
    return () => {
      reading.unsubscribe();
      ended.unsubscribe();
      stop();
    };
  }).pipe(share());

  return {
    messages$,
    // A completed BehaviorSubject replays nothing: late subscribers still get `closed`.
    state$: defer(() => (state.value.type === 'closed' ? of(state.value) : state)),
    invalid$: invalid.asObservable(),
    send: (message) =>
      defer(() => {
        if (state.value.type !== 'open' || stopping) {
          return throwError(() => notOpenError(state.value));
        }
        const line = encodeMessageLine(message);
        if (line.isErr()) return throwError(() => line.error);
        return writeToStream(stdout, line.value, writeOptions);
      }),
    close: () =>
      defer(() => {
        if (state.value.type === 'idle') finish();
        else stop();
        return state.pipe(ignoreElements());
      }),
  };
}

/**
 * Ends a writable and completes once it has flushed, failed or been destroyed: all three
 * mean there is nothing more to wait for. `finished` rather than the callback of `end()`,
 * which Node never calls for a stream destroyed in the same tick.
 */
function endStream(stream: Writable): Observable<void> {
  return new Observable<void>((subscriber) => {
    const stopWatching = finished(stream, { readable: false }, () => subscriber.complete());
    // [spec 2025-11-25 lifecycle] The server MAY initiate shutdown by closing its output
    // stream to the client and exiting.
    stream.end();
    return stopWatching;
  });
}

function inputError(error: RxMcpError): RxMcpError {
  return new RxMcpError('closed', `Our stdin failed (${error.message}); nothing more can arrive.`, {
    cause: error,
  });
}

function notOpenError(current: ConnectionState): RxMcpError {
  return new RxMcpError(
    'closed',
    `The stdio server transport is not open (state: ${current.type}). ` +
      (current.type === 'idle'
        ? 'Subscribe to messages$ first.'
        : 'It has ended (stdin closed, close() or an output failure) and cannot be reopened.'),
  );
}
