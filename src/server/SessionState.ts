import type { ServerResponse } from 'node:http';
import { BehaviorSubject, EMPTY, Observable, Subject, defer, share, timer } from 'rxjs';
import type { Subscriber, Subscription } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { isResponse } from '../jsonrpc/typeGuards.js';
import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';
import type { KeepAlive } from './createKeepAlive.js';
import { createRequestRoutes } from './createRequestRoutes.js';
import type { SessionHandle } from './createServerSession.js';
import type { StoredEvent } from './EventStore.js';
import { formatEventId } from './eventId.js';
import { refusal } from './HttpRefusal.js';
import type { HttpRefusal } from './HttpRefusal.js';
import type { LogicalStream } from './LogicalStream.js';
import { serveAutoAnswer, serveJsonAnswer } from './serveJsonAnswer.js';
import { serveSseConnection } from './serveSseConnection.js';
import type { ServerSendOptions, ServerSession } from './ServerSession.js';
import type { ResolvedServerOptions } from './StreamableHttpServerOptions.js';

/** The id of the standalone GET stream in every session. */
const GET_STREAM = 'g';
// Older clients break on an event without data, so only clients on this revision or later
// get the priming event.
const PRIMING_SINCE = '2025-11-25';

/**
 * One session's state behind its {@link SessionHandle} (see `createServerSession`).
 *
 * Why a class: a server holds thousands of sessions, and a factory of closures paid ~2 KB per
 * session for its ~25 functions and their contexts, where methods on a prototype cost nothing
 * per instance. The application-facing `session` keeps its functions as own properties, so
 * that `session.send` may be passed around unbound.
 */
export class SessionState implements SessionHandle {
  readonly session: ServerSession;
  ended = false;
  private readonly state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  private readonly streams = new Map<string, LogicalStream>();
  private readonly routes = createRequestRoutes();
  private readonly inbox: JsonRpcMessage[] = [];
  private receiver: Subscriber<JsonRpcMessage> | undefined = undefined;
  private seq = 0;
  private streamCount = 0;
  /** Open SSE connections and pending JSON answers. */
  private connections = 0;
  private idleExpiry: Subscription | undefined = undefined;
  private readonly stats = { slowClientDisconnects: 0, eventsSent: 0 };

  constructor(
    private readonly id: string,
    requestedVersion: string,
    private readonly options: ResolvedServerOptions,
    private readonly keepAlive: KeepAlive,
    private readonly onEnd: () => void,
  ) {
    this.newStream(GET_STREAM);
    this.session = this.createSession(requestedVersion);
    this.touch();
  }

  openRequests(): number {
    return this.streams.size - (this.streams.has(GET_STREAM) ? 1 : 0);
  }

  isOpen(requestId: JsonRpcId): boolean {
    return this.routes.streamOf(requestId) !== undefined;
  }

  receive(message: JsonRpcMessage): boolean {
    if (this.receiver !== undefined) {
      this.receiver.next(message);
      return true;
    }
    if (this.inbox.length >= this.options.inboxCapacity) return false;
    this.inbox.push(message);
    return true;
  }

  openRequestStream(request: JsonRpcRequest, res: ServerResponse, release: () => void): void {
    const stream = this.newStream(`s${++this.streamCount}`);
    this.routes.register(request, stream.id);
    this.connect(stream, stream.id, res, 0, release);
  }

  openJsonAnswer(request: JsonRpcRequest, res: ServerResponse, release: () => void): void {
    const stream = this.newStream(`s${++this.streamCount}`);
    this.routes.register(request, stream.id);
    // A pending answer counts as an open stream: the session is not idle meanwhile.
    this.connections++;
    serveJsonAnswer(stream, res, this.id, () => {
      release();
      this.connections--;
      this.touch();
    });
  }

  openAutoAnswer(request: JsonRpcRequest, res: ServerResponse, release: () => void): void {
    const stream = this.newStream(`s${++this.streamCount}`);
    this.routes.register(request, stream.id);
    this.connections++;
    serveAutoAnswer(
      stream,
      res,
      this.id,
      this.options,
      () => {
        release();
        this.connections--;
        this.touch();
      },
      () => {
        // The SSE connection counts itself from here on.
        this.connections--;
        this.connect(stream, stream.id, res, 0, release);
      },
    );
  }

  attachGet(
    res: ServerResponse,
    cursor: { readonly streamId: string; readonly seq: number } | undefined,
    release: () => void,
  ): HttpRefusal | undefined {
    if (cursor === undefined) {
      const stream = this.getStream();
      if (stream.detach !== undefined) {
        return refusal(
          409,
          'This session already has an open GET stream; only one is allowed. Resume it ' +
            'with Last-Event-ID, or close the other one first.',
        );
      }
      this.connect(stream, GET_STREAM, res, stream.delivered, release);
      return undefined;
    }
    // [spec 2025-11-25 transports] The server MAY use this header to replay messages that
    // would have been sent after the last event ID, on the stream that was disconnected,
    // and to resume the stream from that point. The server MUST NOT replay messages that
    // would have been delivered on a different stream.
    const stream = this.streams.get(cursor.streamId);
    // A client resuming knows its previous connection is dead, even if the server has not
    // noticed yet (a half-open socket): the new connection replaces it.
    stream?.detach?.(false);
    this.connect(stream, cursor.streamId, res, cursor.seq, release);
    return undefined;
  }

  /**
   * Marks activity: restarts the idle countdown, or stops it while a stream is open.
   *
   * [spec 2025-11-25 transports] The server MAY terminate the session at any time
   * Idle: no request for sessionIdleTimeoutMs while no stream is open. Each activity replaces
   * the countdown (what `switchMap` to a `timer` does). Held as one Subscription rather than
   * an activity Subject piped through `switchMap`, a chain that stayed alive for the whole
   * session (~1 KB each with thousands of sessions).
   */
  touch(): void {
    this.idleExpiry?.unsubscribe();
    this.idleExpiry =
      this.connections > 0 || this.ended
        ? undefined
        : timer(this.options.sessionIdleTimeoutMs, this.options.scheduler).subscribe(() =>
            this.end(),
          );
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.idleExpiry?.unsubscribe();
    for (const stream of [...this.streams.values()]) {
      stream.abandon?.();
      this.endStream(stream);
    }
    this.routes.clear();
    this.inbox.length = 0;
    this.options.eventStore.deleteSession(this.id);
    this.state.next({ type: 'closed' });
    this.onEnd();
    const listening = this.receiver;
    this.receiver = undefined;
    listening?.complete();
  }

  /** The application's side: a Transport whose functions are own properties. */
  private createSession(requestedVersion: string): ServerSession {
    const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
      if (this.ended) {
        subscriber.complete();
        return undefined;
      }
      this.state.next({ type: 'connecting', attempt: 0 });
      this.state.next({ type: 'open' });
      this.receiver = subscriber;
      for (const message of this.inbox.splice(0)) subscriber.next(message);
      return () => this.end();
    }).pipe(share());
    return {
      id: this.id,
      sessionId: this.id,
      protocolVersion: requestedVersion,
      messages$,
      state$: this.state.asObservable(),
      send: (message: JsonRpcMessage, sendOptions?: ServerSendOptions) =>
        defer(() => {
          if (this.ended) {
            throw new RxMcpError(
              'closed',
              `Session ${this.id} has ended; nothing more can be sent on it.`,
              { retryable: false },
            );
          }
          const failed = this.route(message, sendOptions?.relatedRequestId);
          if (failed) throw failed;
          return EMPTY;
        }),
      close: () =>
        defer(() => {
          this.end();
          return EMPTY;
        }),
      closeStream: (requestId?: JsonRpcId) => {
        const streamId = requestId === undefined ? GET_STREAM : this.routes.streamOf(requestId);
        const stream = streamId === undefined ? undefined : this.streams.get(streamId);
        // An answer that could still be JSON becomes SSE first: the client is told to poll.
        stream?.upgrade?.();
        const detach = stream?.detach;
        detach?.(true);
        return detach !== undefined;
      },
      stats: this.stats,
    };
  }

  private newStream(streamId: string): LogicalStream {
    const stream: LogicalStream = {
      id: streamId,
      events: new Subject(),
      delivered: 0,
      detach: undefined,
      answer: undefined,
      abandon: undefined,
      upgrade: undefined,
    };
    this.streams.set(streamId, stream);
    return stream;
  }

  private getStream(): LogicalStream {
    return this.streams.get(GET_STREAM) ?? this.newStream(GET_STREAM);
  }

  /** Serves one SSE connection of `stream` on `res` from `afterSeq` on. */
  private connect(
    stream: LogicalStream | undefined,
    streamId: string,
    res: ServerResponse,
    afterSeq: number,
    release: () => void,
  ): void {
    this.connections++;
    this.touch();
    serveSseConnection({
      sessionId: this.id,
      streamId,
      stream,
      res,
      afterSeq,
      // Versions are dates (YYYY-MM-DD), so they compare as strings.
      primes: this.session.protocolVersion >= PRIMING_SINCE,
      options: this.options,
      keepAlive: this.keepAlive,
      onEnd: (slow) => {
        if (slow) this.stats.slowClientDisconnects++;
        release();
        this.connections--;
        this.touch();
      },
    });
  }

  private emit(stream: LogicalStream, message: JsonRpcMessage): void {
    const seq = ++this.seq;
    const event: StoredEvent = {
      sessionId: this.id,
      streamId: stream.id,
      seq,
      eventId: formatEventId(stream.id, seq),
      message,
    };
    this.stats.eventsSent++;
    this.options.eventStore.append(event);
    stream.events.next(event);
  }

  private endStream(stream: LogicalStream): void {
    this.streams.delete(stream.id);
    stream.events.complete();
  }

  private route(message: JsonRpcMessage, related: JsonRpcId | undefined): RxMcpError | void {
    if (isResponse(message)) {
      const streamId = message.id === undefined ? undefined : this.routes.settle(message.id);
      const stream = streamId === undefined ? undefined : this.streams.get(streamId);
      if (stream === undefined) {
        return new RxMcpError(
          'protocol',
          `No open request with id ${JSON.stringify(message.id)} in session ${this.id}: the ` +
            'response has nowhere to go (answered twice, or never asked?).',
        );
      }
      if ('result' in message) this.learnVersion(message.result);
      if (stream.answer !== undefined) {
        stream.answer(message);
        this.streams.delete(stream.id);
        return;
      }
      // [spec 2025-11-25 transports] After the JSON-RPC response has been sent, the server
      // SHOULD terminate the SSE stream.
      this.emit(stream, message);
      this.endStream(stream);
      return;
    }
    // [spec 2025-11-25 transports] The server MAY send JSON-RPC requests and notifications
    // before sending the JSON-RPC response. These messages SHOULD relate to the originating
    // client request.
    const relatedStream = this.routes.relatedStreamOf(message, related);
    const target = relatedStream === undefined ? undefined : this.streams.get(relatedStream);
    // Something comes before the response: an answer that could still be JSON becomes SSE.
    target?.upgrade?.();
    // A JSON answer carries one message only, so what relates to it goes on the GET stream.
    this.emit(
      target !== undefined && target.answer === undefined ? target : this.getStream(),
      message,
    );
  }

  private learnVersion(result: unknown): void {
    const version = (result as { protocolVersion?: unknown } | null)?.protocolVersion;
    // `protocolVersion` is read-only for the application, written here only.
    if (typeof version === 'string')
      (this.session as { protocolVersion: string }).protocolVersion = version;
  }
}
