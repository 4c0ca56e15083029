import {
  catchError,
  concat,
  concatMap,
  defer,
  finalize,
  ignoreElements,
  map,
  merge,
  of,
  tap,
  throwError,
} from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { RxMcpError } from '../errors.js';
import { JSONRPC_VERSION } from '../jsonrpc/types.js';
import type { Transport } from '../transports/transport.js';
import { answerServerRequests } from './answerServerRequests.js';
import type { ClientHandlers } from './ClientHandlers.js';
import { createConnection } from './createConnection.js';
import { createMcpClient } from './createMcpClient.js';
import type { McpClient } from './McpClient.js';
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  refuseProtocolVersion,
} from './protocolVersions.js';
import { assertTimeoutMs } from './requestTimeouts.js';
import { sendRequest } from './sendRequest.js';
import type { RequestContext } from './sendRequest.js';
import { toResult } from './toResult.js';
import type {
  ClientCapabilities,
  Implementation,
  InitializeRequestParams,
  InitializeResult,
} from './types.js';

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Who the client is, sent in `initialize`. */
  readonly clientInfo: Implementation;
  /**
   * What the client offers, sent in `initialize`. A handler given for `roots`, `sampling` or
   * `elicitation` adds that capability as `{}` when it is missing here.
   * @default {}
   */
  readonly capabilities?: ClientCapabilities;
  /**
   * The protocol version to offer; one of `SUPPORTED_PROTOCOL_VERSIONS`. The server may
   * answer with any supported version; anything else fails with a `protocol` error.
   * @default '2025-11-25'
   */
  readonly protocolVersion?: string;
  /**
   * Answers to the requests a server sends to the client. A request without a handler is
   * answered `MethodNotFound`; `ping` is answered `{}` without one.
   * @default {}
   */
  readonly handlers?: ClientHandlers;
  /**
   * Fill the fields a user left out of an accepted elicitation form with the schema's
   * `default`s (SEP-1034) before answering the server.
   * @default false
   */
  readonly applyElicitationDefaults?: boolean;
  /**
   * How long a request (`initialize` included) waits for its result unless it says
   * otherwise, in milliseconds. `Infinity` waits for ever.
   * @default 60000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The most a request may take in all, progress or not, unless it says otherwise.
   * `Infinity` for no cap.
   * @default 600000
   */
  readonly maxTotalTimeoutMs?: number;
  /**
   * The most requests that may await a response at once. One more fails at once with a
   * `limit` error; nothing queues.
   * @default 1000
   */
  readonly maxPendingRequests?: number;
  /**
   * The most server-to-client requests handled at once. One more is answered with
   * `InternalError` ("busy"); nothing queues.
   * @default 100
   */
  readonly maxConcurrentHandlers?: number;
  /**
   * Where the request timeouts run (a `TestScheduler` in marble tests).
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

/**
 * Opens an MCP session over a transport, as a cold Observable. Subscribing opens the
 * transport (subscribes `messages$`), sends `initialize` offering `protocolVersion`, checks
 * the version the server chose, sends `notifications/initialized`, then emits one
 * {@link McpClient} and stays open. Unsubscribing tears the transport down, and every
 * pending request fails with `closed`.
 *
 * It completes when the transport ends after initialization, fails with the transport's
 * error when it breaks (so `retryWithJitter` can reconnect), with `closed` when the transport
 * ends before initialization completes, with `protocol` when the server chose a version the
 * client does not speak (and then disconnects), or `rpc` when it refused `initialize`.
 *
 * ```text
 * transport     --------i-----------m--m--|      i: initialize result
 * sent          I-------N                        I: initialize, N: initialized
 * connect(...)  --------c-------------------|    c: McpClient
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { connect } from 'rxmcp';
 * import { switchMap, toArray } from 'rxjs';
 *
 * connect(transport, { clientInfo: { name: 'my-app', version: '1.0.0' } })
 *   .pipe(switchMap((client) => client.listTools().pipe(toArray())))
 *   .subscribe((tools) => console.log(tools.map((tool) => tool.name)));
 * ```
 */
export function connect(transport: Transport, options: ConnectOptions): Observable<McpClient> {
  const {
    clientInfo,
    protocolVersion = LATEST_PROTOCOL_VERSION,
    handlers = {},
    applyElicitationDefaults = false,
    requestTimeoutMs = 60_000,
    maxTotalTimeoutMs = 600_000,
    maxPendingRequests = 1000,
    maxConcurrentHandlers = 100,
    scheduler,
  } = options;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion)) {
    throw new RangeError(
      `protocolVersion must be one of ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}, got "${protocolVersion}".`,
    );
  }
  assertTimeoutMs('requestTimeoutMs', requestTimeoutMs);
  assertTimeoutMs('maxTotalTimeoutMs', maxTotalTimeoutMs);
  assertPositiveInteger('maxPendingRequests', maxPendingRequests);
  assertPositiveInteger('maxConcurrentHandlers', maxConcurrentHandlers);
  // [spec 2025-11-25 lifecycle] The client MUST initiate this phase by sending an `initialize`
  // request containing: Protocol version supported, Client capabilities, Client implementation
  // information.
  const initialize: InitializeRequestParams = {
    protocolVersion,
    capabilities: withHandlerCapabilities(options.capabilities ?? {}, handlers),
    clientInfo,
  };

  return defer(() => {
    const connection = createConnection(transport, maxPendingRequests);
    const context: RequestContext = {
      connection,
      timeoutMs: requestTimeoutMs,
      maxTotalTimeoutMs,
      ...(scheduler === undefined ? {} : { scheduler }),
    };
    // The subscription to `messages$` is the connection; its end ends every request.
    const lifetime$ = transport.messages$.pipe(
      tap({ next: (message) => connection.route(message), complete: () => connection.end() }),
      ignoreElements(),
    );
    const handshake$ = sendRequest<InitializeResult>(
      context,
      'initialize',
      initialize,
      {},
      false,
    ).pipe(
      toResult(),
      map((result) => checkInitializeResult(protocolVersion, result)),
      concatMap((result) =>
        concat(
          // [spec 2025-11-25 lifecycle] After successful initialization, the client MUST send
          // an `initialized` notification to indicate it is ready to begin normal operations
          connection
            .send({ jsonrpc: JSONRPC_VERSION, method: 'notifications/initialized' })
            .pipe(ignoreElements()),
          of(createMcpClient(transport, context, result)),
        ),
      ),
    );
    // Subscription order matters: handlers listen before the transport opens, and the
    // transport is open before `initialize` is sent.
    return merge(
      connection.outbox$,
      answerServerRequests(connection, {
        handlers,
        applyElicitationDefaults,
        maxConcurrentHandlers,
      }),
      lifetime$,
      handshake$,
    ).pipe(
      catchError((error: unknown) => {
        const failure = RxMcpError.from(error);
        // The first failure is the one reported; ending the connection now only tells the
        // pending requests why.
        connection.end(failure);
        return throwError(() => failure);
      }),
      finalize(() => connection.end()),
    );
  });
}

function withHandlerCapabilities(
  capabilities: ClientCapabilities,
  handlers: ClientHandlers,
): ClientCapabilities {
  return {
    ...capabilities,
    ...(handlers.roots !== undefined && capabilities.roots === undefined ? { roots: {} } : {}),
    ...(handlers.sampling !== undefined && capabilities.sampling === undefined
      ? { sampling: {} }
      : {}),
    ...(handlers.elicitation !== undefined && capabilities.elicitation === undefined
      ? { elicitation: {} }
      : {}),
  };
}

function checkInitializeResult(offered: string, result: unknown): InitializeResult {
  const { protocolVersion, capabilities, serverInfo } = (result ?? {}) as Partial<InitializeResult>;
  const refused = refuseProtocolVersion(offered, protocolVersion);
  if (refused !== undefined) throw refused;
  if (!isObject(capabilities) || !isObject(serverInfo) || typeof serverInfo.name !== 'string') {
    throw new RxMcpError(
      'protocol',
      'The server answered initialize without the required capabilities and serverInfo ' +
        `objects (got ${JSON.stringify(result)}). Disconnected; the server is not MCP-compliant.`,
      { data: result },
    );
  }
  return result as InitializeResult;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertPositiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
}
