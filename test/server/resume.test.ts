import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Subject, filter, firstValueFrom } from 'rxjs';
import { z } from 'zod';
import type { JsonRpcRequest } from '../../src/jsonrpc/types';
import type { ServerSession } from '../../src/server/ServerSession';
import { toSdkTransport } from '../../src/sdk/toSdkTransport';
import {
  answerRequests,
  inSession,
  raw,
  rawSession,
  sseData,
  sseIds,
  start,
} from './support/harness';
import type { Running } from './support/harness';

describe('Streamable HTTP server: resumable streams', () => {
  let running: Running;
  afterEach(async () => running.stop());

  it('SDK client: the server closes the stream mid-request, the client resumes with Last-Event-ID and gets every progress once', async () => {
    running = await start({ retryMs: 5 });
    running.server.sessions$.subscribe((session) => {
      const mcp = new McpServer({ name: 'resume', version: '1.0.0' });
      mcp.registerTool('count', { inputSchema: { to: z.number() } }, async ({ to }, extra) => {
        const progressToken = extra._meta?.progressToken ?? 0;
        for (let n = 1; n <= to; n++) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: n, total: to },
          });
          // Halfway, the server ends the connection (SEP-1699 polling): what follows is stored
          // and replayed when the client comes back.
          if (n === Math.floor(to / 2)) expect(session.closeStream(extra.requestId)).toBe(true);
        }
        return { content: [{ type: 'text', text: `counted to ${to}` }] };
      });
      void mcp.connect(toSdkTransport(session));
    });
    const client = new Client({ name: 'sdk-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(running.url));
    await client.connect(transport);
    const progress: number[] = [];
    const result = await client.callTool({ name: 'count', arguments: { to: 10 } }, undefined, {
      onprogress: ({ progress: value }) => progress.push(value),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'counted to 10' }]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await client.close();
  });

  it('raw client: a dropped POST stream resumes on GET with only that stream’s later events', async () => {
    running = await start();
    const requests = new Subject<{ request: JsonRpcRequest; session: ServerSession }>();
    answerRequests(running.server, (request, session) => {
      requests.next({ request, session });
      return undefined;
    });
    const id = await rawSession(running.url);
    const progressOf = (n: number) => ({
      jsonrpc: '2.0' as const,
      method: 'notifications/progress',
      params: { progressToken: 'tok', progress: n },
    });
    const call = firstValueFrom(requests);
    const first = raw(running.url, {
      headers: inSession(id),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'x', _meta: { progressToken: 'tok' } },
      }),
      // The client drops the connection as soon as the first progress arrived.
      until: (body) => sseData(body).length === 1,
    });
    const { session } = await call;
    await firstValueFrom(session.send(progressOf(1)), { defaultValue: undefined });
    const dropped = await first;
    expect(sseData(dropped.body)).toEqual([progressOf(1)]);
    // Meanwhile: one message for the GET stream (must not be replayed on this one), then
    // the rest of the request's messages.
    await firstValueFrom(
      session.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }),
      { defaultValue: undefined },
    );
    await firstValueFrom(session.send(progressOf(2)), { defaultValue: undefined });
    await firstValueFrom(session.send({ jsonrpc: '2.0', id: 7, result: { done: true } }), {
      defaultValue: undefined,
    });

    const lastEventId = sseIds(dropped.body).at(-1) as string;
    const resumed = await raw(running.url, {
      method: 'GET',
      headers: { ...inSession(id), 'last-event-id': lastEventId },
    });
    expect(resumed.status).toBe(200);
    expect(sseData(resumed.body)).toEqual([
      progressOf(2),
      { jsonrpc: '2.0', id: 7, result: { done: true } },
    ]);

    // Resuming again from the same point gives the same events: the store keeps them.
    const again = await raw(running.url, {
      method: 'GET',
      headers: { ...inSession(id), 'last-event-id': lastEventId },
    });
    expect(sseData(again.body)).toEqual(sseData(resumed.body));

    const malformed = await raw(running.url, {
      method: 'GET',
      headers: { ...inSession(id), 'last-event-id': 'not an id' },
    });
    expect(malformed.status).toBe(400);
  });

  it('keeps messages for the GET stream until a GET comes, refuses a second GET with 409', async () => {
    running = await start();
    const { sessions } = answerRequests(running.server);
    const id = await rawSession(running.url);
    const session = sessions[0] as ServerSession;
    const changed = { jsonrpc: '2.0' as const, method: 'notifications/resources/list_changed' };
    await firstValueFrom(session.send(changed), { defaultValue: undefined });

    const opened = new Subject<void>();
    const get = raw(running.url, {
      method: 'GET',
      headers: inSession(id),
      until: (body) => {
        if (body.includes('retry:')) opened.next();
        return sseData(body).length === 2;
      },
    });
    await firstValueFrom(opened);
    const second = await raw(running.url, { method: 'GET', headers: inSession(id) });
    expect(second.status).toBe(409);
    await firstValueFrom(session.send({ ...changed, params: { n: 2 } }), {
      defaultValue: undefined,
    });
    expect(sseData((await get).body)).toEqual([changed, { ...changed, params: { n: 2 } }]);
  });

  it('sends keep-alive comments on a quiet stream', async () => {
    running = await start({ keepAliveMs: 10 });
    answerRequests(running.server);
    const id = await rawSession(running.url);
    const get = await raw(running.url, {
      method: 'GET',
      headers: inSession(id),
      until: (body) => body.split(': keep-alive\n\n').length > 2,
    });
    expect(get.status).toBe(200);
    expect(get.body.startsWith('id: g_0\nretry: 1000\ndata: \n\n: keep-alive\n\n')).toBe(true);
  });

  it('SDK client: a server notification reaches the GET stream exactly once', async () => {
    running = await start();
    const sessions: ServerSession[] = [];
    running.server.sessions$.subscribe((session) => {
      sessions.push(session);
      void new McpServer({ name: 'n', version: '1.0.0' }).connect(toSdkTransport(session));
    });
    const client = new Client({ name: 'sdk-client', version: '1.0.0' });
    const received = new Subject<unknown>();
    client.fallbackNotificationHandler = async (notification) => received.next(notification);
    const transport = new StreamableHTTPClientTransport(new URL(running.url));
    await client.connect(transport);
    const session = sessions[0] as ServerSession;
    const first = firstValueFrom(
      received.pipe(filter((n) => (n as { method: string }).method === 'x/hello')),
    );
    await firstValueFrom(session.send({ jsonrpc: '2.0', method: 'x/hello', params: { n: 1 } }), {
      defaultValue: undefined,
    });
    expect(await first).toEqual({ jsonrpc: '2.0', method: 'x/hello', params: { n: 1 } });
    await client.close();
  });
});
