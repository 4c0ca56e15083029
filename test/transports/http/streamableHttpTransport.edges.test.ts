/**
 * The Streamable HTTP client transport against a scripted node:http server: the cases the
 * SDK's server does not produce on demand (exact `retry:` timing, redirects, a session that
 * expires twice, a changed protocol version, 405s, odd content types, token refresh).
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import type { JsonRpcMessage } from '../../../src/jsonrpc/types';
import { streamableHttpTransport } from '../../../src/transports/http/streamableHttpTransport';
import type { StreamableHttpTransportOptions } from '../../../src/transports/http/StreamableHttpTransportOptions';
import type { Transport } from '../../../src/transports/transport';
import { rawClient, resultOf } from './support/rawClient';
import type { RawClient } from './support/rawClient';
import { initializeResult, json, startScriptedServer } from './support/scriptedServer';
import type { Handler, Recorded, ScriptedServer } from './support/scriptedServer';

const servers: ScriptedServer[] = [];
let client: RawClient | undefined;

afterEach(async () => {
  client?.unsubscribe();
  client = undefined;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler): Promise<ScriptedServer> {
  const server = await startScriptedServer(handler);
  servers.push(server);
  return server;
}

function open(
  url: string,
  options: Partial<StreamableHttpTransportOptions> = {},
): { transport: Transport; client: RawClient } {
  const transport = streamableHttpTransport({ url, retry: { initialDelayMs: 5 }, ...options });
  client = rawClient(transport);
  return { transport, client };
}

const sendOnce = (transport: Transport, message: JsonRpcMessage) =>
  firstValueFrom(transport.send(message).pipe(toArray()));

/** A server with sessions: initialize opens `s<n>`, `onRequest` answers the rest. */
function sessionServer(onRequest: (request: Recorded, res: ServerResponse) => void): Handler {
  let sessions = 0;
  return (request, res) => {
    if (request.body?.method === 'initialize') {
      sessions += 1;
      json(res, initializeResult(request.body.id), { 'mcp-session-id': `s${sessions}` });
    } else if (request.method === 'GET') {
      res.writeHead(405).end();
    } else if (request.body?.method === 'notifications/initialized') {
      res.writeHead(202).end();
    } else {
      onRequest(request, res);
    }
  };
}

describe('streamableHttpTransport edge cases', () => {
  it('waits exactly the retry interval before polling a stream the server closed', async () => {
    const server = await serve((request, res) => {
      if (request.method === 'POST') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('id: a1\nretry: 250\ndata: \n\n');
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          `id: a2\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { ok: true } })}\n\n`,
        );
      }
    });
    const delays: number[] = [];
    const scheduler = {
      now: () => asyncScheduler.now(),
      schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
        delays.push(args[1] ?? 0);
        return asyncScheduler.schedule(...args);
      },
    } as SchedulerLike;
    const { client } = open(server.url, { scheduler, listen: false });
    const reply = await client.request('ping');
    expect(resultOf(reply)).toEqual({ ok: true });
    expect(delays).toContain(250);
    const get = server.requests.find((request) => request.method === 'GET')!;
    expect(get.headers['last-event-id']).toBe('a1');
    expect(get.headers.accept).toBe('text/event-stream');
  });

  it('calls a headers function for every request (token refresh)', async () => {
    const server = await serve(
      sessionServer((request, res) =>
        json(res, { jsonrpc: '2.0', id: request.body?.id, result: {} }),
      ),
    );
    let token = 0;
    const { client } = open(server.url, {
      headers: async () => {
        token += 1;
        return { authorization: `Bearer t${token}` };
      },
    });
    await client.initialize();
    await client.request('ping');
    // Every request, the GET stream included, asked for its own token.
    const tokens = server.requests.map((request) => request.headers.authorization);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.slice(0, 2)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('fails with a typed error when the session expires again right after renewal, without looping', async () => {
    const server = await serve(sessionServer((_, res) => res.writeHead(404).end()));
    const { transport, client } = open(server.url);
    await client.initialize();
    await expect(
      sendOnce(transport, { jsonrpc: '2.0', id: 9, method: 'ping' }),
    ).rejects.toMatchObject({
      kind: 'http',
      status: 404,
    });
    const calls = server.requests.map((request) => request.body?.method ?? request.method);
    expect(calls.filter((method) => method === 'initialize')).toHaveLength(2);
    expect(calls.filter((method) => method === 'ping')).toHaveLength(2);
    // The replayed initialize went without a session id.
    const initializes = server.requests.filter((request) => request.body?.method === 'initialize');
    expect(initializes[1]!.headers['mcp-session-id']).toBeUndefined();
  });

  it('resumes a response stream in the session it was opened in, even after the session was renewed', async () => {
    // tools/call (session s1) gets a stream with one event id, held open until the session
    // has been renewed (s2) by a ping that met a 404; then it drops. The resume must name s1:
    // stream ids restart in every session, so resuming in s2 could attach to another stream.
    let held: ServerResponse | undefined;
    const server = await serve(
      sessionServer((request, res) => {
        const session = request.headers['mcp-session-id'];
        if (request.body?.method === 'tools/call') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('id: s1_1\nretry: 5\ndata: \n\n');
          held = res;
        } else if (request.method === 'GET' || session === 's1') {
          res.writeHead(404).end();
        } else {
          json(res, { jsonrpc: '2.0', id: request.body?.id, result: {} });
        }
      }),
    );
    const { client } = open(server.url, { listen: false });
    await client.initialize();
    const call = await client.start('tools/call', { name: 'slow', arguments: {} });
    await server.until((requests) => requests.some((r) => r.body?.method === 'tools/call'));
    expect(resultOf(await client.request('ping'))).toEqual({});
    held!.end();
    const failed = await client.response(call);
    expect(failed).toMatchObject({ id: call, error: { code: -32000 } });
    const resume = server.requests.find((request) => request.method === 'GET')!;
    expect(resume.headers['last-event-id']).toBe('s1_1');
    expect(resume.headers['mcp-session-id']).toBe('s1');
  });

  it('fails the renewal with a protocol error when the server negotiates another version', async () => {
    let sessions = 0;
    const server = await serve((request, res) => {
      if (request.body?.method === 'initialize') {
        sessions += 1;
        const version = sessions === 1 ? '2025-11-25' : '2025-06-18';
        json(res, initializeResult(request.body.id, version), { 'mcp-session-id': `s${sessions}` });
      } else if (request.method === 'GET') res.writeHead(405).end();
      else if (request.headers['mcp-session-id'] === 's1' && request.body?.method === 'ping')
        res.writeHead(404).end();
      else res.writeHead(202).end();
    });
    const { transport, client } = open(server.url);
    await client.initialize();
    await expect(
      sendOnce(transport, { jsonrpc: '2.0', id: 9, method: 'ping' }),
    ).rejects.toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('2025-06-18'),
    });
    // The replayed initialize's response never reached messages$.
    expect(client.messages.filter((message) => 'result' in message)).toHaveLength(1);
  });

  it('accepts 405 for the GET stream and for DELETE', async () => {
    const server = await serve((request, res) => {
      if (request.body?.method === 'initialize')
        json(res, initializeResult(request.body.id), { 'mcp-session-id': 's1' });
      else if (request.method === 'GET' || request.method === 'DELETE') res.writeHead(405).end();
      else res.writeHead(202).end();
    });
    const { client } = open(server.url);
    await client.initialize();
    await server.until((requests) => requests.some((request) => request.method === 'GET'));
    await client.close();
    expect(client.ended()).toBe('complete');
    expect(server.requests.map((request) => request.method)).toEqual([
      'POST',
      'POST',
      'GET',
      'DELETE',
    ]);
    expect(
      client.states.some((state) => state.type === 'closed' && state.reason !== undefined),
    ).toBe(false);
  });

  it.each([404, 400])(
    'keeps working when a stateless server answers the optional GET with %i',
    async (status) => {
      // A stateless server (no Mcp-Session-Id) with only a POST route: the conformance
      // suite's tools_call server answers the GET with 404, its initialize server with 400.
      const server = await serve((request, res) => {
        if (request.body?.method === 'initialize') json(res, initializeResult(request.body.id));
        else if (request.method === 'GET') res.writeHead(status).end();
        else if (request.body?.method === 'notifications/initialized') res.writeHead(202).end();
        else if (request.body?.id !== undefined)
          json(res, { jsonrpc: '2.0', id: request.body.id, result: { ok: true } });
        else res.writeHead(202).end();
      });
      const { client } = open(server.url);
      await client.initialize();
      await server.until((requests) => requests.some((request) => request.method === 'GET'));
      await expect(client.request('tools/list')).resolves.toMatchObject({ result: { ok: true } });
      expect(client.ended()).toBeUndefined();
    },
  );

  it('fails a request answered with an unexpected content type, and only that request', async () => {
    const server = await serve((request, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      void request;
    });
    const { client } = open(server.url, { listen: false });
    const reply = await client.request('ping');
    expect(reply).toMatchObject({
      error: { code: -32000, data: { kind: 'protocol', retryable: false } },
    });
    expect(client.ended()).toBeUndefined();
  });

  it('follows a same-origin 307 and refuses a redirect to another origin', async () => {
    const other = await serve((request, res) =>
      json(res, { jsonrpc: '2.0', id: request.body?.id, result: {} }),
    );
    const server = await serve((request, res) => {
      if (request.path === '/old') res.writeHead(307, { location: '/mcp' }).end();
      else if (request.path === '/away') res.writeHead(307, { location: other.url }).end();
      else json(res, { jsonrpc: '2.0', id: request.body?.id, result: { here: true } });
    });
    const moved = open(`${server.origin}/old`, { listen: false });
    expect(resultOf(await moved.client.request('ping'))).toEqual({ here: true });
    expect(server.requests.map((request) => request.path)).toEqual(['/old', '/mcp']);
    moved.client.unsubscribe();

    const away = open(`${server.origin}/away`, { listen: false });
    await expect(
      sendOnce(away.transport, { jsonrpc: '2.0', id: 1, method: 'ping' }),
    ).rejects.toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('another origin'),
    });
    expect(other.requests).toHaveLength(0);
  });

  it('reports a rejected POST as a typed http error of send', async () => {
    const server = await serve((_, res) => res.writeHead(401, { 'retry-after': '3' }).end());
    const { transport } = open(server.url, { listen: false });
    await expect(
      sendOnce(transport, { jsonrpc: '2.0', id: 1, method: 'ping' }),
    ).rejects.toMatchObject({
      kind: 'http',
      status: 401,
      retryAfterMs: 3000,
    });
  });

  it('reconnects the GET stream after a 409 (the server had not yet seen the old one go)', async () => {
    let gets = 0;
    const server = await serve((request, res) => {
      if (request.body?.method === 'initialize') {
        json(res, initializeResult(request.body.id), { 'mcp-session-id': 's1' });
      } else if (request.method === 'GET') {
        gets += 1;
        if (gets === 1) res.writeHead(409).end();
        else res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
      } else res.writeHead(202).end();
    });
    const { client } = open(server.url);
    await client.initialize();
    await client.waitForState((state) => state.type === 'reconnecting');
    await server.until(
      (requests) => requests.filter((request) => request.method === 'GET').length === 2,
    );
    await client.waitForState(
      (state) => state.type === 'open' && client!.states.indexOf(state) > 2,
    );
    expect(client.ended()).toBeUndefined();
  });

  it('aborts the GET stream and open response streams when the last subscriber leaves', async () => {
    const streams: Promise<string>[] = [];
    const server = await serve((request, res) => {
      if (request.body?.method === 'initialize') {
        json(res, initializeResult(request.body.id), { 'mcp-session-id': 's1' });
      } else if (request.method === 'GET' || request.body?.method === 'tools/call') {
        // Both streams stay open until the client goes.
        streams.push(once(res, 'close').then(() => request.method));
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
      } else res.writeHead(202).end();
    });
    const { transport, client } = open(server.url);
    await client.initialize();
    await client.start('tools/call', { name: 'slow' });
    await server.until((requests) => requests.some((request) => request.method === 'GET'));
    await client.waitForState(
      (state) => state.type === 'open' && client!.states.indexOf(state) > 2,
    );
    expect(streams).toHaveLength(2);
    client.unsubscribe();
    expect((await Promise.all(streams)).sort()).toEqual(['GET', 'POST']);
    // A new subscription is a new connection: sends need it.
    await expect(
      sendOnce(transport, { jsonrpc: '2.0', method: 'ping', id: 5 }),
    ).rejects.toMatchObject({
      kind: 'closed',
    });
  });
});

describe('streamableHttpTransport request signals', () => {
  it('gives every POST its own signal, still aborted when the connection ends', async () => {
    // One long-lived signal shared by every request makes fetch pile abort listeners on it
    // (MaxListenersExceededWarning under load); each request needs a signal of its own.
    const signals: AbortSignal[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      if (init?.method === 'POST' && init.signal) signals.push(init.signal);
      return fetch(input, init);
    };
    const server = await serve((request, res) => {
      if (request.body?.method === 'initialize') {
        json(res, initializeResult(request.body.id), { 'mcp-session-id': 's1' });
      } else if (request.method === 'GET') {
        res.writeHead(405).end();
      } else if (request.body?.method === 'tools/call') {
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': held open\n\n');
      } else res.writeHead(202).end();
    });
    const { client } = open(server.url, { fetch: recordingFetch });
    await client.initialize();
    await client.start('tools/call', { name: 'slow' });
    await server.until((requests) =>
      requests.some((request) => request.body?.method === 'tools/call'),
    );
    expect(signals.length).toBeGreaterThanOrEqual(3);
    expect(new Set(signals).size).toBe(signals.length);
    const inFlight = signals[signals.length - 1]!;
    expect(inFlight.aborted).toBe(false);
    client.unsubscribe();
    expect(inFlight.aborted).toBe(true);
  });
});

describe('streamableHttpTransport invalid events', () => {
  it('reports GET-stream data that is not JSON-RPC on invalid$ and goes on with the stream', async () => {
    const note = { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'hi' } };
    const server = await serve((request, res) => {
      if (request.body?.method === 'initialize') {
        json(res, initializeResult(request.body.id), { 'mcp-session-id': 's1' });
      } else if (request.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('id: g1\ndata: this is not json\n\n');
        res.write(`id: g2\ndata: ${JSON.stringify({ jsonrpc: '1.0', method: 'x' })}\n\n`);
        res.write(`id: g3\ndata: ${JSON.stringify(note)}\n\n`);
      } else res.writeHead(202).end();
    });
    const transport = streamableHttpTransport({ url: server.url, retry: { initialDelayMs: 5 } });
    const invalid: unknown[] = [];
    const reporting = transport.invalid$.subscribe((error) => invalid.push(error));
    client = rawClient(transport);
    await client.initialize();
    await client.waitFor((message) => 'method' in message && message.method === note.method);
    expect(invalid).toEqual([
      expect.objectContaining({ kind: 'parse' }),
      expect.objectContaining({ kind: 'protocol' }),
    ]);
    expect(client.ended()).toBeUndefined();
    reporting.unsubscribe();
  });
});
