import {
  BehaviorSubject,
  EMPTY,
  Subject,
  asyncScheduler,
  concat,
  defer,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  race,
  share,
  take,
  throwError,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import {
  isErrorResponse,
  isNotification,
  isRequest,
  isResponse,
} from '../../jsonrpc/typeGuards.js';
import type {
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
} from '../../jsonrpc/types.js';
import { eventStream } from '../../sse/eventStream.js';
import { DEFAULT_MAX_BUFFER_SIZE } from '../../sse/parseEventStream.js';
import type { ConnectionState } from '../../sse/state.js';
import type { SseEvent } from '../../sse/types.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import type { HttpClientTransport } from './HttpClientTransport.js';
import { errorResponseFor } from './errorResponseFor.js';
import { notOpenError, reinitializeError } from './httpTransportErrors.js';
import type { LegacySseTransportOptions } from './LegacySseTransportOptions.js';
import { postToEndpoint } from './postToEndpoint.js';
import type { EndpointPostContext } from './postToEndpoint.js';
import { sameOriginFetch } from './sameOriginFetch.js';
import { sseMessages } from './sseMessages.js';
import { endConnection } from './endConnection.js';

/** One subscription's worth of legacy transport. */
interface LegacyConnection {
  readonly post: EndpointPostContext;
  /** The endpoint to POST to once it is usable; `undefined` while unknown or renewing. */
  readonly ready: BehaviorSubject<string | undefined>;
  readonly pending: Set<JsonRpcId>;
  readonly closing: Subject<void>;
  initialize: JsonRpcRequest | undefined;
  initialized: JsonRpcNotification | undefined;
  /** The protocol version the first initialize negotiated; a renewal must keep it. */
  protocolVersion: unknown;
}

/**
 * The deprecated HTTP+SSE client transport (MCP 2024-11-05), as a {@link Transport}.
 *
 * Subscribing opens the SSE stream (through `eventStream`: reconnects with backoff). The
 * server names the URL to POST to in an `endpoint` event, which must be of the same origin;
 * sends wait for it. Messages arrive as `message` events.
 *
 * After a reconnect the server may hand out a new endpoint: that is a new session, which
 * knows nothing of the old one. The transport then fails the requests still awaiting a
 * response (a made-up JSON-RPC error response each, see `errorResponseFor`), replays the
 * client's `initialize` (its response swallowed, the protocol version checked) and
 * `notifications/initialized`, and lets sends through again.
 *
 * ```text
 * GET /sse      --endpoint(/messages?s=1)--m--X ·retry· --endpoint(/messages?s=2)--m--
 * send(m)                 POST /messages?s=1 -|              (waits) POST /messages?s=2 -|
 * messages$     ----------------------------m---error(pending)--------------------m--
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { connect, legacySseTransport } from 'rxmcp';
 *
 * const transport = legacySseTransport({ url: 'https://example.com/sse' });
 * connect(transport, { clientInfo: { name: 'app', version: '1.0.0' } }).subscribe();
 * ```
 */
export function legacySseTransport(options: LegacySseTransportOptions): HttpClientTransport {
  const url = new URL(options.url).href;
  const origin = new URL(url).origin;
  const fetch = sameOriginFetch(options.fetch, options.maxRedirects ?? 5);
  const scheduler = options.scheduler ?? asyncScheduler;
  const maxPending = options.maxPendingRequests ?? 10_000;
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  let current: LegacyConnection | undefined;
  const invalid = new Subject<JsonRpcDecodeError>();

  const messages$ = defer(() => {
    const controller = new AbortController();
    const connection: LegacyConnection = {
      post: {
        fetch,
        headers: options.headers,
        init: options.init ?? {},
        signal: controller.signal,
        scheduler,
      },
      ready: new BehaviorSubject<string | undefined>(undefined),
      pending: new Set(),
      closing: new Subject(),
      initialize: undefined,
      initialized: undefined,
      protocolVersion: undefined,
    };
    current = connection;
    let endpoint: string | undefined;
    // The id of a replayed initialize whose response is for the transport, not the client.
    let swallow: JsonRpcId | undefined;
    const renewalReplies = new Subject<JsonRpcResponse>();

    const renew = (target: string): Observable<never> => {
      const { initialize, initialized } = connection;
      if (initialize === undefined) {
        connection.ready.next(target);
        return EMPTY;
      }
      connection.ready.next(undefined);
      swallow = initialize.id;
      const handshake = merge(
        renewalReplies.pipe(
          take(1),
          map((reply) => checkRenewal(reply, connection.protocolVersion)),
        ),
        postToEndpoint(connection.post, target, initialize),
      );
      const notify =
        initialized === undefined ? EMPTY : postToEndpoint(connection.post, target, initialized);
      return concat(
        handshake,
        notify,
        defer(() => {
          swallow = undefined;
          connection.ready.next(target);
          return EMPTY;
        }),
      ).pipe(ignoreElements());
    };

    const onEndpoint = (data: string): Observable<JsonRpcMessage> => {
      let target: URL;
      try {
        target = new URL(data, url);
      } catch (error) {
        return throwError(() => endpointError(`"${data}" is not a URL`, error));
      }
      // A server must not send the client's messages (and credentials) elsewhere.
      if (target.origin !== origin) {
        return throwError(() => endpointError(`${target.origin} is not the origin of ${url}`));
      }
      const previous = endpoint;
      endpoint = target.href;
      if (previous === undefined) {
        connection.ready.next(endpoint);
        return EMPTY;
      }
      if (previous === endpoint) return EMPTY;
      // A new session: what was asked in the old one will not be answered.
      const lost = [...connection.pending].map((id) =>
        errorResponseFor(
          id,
          new RxMcpError(
            'network',
            'The server started a new session after a reconnect; the request was lost with ' +
              'the old one. Send it again.',
            { retryable: true },
          ),
        ),
      );
      connection.pending.clear();
      return concat(from(lost), renew(endpoint));
    };

    const onEvent = (event: SseEvent): Observable<JsonRpcMessage> => {
      // [spec 2024-11-05 transports] When a client connects, the server MUST send an endpoint
      // event containing a URI for the client to use for sending messages.
      if (event.event === 'endpoint') return onEndpoint(event.data);
      // [spec 2024-11-05 transports] Server messages are sent as SSE message events, with the
      // message content encoded as JSON in the event data.
      return of(event).pipe(
        sseMessages((error) => invalid.next(error)),
        filter((message) => {
          if (!isResponse(message)) return true;
          if (swallow !== undefined && message.id === swallow) {
            renewalReplies.next(message);
            return false;
          }
          if (message.id === undefined) return true;
          connection.pending.delete(message.id);
          if (message.id === connection.initialize?.id && 'result' in message) {
            connection.protocolVersion ??= versionOf(message);
          }
          return true;
        }),
      );
    };

    const stream = eventStream(
      { url, method: 'GET', headers: options.headers, init: options.init ?? {} },
      {
        fetch,
        reconnectOnEnd: true,
        idleTimeoutMs: options.idleTimeoutMs ?? Infinity,
        maxBufferSize: options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE,
        scheduler,
        retry: options.retry ?? {},
      },
    );
    const states = stream.state$.subscribe((next) => {
      if (next.type !== 'idle' && next.type !== 'closed') state.next(next);
    });
    return stream.events$.pipe(
      mergeMap(onEvent),
      endConnection(state, connection.closing, () => {
        states.unsubscribe();
        controller.abort();
        if (current === connection) current = undefined;
      }),
    );
  }).pipe(share());

  const send = (message: JsonRpcMessage): Observable<void> =>
    defer(() => {
      const connection = current;
      if (connection === undefined) return throwError(() => notOpenError());
      if (isRequest(message) && message.method === 'initialize') connection.initialize = message;
      if (isNotification(message) && message.method === 'notifications/initialized') {
        connection.initialized = message;
      }
      return connection.ready.pipe(
        filter((target): target is string => target !== undefined),
        take(1),
        mergeMap((target) => {
          if (isRequest(message)) track(connection.pending, message.id, maxPending);
          return postToEndpoint(connection.post, target, message);
        }),
        // A send still waiting for the endpoint when the transport closes fails `closed`.
        // (race: whichever of the two ends first, ends the send)
        (posted) =>
          race(posted, connection.closing.pipe(mergeMap(() => throwError(() => notOpenError())))),
      );
    });

  const close = (): Observable<void> =>
    defer(() => {
      current?.closing.next();
      return EMPTY;
    });

  return { messages$, state$: state.asObservable(), invalid$: invalid.asObservable(), send, close };
}

function track(pending: Set<JsonRpcId>, id: JsonRpcId, max: number): void {
  pending.add(id);
  if (pending.size > max) pending.delete(pending.values().next().value as JsonRpcId);
}

function checkRenewal(reply: JsonRpcResponse, protocolVersion: unknown): void {
  if (isErrorResponse(reply)) {
    throw reinitializeError(`the server answered initialize with "${reply.error.message}".`);
  }
  const negotiated = versionOf(reply);
  if (protocolVersion !== undefined && negotiated !== protocolVersion) {
    throw reinitializeError(
      `the server negotiated protocol version ${String(negotiated)} instead of ` +
        `${String(protocolVersion)}. Reconnect the client to start over.`,
    );
  }
}

function versionOf(reply: JsonRpcResponse): unknown {
  return 'result' in reply
    ? (reply.result as { protocolVersion?: unknown } | null)?.protocolVersion
    : undefined;
}

function endpointError(what: string, cause?: unknown): RxMcpError {
  return new RxMcpError(
    'protocol',
    `The server's endpoint event is unusable: ${what}. A 2024-11-05 server must name a ` +
      'POST endpoint of its own origin.',
    { retryable: false, ...(cause === undefined ? {} : { cause }) },
  );
}
