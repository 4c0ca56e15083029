/**
 * `pipeTransports` between two in-memory pairs: a client on one end, a scripted server on
 * the other. Proves id remapping (reused and colliding ids), cancellations and progress
 * tokens both ways, server-to-client requests, the in-flight limit, and teardown.
 */
import { Subject, filter, firstValueFrom, take, throwError, toArray } from 'rxjs';
import { RxMcpError } from '../../src/errors';
import type { Observable, Subscription } from 'rxjs';
import type { JsonRpcMessage, JsonRpcRequest } from '../../src/jsonrpc/types';
import { pipeTransports } from '../../src/proxy/pipeTransports';
import type { PipeEvent, PipeTransportsOptions } from '../../src/proxy/pipeTransports';
import { createInMemoryTransportPair } from '../../src/transports/memory';
import type { Transport } from '../../src/transports/transport';

interface Rig {
  readonly client: Transport;
  readonly server: Transport;
  readonly fromClient: Subject<JsonRpcMessage>;
  readonly fromServer: Subject<JsonRpcMessage>;
  readonly pipe: Subscription;
  readonly events: PipeEvent[];
  send(side: Transport, message: JsonRpcMessage): Promise<void>;
  next(source: Observable<JsonRpcMessage>, count?: number): Promise<JsonRpcMessage[]>;
}

const rigs: Rig[] = [];
afterEach(() => {
  for (const rig of rigs.splice(0)) rig.pipe.unsubscribe();
});

function rig(options: PipeTransportsOptions = {}): Rig {
  const [client, downstream] = createInMemoryTransportPair();
  const [upstream, server] = createInMemoryTransportPair();
  const fromClient = new Subject<JsonRpcMessage>();
  const fromServer = new Subject<JsonRpcMessage>();
  const events: PipeEvent[] = [];
  server.messages$.subscribe(fromClient);
  client.messages$.subscribe(fromServer);
  const pipe = pipeTransports(downstream, upstream, {
    ...options,
    onEvent: (event) => events.push(event),
  }).subscribe({ error: () => undefined });
  const made: Rig = {
    client,
    server,
    fromClient,
    fromServer,
    pipe,
    events,
    send: (side, message) => firstValueFrom(side.send(message), { defaultValue: undefined }),
    next: (source, count = 1) => firstValueFrom(source.pipe(take(count), toArray())),
  };
  rigs.push(made);
  return made;
}

const request = (
  id: number | string,
  method: string,
  params?: Record<string, unknown>,
): JsonRpcRequest => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params === undefined ? {} : { params }),
});

describe('pipeTransports', () => {
  it('gives a client that reuses id 1 for concurrent requests each its own answer', async () => {
    const { client, server, fromClient, fromServer, send, next } = rig();
    const arrived = next(fromClient, 2);
    await send(client, request(1, 'tools/call', { name: 'a' }));
    await send(client, request(1, 'tools/call', { name: 'b' }));
    const [first, second] = (await arrived) as JsonRpcRequest[];
    // Upstream sees two different ids.
    expect(first!.id).not.toEqual(second!.id);
    const answers = next(fromServer, 2);
    // Answered in reverse order: each answer still pairs with its request.
    await send(server, { jsonrpc: '2.0', id: second!.id, result: { name: 'b' } });
    await send(server, { jsonrpc: '2.0', id: first!.id, result: { name: 'a' } });
    expect(await answers).toEqual([
      { jsonrpc: '2.0', id: 1, result: { name: 'b' } },
      { jsonrpc: '2.0', id: 1, result: { name: 'a' } },
    ]);
  });

  it('maps progress tokens and cancellations, and drops the answer to a cancelled request', async () => {
    const { client, server, fromClient, fromServer, send, next } = rig();
    const arrived = next(fromClient);
    await send(client, request(7, 'tools/call', { name: 'slow', _meta: { progressToken: 'tok' } }));
    const [upstreamRequest] = (await arrived) as JsonRpcRequest[];
    const upstreamToken = (upstreamRequest!.params as { _meta: { progressToken: string } })._meta
      .progressToken;
    expect(upstreamToken).not.toBe('tok');

    const progress = next(fromServer);
    await send(server, {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: upstreamToken, progress: 1 },
    });
    expect(await progress).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'tok', progress: 1 },
      },
    ]);

    const cancel = next(fromClient);
    await send(client, {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 7, reason: 'user' },
    });
    expect(await cancel).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: upstreamRequest!.id, reason: 'user' },
      },
    ]);
    // A late answer to the cancelled request is dropped; the next answer still arrives.
    const after = next(fromServer);
    await send(server, { jsonrpc: '2.0', id: upstreamRequest!.id, result: {} });
    const pingArrived = next(fromClient);
    await send(client, request(8, 'ping'));
    const [ping] = (await pingArrived) as JsonRpcRequest[];
    await send(server, { jsonrpc: '2.0', id: ping!.id, result: {} });
    expect(await after).toEqual([{ jsonrpc: '2.0', id: 8, result: {} }]);
  });

  it('carries server-to-client requests with their own mapping', async () => {
    const { client, server, fromClient, fromServer, send, next } = rig();
    const sampling = next(fromServer);
    await send(server, request(1, 'sampling/createMessage', { messages: [] }));
    const [downstreamRequest] = (await sampling) as JsonRpcRequest[];
    expect(downstreamRequest!.method).toBe('sampling/createMessage');
    const answer = next(fromClient);
    await send(client, { jsonrpc: '2.0', id: downstreamRequest!.id, result: { model: 'm' } });
    expect(await answer).toEqual([{ jsonrpc: '2.0', id: 1, result: { model: 'm' } }]);
  });

  it('refuses a request over maxInFlight with an error response, and goes on', async () => {
    const { client, fromClient, fromServer, send, next, events } = rig({ maxInFlight: 1 });
    const first = next(fromClient);
    await send(client, request(1, 'tools/call'));
    await first;
    const refused = next(fromServer);
    await send(client, request(2, 'tools/call'));
    expect(await refused).toEqual([
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32000 }) }),
    ]);
    expect(events).toEqual([expect.objectContaining({ type: 'refused' })]);
  });

  it('closes the other side when one side ends, and completes', async () => {
    const [client, downstream] = createInMemoryTransportPair();
    const [upstream, server] = createInMemoryTransportPair();
    const serverEnded = new Promise<void>((resolve) =>
      server.messages$.subscribe({ complete: resolve }),
    );
    client.messages$.subscribe();
    const done = new Promise<void>((resolve) =>
      pipeTransports(downstream, upstream).subscribe({ complete: resolve }),
    );
    await firstValueFrom(client.state$.pipe(filter((state) => state.type === 'open')));
    await firstValueFrom(client.close(), { defaultValue: undefined });
    await done;
    await serverEnded;
  });

  it('tears both sides down when unsubscribed', async () => {
    const [client, downstream] = createInMemoryTransportPair();
    const [upstream, server] = createInMemoryTransportPair();
    const ended = Promise.all([
      new Promise<void>((resolve) => client.messages$.subscribe({ complete: resolve })),
      new Promise<void>((resolve) => server.messages$.subscribe({ complete: resolve })),
    ]);
    const pipe = pipeTransports(downstream, upstream).subscribe();
    await firstValueFrom(server.state$.pipe(filter((state) => state.type === 'open')));
    pipe.unsubscribe();
    await ended;
  });
});

describe('pipeTransports and the protocol version', () => {
  it('passes initialize and its answer through unchanged, whatever version the server picks', async () => {
    const { client, server, fromClient, fromServer, send, next } = rig();
    const init = request(0, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: { sampling: {} },
      clientInfo: { name: 'c', version: '1' },
    });
    const arrived = next(fromClient);
    await send(client, init);
    const [upstreamInit] = (await arrived) as JsonRpcRequest[];
    expect(upstreamInit).toEqual({ ...init, id: upstreamInit!.id });
    const answer = next(fromServer);
    const result = {
      protocolVersion: '2025-06-18',
      capabilities: {},
      serverInfo: { name: 's', version: '1' },
    };
    await send(server, { jsonrpc: '2.0', id: upstreamInit!.id, result });
    // Not rewritten: the client sees the older version and decides.
    expect(await answer).toEqual([{ jsonrpc: '2.0', id: 0, result }]);
  });
});

describe('pipeTransports when a message cannot be delivered', () => {
  it('answers the request with an error response and goes on', async () => {
    const [client, downstream] = createInMemoryTransportPair();
    const [upstream, server] = createInMemoryTransportPair();
    const failing: Transport = {
      ...upstream,
      send: (message, options) =>
        'method' in message && message.method === 'tools/call'
          ? throwError(() => new RxMcpError('network', 'upstream unreachable'))
          : upstream.send(message, options),
    };
    const fromServer = new Subject<JsonRpcMessage>();
    const fromClient = new Subject<JsonRpcMessage>();
    client.messages$.subscribe(fromServer);
    server.messages$.subscribe(fromClient);
    const events: PipeEvent[] = [];
    const pipe = pipeTransports(downstream, failing, {
      onEvent: (event) => events.push(event),
    }).subscribe();
    try {
      const answered = firstValueFrom(fromServer.pipe(take(1), toArray()));
      await firstValueFrom(client.send(request(3, 'tools/call')), { defaultValue: undefined });
      expect(await answered).toEqual([
        expect.objectContaining({
          id: 3,
          error: expect.objectContaining({
            code: -32000,
            data: expect.objectContaining({ kind: 'network' }),
          }),
        }),
      ]);
      expect(events).toEqual([expect.objectContaining({ type: 'send-failed' })]);
      // The pipe is still up.
      const ping = firstValueFrom(fromClient);
      await firstValueFrom(client.send(request(4, 'ping')), { defaultValue: undefined });
      expect(await ping).toMatchObject({ method: 'ping' });
    } finally {
      pipe.unsubscribe();
    }
  });
});
