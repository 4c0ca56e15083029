import {
  NEVER,
  Subject,
  concat,
  endWith,
  ignoreElements,
  firstValueFrom,
  lastValueFrom,
  map,
  merge,
  of,
  switchMap,
  take,
  throwError,
  toArray,
} from 'rxjs';
import { RxMcpError } from '../../src/errors';
import type { ClientDiagnostic } from '../../src/client/ClientDiagnostic';
import { toResult } from '../../src/client/toResult';
import type { JsonRpcRequest } from '../../src/jsonrpc/types';
import { after, progress, result, rpcError } from './support/fakeServer';
import { holdClient, newScheduler, openClient, outcome, setup } from './support/harness';

const echo = (request: JsonRpcRequest) => [
  result(request, { echoed: (request.params as { text?: unknown }).text }),
];

describe('McpClient.request', () => {
  it('sends the request with a progress token, emits the result and completes', async () => {
    const { server, connect$ } = setup({ responders: { echo } });
    const { client, disconnect } = await openClient(connect$);
    const events = await lastValueFrom(client.request('echo', { text: 'hi' }).pipe(toArray()));
    expect(events).toEqual([{ type: 'result', result: { echoed: 'hi' } }]);
    expect(server.requests('echo')).toEqual([
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'echo',
        params: { text: 'hi', _meta: { progressToken: 2 } },
      },
    ]);
    disconnect();
  });

  it('keeps a progress token (and other _meta) the caller chose', async () => {
    const { server, connect$ } = setup({ responders: { echo } });
    const { client, disconnect } = await openClient(connect$);
    await lastValueFrom(client.request('echo', { _meta: { progressToken: 'mine', trace: 't1' } }));
    expect(server.requests('echo')[0]?.params).toEqual({
      _meta: { progressToken: 'mine', trace: 't1' },
    });
    disconnect();
  });

  it('emits progress reports for its token as values, then the result', () => {
    newScheduler().run(({ expectObservable }) => {
      const { connect$ } = setup({
        responders: {
          work: (request) =>
            merge(
              after(10, progress(request, 1, 3, 'one')),
              // Progress for another token is not ours.
              after(15, {
                ...progress(request, 9),
                params: { progressToken: 'other', progress: 9 },
              }),
              after(20, progress(request, 2, 3)),
              after(30, result(request, { done: true })),
            ),
        },
      });
      const events$ = connect$.pipe(
        switchMap((client) => client.request('work').pipe(endWith('completed'))),
      );
      expectObservable(events$).toBe('10ms a 9ms b 9ms (cd)', {
        a: { type: 'progress', progress: 1, total: 3, message: 'one' },
        b: { type: 'progress', progress: 2, total: 3 },
        c: { type: 'result', result: { done: true } },
        d: 'completed',
      });
    });
  });

  it('routes each response and progress report to its own request among many in flight', () => {
    newScheduler().run(({ expectObservable }) => {
      const { connect$ } = setup({
        responders: {
          // Answers in reverse order of arrival: request n after 100 - n ms.
          work: (request) => {
            const n = (request.params as { n: number }).n;
            return merge(after(5, progress(request, n)), after(100 - n, result(request, { n })));
          },
        },
      });
      const ns = [1, 2, 3, 4, 5];
      const events$ = connect$.pipe(
        switchMap((client) =>
          merge(
            ...ns.map((n) =>
              client
                .request<{ n: number }>('work', { n })
                .pipe(
                  map((event) =>
                    event.type === 'progress'
                      ? `${n}:p${event.progress}`
                      : `${n}:r${event.result.n}`,
                  ),
                ),
            ),
          ).pipe(toArray()),
        ),
      );
      expectObservable(events$).toBe('99ms a', {
        a: [...ns.map((n) => `${n}:p${n}`), ...[...ns].reverse().map((n) => `${n}:r${n}`)],
      });
    });
  });

  it('delivers progress for a token the caller chose to every request that chose it', () => {
    newScheduler().run(({ expectObservable }) => {
      const { connect$ } = setup({
        responders: {
          work: (request) =>
            merge(
              after(10, progress(request, 1)),
              after(20, result(request, (request.params as { n: number }).n)),
            ),
        },
      });
      const shared = { progressToken: 'shared' };
      const events$ = connect$.pipe(
        switchMap((client) =>
          merge(
            client.request('work', { n: 1, _meta: shared }).pipe(map((e) => `1:${e.type}`)),
            client.request('work', { n: 2, _meta: shared }).pipe(map((e) => `2:${e.type}`)),
          ).pipe(toArray()),
        ),
      );
      // Each of the two progress notifications (one per request) reaches both requests.
      expectObservable(events$).toBe('20ms a', {
        a: ['1:progress', '2:progress', '1:progress', '2:progress', '1:result', '2:result'],
      });
    });
  });

  it('unsubscribing before the result sends notifications/cancelled with the request id', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      const { server, connect$ } = setup({
        responders: { slow: (request) => after(100, result(request, {})) },
      });
      const { client$, release } = holdClient(connect$);
      const diagnostics: ClientDiagnostic[] = [];
      client$.subscribe((client) => client.diagnostics$.subscribe((d) => diagnostics.push(d)));
      const events$ = client$.pipe(switchMap((client) => client.request('slow')));
      expectObservable(events$, '^ 40ms !').toBe('');
      flush();
      const cancelled = server.notifications('notifications/cancelled');
      expect(cancelled).toEqual([
        {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: 2, reason: 'The client no longer needs the result (unsubscribed).' },
        },
      ]);
      expect(server.arrivals.find((arrival) => arrival.message === cancelled[0])?.at).toBe(41);
      // The server stopped working on it: no late response arrived to be reported.
      expect(diagnostics).toEqual([]);
      release();
    });
  });

  it('ignores a late answer to a cancelled request, reporting it as settled', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      const { server, connect$ } = setup({ responders: { stubborn: () => NEVER } });
      const { client$, release } = holdClient(connect$);
      const diagnostics: ClientDiagnostic[] = [];
      client$.subscribe((client) => client.diagnostics$.subscribe((d) => diagnostics.push(d)));
      // The server ignores the cancellation (sent at 41) and answers anyway, at 60.
      after(60, { jsonrpc: '2.0' as const, id: 2, result: { late: true } }).subscribe((m) =>
        server.send(m),
      );
      expectObservable(
        client$.pipe(switchMap((client) => client.request('stubborn'))),
        '^ 40ms !',
      ).toBe('');
      flush();
      expect(diagnostics).toEqual([
        {
          type: 'unmatched-response',
          reason: 'settled',
          response: { jsonrpc: '2.0', id: 2, result: { late: true } },
        },
      ]);
      release();
    });
  });

  it('does not cancel a request that was answered', async () => {
    const { server, connect$ } = setup({ responders: { echo } });
    const { client, disconnect } = await openClient(connect$);
    await lastValueFrom(client.request('echo'));
    await lastValueFrom(client.ping());
    expect(server.notifications('notifications/cancelled')).toEqual([]);
    disconnect();
  });

  it('maps a JSON-RPC error answer to an rpc RxMcpError with code, data and message', async () => {
    const { connect$ } = setup({
      responders: {
        broken: (request) => [rpcError(request, -32602, 'Bad params: x', { field: 'x' })],
      },
    });
    const { client, disconnect } = await openClient(connect$);
    const { error } = await outcome(client.request('broken'));
    expect(error).toMatchObject({ kind: 'rpc', code: -32602, data: { field: 'x' } });
    expect(error?.retryable).toBe(false);
    expect(error?.message).toBe(
      'Bad params: x (JSON-RPC error -32602 from the server for broken (id 2))',
    );
    disconnect();
  });

  it('gives concurrent requests distinct ids and their own results, out of order', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      const { server, connect$ } = setup({
        responders: {
          wait: (request) => {
            const { ms } = request.params as unknown as { ms: number };
            return after(ms, result(request, { waited: ms }));
          },
        },
      });
      const all$ = connect$.pipe(
        switchMap((client) =>
          merge(
            ...[30, 10, 20].map((ms) =>
              client.request('wait', { ms }).pipe(
                toResult(),
                map((value) => JSON.stringify(value)),
              ),
            ),
          ),
        ),
      );
      expectObservable(all$).toBe('10ms a 9ms b 9ms c', {
        a: '{"waited":10}',
        b: '{"waited":20}',
        c: '{"waited":30}',
      });
      flush();
      expect(server.requests('wait').map((request) => request.id)).toEqual([2, 3, 4]);
    });
  });

  it('reports a response with an unknown id and never delivers it', async () => {
    const release = new Subject<void>();
    const { server, connect$ } = setup({
      responders: {
        wait: (request) =>
          concat(release.pipe(take(1), ignoreElements()), of(result(request, { mine: true }))),
      },
    });
    const { client, disconnect } = await openClient(connect$);
    const diagnostics = lastValueFrom(client.diagnostics$.pipe(take(2), toArray()));
    const events = lastValueFrom(client.request('wait').pipe(toArray()));
    await firstValueFrom(server.received$);
    server.send({ jsonrpc: '2.0', id: 99, result: { stolen: true } });
    server.send({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
    release.next();
    expect(await events).toEqual([{ type: 'result', result: { mine: true } }]);
    expect(await diagnostics).toEqual([
      {
        type: 'unmatched-response',
        reason: 'unknown-id',
        response: { jsonrpc: '2.0', id: 99, result: { stolen: true } },
      },
      {
        type: 'unmatched-response',
        reason: 'unknown-id',
        response: { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } },
      },
    ]);
    disconnect();
  });

  it('reports a late answer to a settled request as settled, and a duplicate too', async () => {
    const { connect$ } = setup({
      responders: {
        twice: (request) => [result(request, { n: 1 }), result(request, { n: 2 })],
      },
    });
    const { client, disconnect } = await openClient(connect$);
    const diagnostic = firstValueFrom(client.diagnostics$);
    expect(await lastValueFrom(client.request('twice').pipe(toArray()))).toEqual([
      { type: 'result', result: { n: 1 } },
    ]);
    expect(await diagnostic).toMatchObject({
      type: 'unmatched-response',
      reason: 'settled',
      response: { id: 2, result: { n: 2 } },
    });
    disconnect();
  });

  it('fails every pending request with closed at once when the transport closes', async () => {
    const { server, connect$ } = setup({ responders: { slow: () => NEVER } });
    const { client } = await openClient(connect$);
    const pending = [1, 2, 3].map(() => outcome(client.request('slow')));
    await firstValueFrom(server.received$.pipe(take(3), toArray()));
    server.stop();
    for (const { error } of await Promise.all(pending)) {
      expect(error?.kind).toBe('closed');
    }
  });

  it('refuses more than maxPendingRequests with a limit error, and frees slots', async () => {
    const release = new Subject<void>();
    const { server, connect$ } = setup(
      {
        responders: {
          wait: (request) =>
            concat(release.pipe(take(1), ignoreElements()), of(result(request, {}))),
        },
      },
      { maxPendingRequests: 2 },
    );
    const { client, disconnect } = await openClient(connect$);
    const first = outcome(client.request('wait'));
    const second = outcome(client.request('wait'));
    const third = await outcome(client.request('wait'));
    expect(third.error?.kind).toBe('limit');
    expect(third.error?.message).toMatch(/2 requests already await a response/);
    await server.waitFor(2, 'wait');
    release.next();
    expect((await first).error).toBeUndefined();
    expect((await second).error).toBeUndefined();
    // Both slots are free again.
    const fourth = outcome(client.request('wait'));
    const fifth = outcome(client.request('wait'));
    await server.waitFor(4, 'wait');
    release.next();
    expect((await fourth).error).toBeUndefined();
    expect((await fifth).error).toBeUndefined();
    disconnect();
  });

  it('reports a cancellation it could not send, without failing anything', () => {
    newScheduler().run(({ expectObservable, flush }) => {
      const { connect$ } = setup({ responders: { slow: () => NEVER } }, {}, (side) => ({
        ...side,
        send: (message) =>
          'method' in message && message.method === 'notifications/cancelled'
            ? throwError(() => new RxMcpError('closed', 'The pipe is gone.'))
            : side.send(message),
      }));
      const { client$, release } = holdClient(connect$);
      const diagnostics: ClientDiagnostic[] = [];
      client$.subscribe((client) => client.diagnostics$.subscribe((d) => diagnostics.push(d)));
      expectObservable(client$.pipe(switchMap((client) => client.request('slow'))), '^ 9ms !').toBe(
        '',
      );
      flush();
      expect(diagnostics).toEqual([
        {
          type: 'send-failed',
          message: expect.objectContaining({ method: 'notifications/cancelled' }),
          error: expect.objectContaining({ kind: 'closed', message: 'The pipe is gone.' }),
        },
      ]);
      release();
    });
  });

  it('throws at once for a nonsensical timeout', async () => {
    const { connect$ } = setup();
    const { client, disconnect } = await openClient(connect$);
    expect(() => client.request('ping', undefined, { timeoutMs: 0 })).toThrow(RangeError);
    expect(() => client.request('ping', undefined, { maxTotalTimeoutMs: 2 ** 40 })).toThrow(
      /maxTotalTimeoutMs/,
    );
    disconnect();
  });
});

describe('McpClient notifications', () => {
  it('notifications$ carries what the server sends; notify sends a notification', async () => {
    const { server, connect$ } = setup();
    const { client, disconnect } = await openClient(connect$);
    const got = firstValueFrom(client.notifications$);
    server.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    expect(await got).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    await lastValueFrom(client.notify('notifications/roots/list_changed'), {
      defaultValue: undefined,
    });
    await lastValueFrom(client.notify('custom/note', { a: 1 }), { defaultValue: undefined });
    expect(server.notifications().slice(1)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
      { jsonrpc: '2.0', method: 'custom/note', params: { a: 1 } },
    ]);
    disconnect();
  });
});

describe('McpClient typed helpers', () => {
  it('send the right method and params and emit the result only', async () => {
    const { server, connect$ } = setup({
      responders: {
        'tools/call': (request) => [
          progress(request, 1),
          result(request, { content: [{ type: 'text', text: 'ok' }] }),
        ],
        'resources/read': (request) => [
          result(request, { contents: [{ uri: 'mem://a', text: 'A' }] }),
        ],
        'prompts/get': (request) => [result(request, { messages: [] })],
      },
    });
    const { client, disconnect } = await openClient(connect$);
    expect(
      await lastValueFrom(client.callTool({ name: 'echo', arguments: { x: 1 } }).pipe(toArray())),
    ).toEqual([{ content: [{ type: 'text', text: 'ok' }] }]);
    expect(await lastValueFrom(client.readResource({ uri: 'mem://a' }))).toEqual({
      contents: [{ uri: 'mem://a', text: 'A' }],
    });
    expect(await lastValueFrom(client.getPrompt({ name: 'p', arguments: { a: 'b' } }))).toEqual({
      messages: [],
    });
    expect(await lastValueFrom(client.ping())).toEqual({});
    expect(
      server.requests().map(({ method, params }) => {
        const { _meta, ...rest } = (params ?? {}) as { _meta?: unknown };
        return [method, rest, _meta !== undefined];
      }),
    ).toEqual([
      ['initialize', expect.any(Object), false],
      ['tools/call', { name: 'echo', arguments: { x: 1 } }, true],
      ['resources/read', { uri: 'mem://a' }, true],
      ['prompts/get', { name: 'p', arguments: { a: 'b' } }, true],
      ['ping', {}, true],
    ]);
    disconnect();
  });
});
