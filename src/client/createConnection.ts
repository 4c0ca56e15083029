import { EMPTY, Observable, Subject, catchError, ignoreElements, mergeMap } from 'rxjs';
import type { Subscriber } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { isNotification, isResponse } from '../jsonrpc/typeGuards.js';
import type { JsonRpcMessage, JsonRpcNotification } from '../jsonrpc/types.js';
import type { Transport } from '../transports/transport.js';
import type { ClientDiagnostic } from './ClientDiagnostic.js';
import { createPendingRequests } from './createPendingRequests.js';
import type { PendingRequests } from './createPendingRequests.js';
import type { ProgressToken } from './types.js';

/**
 * The plumbing one client connection shares between its requests, its handlers and its
 * lifecycle: the incoming stream, the replies routed to each pending request, the pending-id
 * registry, a fire-and-forget outbox, and the diagnostics channel. Internal to `connect`.
 */
export interface Connection {
  /**
   * The notifications and requests from the server, hot and shared (responses go to
   * {@link replies} only). Fails with a `closed` error once the connection ends, also for
   * late subscribers, so a request made after the end fails at once.
   */
  readonly inbox$: Observable<JsonRpcMessage>;
  /** What the client noticed and dealt with; completes when the connection ends. */
  readonly diagnostics$: Observable<ClientDiagnostic>;
  /** Sends what {@link post} queues; subscribed for the connection's lifetime, never emits. */
  readonly outbox$: Observable<never>;
  /** The ids awaiting a response. */
  readonly pending: PendingRequests;
  /**
   * The messages for one pending request while subscribed: the `notifications/progress` for
   * `token`, in arrival order, then its response, which settles `id` as it passes (so a
   * subscriber that leaves while handling the result does not cancel a request already
   * answered) and completes. Fails with the same `closed` error as {@link inbox$} when the
   * connection ends.
   */
  replies(id: number, token: ProgressToken | undefined): Observable<JsonRpcMessage>;
  /** Takes one message from the transport: checks response ids, then routes it. */
  route(message: JsonRpcMessage): void;
  /** Sends a message the caller waits for (a request): the transport's `send`. */
  send(message: JsonRpcMessage): Observable<void>;
  /** Sends a message nobody waits for (a cancellation, a response); failures are reported. */
  post(message: JsonRpcMessage): void;
  /** Reports a diagnostic. */
  report(diagnostic: ClientDiagnostic): void;
  /** Ends the connection: pending and later requests fail with `closed`. Idempotent. */
  end(reason?: RxMcpError): void;
}

type Listener = Subscriber<JsonRpcMessage>;

/**
 * Builds the {@link Connection} of one subscription to `connect`.
 *
 * Performance: correlation is a lookup, not a filter per request. Were every pending request
 * to filter the shared stream, each message would be tested by all of them: O(pending) per
 * message, O(n²) for n requests in flight (a third of the client's CPU at 32 in flight in
 * `bench/stdio`). So `route` hands a response to the one subscriber registered under its id,
 * and progress to the ones registered under its token. The maps hold only live
 * subscriptions (added on subscribe, removed on teardown), so they are bounded by
 * `maxPendingRequests` like the ids themselves.
 */
export function createConnection(transport: Transport, maxPendingRequests: number): Connection {
  const inbox = new Subject<JsonRpcMessage>();
  const outbox = new Subject<JsonRpcMessage>();
  const diagnostics = new Subject<ClientDiagnostic>();
  const pending = createPendingRequests(maxPendingRequests);
  const report = (diagnostic: ClientDiagnostic): void => diagnostics.next(diagnostic);
  const byId = new Map<number, Listener>();
  // An array per token: a token the caller chose need not be unique, and every request that
  // chose it hears its progress, as with a filter per request.
  const byToken = new Map<ProgressToken, Listener[]>();
  let closed: RxMcpError | undefined;

  const replies = (id: number, token: ProgressToken | undefined): Observable<JsonRpcMessage> =>
    new Observable<JsonRpcMessage>((subscriber) => {
      if (closed !== undefined) {
        subscriber.error(closed);
        return;
      }
      byId.set(id, subscriber);
      if (token !== undefined) {
        const listeners = byToken.get(token);
        if (listeners === undefined) byToken.set(token, [subscriber]);
        else listeners.push(subscriber);
      }
      return () => {
        if (byId.get(id) === subscriber) byId.delete(id);
        if (token === undefined) return;
        const listeners = byToken.get(token);
        if (listeners === undefined) return;
        const at = listeners.indexOf(subscriber);
        if (at >= 0) listeners.splice(at, 1);
        if (listeners.length === 0) byToken.delete(token);
      };
    });

  return {
    inbox$: inbox.asObservable(),
    diagnostics$: diagnostics.asObservable(),
    // mergeMap, not concatMap: the transport keeps messages in subscription order already,
    // and nothing queues here; the number in flight is bounded by the pending requests and
    // the handlers in progress.
    outbox$: outbox.pipe(
      mergeMap((message) =>
        transport.send(message).pipe(
          catchError((error: unknown) => {
            report({ type: 'send-failed', message, error: RxMcpError.from(error) });
            return EMPTY;
          }),
        ),
      ),
      ignoreElements(),
    ),
    pending,
    replies,
    route(message) {
      if (isResponse(message)) {
        // Checked before delivery, while the id is still pending: a response is routed to the
        // request that waits for it or reported, never offered to anyone else.
        if (!pending.isPending(message.id)) {
          const reason = pending.wasIssued(message.id) ? 'settled' : 'unknown-id';
          report({ type: 'unmatched-response', reason, response: message });
          return;
        }
        const listener = byId.get(message.id as number);
        if (listener === undefined) return;
        pending.settle(message.id as number);
        listener.next(message);
        listener.complete();
        return;
      }
      inbox.next(message);
      const token = progressTokenOf(message);
      if (token === undefined) return;
      const listeners = byToken.get(token);
      if (listeners === undefined) return;
      // A copy: a listener may leave (or a new one come) while the progress is delivered.
      for (const listener of listeners.slice()) listener.next(message);
    },
    send: (message) => transport.send(message),
    post: (message) => outbox.next(message),
    report,
    end(reason) {
      if (closed === undefined) {
        closed = new RxMcpError(
          'closed',
          reason === undefined
            ? 'The connection to the MCP server is closed.'
            : `The connection to the MCP server ended: ${reason.message}`,
          reason === undefined ? {} : { cause: reason },
        );
        // Requests first, in the order they subscribed, as they were when they filtered the
        // inbox; each leaves the maps as it fails.
        for (const listener of [...byId.values()]) listener.error(closed);
        for (const listeners of [...byToken.values()]) {
          for (const listener of listeners.slice()) listener.error(closed);
        }
      }
      inbox.error(closed);
      outbox.complete();
      diagnostics.complete();
    },
  };
}

/** The token of a well-formed `notifications/progress`, else `undefined`. */
function progressTokenOf(message: JsonRpcMessage): ProgressToken | undefined {
  if (!isNotification(message) || message.method !== 'notifications/progress') return undefined;
  const params = (message as JsonRpcNotification).params as
    { progressToken?: unknown; progress?: unknown } | undefined;
  const token = params?.progressToken;
  if (typeof params?.progress !== 'number') return undefined;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
