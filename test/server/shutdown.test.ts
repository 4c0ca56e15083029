import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { createStreamableHttpServer } from '../../src/server/createStreamableHttpServer';
import {
  answerRequests,
  inSession,
  openStream,
  raw,
  rawSession,
  sseData,
  start,
} from './support/harness';

const waitRequest = (id: number): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'wait' } });

describe('Streamable HTTP server: shutdown and mounting', () => {
  it('closes 1,000 open streams cleanly within the deadline and leaves nothing open', async () => {
    const running = await start();
    const { sessions } = answerRequests(running.server, () => undefined);
    const ids = await Promise.all(Array.from({ length: 10 }, () => rawSession(running.url)));
    const streams = await Promise.all(
      ids.flatMap((id) =>
        Array.from({ length: 100 }, (_, n) =>
          openStream(running.url, { headers: inSession(id), body: waitRequest(10 + n) }),
        ),
      ),
    );
    expect(streams.every((stream) => stream.status === 200)).toBe(true);
    expect(running.server.stats).toEqual({ sessions: 10, streams: 1000 });

    const began = performance.now();
    await running.stop();
    const elapsed = performance.now() - began;
    // Every client saw its stream end (not a reset), and every session said it closed.
    const bodies = await Promise.all(streams.map((stream) => stream.ended));
    expect(bodies.every((body) => body.startsWith('id: s'))).toBe(true);
    expect(elapsed).toBeLessThan(5000);
    expect(running.server.stats).toEqual({ sessions: 0, streams: 0 });
    const closed = await Promise.all(
      sessions.map((session) =>
        lastValueFrom(session.messages$, { defaultValue: 'completed' }).then(() => 'completed'),
      ),
    );
    expect(closed).toEqual(Array(10).fill('completed'));
  });

  it('mounts on an http.Server of your own, next to other routes', async () => {
    const mcp = createStreamableHttpServer();
    answerRequests(mcp);
    const server = createServer((req, res) => {
      if (req.url === '/healthz') res.end('ok');
      else mcp.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await raw(`${base}/healthz`, { method: 'GET' })).body).toBe('ok');
    const id = await rawSession(`${base}/mcp`);
    const ping = await raw(`${base}/mcp`, {
      headers: inSession(id),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(sseData(ping.body)).toEqual([{ jsonrpc: '2.0', id: 2, result: {} }]);
    await lastValueFrom(mcp.close(), { defaultValue: undefined });
    expect((await raw(`${base}/mcp`, { headers: inSession(id), body: '{}' })).status).toBe(503);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('unsubscribing listen() closes the server at once', async () => {
    const mcp = createStreamableHttpServer();
    const url = await new Promise<string>((resolve) => {
      const subscription = mcp.listen().subscribe(({ url: bound }) => {
        resolve(bound);
        subscription.unsubscribe();
      });
    });
    await expect(raw(url, { method: 'GET' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
