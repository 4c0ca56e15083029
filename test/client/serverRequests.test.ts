import { NEVER, Observable, firstValueFrom, lastValueFrom, of, throwError } from 'rxjs';
import type { ClientDiagnostic } from '../../src/client/ClientDiagnostic';
import type { ClientHandlers, RequestHandlerContext } from '../../src/client/ClientHandlers';
import type { ConnectOptions } from '../../src/client/connect';
import type { ElicitRequestParams } from '../../src/client/serverRequestTypes';
import { RxMcpError } from '../../src/errors';
import { openClient, setup } from './support/harness';
import type { OpenClient } from './support/harness';
import type { FakeServer } from './support/fakeServer';

const form: ElicitRequestParams = {
  message: 'Who are you?',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', default: 'Ada' },
      age: { type: 'integer', default: 36 },
      subscribe: { type: 'boolean', default: false },
      city: { type: 'string' },
    },
  },
};

async function withClient(
  handlers: ClientHandlers,
  options: Partial<ConnectOptions> = {},
): Promise<{ server: FakeServer } & OpenClient> {
  const { server, connect$ } = setup({}, { handlers, ...options });
  return { server, ...(await openClient(connect$)) };
}

describe('server-to-client requests', () => {
  it('answers ping with {} without a handler', async () => {
    const { server, disconnect } = await withClient({});
    expect(await lastValueFrom(server.ask('s1', 'ping'))).toEqual({
      jsonrpc: '2.0',
      id: 's1',
      result: {},
    });
    disconnect();
  });

  it('uses a ping handler when given one', async () => {
    const { server, disconnect } = await withClient({ ping: () => of({ _meta: { by: 'app' } }) });
    expect(await lastValueFrom(server.ask(1, 'ping'))).toMatchObject({
      result: { _meta: { by: 'app' } },
    });
    disconnect();
  });

  it('answers roots/list and sampling/createMessage through their handlers', async () => {
    const contexts: RequestHandlerContext[] = [];
    const { server, disconnect } = await withClient({
      roots: (_params, context) => {
        contexts.push(context);
        return of({ roots: [{ uri: 'file:///work', name: 'work' }] });
      },
      // A Promise is an ObservableInput too.
      sampling: async (params) => ({
        role: 'assistant',
        content: { type: 'text', text: `echo ${params.maxTokens}` },
        model: 'test-model',
      }),
    });
    expect(await lastValueFrom(server.ask(7, 'roots/list', { _meta: { trace: 'x' } }))).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: { roots: [{ uri: 'file:///work', name: 'work' }] },
    });
    expect(contexts[0]).toMatchObject({ requestId: 7, method: 'roots/list', meta: { trace: 'x' } });
    const sampled = await lastValueFrom(
      server.ask(8, 'sampling/createMessage', { messages: [], maxTokens: 10 }),
    );
    expect(sampled).toEqual({
      jsonrpc: '2.0',
      id: 8,
      result: {
        role: 'assistant',
        content: { type: 'text', text: 'echo 10' },
        model: 'test-model',
      },
    });
    disconnect();
  });

  it('answers MethodNotFound for a missing handler or an unknown method', async () => {
    const { server, disconnect } = await withClient({});
    for (const method of ['sampling/createMessage', 'elicitation/create', 'roots/list', 'x/y']) {
      expect(await lastValueFrom(server.ask(method, method, {}))).toEqual({
        jsonrpc: '2.0',
        id: method,
        error: {
          code: -32601,
          message: `Method not found: this client does not handle ${method}.`,
        },
      });
    }
    disconnect();
  });

  it('answers InvalidParams when params are missing or positional', async () => {
    const { server, disconnect } = await withClient({ sampling: () => NEVER });
    expect(await lastValueFrom(server.ask(1, 'sampling/createMessage'))).toMatchObject({
      error: { code: -32602 },
    });
    disconnect();
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('secret detail');
      },
    ],
    ['fails', () => throwError(() => new Error('secret detail'))],
    ['rejects', () => Promise.reject(new Error('secret detail'))],
  ])('answers InternalError, without details, when a handler %s', async (_how, roots) => {
    const { client, server, disconnect } = await withClient({
      roots: roots as ClientHandlers['roots'],
    });
    const diagnostic = firstValueFrom(client.diagnostics$);
    const response = await lastValueFrom(server.ask(3, 'roots/list'));
    expect(response).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32603, message: 'The client failed to handle roots/list.' },
    });
    expect(JSON.stringify(response)).not.toContain('secret');
    expect(await diagnostic).toMatchObject({
      type: 'handler-error',
      method: 'roots/list',
      requestId: 3,
      error: expect.objectContaining({ message: 'secret detail' }),
    });
    disconnect();
  });

  it('answers InternalError when a handler completes without a result', async () => {
    const { server, disconnect } = await withClient({ roots: () => [] });
    expect(await lastValueFrom(server.ask(1, 'roots/list'))).toMatchObject({
      error: { code: -32603 },
    });
    disconnect();
  });

  it('answers with the JSON-RPC error a handler chose (an rpc RxMcpError)', async () => {
    const { server, disconnect } = await withClient({
      sampling: () =>
        throwError(
          () => new RxMcpError('rpc', 'User rejected sampling request', { code: -1, data: 'no' }),
        ),
    });
    expect(
      await lastValueFrom(server.ask(1, 'sampling/createMessage', { messages: [], maxTokens: 1 })),
    ).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -1, message: 'User rejected sampling request', data: 'no' },
    });
    disconnect();
  });

  it('stops a handler the server cancels: unsubscribed, signal aborted, no answer', async () => {
    let unsubscribed = false;
    let signal: AbortSignal | undefined;
    let started: () => void = () => undefined;
    const handling = new Promise<void>((resolve) => (started = resolve));
    const { client, server, disconnect } = await withClient({
      elicitation: (_params, context) =>
        new Observable(() => {
          signal = context.signal;
          started();
          return () => (unsubscribed = true);
        }),
    });
    const diagnostics: ClientDiagnostic[] = [];
    client.diagnostics$.subscribe((diagnostic) => diagnostics.push(diagnostic));
    const answers: unknown[] = [];
    server.ask(9, 'elicitation/create', form).subscribe((answer) => answers.push(answer));
    await handling;
    expect(signal?.aborted).toBe(false);
    server.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } });
    // A ping behind the cancellation proves the client has handled it.
    await lastValueFrom(server.ask(10, 'ping'));
    expect(unsubscribed).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(answers).toEqual([]);
    expect(diagnostics).toEqual([]);
    disconnect();
  });

  it('aborts handlers in progress when the connection ends', async () => {
    let signal: AbortSignal | undefined;
    const { server, disconnect } = await withClient({
      roots: (_params, context) => {
        signal = context.signal;
        return NEVER;
      },
    });
    server.ask(1, 'roots/list').subscribe();
    await lastValueFrom(server.ask(2, 'ping'));
    disconnect();
    expect(signal?.aborted).toBe(true);
  });

  it('refuses more than maxConcurrentHandlers requests at once, without queueing', async () => {
    const { server, disconnect } = await withClient(
      { roots: () => NEVER },
      { maxConcurrentHandlers: 1 },
    );
    server.ask(1, 'roots/list').subscribe();
    expect(await lastValueFrom(server.ask(2, 'roots/list'))).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: {
        code: -32603,
        message: 'The client is busy with 1 requests from this server; try again later.',
      },
    });
    disconnect();
  });
});

describe('elicitation defaults (SEP-1034)', () => {
  const accepted = { action: 'accept' as const, content: { age: 41, city: '' } };

  it('fills omitted fields from the schema when applyElicitationDefaults is on', async () => {
    const { server, disconnect } = await withClient(
      { elicitation: () => of(accepted) },
      { applyElicitationDefaults: true },
    );
    expect(await lastValueFrom(server.ask(1, 'elicitation/create', form))).toMatchObject({
      result: { action: 'accept', content: { name: 'Ada', age: 41, subscribe: false, city: '' } },
    });
    disconnect();
  });

  it('passes the content through untouched when it is off (the default)', async () => {
    const { server, disconnect } = await withClient({ elicitation: () => of(accepted) });
    expect(await lastValueFrom(server.ask(1, 'elicitation/create', form))).toMatchObject({
      result: accepted,
    });
    disconnect();
  });

  it('leaves declined answers and URL-mode elicitations alone', async () => {
    const { server, disconnect } = await withClient(
      {
        elicitation: (params) =>
          of(
            params.mode === 'url' ? { action: 'accept' as const } : { action: 'decline' as const },
          ),
      },
      { applyElicitationDefaults: true },
    );
    expect(await lastValueFrom(server.ask(1, 'elicitation/create', form))).toMatchObject({
      result: { action: 'decline' },
    });
    const url = { mode: 'url', message: 'Log in', elicitationId: 'e1', url: 'https://x.test' };
    const answer = await lastValueFrom(server.ask(2, 'elicitation/create', url));
    expect(answer).toEqual({ jsonrpc: '2.0', id: 2, result: { action: 'accept' } });
    disconnect();
  });
});
