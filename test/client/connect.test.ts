import {
  NEVER,
  Subject,
  catchError,
  firstValueFrom,
  lastValueFrom,
  merge,
  of,
  toArray,
} from 'rxjs';
import { connect } from '../../src/client/connect';
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '../../src/client/protocolVersions';
import { RxMcpError } from '../../src/errors';
import { createInMemoryTransportPair } from '../../src/transports/memory';
import { rpcError, serverInfo, startFakeServer } from './support/fakeServer';
import { clientInfo, newScheduler, openClient, outcome, setup } from './support/harness';

describe('connect: the handshake', () => {
  it('sends initialize (offered version, clientInfo, capabilities), then initialized', async () => {
    const { server, connect$ } = setup(
      {},
      {
        capabilities: { experimental: { x: {} } },
        handlers: { roots: () => of({ roots: [] }), elicitation: () => of({ action: 'cancel' }) },
      },
    );
    const { client, disconnect } = await openClient(connect$);
    // The client is emitted once initialized was handed to the transport.
    const messages = server.arrivals.map((arrival) => arrival.message);
    expect(messages[0]).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        clientInfo,
        capabilities: { experimental: { x: {} }, roots: {}, elicitation: {} },
      },
    });
    expect(messages[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(client.protocolVersion).toBe('2025-11-25');
    expect(client.serverInfo).toEqual(serverInfo);
    expect(client.serverCapabilities).toEqual({ tools: {} });
    expect(client.instructions).toBe('Be nice.');
    disconnect();
  });

  it('keeps capabilities the app declared itself', async () => {
    const { server, connect$ } = setup(
      {},
      {
        capabilities: { roots: { listChanged: true } },
        handlers: { roots: () => of({ roots: [] }) },
      },
    );
    const { disconnect } = await openClient(connect$);
    expect(server.requests('initialize')[0]?.params).toMatchObject({
      capabilities: { roots: { listChanged: true } },
    });
    disconnect();
  });

  it.each(SUPPORTED_PROTOCOL_VERSIONS)('accepts a server that answers %s', async (version) => {
    const { connect$ } = setup({ protocolVersion: version });
    const { client, disconnect } = await openClient(connect$);
    expect(client.protocolVersion).toBe(version);
    disconnect();
  });

  it('offers an older version when asked to', async () => {
    const { server, connect$ } = setup({}, { protocolVersion: '2024-11-05' });
    const { client, disconnect } = await openClient(connect$);
    expect(server.requests('initialize')[0]?.params).toMatchObject({
      protocolVersion: '2024-11-05',
    });
    expect(client.protocolVersion).toBe('2024-11-05');
    disconnect();
  });

  it('refuses an unsupported version with a clear protocol error, and disconnects', async () => {
    const [clientSide, serverSide] = createInMemoryTransportPair();
    const server = startFakeServer(serverSide, { protocolVersion: '1999-01-01' });
    const serverEnded = lastValueFrom(serverSide.state$.pipe(toArray()));
    const { values, error } = await outcome(connect(clientSide, { clientInfo }));
    expect(values).toEqual([]);
    expect(error?.kind).toBe('protocol');
    expect(error?.message).toContain('"1999-01-01"');
    expect(error?.message).toContain(`offered "${LATEST_PROTOCOL_VERSION}"`);
    expect(error?.message).toContain('2025-06-18, 2025-03-26, 2024-11-05');
    expect(error?.data).toEqual({
      offered: '2025-11-25',
      received: '1999-01-01',
      supported: SUPPORTED_PROTOCOL_VERSIONS,
    });
    // [spec] the client SHOULD disconnect: the pair is closed, and initialized was never sent.
    expect((await serverEnded).at(-1)).toEqual({ type: 'closed' });
    expect(server.notifications('notifications/initialized')).toEqual([]);
  });

  it('fails with protocol when the initialize result lacks serverInfo', async () => {
    const { connect$ } = setup({
      initializeResult: { protocolVersion: '2025-11-25', capabilities: {} },
    });
    const { error } = await outcome(connect$);
    expect(error?.kind).toBe('protocol');
    expect(error?.message).toMatch(/capabilities and serverInfo/);
  });

  it('fails with rpc when the server refuses initialize', async () => {
    const { connect$ } = setup({
      responders: {
        initialize: (request) => [
          rpcError(request, -32602, 'Unsupported protocol version', { supported: ['2024-11-05'] }),
        ],
      },
    });
    const { error } = await outcome(connect$);
    expect(error).toMatchObject({ kind: 'rpc', code: -32602, data: { supported: ['2024-11-05'] } });
    expect(error?.message).toMatch(/^Unsupported protocol version/);
  });

  it('fails with closed when the transport ends before initialize completes', async () => {
    const { server, connect$ } = setup({ responders: { initialize: () => NEVER } });
    const result = outcome(connect$);
    await firstValueFrom(server.received$);
    server.stop();
    const { error } = await result;
    expect(error?.kind).toBe('closed');
    expect(error?.message).toMatch(/initialize \(id 1\) ended without a response/);
  });

  it('fails with the transport error when it breaks, and pending requests with closed', async () => {
    const failure = new Subject<never>();
    const { connect$ } = setup({ responders: { 'tools/call': () => NEVER } }, {}, (side) => ({
      ...side,
      messages$: merge(side.messages$, failure),
    }));
    const { client, ended } = await openClient(connect$);
    const pending = outcome(client.callTool({ name: 'slow' }));
    failure.error(new RxMcpError('network', 'The pipe broke.'));
    expect(await ended).toMatchObject({ kind: 'network', message: 'The pipe broke.' });
    const { error } = await pending;
    expect(error?.kind).toBe('closed');
    expect(error?.message).toMatch(/tools\/call \(id 2\) ended without a response.*The pipe broke/);
  });

  it('times initialize out without cancelling it', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      const { server, connect$ } = setup(
        { responders: { initialize: () => NEVER } },
        { requestTimeoutMs: 500 },
      );
      expectObservable(
        connect$.pipe(catchError((error: RxMcpError) => of(`${error.kind}: ${error.message}`))),
      ).toBe('500ms (e|)', {
        e: 'timeout: initialize (id 1) got no result within 500 ms (timeoutMs); the client stopped waiting. Raise the timeout for slow operations, or use resetTimeoutOnProgress.',
      });
      flush();
      // [spec] The `initialize` request MUST NOT be cancelled by clients.
      expect(server.notifications('notifications/cancelled')).toEqual([]);
    });
  });

  it('refuses bad options at once', () => {
    const [clientSide] = createInMemoryTransportPair();
    expect(() => connect(clientSide, { clientInfo, protocolVersion: '1.0' })).toThrow(
      /protocolVersion must be one of 2025-11-25/,
    );
    expect(() => connect(clientSide, { clientInfo, maxPendingRequests: 0 })).toThrow(RangeError);
    expect(() => connect(clientSide, { clientInfo, requestTimeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('connect: the end of the session', () => {
  it('unsubscribing tears the transport down; pending and later requests fail with closed', async () => {
    const { clientSide, connect$ } = setup({ responders: { 'tools/call': () => NEVER } });
    const { client, disconnect } = await openClient(connect$);
    const states = lastValueFrom(clientSide.state$.pipe(toArray()));
    const pending = outcome(client.callTool({ name: 'slow' }));
    disconnect();
    expect((await pending).error?.kind).toBe('closed');
    expect((await states).at(-1)).toEqual({ type: 'closed' });
    const later = await outcome(client.ping());
    expect(later.error?.kind).toBe('closed');
    expect(await outcome(client.notifications$)).toEqual({ values: [] });
  });

  it('close() ends the session gracefully: connect completes', async () => {
    const { connect$ } = setup();
    const { client, ended } = await openClient(connect$);
    const states: string[] = [];
    client.state$.subscribe((state) => states.push(state.type));
    await lastValueFrom(client.close(), { defaultValue: undefined });
    expect(await ended).toBe('complete');
    expect(states).toEqual(['open', 'closed']);
  });

  it('completes when the server ends the connection after initialization', async () => {
    const { server, connect$ } = setup();
    const { ended } = await openClient(connect$);
    server.stop();
    expect(await ended).toBe('complete');
  });

  it('is cold: each subscription is a new session with its own ids', async () => {
    const [clientSide, serverSide] = createInMemoryTransportPair();
    const server = startFakeServer(serverSide);
    const connect$ = connect(clientSide, { clientInfo });
    expect(server.arrivals).toEqual([]);
    const { client, disconnect } = await openClient(connect$);
    await lastValueFrom(client.ping());
    expect(server.requests().map((request) => request.id)).toEqual([1, 2]);
    disconnect();
  });
});
