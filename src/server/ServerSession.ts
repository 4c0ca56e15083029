import type { Observable } from 'rxjs';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/types.js';
import type { SendOptions, Transport } from '../transports/transport.js';

/** Options of {@link ServerSession.send}. */
/**
 * How the server routes a sent message: the contract's {@link SendOptions}. With no
 * `relatedRequestId`, a response goes with its request, a `notifications/progress` goes with
 * the request that carried its `progressToken`, and anything else goes on the GET stream.
 */
export type ServerSendOptions = SendOptions;

/**
 * One client session of the Streamable HTTP server, as a {@link Transport}: `messages$` are
 * the client's POSTed messages, `send` routes a message to exactly one of the session's SSE
 * streams (or the JSON answer of its request).
 *
 * Lifetime: the session exists from the client's `initialize` until DELETE, idle expiry,
 * `close()`, server shutdown, or the last unsubscription from `messages$`. Messages that
 * arrive before anyone subscribes wait (bounded by `inboxCapacity`), so the `initialize`
 * request is never missed.
 *
 * ```text
 * client POST initialize ──> sessions$ emits session ──> app subscribes messages$ ──> initialize
 * app send(response)     ──> the POST's SSE stream (id s1_2) ──> stream ends
 * app send(notification) ──> the GET stream, or the event store until a GET comes
 * ```
 */
export interface ServerSession extends Transport {
  /** The `MCP-Session-Id`: 192 random bits, base64url (visible ASCII). */
  readonly id: string;
  /** The same as `id`, under the name adapters read (`toSdkTransport` gives it to the SDK). */
  readonly sessionId: string;
  /**
   * The protocol version in use: what the server answered `initialize` with, once it did;
   * before that what the client asked for.
   */
  readonly protocolVersion: string;
  /**
   * Routes one message (see {@link ServerSendOptions}). Completes once the event is stored
   * and queued for its stream (not when the client read it: it may be offline and resume).
   * Errors with `closed` when the session ended, `protocol` for a response to no open
   * request.
   */
  send(message: JsonRpcMessage, options?: ServerSendOptions): Observable<void>;
  /**
   * Ends the current connection of the stream of `requestId` (or of the GET stream when
   * omitted) without ending the stream, after sending `retry:`, so that the client polls it
   * with `Last-Event-ID` (SEP-1699). Only for clients on 2025-11-25 or later, which got a
   * priming event id; returns `false` when there was no connection to close.
   */
  closeStream(requestId?: JsonRpcId): boolean;
  /** Events that could not be routed to a live connection and fell out of the store. */
  readonly stats: ServerSessionStats;
}

/** Counters of a session, for metrics. */
export interface ServerSessionStats {
  /** Connections ended because the client read too slowly for `streamQueueCapacity`. */
  readonly slowClientDisconnects: number;
  /** Events sent on this session. */
  readonly eventsSent: number;
}
