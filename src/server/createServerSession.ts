import type { ServerResponse } from 'node:http';
import { BehaviorSubject, EMPTY, Observable, Subject, defer, share, timer } from 'rxjs';
import type { Subscriber, Subscription } from 'rxjs';
import { RxMcpError } from '../errors.js';
import type { KeepAlive } from './createKeepAlive.js';
import { isResponse } from '../jsonrpc/typeGuards.js';
import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';
import type { StoredEvent } from './EventStore.js';
import { formatEventId } from './eventId.js';
import { refusal } from './HttpRefusal.js';
import type { HttpRefusal } from './HttpRefusal.js';
import { createRequestRoutes } from './createRequestRoutes.js';
import type { LogicalStream } from './LogicalStream.js';
import { serveJsonAnswer } from './serveJsonAnswer.js';
import { serveSseConnection } from './serveSseConnection.js';
import type { ServerSendOptions, ServerSession } from './ServerSession.js';
import type { ResolvedServerOptions } from './StreamableHttpServerOptions.js';

/** What the HTTP handlers can do with a session besides what the application sees. */
export interface SessionHandle {
  readonly session: ServerSession;
  readonly ended: boolean;
  /** Requests received and not yet answered. */
  openRequests(): number;
  /** Whether a request with this id is open (received and not yet answered). */
  isOpen(id: JsonRpcId): boolean;
  /** Hands a client message to the application; `false` when the inbox is full. */
  receive(message: JsonRpcMessage): boolean;
  /** Answers a POSTed request with an SSE stream on `res`. `release` frees its slot. */
  openRequestStream(request: JsonRpcRequest, res: ServerResponse, release: () => void): void;
  /** Answers a POSTed request with one JSON body once the response is sent. */
  openJsonAnswer(request: JsonRpcRequest, res: ServerResponse, release: () => void): void;
  /** A GET: the standalone stream (`cursor` undefined) or a resume after `Last-Event-ID`. */
  attachGet(
    res: ServerResponse,
    cursor: { readonly streamId: string; readonly seq: number } | undefined,
    release: () => void,
  ): HttpRefusal | undefined;
  /** Marks activity, restarting the idle countdown. */
  touch(): void;
  /** Ends the session: streams finish writing and end, `messages$` completes. */
  end(): void;
}

/** The id of the standalone GET stream in every session. */
const GET_STREAM = 'g';
// Older clients break on an event without data, so only clients on this revision or later
// get the priming event.
const PRIMING_SINCE = '2025-11-25';

/**
 * Creates the state of one session. The HTTP handlers call the handle; the application sees
 * `handle.session`. `onEnd` runs once when the session ends, for the server to forget it.
 */
export function createServerSession(
  id: string,
  requestedVersion: string,
  options: ResolvedServerOptions,
  keepAlive: KeepAlive,
  onEnd: () => void,
): SessionHandle {
  const { eventStore, scheduler } = options;
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  const streams = new Map<string, LogicalStream>();
  const routes = createRequestRoutes();
  const inbox: JsonRpcMessage[] = [];
  let receiver: Subscriber<JsonRpcMessage> | undefined;
  let seq = 0;
  let streamCount = 0;
  let connections = 0;
  const stats = { slowClientDisconnects: 0, eventsSent: 0 };

  const newStream = (streamId: string): LogicalStream => {
    const stream: LogicalStream = {
      id: streamId,
      events: new Subject(),
      delivered: 0,
      detach: undefined,
    };
    streams.set(streamId, stream);
    return stream;
  };
  newStream(GET_STREAM);

  // Versions are dates (YYYY-MM-DD), so they compare as strings.
  const primes = (): boolean => session.protocolVersion >= PRIMING_SINCE;

  /** Serves one SSE connection of `stream` on `res` from `afterSeq` on. */
  const connect = (
    stream: LogicalStream | undefined,
    streamId: string,
    res: ServerResponse,
    afterSeq: number,
    release: () => void,
  ): void => {
    connections++;
    restartIdleCountdown();
    serveSseConnection({
      sessionId: id,
      streamId,
      stream,
      res,
      afterSeq,
      primes: primes(),
      options,
      keepAlive,
      onEnd: (slow) => {
        if (slow) stats.slowClientDisconnects++;
        release();
        connections--;
        restartIdleCountdown();
      },
    });
  };

  const emit = (stream: LogicalStream, message: JsonRpcMessage): void => {
    const eventSeq = ++seq;
    const event: StoredEvent = {
      sessionId: id,
      streamId: stream.id,
      seq: eventSeq,
      eventId: formatEventId(stream.id, eventSeq),
      message,
    };
    stats.eventsSent++;
    eventStore.append(event);
    stream.events.next(event);
  };

  const endStream = (stream: LogicalStream): void => {
    streams.delete(stream.id);
    stream.events.complete();
  };

  const route = (message: JsonRpcMessage, related: JsonRpcId | undefined): RxMcpError | void => {
    if (isResponse(message)) {
      const streamId = message.id === undefined ? undefined : routes.settle(message.id);
      const stream = streamId === undefined ? undefined : streams.get(streamId);
      if (stream === undefined) {
        return new RxMcpError(
          'protocol',
          `No open request with id ${JSON.stringify(message.id)} in session ${id}: the ` +
            'response has nowhere to go (answered twice, or never asked?).',
        );
      }
      if ('result' in message) learnVersion(message.result);
      if (stream.answer !== undefined) {
        stream.answer(message);
        streams.delete(stream.id);
        return;
      }
      // [spec 2025-11-25 transports] After the JSON-RPC response has been sent, the server
      // SHOULD terminate the SSE stream.
      emit(stream, message);
      endStream(stream);
      return;
    }
    // [spec 2025-11-25 transports] The server MAY send JSON-RPC requests and notifications
    // before sending the JSON-RPC response. These messages SHOULD relate to the originating
    // client request.
    const relatedStream = routes.relatedStreamOf(message, related);
    const target = relatedStream === undefined ? undefined : streams.get(relatedStream);
    // A JSON answer carries one message only, so what relates to it goes on the GET stream.
    emit(target !== undefined && target.answer === undefined ? target : getStream(), message);
  };

  const learnVersion = (result: unknown): void => {
    const version = (result as { protocolVersion?: unknown } | null)?.protocolVersion;
    if (typeof version === 'string') session.protocolVersion = version;
  };

  const getStream = (): LogicalStream => streams.get(GET_STREAM) ?? newStream(GET_STREAM);

  const end = (): void => {
    if (handle.ended) return;
    handle.ended = true;
    idleExpiry?.unsubscribe();
    for (const stream of [...streams.values()]) {
      stream.abandon?.();
      endStream(stream);
    }
    routes.clear();
    inbox.length = 0;
    eventStore.deleteSession(id);
    state.next({ type: 'closed' });
    onEnd();
    const listening = receiver;
    receiver = undefined;
    listening?.complete();
  };

  // [spec 2025-11-25 transports] The server MAY terminate the session at any time
  // Idle: no request for sessionIdleTimeoutMs while no stream is open. Each activity replaces
  // the countdown (what `switchMap` to a `timer` does); while a stream is open there is none.
  // Held as one Subscription rather than an `activity` Subject piped through `switchMap`:
  // that chain stayed alive for the whole session, ~1 KB each with thousands of sessions.
  let idleExpiry: Subscription | undefined;
  const restartIdleCountdown = (): void => {
    idleExpiry?.unsubscribe();
    idleExpiry =
      connections > 0 || handle.ended
        ? undefined
        : timer(options.sessionIdleTimeoutMs, scheduler).subscribe(() => end());
  };

  const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
    if (handle.ended) {
      subscriber.complete();
      return undefined;
    }
    state.next({ type: 'connecting', attempt: 0 });
    state.next({ type: 'open' });
    receiver = subscriber;
    for (const message of inbox.splice(0)) subscriber.next(message);
    return end;
  }).pipe(share());

  const closedError = (): RxMcpError =>
    new RxMcpError('closed', `Session ${id} has ended; nothing more can be sent on it.`, {
      retryable: false,
    });

  // Plain data properties, no getters: an object literal with an accessor is a dictionary
  // in V8, about 0.5 KB more per session.
  const session: Mutable<ServerSession> = {
    id,
    sessionId: id,
    protocolVersion: requestedVersion,
    messages$,
    state$: state.asObservable(),
    send: (message, sendOptions?: ServerSendOptions) =>
      defer(() => {
        if (handle.ended) throw closedError();
        const failed = route(message, sendOptions?.relatedRequestId);
        if (failed) throw failed;
        return EMPTY;
      }),
    close: () =>
      defer(() => {
        end();
        return EMPTY;
      }),
    closeStream(requestId) {
      const streamId = requestId === undefined ? GET_STREAM : routes.streamOf(requestId);
      const detach = streamId === undefined ? undefined : streams.get(streamId)?.detach;
      detach?.(true);
      return detach !== undefined;
    },
    stats,
  };

  const handle: Mutable<SessionHandle> = {
    session,
    ended: false,
    openRequests: () => streams.size - (streams.has(GET_STREAM) ? 1 : 0),
    isOpen: (requestId) => routes.streamOf(requestId) !== undefined,
    receive(message) {
      if (receiver !== undefined) {
        receiver.next(message);
        return true;
      }
      if (inbox.length >= options.inboxCapacity) return false;
      inbox.push(message);
      return true;
    },
    openRequestStream(request, res, release) {
      const stream = newStream(`s${++streamCount}`);
      routes.register(request, stream.id);
      connect(stream, stream.id, res, 0, release);
    },
    openJsonAnswer(request, res, release) {
      const stream = newStream(`s${++streamCount}`);
      routes.register(request, stream.id);
      // A pending answer counts as an open stream: the session is not idle meanwhile.
      connections++;
      serveJsonAnswer(stream, res, id, () => {
        release();
        connections--;
        restartIdleCountdown();
      });
    },
    attachGet(res, cursor, release) {
      if (cursor === undefined) {
        const stream = getStream();
        if (stream.detach !== undefined) {
          return refusal(
            409,
            'This session already has an open GET stream; only one is allowed. Resume it ' +
              'with Last-Event-ID, or close the other one first.',
          );
        }
        connect(stream, GET_STREAM, res, stream.delivered, release);
        return undefined;
      }
      // [spec 2025-11-25 transports] The server MAY use this header to replay messages that
      // would have been sent after the last event ID, on the stream that was disconnected,
      // and to resume the stream from that point. The server MUST NOT replay messages that
      // would have been delivered on a different stream.
      const stream = streams.get(cursor.streamId);
      // A client resuming knows its previous connection is dead, even if the server has not
      // noticed yet (a half-open socket): the new connection replaces it.
      stream?.detach?.(false);
      connect(stream, cursor.streamId, res, cursor.seq, release);
      return undefined;
    },
    touch: restartIdleCountdown,
    end,
  };
  restartIdleCountdown();
  return handle;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
