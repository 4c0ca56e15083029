import { request } from 'node:http';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { filter, firstValueFrom, lastValueFrom, merge, range, mergeMap } from 'rxjs';
import { createMemoryEventStore } from '../../src/server/EventStore';
import type { EventStore } from '../../src/server/EventStore';
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
  sseIds,
  start,
} from './support/harness';
import type { OpenStream, Running } from './support/harness';

const json = { accept: ACCEPT_BOTH, 'content-type': 'application/json' };
const waitRequest = (id: number): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'wait' } });

describe('Streamable HTTP server: limits', () => {
  let running: Running;
  afterEach(async () => running.stop());

  it('admits exactly maxSessions of 1,000 concurrent initializes (100), 503 + Retry-After for the rest', async () => {
    running = await start({ maxSessions: 100, retryAfterSeconds: 2 });
    answerRequests(running.server);
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () =>
        raw(running.url, { headers: json, body: initializeBody() }),
      ),
    );
    const ok = responses.filter((res) => res.status === 200);
    const refused = responses.filter((res) => res.status === 503);
    expect(ok).toHaveLength(100);
    expect(refused).toHaveLength(900);
    expect(refused.every((res) => res.headers['retry-after'] === '2')).toBe(true);
    expect(new Set(ok.map((res) => res.headers['mcp-session-id'])).size).toBe(100);
    expect(running.server.stats).toEqual({ sessions: 100, streams: 0 });
  });

  it('admits exactly maxStreams open streams of 1,000 concurrent requests', async () => {
    running = await start({ maxStreams: 100 });
    answerRequests(running.server, () => undefined);
    const id = await rawSession(running.url);
    const streams = await Promise.all(
      Array.from({ length: 1000 }, (_, n) =>
        openStream(running.url, { headers: inSession(id), body: waitRequest(100 + n) }),
      ),
    );
    expect(streams.filter((stream) => stream.status === 200)).toHaveLength(100);
    expect(streams.filter((stream) => stream.status === 503)).toHaveLength(900);
    expect(running.server.stats.streams).toBe(100);
    await running.stop();
    await Promise.all(streams.map((stream) => stream.ended));
  });

  it('ends an idle session after sessionIdleTimeoutMs, frees its events, answers 404 (SDK client too)', async () => {
    const store = createMemoryEventStore();
    const deleted: string[] = [];
    const spy: EventStore = {
      ...store,
      deleteSession: (id) => (deleted.push(id), store.deleteSession(id)),
    };
    running = await start({ sessionIdleTimeoutMs: 30, eventStore: spy });
    const { sessions } = answerRequests(running.server);
    const id = await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    await firstValueFrom(session.state$.pipe(filter((state) => state.type === 'closed')));
    expect(deleted).toEqual([id]);
    expect(running.server.stats).toEqual({ sessions: 0, streams: 0 });
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    expect((await raw(running.url, { headers: inSession(id), body: ping })).status).toBe(404);

    const transport = new StreamableHTTPClientTransport(new URL(running.url), { sessionId: id });
    await transport.start();
    await expect(transport.send({ jsonrpc: '2.0', id: 3, method: 'ping' })).rejects.toMatchObject({
      code: 404,
    });
    await transport.close();
  });

  it('ends the connection of a client that reads too slowly; it resumes with no loss and no duplicate', async () => {
    running = await start({ streamQueueCapacity: 4 });
    const { sessions } = answerRequests(running.server);
    const id = await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    const total = 200;
    const pad = 'x'.repeat(32 * 1024);

    // A GET whose reader is paused: the socket fills, then the server's queue.
    const slow = await new Promise<{ resume(): Promise<string> }>((resolve, reject) => {
      const req = request(
        running.url,
        { method: 'GET', headers: inSession(id), agent: false },
        (res) => {
          res.pause();
          let body = '';
          res.setEncoding('utf8');
          resolve({
            resume: () =>
              new Promise((done) => {
                res.on('data', (chunk: string) => (body += chunk));
                res.on('end', () => done(body));
                res.resume();
              }),
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    await lastValueFrom(
      range(1, total).pipe(
        mergeMap((n) => session.send({ jsonrpc: '2.0', method: 'x/data', params: { n, pad } })),
      ),
      { defaultValue: undefined },
    );
    const firstPart = await slow.resume();
    expect(session.stats.slowClientDisconnects).toBe(1);
    const received = sseData(firstPart).map((m) => (m as { params: { n: number } }).params.n);
    expect(received.length).toBeLessThan(total);

    const rest = await raw(running.url, {
      method: 'GET',
      headers: { ...inSession(id), 'last-event-id': sseIds(firstPart).at(-1) as string },
      until: (body) => body.endsWith('\n\n') && body.slice(-40_000).includes(`"n":${total},`),
    });
    const resumed = sseData(rest.body).map((m) => (m as { params: { n: number } }).params.n);
    expect([...received, ...resumed]).toEqual(Array.from({ length: total }, (_, n) => n + 1));
  });
});

void merge;
void ({} as OpenStream);
