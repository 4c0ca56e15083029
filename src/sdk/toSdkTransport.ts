import type { Transport as SdkTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { first, isObservable, lastValueFrom } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import { RxMcpError } from '../errors.js';
import type { JsonRpcMessage } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';
import type { Transport } from '../transports/transport.js';

/**
 * Makes any rxmcp {@link Transport} usable by the official `@modelcontextprotocol/sdk`: pass
 * the result to `Client.connect()` or `Server.connect()` (`McpServer.connect()`).
 *
 * How the two contracts meet:
 * - `start()` subscribes to `messages$` (this opens the transport: spawns the server, opens
 *   the stream) and resolves once `state$` says `open`; it rejects when the transport closes
 *   first (a command that does not exist). It rejects when called twice, as the SDK's own
 *   transports do.
 * - Each message of `messages$` goes to `onmessage`. Its end calls `onclose` once; an error
 *   end calls `onerror` with the `RxMcpError` first.
 * - Recoverable trouble reaches `onerror` without closing anything: the values of the
 *   transport's `invalid$`, when it has one (the stdio transports do).
 * - `send()` resolves when the rxmcp `send` completes (written and drained) and rejects with
 *   its `RxMcpError`. The SDK's `relatedRequestId` and resumption options are not used: one
 *   rxmcp transport is one stream.
 * - `close()` runs the transport's graceful `close()` (for stdio: end stdin, wait, SIGTERM,
 *   wait, SIGKILL) and resolves when it is done; `onclose` has been called by then.
 * - `sessionId` is the transport's `sessionId` when it has one.
 *
 * ```text
 * SDK:     start()──────────resolve    send(m)──resolve     close()───────────resolve
 * rxmcp:   subscribe(messages$)─open   send(m)──|           close()──────|
 * events:  onmessage(m1)  onmessage(m2)                     onclose()
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { Client } from '@modelcontextprotocol/sdk/client/index.js';
 * import { stdioTransport } from 'rxmcp/node';
 * import { toSdkTransport } from 'rxmcp/sdk';
 *
 * const client = new Client({ name: 'demo', version: '1.0.0' });
 * await client.connect(toSdkTransport(stdioTransport({ command: 'node', args: ['server.js'] })));
 * console.log(await client.listTools());
 * await client.close();
 * ```
 */
export function toSdkTransport(transport: Transport): SdkTransport {
  let subscriptions: Subscription[] | undefined;
  let closeNotified = false;

  const notifyClose = (): void => {
    if (closeNotified) return;
    closeNotified = true;
    for (const subscription of subscriptions ?? []) subscription.unsubscribe();
    adapter.onclose?.();
  };

  const adapter: SdkTransport = {
    get sessionId() {
      const { sessionId } = transport as { readonly sessionId?: unknown };
      return typeof sessionId === 'string' ? sessionId : undefined;
    },

    start() {
      if (subscriptions !== undefined) {
        return Promise.reject(
          new Error(
            'toSdkTransport: start() was already called. Client.connect() and Server.connect() ' +
              'call it themselves; do not call it before them.',
          ),
        );
      }
      subscriptions = [];
      const opened = lastValueFrom(
        transport.state$.pipe(
          // A transport closed long ago has a completed state$: that is `closed` too.
          first((state) => state.type === 'open' || state.type === 'closed', closedState),
        ),
      ).then((state) => {
        if (state.type === 'closed') {
          throw (
            state.reason ??
            new RxMcpError('closed', 'The transport closed before it was open.', {
              retryable: false,
            })
          );
        }
      });
      // Subscribed before messages$ so that an early invalid line is not missed.
      const invalid$ = invalidOf(transport);
      if (invalid$ !== undefined) {
        subscriptions.push(invalid$.subscribe((error) => adapter.onerror?.(error)));
      }
      subscriptions.push(
        transport.messages$.subscribe({
          // The same JSON-RPC 2.0 envelope on both sides: rxmcp checked it while decoding.
          next: (message) => adapter.onmessage?.(message as unknown as JSONRPCMessage),
          error: (error: unknown) => {
            adapter.onerror?.(RxMcpError.from(error));
            notifyClose();
          },
          complete: notifyClose,
        }),
      );
      return opened;
    },

    send(message, options) {
      // The SDK names the request a message belongs to; a server transport routes it onto
      // that request's stream (progress, elicitation during a tool call) instead of the GET one.
      const sendOptions =
        options?.relatedRequestId === undefined
          ? undefined
          : { relatedRequestId: options.relatedRequestId };
      return lastValueFrom(transport.send(message as unknown as JsonRpcMessage, sendOptions), {
        defaultValue: undefined,
      });
    },

    async close() {
      await lastValueFrom(transport.close(), { defaultValue: undefined });
      // A transport that was never started has no messages$ to complete.
      notifyClose();
    },
  };
  return adapter;
}

const closedState: ConnectionState = { type: 'closed' };

/** The transport's `invalid$`, when it has one. */
function invalidOf(transport: Transport): Observable<Error> | undefined {
  const { invalid$ } = transport as { readonly invalid$?: unknown };
  return isObservable(invalid$) ? (invalid$ as Observable<Error>) : undefined;
}
