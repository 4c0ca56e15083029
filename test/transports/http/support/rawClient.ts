/**
 * A minimal JSON-RPC client over a Transport, for asserting exactly what the transport
 * delivers: every message is kept, and waits are on events, not sleeps.
 */
import { EventEmitter } from 'node:events';
import { firstValueFrom, toArray } from 'rxjs';
import type { Subscription } from 'rxjs';
import { RxMcpError } from '../../../../src/errors';
import type { JsonRpcMessage, JsonRpcResponse } from '../../../../src/jsonrpc/types';
import type { ConnectionState } from '../../../../src/sse/state';
import type { Transport } from '../../../../src/transports/transport';
import { untilFound } from '../../../support/whenChanged';

export const PROTOCOL_VERSION = '2025-11-25';

export interface RawClient {
  readonly messages: JsonRpcMessage[];
  readonly states: ConnectionState[];
  /** How messages$ ended: 'complete', an error, or undefined while open. */
  readonly ended: () => unknown;
  waitFor(predicate: (message: JsonRpcMessage) => boolean): Promise<JsonRpcMessage>;
  waitForState(predicate: (state: ConnectionState) => boolean): Promise<ConnectionState>;
  waitForEnd(): Promise<unknown>;
  request(method: string, params?: Record<string, unknown>): Promise<JsonRpcResponse>;
  /** Sends the request and returns its id without waiting for the response. */
  start(method: string, params?: Record<string, unknown>): Promise<number>;
  response(id: number): Promise<JsonRpcResponse>;
  initialize(): Promise<JsonRpcResponse>;
  close(): Promise<void>;
  unsubscribe(): void;
}

export function rawClient(transport: Transport): RawClient {
  const changes = new EventEmitter();
  const messages: JsonRpcMessage[] = [];
  const states: ConnectionState[] = [];
  let ended: unknown;
  let nextId = 1;
  const stateSubscription = transport.state$.subscribe((state) => {
    states.push(state);
    changes.emit('change');
  });
  const subscription: Subscription = transport.messages$.subscribe({
    next: (message) => {
      messages.push(message);
      changes.emit('change');
    },
    error: (error: unknown) => {
      ended = error;
      changes.emit('change');
    },
    complete: () => {
      ended = 'complete';
      changes.emit('change');
    },
  });

  const until = <T>(find: () => T | undefined): Promise<T> => untilFound(changes, find);

  const waitFor = (predicate: (message: JsonRpcMessage) => boolean) =>
    until(() => messages.find(predicate));
  const response = (id: number) =>
    waitFor((message) => !('method' in message) && message.id === id) as Promise<JsonRpcResponse>;
  const start = async (method: string, params?: Record<string, unknown>) => {
    const id = nextId;
    nextId += 1;
    await firstValueFrom(
      transport
        .send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })
        .pipe(toArray()),
    );
    return id;
  };

  return {
    messages,
    states,
    ended: () => ended,
    waitFor,
    waitForState: (predicate) => until(() => states.find(predicate)),
    waitForEnd: () => until(() => ended),
    start,
    response,
    request: async (method, params) => response(await start(method, params)),
    initialize: async () => {
      const reply = await response(
        await start('initialize', {
          protocolVersion: PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 'raw', version: '0.0.0' },
        }),
      );
      await firstValueFrom(
        transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' }).pipe(toArray()),
      );
      return reply;
    },
    close: async () => {
      await firstValueFrom(transport.close().pipe(toArray()));
      stateSubscription.unsubscribe();
      subscription.unsubscribe();
    },
    unsubscribe: () => {
      subscription.unsubscribe();
      stateSubscription.unsubscribe();
    },
  };
}

/** The result of a response, or a test failure naming the error. */
export function resultOf(response: JsonRpcResponse): Record<string, unknown> {
  if ('error' in response) throw new RxMcpError('rpc', JSON.stringify(response.error));
  return response.result as Record<string, unknown>;
}
