import {
  BehaviorSubject,
  EMPTY,
  NEVER,
  Subject,
  catchError,
  defer,
  finalize,
  ignoreElements,
  merge,
  share,
  takeUntil,
  tap,
  throwError,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from 'rxmcp';
import type { ConnectionState, JsonRpcMessage, Tool, Transport } from 'rxmcp';

/** What one scripted connection does. */
export interface Script {
  /**
   * The connection's fate, as marbles: it ends when this errors or completes (for example
   * `cold('10ms #', undefined, error)` drops it after 10 ms; `#` refuses it at once).
   * @default NEVER (the connection stays up)
   */
  readonly life$?: Observable<never>;
  /** States the transport goes through once open (an SSE stream resumed, say). @default none */
  readonly states$?: Observable<ConnectionState>;
  /** Messages the server sends of its own accord (notifications). @default none */
  readonly notifications$?: Observable<JsonRpcMessage>;
  /** Refuses every send with this error, as an HTTP server that cannot be reached. @default none */
  readonly refuse?: Error;
  /** The tools `tools/list` answers. @default none */
  readonly tools?: readonly Tool[];
}

/** A transport answering like an MCP server, with what it was asked, for assertions. */
export interface ScriptedTransport extends Transport {
  /** The methods of the requests it answered, and `close()` when it was closed. */
  readonly methods: string[];
}

/**
 * A client transport with a tiny MCP server behind it, driven by marbles: answers
 * `initialize`, `tools/list` and `tools/call` (one progress report, then the arguments echoed
 * back) at once, and ends the connection when `life$` says so, or refuses every message. Single-use, like a socket.
 */
export function scriptedTransport(script: Script = {}): ScriptedTransport {
  const { life$ = NEVER, states$ = EMPTY, notifications$ = EMPTY, refuse, tools = [] } = script;
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  const replies = new Subject<JsonRpcMessage>();
  const closing = new Subject<void>();
  const methods: string[] = [];

  const messages$ = defer(() => {
    state.next({ type: 'connecting', attempt: 0 });
    state.next({ type: 'open' });
    return merge(
      replies,
      notifications$,
      life$,
      states$.pipe(
        tap((next) => state.next(next)),
        ignoreElements(),
      ),
    );
  }).pipe(
    takeUntil(closing),
    catchError((error: unknown) => {
      const reason = RxMcpError.from(error);
      state.next({ type: 'closed', reason });
      return throwError(() => reason);
    }),
    finalize(() => {
      if (state.value.type !== 'closed') state.next({ type: 'closed' });
    }),
    share(),
  );

  const answer = (message: JsonRpcMessage): void => {
    if (!('method' in message) || !('id' in message)) return;
    methods.push(message.method);
    const reply = (result: object) => replies.next({ jsonrpc: '2.0', id: message.id, result });
    const params = (message.params ?? {}) as Record<string, unknown>;
    switch (message.method) {
      case 'initialize':
        return reply({
          protocolVersion: params['protocolVersion'],
          capabilities: { tools: {} },
          serverInfo: { name: 'scripted', version: '1.0.0' },
        });
      case 'tools/list':
        return reply({ tools });
      case 'tools/call': {
        const meta = params['_meta'] as { progressToken?: string | number } | undefined;
        replies.next({
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: meta?.progressToken ?? 0, progress: 1, total: 2 },
        });
        const text = JSON.stringify(params['arguments'] ?? {});
        return reply({ content: [{ type: 'text', text }] });
      }
      default:
        replies.next({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32601, message: `Method not found: ${message.method}` },
        });
    }
  };

  return {
    methods,
    messages$,
    state$: state.asObservable(),
    send: (message) =>
      defer(() => {
        if (state.value.type !== 'open') {
          return throwError(() => new RxMcpError('closed', 'The scripted transport is not open.'));
        }
        if (refuse !== undefined) return throwError(() => refuse);
        answer(message);
        return EMPTY;
      }),
    close: () =>
      defer(() => {
        methods.push('close()');
        closing.next();
        return EMPTY;
      }),
  };
}
