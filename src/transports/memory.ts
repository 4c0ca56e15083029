import { EMPTY, Observable, ReplaySubject, asapScheduler, defer, share } from 'rxjs';
import type { SchedulerLike, Subscriber } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { decode } from '../jsonrpc/decode.js';
import { encode } from '../jsonrpc/encode.js';
import type { JsonRpcMessage } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';
import type { Transport } from './transport.js';

/** Options of {@link createInMemoryTransportPair}. */
export interface InMemoryTransportOptions {
  /**
   * How many messages may wait for a side that has not opened yet (nobody subscribed to its
   * `messages$`), like a pipe's buffer. A send beyond it fails with a `limit` error.
   * @default 1000
   */
  readonly capacity?: number;
  /**
   * Where deliveries run. The default delivers in a microtask, after the sender's current
   * code, the way real I/O arrives; a `TestScheduler` makes them virtual.
   * @default asapScheduler
   */
  readonly scheduler?: SchedulerLike;
}

/**
 * Two {@link Transport}s linked back to back, in memory: what one sends, the other receives.
 * Browser-safe and dependency-free; for tests, and for a client and a server in one page.
 *
 * Each side keeps the Transport contract: subscribing `messages$` opens it (`connecting`,
 * `open`), subscribers share it, and the last unsubscribe or `close()` closes it. A pair is
 * one connection: closing either side ends both, like a socket (the peer's `messages$`
 * completes), and neither opens again. Messages travel as JSON, encoded and decoded with the
 * JSON-RPC codec, so the receiver gets its own copy and a message that is not valid JSON-RPC
 * fails the send (`protocol`).
 *
 * ```text
 * a.send(m)        -|          completes once m is handed to b (delivered, or queued for b)
 * b.messages$      --m--       delivered on the scheduler
 * a.close()        |
 * a.state$         open--closed|
 * b.messages$      --m--|      the peer closed: b's stream completes
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { connect, createInMemoryTransportPair } from 'rxmcp';
 *
 * const [clientSide, serverSide] = createInMemoryTransportPair();
 * serverSide.messages$.subscribe((message) => console.log('server got', message));
 * connect(clientSide, { clientInfo: { name: 'test', version: '0.0.0' } }).subscribe();
 * ```
 */
export function createInMemoryTransportPair(
  options: InMemoryTransportOptions = {},
): readonly [Transport, Transport] {
  const { capacity = 1000, scheduler = asapScheduler } = options;
  if (!(Number.isInteger(capacity) && capacity >= 0)) {
    throw new RangeError(`capacity must be a non-negative integer, got ${capacity}.`);
  }
  const a = createEnd(capacity, scheduler);
  const b = createEnd(capacity, scheduler);
  a.link(b);
  b.link(a);
  return [a.transport, b.transport];
}

interface End {
  readonly transport: Transport;
  link(peer: End): void;
  /** Takes a message from the peer; returns the error to fail the peer's send with. */
  receive(message: JsonRpcMessage): RxMcpError | undefined;
  /** Closes this side (and, through `link`, the peer). Idempotent. */
  end(): void;
}

function createEnd(capacity: number, scheduler: SchedulerLike): End {
  const state = new ReplaySubject<ConnectionState>(1);
  state.next({ type: 'idle' });
  // While no one listens, messages wait here (bounded by `capacity`); once open, they go
  // straight to the receiver.
  const backlog: JsonRpcMessage[] = [];
  let receiver: Subscriber<JsonRpcMessage> | undefined;
  let closed = false;
  let peer: End | undefined;

  const end = (): void => {
    if (closed) return;
    closed = true;
    backlog.length = 0;
    const listening = receiver;
    receiver = undefined;
    state.next({ type: 'closed' });
    state.complete();
    peer?.end();
    listening?.complete();
  };

  const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
    if (closed) {
      subscriber.complete();
      return undefined;
    }
    state.next({ type: 'connecting', attempt: 0 });
    state.next({ type: 'open' });
    receiver = subscriber;
    for (const message of backlog.splice(0)) subscriber.next(message);
    return end;
  }).pipe(share());

  const send = (message: JsonRpcMessage): Observable<void> =>
    new Observable<void>((subscriber) => {
      if (receiver === undefined || closed || peer === undefined) {
        subscriber.error(notOpen());
        return undefined;
      }
      const copy = roundTrip(message);
      if (copy instanceof RxMcpError) {
        subscriber.error(copy);
        return undefined;
      }
      const target = peer;
      return scheduler.schedule(() => {
        const refused = closed ? notOpen() : target.receive(copy);
        if (refused === undefined) subscriber.complete();
        else subscriber.error(refused);
      });
    });

  return {
    transport: {
      messages$,
      state$: state.asObservable(),
      send,
      close: () =>
        defer(() => {
          end();
          return EMPTY;
        }),
    },
    link: (other) => (peer = other),
    receive(message) {
      if (closed) return notOpen();
      if (receiver !== undefined) {
        receiver.next(message);
        return undefined;
      }
      if (backlog.length >= capacity) {
        return new RxMcpError(
          'limit',
          `The in-memory peer has not opened and already holds ${capacity} messages ` +
            '(capacity). Subscribe to its messages$ first, or raise capacity.',
        );
      }
      backlog.push(message);
      return undefined;
    },
    end,
  };
}

function notOpen(): RxMcpError {
  return new RxMcpError(
    'closed',
    'The in-memory transport is not open: subscribe to its messages$ before sending, ' +
      'and do not send after either side closed.',
  );
}

/** The message as the peer would read it off a wire: a fresh copy, or the reason it cannot be. */
function roundTrip(message: JsonRpcMessage): JsonRpcMessage | RxMcpError {
  const text = encodeOrRefuse(message);
  if (text instanceof RxMcpError) return text;
  const decoded = decode(text);
  if (decoded.isOk()) return decoded.value;
  return new RxMcpError('protocol', `Not a valid JSON-RPC message: ${decoded.error.message}`, {
    cause: decoded.error,
  });
}

function encodeOrRefuse(message: JsonRpcMessage): string | RxMcpError {
  try {
    // `JSON.stringify` gives `undefined`, not a string, for `undefined` or a function.
    const text = encode(message) as string | undefined;
    if (typeof text === 'string') return text;
    return new RxMcpError('protocol', `A ${typeof message} cannot be sent as JSON.`);
  } catch (error) {
    // A cycle or a BigInt.
    return new RxMcpError('protocol', `The message cannot be encoded as JSON: ${String(error)}`, {
      cause: error,
    });
  }
}
