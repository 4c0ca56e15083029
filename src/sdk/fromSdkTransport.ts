import type { Transport as SdkTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BehaviorSubject, Observable, Subject, catchError, defer, first, from } from 'rxjs';
import { ignoreElements, map, mergeMap, of, share, throwError } from 'rxjs';
import { RxMcpError } from '../errors.js';
import type { JsonRpcMessage } from '../jsonrpc/types.js';
import type { ConnectionState } from '../sse/state.js';
import type { Transport } from '../transports/transport.js';

/** An official SDK transport seen as an rxmcp {@link Transport}; see {@link fromSdkTransport}. */
export interface SdkBackedTransport extends Transport<JsonRpcMessage, JsonRpcMessage> {
  /**
   * What the SDK transport reported through `onerror`. The SDK uses it for trouble that is
   * not necessarily fatal (a line that did not parse), so here it is a value, not the end of
   * `messages$`. Hot; completes when the transport is closed.
   */
  readonly errors$: Observable<RxMcpError>;
  /** The SDK transport's `sessionId`, if it has one. */
  readonly sessionId: string | undefined;
}

/**
 * Makes an official `@modelcontextprotocol/sdk` transport (`StdioClientTransport`,
 * `StreamableHTTPClientTransport`, `InMemoryTransport`, …) usable wherever rxmcp expects a
 * {@link Transport}: operators, the Rx client, the proxy.
 *
 * - Subscribing to `messages$` installs the callbacks and calls `start()`; `state$` goes
 *   `connecting` → `open` when it resolves. A rejected `start()` fails `messages$` with kind
 *   `'closed'`, the SDK's error as `cause`.
 * - `onmessage` feeds `messages$`; `onclose` completes it; `onerror` feeds `errors$`.
 * - The last unsubscription, like `close()`, calls the SDK transport's `close()`.
 * - `send()` calls the SDK's `send()` at subscription (so order is kept) and completes when
 *   its promise resolves; it fails with kind `'closed'` before `start()` resolved or after
 *   the end, and otherwise with the SDK's error, normalised.
 *
 * An SDK transport starts once: so does this one. Create a new SDK transport to reconnect.
 *
 * ```text
 * messages$ subscribed:  start()──resolve             onmessage(m)          onclose()
 * state$:                connecting─────open──────────────────────────────── closed|
 * messages$:             ─────────────────────────────m──────────────────── |
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
 * import { fromSdkTransport } from 'rxmcp/sdk';
 *
 * const transport = fromSdkTransport(new StdioClientTransport({ command: 'node', args: ['server.js'] }));
 * transport.messages$.subscribe((message) => console.log(message));
 * transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' }).subscribe();
 * ```
 */
export function fromSdkTransport(sdk: SdkTransport): SdkBackedTransport {
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  const errors = new Subject<RxMcpError>();
  let closing: Promise<void> | undefined;
  // The SDK transport's start(), once called; close() must not overtake it.
  let starting: Promise<void> = Promise.resolve();

  const finish = (reason?: RxMcpError): void => {
    if (state.value.type === 'closed') return;
    errors.complete();
    state.next(reason === undefined ? { type: 'closed' } : { type: 'closed', reason });
    state.complete();
  };

  /**
   * Closes the SDK transport once, after its start() has settled (else a start() still to
   * come would open what was just closed); `finish` runs even if it never calls `onclose`.
   */
  const closeSdk = (): void => {
    closing ??= starting
      .then(
        () => sdk.close(),
        () => sdk.close(),
      )
      .then(
        () => finish(),
        (error: unknown) => finish(RxMcpError.from(error)),
      );
  };

  const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
    if (state.value.type !== 'idle') {
      subscriber.error(notOpenError(state.value));
      return;
    }
    state.next({ type: 'connecting', attempt: 0 });
    const ended = state.subscribe((current) => {
      if (current.type !== 'closed') return;
      if (current.reason === undefined) subscriber.complete();
      else subscriber.error(current.reason);
    });
    // The same JSON-RPC 2.0 envelope on both sides; the SDK checked it while parsing.
    sdk.onmessage = (message) => subscriber.next(message as unknown as JsonRpcMessage);
    sdk.onerror = (error) => errors.next(RxMcpError.from(error));
    // start() runs a microtask later, once every callback below is installed; a start() that
    // throws instead of rejecting is a rejection all the same.
    starting = Promise.resolve().then(() => sdk.start());
    // An SDK transport may call onclose right after rejecting start() (its process failed to
    // spawn); Node can run that before our rejection handler. Waiting for start() to settle
    // keeps the reason: the rejection, registered first, finishes first.
    sdk.onclose = () =>
      void starting.then(
        () => finish(),
        () => undefined,
      );
    starting.then(
      () => {
        if (state.value.type === 'connecting') state.next({ type: 'open' });
      },
      (error: unknown) => finish(startError(error)),
    );
    return () => {
      ended.unsubscribe();
      closeSdk();
    };
  }).pipe(share());

  return {
    messages$,
    // A completed BehaviorSubject replays nothing: late subscribers still get `closed`.
    state$: defer(() => (state.value.type === 'closed' ? of(state.value) : state)),
    errors$: errors.asObservable(),
    get sessionId() {
      return sdk.sessionId;
    },
    send: (message, options) =>
      // A send made while start() is still pending waits for it (the contract's rule), so a
      // client can subscribe messages$ and send initialize in the same tick. Sends that wait
      // are released in subscription order, because state$ notifies them in that order.
      state.pipe(
        first((current) => current.type !== 'connecting', state.value),
        mergeMap((current) => {
          if (current.type !== 'open' || closing !== undefined) {
            return throwError(() => notOpenError(current));
          }
          const sendOptions =
            options?.relatedRequestId === undefined
              ? undefined
              : { relatedRequestId: options.relatedRequestId };
          return from(sdk.send(message as unknown as JSONRPCMessage, sendOptions)).pipe(
            map(() => undefined),
            catchError((error: unknown) => throwError(() => RxMcpError.from(error))),
          );
        }),
      ),
    close: () =>
      defer(() => {
        if (state.value.type === 'idle') finish();
        else closeSdk();
        return state.pipe(ignoreElements());
      }),
  };
}

function startError(error: unknown): RxMcpError {
  return new RxMcpError(
    'closed',
    `The SDK transport could not start: ${RxMcpError.from(error).message}`,
    { cause: error },
  );
}

function notOpenError(current: ConnectionState): RxMcpError {
  return new RxMcpError(
    'closed',
    `The SDK transport is not open (state: ${current.type}). ` +
      (current.type === 'idle'
        ? 'Subscribe to messages$ first: that starts it.'
        : current.type === 'connecting'
          ? 'Wait for state$ to say open: its start() has not resolved yet.'
          : 'It has closed; an SDK transport starts once, so create a new one.'),
  );
}
