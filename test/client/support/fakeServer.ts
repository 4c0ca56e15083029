import {
  Subject,
  asyncScheduler,
  defer,
  filter,
  firstValueFrom,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  startWith,
  take,
  takeUntil,
  tap,
  timer,
} from 'rxjs';
import type { Observable, ObservableInput } from 'rxjs';
import { isNotification, isRequest, isResponse } from '../../../src/jsonrpc/typeGuards';
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
} from '../../../src/jsonrpc/types';
import type { Transport } from '../../../src/transports/transport';

/** A scripted answer to one request: the messages to send (progress, then the response). */
export type Responder = (request: JsonRpcRequest) => ObservableInput<JsonRpcMessage>;

export interface FakeServerScript {
  /** The version to answer `initialize` with: by default the one the client offered. */
  readonly protocolVersion?: string;
  /** Replaces the whole `initialize` result. */
  readonly initializeResult?: unknown;
  /** Answers by method; `initialize` and `ping` have defaults, the rest get MethodNotFound. */
  readonly responders?: { readonly [method: string]: Responder };
}

/** A message the fake server received, and when (virtual time inside `TestScheduler.run`). */
export interface Arrival {
  readonly at: number;
  readonly message: JsonRpcMessage;
}

export interface FakeServer {
  readonly arrivals: Arrival[];
  readonly received$: Observable<JsonRpcMessage>;
  requests(method?: string): JsonRpcRequest[];
  /** Resolves once `count` requests (of `method`, if given) have arrived. */
  waitFor(count: number, method?: string): Promise<void>;
  notifications(method?: string): JsonRpcNotification[];
  /** Sends a request to the client and emits the client's response. */
  ask(
    id: string | number,
    method: string,
    params?: { [key: string]: unknown },
  ): Observable<JsonRpcResponse>;
  /** Sends any message to the client. */
  send(message: JsonRpcMessage): void;
  stop(): void;
}

export const serverInfo = { name: 'fake-server', version: '1.0.0' };

export function result(request: JsonRpcRequest, value: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', id: request.id, result: value };
}

export function rpcError(
  request: JsonRpcRequest,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcResponse {
  return {
    jsonrpc: '2.0',
    id: request.id,
    error: { code, message, ...(data === undefined ? {} : { data }) },
  };
}

export function progress(
  request: JsonRpcRequest,
  value: number,
  total?: number,
  message?: string,
): JsonRpcNotification {
  const token = (request.params as { _meta?: { progressToken?: unknown } })._meta?.progressToken;
  return {
    jsonrpc: '2.0',
    method: 'notifications/progress',
    params: { progressToken: token, progress: value, total, message },
  };
}

/** `message` after `ms` (virtual inside `TestScheduler.run`). */
export function after<T>(ms: number, message: T): Observable<T> {
  return timer(ms).pipe(map(() => message));
}

/**
 * A scripted MCP server on one side of an in-memory pair: it answers `initialize` and `ping`,
 * runs the script for other requests, stops a script when the client cancels its request (as
 * a well-behaved server does), and records everything it receives.
 */
export function startFakeServer(side: Transport, script: FakeServerScript = {}): FakeServer {
  const arrivals: Arrival[] = [];
  const received = new Subject<JsonRpcMessage>();
  const responders: { [method: string]: Responder } = {
    initialize: (request) => [
      result(
        request,
        script.initializeResult ?? {
          protocolVersion:
            script.protocolVersion ??
            (request.params as { protocolVersion: string }).protocolVersion,
          capabilities: { tools: {} },
          serverInfo,
          instructions: 'Be nice.',
        },
      ),
    ],
    ping: (request) => [result(request, {})],
    ...script.responders,
  };
  const cancelled = (id: string | number) =>
    received.pipe(
      filter(
        (message) =>
          isNotification(message) &&
          message.method === 'notifications/cancelled' &&
          (message.params as { requestId?: unknown }).requestId === id,
      ),
    );
  const subscription = side.messages$
    .pipe(
      tap((message) => {
        arrivals.push({ at: asyncScheduler.now(), message });
        received.next(message);
      }),
      filter(isRequest),
      mergeMap((request) => {
        const responder = responders[request.method];
        const answer = responder
          ? from(responder(request))
          : of(rpcError(request, -32601, `Method not found: ${request.method}`));
        return answer.pipe(takeUntil(cancelled(request.id)));
      }),
      mergeMap((message) => side.send(message)),
    )
    .subscribe();

  const requests = (method?: string): JsonRpcRequest[] =>
    arrivals
      .map((arrival) => arrival.message)
      .filter(isRequest)
      .filter((request) => method === undefined || request.method === method);
  return {
    arrivals,
    received$: received.asObservable(),
    requests,
    waitFor: (count, method) =>
      firstValueFrom(
        received.pipe(
          startWith(undefined),
          filter(() => requests(method).length >= count),
          map(() => undefined),
        ),
      ),
    notifications: (method) =>
      arrivals
        .map((arrival) => arrival.message)
        .filter(isNotification)
        .filter((notification) => method === undefined || notification.method === method),
    ask: (id, method, params) =>
      defer(() =>
        merge(
          received.pipe(
            filter((message): message is JsonRpcResponse => isResponse(message)),
            filter((response) => response.id === id),
            take(1),
          ),
          side
            .send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })
            .pipe(ignoreElements()),
        ),
      ),
    send: (message) => {
      side.send(message).subscribe({ error: () => undefined });
    },
    stop: () => subscription.unsubscribe(),
  };
}
