import { request } from 'node:http';
import { firstValueFrom, lastValueFrom, map, take, toArray } from 'rxjs';
import { RxMcpError } from '../../src/errors';
import type { ServerSession } from '../../src/server/ServerSession';
import {
  ACCEPT_BOTH,
  answerRequests,
  inSession,
  initializeBody,
  openStream,
  raw,
  rawSession,
  sseData,
  start,
} from './support/harness';
import type { Running } from './support/harness';

const ping = (id: number): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

describe('Streamable HTTP server: each session is an rxmcp Transport', () => {
  let running: Running;
  afterEach(async () => running.stop());

  it('publishes its state, and the last unsubscription from messages$ ends it (404 after)', async () => {
    running = await start();
    const sessions: ServerSession[] = [];
    running.server.sessions$.subscribe((session) => sessions.push(session));
    const init = openStream(running.url, {
      headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json' },
      body: initializeBody(),
    });
    const stream = await init;
    const id = stream.headers['mcp-session-id'] as string;
    const session = sessions[0] as ServerSession;
    expect(session.id).toBe(id);
    expect(session.protocolVersion).toBe('2025-11-25');
    const states = lastValueFrom(
      session.state$.pipe(
        map((s) => s.type),
        take(4),
        toArray(),
      ),
    );
    // The initialize request waited in the inbox for the first subscriber.
    const first = await firstValueFrom(session.messages$);
    expect(first).toMatchObject({ id: 1, method: 'initialize' });
    expect(await states).toEqual(['idle', 'connecting', 'open', 'closed']);
    // firstValueFrom unsubscribed: that was the last subscriber, so the session is over, and
    // its open stream ended.
    await stream.ended;
    expect((await raw(running.url, { headers: inSession(id), body: ping(2) })).status).toBe(404);
    await expect(lastValueFrom(session.messages$, { defaultValue: 'done' })).resolves.toBe('done');
  });

  it('send: errors with protocol for a response to no open request, with closed after the end', async () => {
    running = await start();
    const { sessions } = answerRequests(running.server);
    await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    const stray = await lastValueFrom(session.send({ jsonrpc: '2.0', id: 99, result: {} })).catch(
      (error: unknown) => error,
    );
    expect(stray).toMatchObject({ kind: 'protocol' });
    expect(session.closeStream()).toBe(false);
    expect(session.closeStream(42)).toBe(false);
    await lastValueFrom(session.close(), { defaultValue: undefined });
    await lastValueFrom(session.close(), { defaultValue: undefined });
    const late = await lastValueFrom(session.send({ jsonrpc: '2.0', method: 'x' })).catch(
      (error: unknown) => error,
    );
    expect(RxMcpError.is(late) && late.kind).toBe('closed');
  });

  it('bounds the inbox of a session nobody reads: 503 beyond inboxCapacity', async () => {
    running = await start({ inboxCapacity: 2 });
    const sessions: ServerSession[] = [];
    running.server.sessions$.subscribe((session) => sessions.push(session));
    // Nobody subscribes to messages$, so the initialize request is the first inbox entry.
    const init = await openStream(running.url, {
      headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json' },
      body: initializeBody(),
    });
    const id = init.headers['mcp-session-id'] as string;
    const note = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect((await raw(running.url, { headers: inSession(id), body: note })).status).toBe(202);
    const full = await raw(running.url, { headers: inSession(id), body: note });
    expect(full.status).toBe(503);
    expect(full.headers['retry-after']).toBe('1');
    await running.stop();
    await init.ended;
  });

  it('routes a message with relatedRequestId to that request’s stream, not the GET stream', async () => {
    running = await start({ maxRequestsPerSession: 1 });
    const { sessions } = answerRequests(running.server, () => undefined);
    const id = await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    const seen = firstValueFrom(session.messages$.pipe(take(1)));
    const call = await openStream(running.url, { headers: inSession(id), body: ping(7) });
    await seen;
    // Only one open request per session here: the next one is refused.
    const second = await raw(running.url, { headers: inSession(id), body: ping(8) });
    expect(second.status).toBe(503);
    const elicit = { jsonrpc: '2.0' as const, id: 'e1', method: 'elicitation/create', params: {} };
    await lastValueFrom(session.send(elicit, { relatedRequestId: 7 }), { defaultValue: undefined });
    await lastValueFrom(session.send({ jsonrpc: '2.0', id: 7, result: {} }), {
      defaultValue: undefined,
    });
    expect(sseData(await call.ended)).toEqual([elicit, { jsonrpc: '2.0', id: 7, result: {} }]);
    // The client's answer to the server's request arrives as a POSTed response: 202.
    const answer = firstValueFrom(session.messages$.pipe(take(1)));
    const posted = await raw(running.url, {
      headers: inSession(id),
      body: JSON.stringify({ jsonrpc: '2.0', id: 'e1', result: { action: 'decline' } }),
    });
    expect(posted.status).toBe(202);
    expect(await answer).toEqual({ jsonrpc: '2.0', id: 'e1', result: { action: 'decline' } });
  });

  it('refuses a second open request with the same id (400, -32600), and keeps the first one routed', async () => {
    running = await start();
    const { sessions } = answerRequests(running.server, () => undefined);
    const id = await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    const seen = firstValueFrom(session.messages$.pipe(take(1)));
    const first = await openStream(running.url, { headers: inSession(id), body: ping(1) });
    await seen;
    const duplicate = await raw(running.url, { headers: inSession(id), body: ping(1) });
    expect(duplicate.status).toBe(400);
    expect(JSON.parse(duplicate.body)).toMatchObject({
      error: { code: -32600, message: expect.stringContaining('id 1 is still open') },
    });
    // The first request still gets its answer on its own stream.
    await lastValueFrom(session.send({ jsonrpc: '2.0', id: 1, result: {} }), {
      defaultValue: undefined,
    });
    expect(sseData(await first.ended)).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    // Once answered, the id may be used again.
    const again = firstValueFrom(session.messages$.pipe(take(1)));
    const reused = await openStream(running.url, { headers: inSession(id), body: ping(1) });
    expect(reused.status).toBe(200);
    await again;
    await lastValueFrom(session.send({ jsonrpc: '2.0', id: 1, result: {} }), {
      defaultValue: undefined,
    });
    expect(sseData(await reused.ended)).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('JSON mode: a request pending when the session ends gets 404', async () => {
    running = await start({ responseMode: 'json' });
    const { sessions } = answerRequests(running.server, () => undefined);
    const id = await rawSession(running.url);
    const pending = raw(running.url, { headers: inSession(id), body: ping(5) });
    const session = sessions[0] as ServerSession;
    // The session sees the request, then ends before answering it.
    await firstValueFrom(session.messages$.pipe(take(1)));
    await lastValueFrom(session.close(), { defaultValue: undefined });
    const answered = await pending;
    expect(answered.status).toBe(404);
  });

  it('close() destroys what is still open at the deadline (a client that does not read)', async () => {
    running = await start({ shutdownTimeoutMs: 50 });
    const { sessions } = answerRequests(running.server);
    const id = await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    const { closed } = await new Promise<{ closed: () => Promise<void> }>((resolve, reject) => {
      const req = request(
        running.url,
        { method: 'GET', headers: inSession(id), agent: false },
        (res) => {
          res.pause();
          resolve({
            // A paused socket does not see its end before reading what it holds, so the
            // client reads once the server is closed.
            closed: () =>
              new Promise((done) => {
                res.socket.on('close', () => done());
                res.resume();
              }),
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    // Fill the socket: the stream cannot finish writing, so it cannot end cleanly.
    const pad = 'x'.repeat(256 * 1024);
    for (let n = 0; n < 40; n++) {
      session
        .send({ jsonrpc: '2.0', method: 'x', params: { pad } })
        .subscribe({ error: () => undefined });
    }
    await running.stop();
    await closed();
    expect(running.server.stats).toEqual({ sessions: 0, streams: 0 });
  });
});
