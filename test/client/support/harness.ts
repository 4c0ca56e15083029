import { ReplaySubject, catchError, map, of } from 'rxjs';
import type { Observable, OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../../src/client/connect';
import type { ConnectOptions } from '../../../src/client/connect';
import type { McpClient } from '../../../src/client/McpClient';
import type { RequestEvent } from '../../../src/client/RequestEvent';
import { RxMcpError } from '../../../src/errors';
import { createInMemoryTransportPair } from '../../../src/transports/memory';
import type { Transport } from '../../../src/transports/transport';
import { startFakeServer } from './fakeServer';
import type { FakeServer, FakeServerScript } from './fakeServer';

export const clientInfo = { name: 'rxmcp-test', version: '0.0.1' };

export function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

export interface Setup {
  readonly clientSide: Transport;
  readonly server: FakeServer;
  readonly connect$: Observable<McpClient>;
}

/** An in-memory pair with a scripted server on one side and `connect` on the other. */
export function setup(
  script: FakeServerScript = {},
  options: Partial<ConnectOptions> = {},
  clientSide?: (transport: Transport) => Transport,
): Setup {
  const [client, serverSide] = createInMemoryTransportPair();
  const server = startFakeServer(serverSide, script);
  const transport = clientSide ? clientSide(client) : client;
  return {
    clientSide: transport,
    server,
    connect$: connect(transport, { clientInfo, ...options }),
  };
}

export interface OpenClient {
  readonly client: McpClient;
  /** How `connect` ended: `'complete'` or the error. */
  readonly ended: Promise<unknown>;
  /** Unsubscribes from `connect`. */
  disconnect(): void;
}

/** Subscribes to `connect` and keeps the subscription (firstValueFrom would end it). */
export function openClient(connect$: Observable<McpClient>): Promise<OpenClient> {
  return new Promise((resolve, reject) => {
    let settle: (outcome: unknown) => void = () => undefined;
    const ended = new Promise<unknown>((done) => (settle = done));
    const subscription = connect$.subscribe({
      next: (client) => resolve({ client, ended, disconnect: () => subscription.unsubscribe() }),
      error: (error: unknown) => {
        settle(error);
        reject(error);
      },
      complete: () => settle('complete'),
    });
  });
}

/**
 * Keeps one connection open in a marble test, so that unsubscribing from a request does not
 * also end the session: `client$` replays the client; `release()` ends the connection.
 */
export function holdClient(connect$: Observable<McpClient>): {
  client$: Observable<McpClient>;
  release(): void;
} {
  const client$ = new ReplaySubject<McpClient>(1);
  const subscription = connect$.subscribe(client$);
  return { client$, release: () => subscription.unsubscribe() };
}

/** Events and the ending as short strings, for readable marble expectations. */
export function describeEvents<R>(): OperatorFunction<RequestEvent<R>, string> {
  return (source) =>
    source.pipe(
      map((event) =>
        event.type === 'progress'
          ? `progress ${event.progress}${event.total === undefined ? '' : `/${event.total}`}`
          : `result ${JSON.stringify(event.result)}`,
      ),
      catchError((error: unknown) => of(`error ${RxMcpError.from(error).kind}`)),
    );
}

/** Awaits how an Observable ends: its values, or the error. */
export function outcome<T>(source: Observable<T>): Promise<{ values: T[]; error?: RxMcpError }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    source.subscribe({
      next: (value) => values.push(value),
      error: (error: unknown) => resolve({ values, error: RxMcpError.from(error) }),
      complete: () => resolve({ values }),
    });
  });
}
