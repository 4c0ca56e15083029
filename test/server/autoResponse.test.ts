import { request } from 'node:http';
import { lastValueFrom } from 'rxjs';
import type { JsonRpcRequest } from '../../src/jsonrpc/types';
import type { ServerSession } from '../../src/server/ServerSession';
import {
  answerRequests,
  inSession,
  openStream,
  raw,
  rawSession,
  sseData,
  sseIds,
  start,
} from './support/harness';
import type { Running } from './support/harness';

const call = (id: number): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });

/** A server in `auto` mode whose application answers nothing by itself. */
async function autoServer(autoJsonWindowMs?: number): Promise<{
  running: Running;
  session: () => ServerSession;
  nextRequest: () => Promise<JsonRpcRequest>;
  id: string;
}> {
  const running = await start({
    responseMode: 'auto',
    ...(autoJsonWindowMs === undefined ? {} : { autoJsonWindowMs }),
  });
  const pending: JsonRpcRequest[] = [];
  const waiting: ((request: JsonRpcRequest) => void)[] = [];
  const { sessions } = answerRequests(running.server, (request) => {
    const take = waiting.shift();
    if (take === undefined) pending.push(request);
    else take(request);
    return undefined;
  });
  const id = await rawSession(running.url);
  return {
    running,
    id,
    session: () => sessions[0] as ServerSession,
    nextRequest: () =>
      new Promise((resolve) => {
        const ready = pending.shift();
        if (ready === undefined) waiting.push(resolve);
        else resolve(ready);
      }),
  };
}

describe("Streamable HTTP server, responseMode 'auto'", () => {
  let running: Running | undefined;
  afterEach(async () => running?.stop());

  it('answers with one JSON body when the response comes first, within the window', async () => {
    const server = await autoServer();
    running = server.running;
    const answered = raw(running.url, { headers: inSession(server.id), body: call(2) });
    const request = await server.nextRequest();
    await lastValueFrom(
      server.session().send({ jsonrpc: '2.0', id: request.id, result: { ok: true } }),
      { defaultValue: undefined },
    );
    const res = await answered;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['mcp-session-id']).toBe(server.id);
    expect(JSON.parse(res.body)).toEqual({ jsonrpc: '2.0', id: 2, result: { ok: true } });
    expect(running.server.stats.streams).toBe(0);
  });

  it('turns into an SSE stream when a related message comes before the response', async () => {
    const server = await autoServer();
    running = server.running;
    const answered = raw(running.url, { headers: inSession(server.id), body: call(3) });
    const request = await server.nextRequest();
    const session = server.session();
    const progress = {
      jsonrpc: '2.0' as const,
      method: 'notifications/progress',
      params: { progressToken: 'p', progress: 1 },
    };
    await lastValueFrom(session.send(progress, { relatedRequestId: request.id }), {
      defaultValue: undefined,
    });
    await lastValueFrom(session.send({ jsonrpc: '2.0', id: request.id, result: {} }), {
      defaultValue: undefined,
    });
    const res = await answered;
    expect(res.headers['content-type']).toBe('text/event-stream');
    // The priming event first (empty data), then the progress, then the response: in order.
    expect(sseIds(res.body)).toHaveLength(3);
    expect(sseData(res.body)).toEqual([progress, { jsonrpc: '2.0', id: 3, result: {} }]);
    expect(running.server.stats.streams).toBe(0);
  });

  it('opens an SSE stream (primed, resumable) when the window passes without a response', async () => {
    const server = await autoServer(20);
    running = server.running;
    const stream = await openStream(running.url, { headers: inSession(server.id), body: call(4) });
    // The head came at the end of the window, before any answer.
    expect(stream.headers['content-type']).toBe('text/event-stream');
    const request = await server.nextRequest();
    await lastValueFrom(server.session().send({ jsonrpc: '2.0', id: request.id, result: {} }), {
      defaultValue: undefined,
    });
    const body = await stream.ended;
    expect(sseIds(body)[0]).toMatch(/_0$/);
    expect(sseData(body)).toEqual([{ jsonrpc: '2.0', id: 4, result: {} }]);
    expect(running.server.stats.streams).toBe(0);
  });

  it('closeStream inside the window opens the SSE stream and ends it, for the client to poll', async () => {
    const server = await autoServer();
    running = server.running;
    const answered = raw(running.url, { headers: inSession(server.id), body: call(8) });
    const request = await server.nextRequest();
    expect(server.session().closeStream(request.id)).toBe(true);
    const res = await answered;
    expect(res.headers['content-type']).toBe('text/event-stream');
    // The priming event (an id to resume from) and a `retry:`, then the end: no response yet.
    expect(sseIds(res.body)).toHaveLength(1);
    expect(res.body).toMatch(/retry: \d+/);
    expect(sseData(res.body)).toEqual([]);
  });

  it('answers 404 when the session ends before the response', async () => {
    const server = await autoServer();
    running = server.running;
    const pending = raw(running.url, { headers: inSession(server.id), body: call(5) });
    await server.nextRequest();
    await lastValueFrom(server.session().close(), { defaultValue: undefined });
    expect((await pending).status).toBe(404);
    expect(running.server.stats).toEqual({ sessions: 0, streams: 0 });
  });

  it('takes a response for a client that left inside the window without trouble', async () => {
    const server = await autoServer();
    running = server.running;
    const req = request(running.url, {
      method: 'POST',
      headers: inSession(server.id),
      agent: false,
    });
    const gone = new Promise((resolve) => req.on('error', resolve));
    req.end(call(6));
    const left = await server.nextRequest();
    req.destroy();
    await gone;
    await expect(
      lastValueFrom(server.session().send({ jsonrpc: '2.0', id: left.id, result: {} }), {
        defaultValue: 'sent',
      }),
    ).resolves.toBe('sent');
    // The session goes on: the next call is answered as JSON.
    const next = raw(running.url, { headers: inSession(server.id), body: call(7) });
    const request7 = await server.nextRequest();
    await lastValueFrom(server.session().send({ jsonrpc: '2.0', id: request7.id, result: {} }), {
      defaultValue: undefined,
    });
    expect(JSON.parse((await next).body)).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });
});
