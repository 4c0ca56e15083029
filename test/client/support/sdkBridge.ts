import { Observable, ReplaySubject, defer, from, share } from 'rxjs';
import type { Transport as SdkTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { RxMcpError } from '../../../src/errors';
import type { JsonRpcMessage } from '../../../src/jsonrpc/types';
import type { ConnectionState } from '../../../src/sse/state';
import type { Transport } from '../../../src/transports/transport';

/**
 * A minimal adapter from an official-SDK transport to the rxmcp Transport contract, for the
 * integration tests only (the real one belongs in src/sdk). Subscribing starts the SDK
 * transport; the last unsubscribe closes it; `onclose` completes the stream.
 */
export function fromSdk(sdk: SdkTransport): Transport {
  const state = new ReplaySubject<ConnectionState>(1);
  state.next({ type: 'idle' });
  let started: Promise<void> | undefined;

  const messages$ = new Observable<JsonRpcMessage>((subscriber) => {
    state.next({ type: 'connecting', attempt: 0 });
    sdk.onmessage = (message) => subscriber.next(message as JsonRpcMessage);
    sdk.onerror = (error) => subscriber.error(RxMcpError.from(error));
    sdk.onclose = () => {
      started = undefined;
      state.next({ type: 'closed' });
      subscriber.complete();
    };
    started = sdk.start().then(() => state.next({ type: 'open' }));
    return () => {
      if (started !== undefined) void sdk.close();
    };
  }).pipe(share());

  return {
    messages$,
    state$: state.asObservable(),
    send: (message) =>
      defer(() => {
        if (started === undefined) throw new RxMcpError('closed', 'The SDK transport is closed.');
        return from(started.then(() => sdk.send(message as Parameters<SdkTransport['send']>[0])));
      }),
    close: () => from(sdk.close()),
  };
}
