import type { Observable } from 'rxjs';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';

/**
 * The contract every rxmcp transport implements: stdio, Streamable HTTP, legacy HTTP+SSE,
 * each session of the HTTP server, and both legs of the proxy.
 *
 * It is four members, and the lifetime rule that ties them together:
 *
 * **The subscription to `messages$` is the connection.** Subscribing opens the transport
 * (spawns the child, opens the stream); further subscribers share the same connection; when
 * the last subscriber unsubscribes, the transport is torn down at once (the child's process
 * tree is killed, requests are aborted, sockets released). `close()` is the graceful way to
 * end it. Whether a later subscription opens a new connection depends on the transport (see
 * `state$`).
 *
 * ```text
 * messages$   --m--m----m---|        completes when the peer ends cleanly or close() is done
 *             --m--m--#              errors (RxMcpError) when the transport fails for good
 * state$      idle--connecting--open----reconnecting--open----closed
 * send(m)     ----|                  completes once m is handed over (written, drained, accepted)
 * close()     ------------|          completes once everything is released
 * ```
 *
 * Trouble the transport recovers from by itself (a dropped stream that is resumed) never
 * reaches the error channel: it shows in `state$` as values.
 */
export interface Transport<In = JsonRpcMessage, Out = JsonRpcMessage> {
  /**
   * Messages from the peer. Cold until subscribed, then shared: the first subscription opens
   * the transport, the last unsubscription tears it down. Completes when the peer ends the
   * connection cleanly or after `close()`; errors with an `RxMcpError` when the transport
   * fails and cannot recover.
   */
  readonly messages$: Observable<In>;

  /**
   * Where the connection stands, as values (`idle` before the first subscription). Replays
   * the current state to each new subscriber and never errors. What happens after `closed`
   * depends on the kind of transport, and each one documents which it is:
   * - **reusable** (the HTTP client transports): `state$` does not complete; subscribing
   *   `messages$` again opens a new connection, so `retry`/`repeat` on it reconnect;
   * - **single-use** (a stdio child, a server session, an in-memory pair): `state$` emits
   *   `closed` and completes; `messages$` and `send` then fail with kind `'closed'`.
   */
  readonly state$: Observable<ConnectionState>;

  /**
   * Sends one message. Cold: nothing is written until the returned Observable is subscribed.
   * It completes once the message has been handed to the underlying channel — written and
   * drained for a pipe, accepted by the server for HTTP — so that `concatMap(send)` moves at
   * the pace the peer reads (backpressure). Messages are delivered in the order their sends
   * were subscribed. A send made while the transport is still `connecting` waits until it is
   * `open`. It errors with `RxMcpError` kind `'closed'` when the transport is not open
   * (subscribe to `messages$` first), closes before opening, or dies mid-write. Unsubscribing
   * before completion does not unsend what was already written.
   */
  send(message: Out, options?: SendOptions): Observable<void>;

  /**
   * Ends the connection gracefully (for stdio: end stdin, wait, SIGTERM, wait, SIGKILL), then
   * completes `messages$`. Completes once everything the transport held is released.
   * Idempotent: closing a closed transport completes at once.
   */
  close(): Observable<void>;
}

/** Options of {@link Transport.send}. Transports that cannot use an option ignore it. */
export interface SendOptions {
  /**
   * The id of the incoming request this message belongs to (a progress notification, or a
   * sampling/elicitation request made while handling it). A server transport uses it to send
   * the message on that request's response stream instead of the standalone stream.
   * @default undefined (no related request)
   */
  readonly relatedRequestId?: JsonRpcId;
}
