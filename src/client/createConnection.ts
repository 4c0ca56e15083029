import { EMPTY, Subject, catchError, ignoreElements, mergeMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { isResponse } from '../jsonrpc/typeGuards.js';
import type { JsonRpcMessage } from '../jsonrpc/types.js';
import type { Transport } from '../transports/transport.js';
import type { ClientDiagnostic } from './ClientDiagnostic.js';
import { createPendingRequests } from './createPendingRequests.js';
import type { PendingRequests } from './createPendingRequests.js';

/**
 * The plumbing one client connection shares between its requests, its handlers and its
 * lifecycle: the incoming stream every request filters, the pending-id registry, a
 * fire-and-forget outbox, and the diagnostics channel. Internal to `connect`.
 */
export interface Connection {
  /**
   * The messages from the server the client accepted, hot and shared. Responses reach it only
   * while their id is pending. Fails with a `closed` error once the connection ends, also for
   * late subscribers, so a request made after the end fails at once.
   */
  readonly inbox$: Observable<JsonRpcMessage>;
  /** What the client noticed and dealt with; completes when the connection ends. */
  readonly diagnostics$: Observable<ClientDiagnostic>;
  /** Sends what {@link post} queues; subscribed for the connection's lifetime, never emits. */
  readonly outbox$: Observable<never>;
  /** The ids awaiting a response. */
  readonly pending: PendingRequests;
  /** Takes one message from the transport: checks response ids, then hands it to `inbox$`. */
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

/** Builds the {@link Connection} of one subscription to `connect`. */
export function createConnection(transport: Transport, maxPendingRequests: number): Connection {
  const inbox = new Subject<JsonRpcMessage>();
  const outbox = new Subject<JsonRpcMessage>();
  const diagnostics = new Subject<ClientDiagnostic>();
  const pending = createPendingRequests(maxPendingRequests);
  const report = (diagnostic: ClientDiagnostic): void => diagnostics.next(diagnostic);

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
    route(message) {
      // Checked before delivery, while the id is still pending: a response is routed to the
      // request that waits for it or reported, never offered to anyone else.
      if (isResponse(message) && !pending.isPending(message.id)) {
        const reason = pending.wasIssued(message.id) ? 'settled' : 'unknown-id';
        report({ type: 'unmatched-response', reason, response: message });
        return;
      }
      inbox.next(message);
    },
    send: (message) => transport.send(message),
    post: (message) => outbox.next(message),
    report,
    end(reason) {
      inbox.error(
        new RxMcpError(
          'closed',
          reason === undefined
            ? 'The connection to the MCP server is closed.'
            : `The connection to the MCP server ended: ${reason.message}`,
          reason === undefined ? {} : { cause: reason },
        ),
      );
      outbox.complete();
      diagnostics.complete();
    },
  };
}
