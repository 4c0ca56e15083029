import { DestroyRef, Injectable, inject } from '@angular/core';
import {
  EMPTY,
  ReplaySubject,
  Subject,
  catchError,
  defer,
  distinctUntilChanged,
  endWith,
  filter,
  map,
  merge,
  of,
  share,
  startWith,
  switchMap,
  take,
  takeUntil,
  takeWhile,
  tap,
  timeout,
  toArray,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError, connect, retryWithJitter } from 'rxmcp';
import type {
  CallToolResult,
  ConnectionState,
  McpClient,
  RequestEvent,
  RequestOptions,
  Tool,
} from 'rxmcp';
import { MCP_CONFIG, MCP_SCHEDULER, MCP_TRANSPORT } from './mcp-config';
import type { McpState, McpTools, ToolCallEvent } from './mcp-values';

/** The service's own view of its connection: the public state, plus the client when open. */
type Connection =
  | Exclude<McpState, { type: 'open' }>
  | (Extract<McpState, { type: 'open' }> & { readonly client: McpClient });

/**
 * One MCP session for an injector, as Observables of values.
 *
 * - The connection opens when `state$`, `tools$` or `callTool` is first subscribed, and is
 *   shared by everyone after that. It is re-established with `retryWithJitter` when it breaks
 *   (`state$` says `reconnecting`), and held until the injector that owns the service is
 *   destroyed: then the session is ended on the server (DELETE) and everything is released.
 * - Nothing here ever errors: failures arrive as values (`failed`, `error`), so every stream
 *   binds to a template with `toSignal` and no error handler.
 * - `state$` and `tools$` emit their current value at once on subscription, so
 *   `toSignal(service.state$, { requireSync: true })` needs no `initialValue`.
 *
 * Provide it in `root` (one session for the app) or in a component's `providers` (one
 * session per component instance, ended with the component).
 */
@Injectable({ providedIn: 'root' })
export class McpService {
  private readonly config = inject(MCP_CONFIG);
  private readonly scheduler = inject(MCP_SCHEDULER);
  private readonly createTransport = inject(MCP_TRANSPORT);
  private readonly restarts = new Subject<void>();
  /** The service is being destroyed: the session is being ended on the server. */
  private readonly stopping = new ReplaySubject<void>(1);
  /** The session is over and everything is released. */
  private readonly stopped = new ReplaySubject<void>(1);
  private latest: Connection | undefined;

  private readonly connection$: Observable<Connection> = this.restarts.pipe(
    startWith(undefined),
    switchMap(() => this.sessions()),
    tap((connection) => (this.latest = connection)),
    takeUntil(this.stopped),
    endWith({ type: 'closed' } as const),
    distinctUntilChanged((a, b) => a.type === 'closed' && b.type === 'closed'),
    // Held until the service is destroyed, whoever listens: the connection is the service's.
    share({
      connector: () => new ReplaySubject<Connection>(1),
      resetOnError: false,
      resetOnComplete: false,
      resetOnRefCountZero: false,
    }),
  );

  /** Where the connection stands; emits the current state at once. */
  readonly state$: Observable<McpState> = this.connection$.pipe(map(withoutClient));

  /**
   * The server's tools (all pages), listed again for each new session and whenever the
   * server says the list changed (`notifications/tools/list_changed`).
   */
  readonly tools$: Observable<McpTools> = this.connection$.pipe(
    filter((connection) => connection.type === 'open' || connection.type === 'failed'),
    // A stream that was resumed within the same session does not need a new listing.
    distinctUntilChanged((a, b) => a.type === 'open' && b.type === 'open' && a.client === b.client),
    switchMap((connection) =>
      connection.type === 'open'
        ? listTools(connection.client)
        : of<McpTools>({ status: 'error', tools: [], error: connection.error }),
    ),
    startWith<McpTools>({ status: 'loading', tools: [] }),
    distinctUntilChanged((a, b) => a.status === 'loading' && b.status === 'loading'),
    // Like the connection, the list is the service's: a component that comes back later
    // gets it at once instead of a new listing.
    share({
      connector: () => new ReplaySubject<McpTools>(1),
      resetOnError: false,
      resetOnComplete: false,
      resetOnRefCountZero: false,
    }),
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /**
   * Calls a tool once the session is open. Emits each progress report, then the result (a
   * tool that failed says so in `result.isError`), or one `error` value; then completes.
   * Unsubscribing (e.g. with `takeUntilDestroyed`) cancels the call on the server.
   */
  callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: RequestOptions = { resetTimeoutOnProgress: true },
  ): Observable<ToolCallEvent> {
    return this.connection$.pipe(
      filter(
        (connection) => connection.type !== 'connecting' && connection.type !== 'reconnecting',
      ),
      take(1),
      switchMap((connection) => {
        if (connection.type === 'open') {
          return connection.client
            .request<CallToolResult>('tools/call', { name, arguments: args }, options)
            .pipe(map(toCallEvent));
        }
        const error =
          connection.type === 'failed'
            ? connection.error
            : new RxMcpError('closed', `Cannot call ${name}: the MCP session is closed.`);
        return of<ToolCallEvent>({ type: 'error', error });
      }),
      catchError((error: unknown) =>
        of<ToolCallEvent>({ type: 'error', error: RxMcpError.from(error) }),
      ),
    );
  }

  /** Starts a fresh session now (after `failed`, or to drop the current one). */
  reconnect(): void {
    this.restarts.next();
  }

  /**
   * Sessions one after another: reconnect with backoff, `failed` when the retries are spent.
   * `connecting` and `reconnecting` go out on a side channel, not as values of the retried
   * stream: a value there would reset the retry budget, which only an open session should.
   */
  private sessions(): Observable<Connection> {
    const between = new Subject<Connection>();
    let attempt = 0;
    const sessions$ = defer(() => {
      between.next({ type: 'connecting', attempt });
      return this.session();
    }).pipe(
      retryWithJitter({
        ...this.config.retry,
        scheduler: this.scheduler,
        onRetry: ({ attempt: next, delayMs, error }) => {
          attempt = next;
          between.next({ type: 'reconnecting', attempt, delayMs, reason: RxMcpError.from(error) });
        },
      }),
      endWith<Connection>({ type: 'closed' }),
      catchError((error: unknown) =>
        of<Connection>({ type: 'failed', error: RxMcpError.from(error) }),
      ),
    );
    return merge(between, sessions$).pipe(takeWhile(isLive, true));
  }

  /** One session: `open` (again after each resumed drop within it) until its transport ends. */
  private session(): Observable<Connection> {
    const { clientInfo, requestTimeoutMs } = this.config;
    return connect(this.createTransport(), {
      clientInfo,
      requestTimeoutMs,
      scheduler: this.scheduler,
    }).pipe(
      switchMap((client) =>
        client.state$.pipe(
          takeWhile((state) => state.type !== 'closed'),
          // The server closes its streams when the session ends: not a reason to show
          // `reconnecting` while the service shuts down.
          takeUntil(this.stopping),
          map((state) => fromTransportState(state, client)),
          filter((connection) => connection !== undefined),
        ),
      ),
    );
  }

  /**
   * Ends the session on the server (when one is open), then lets go of everything.
   *
   * [spec 2025-11-25 transports] Clients that no longer need a particular session (e.g.,
   * because the user is leaving the client application) SHOULD send an HTTP DELETE to the MCP
   * endpoint with the MCP-Session-Id header, to explicitly terminate the session.
   */
  private stop(): void {
    this.stopping.next();
    const open = this.latest?.type === 'open' ? this.latest.client : undefined;
    const closed$ = open
      ? open.close().pipe(
          timeout({
            first: this.config.closeTimeoutMs ?? 2000,
            with: () => EMPTY,
            scheduler: this.scheduler,
          }),
        )
      : EMPTY;
    closed$.subscribe({ complete: () => this.stopped.next() });
  }
}

function withoutClient(connection: Connection): McpState {
  if (connection.type !== 'open') return connection;
  const { serverInfo, protocolVersion, instructions } = connection;
  return { type: 'open', serverInfo, protocolVersion, instructions };
}

/** A transport's state within an open session, as the service shows it. */
function fromTransportState(state: ConnectionState, client: McpClient): Connection | undefined {
  switch (state.type) {
    case 'open':
      return {
        type: 'open',
        client,
        serverInfo: client.serverInfo,
        protocolVersion: client.protocolVersion,
        instructions: client.instructions,
      };
    case 'reconnecting':
      return state;
    case 'connecting':
      return state.attempt > 0 ? state : undefined;
    default:
      return undefined;
  }
}

function isLive(connection: Connection): boolean {
  return connection.type !== 'failed' && connection.type !== 'closed';
}

/** The tools of one session: listed now and again on each `list_changed`. */
function listTools(client: McpClient): Observable<McpTools> {
  let listed: readonly Tool[] = [];
  return client.notifications$.pipe(
    filter((notification) => notification.method === 'notifications/tools/list_changed'),
    startWith(undefined),
    switchMap(() =>
      client.listTools().pipe(
        toArray(),
        tap((tools) => (listed = tools)),
        map((tools): McpTools => ({ status: 'ready', tools })),
        catchError((error: unknown) =>
          of<McpTools>({ status: 'error', tools: listed, error: RxMcpError.from(error) }),
        ),
        // While a new list is on its way, the last one stays on screen.
        startWith<McpTools>({ status: 'loading', tools: listed }),
      ),
    ),
  );
}

function toCallEvent(event: RequestEvent<CallToolResult>): ToolCallEvent {
  return event.type === 'progress'
    ? { type: 'progress', progress: event.progress, total: event.total, message: event.message }
    : event;
}
