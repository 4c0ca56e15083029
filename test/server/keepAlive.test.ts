import { createServer, request } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplaySubject, VirtualTimeScheduler, filter, firstValueFrom, lastValueFrom } from 'rxjs';
import { createKeepAlive } from '../../src/server/createKeepAlive';
import { createStreamableHttpServer } from '../../src/server/createStreamableHttpServer';
import { answerRequests, inSession, rawSession } from './support/harness';

const COMMENT = ': keep-alive\n\n';

/** A real SSE response on 127.0.0.1: the server's `res`, and what its client has read. */
interface Stream {
  readonly res: ServerResponse;
  /** Everything the client read so far, after each chunk. */
  readonly read: ReplaySubject<string>;
  /** Resolves once the client has read a body that `done` accepts. */
  until(done: (body: string) => boolean): Promise<string>;
}

/** A plain node:http server whose every request is an open SSE response handed to the test. */
async function sseServer(): Promise<{
  open(options?: { readonly paused?: boolean }): Promise<Stream>;
  stop(): Promise<void>;
}> {
  const responses = new ReplaySubject<ServerResponse>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    responses.next(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let opened = 0;
  return {
    async open({ paused = false } = {}) {
      const read = new ReplaySubject<string>(1);
      const index = opened++;
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => read.next((body += chunk)));
          res.on('error', () => undefined);
          if (paused) res.pause();
          resolve();
        });
        req.on('error', reject);
        req.end();
      });
      const res = await firstValueFrom(responses.pipe(filter((_, i) => i === index)));
      return {
        res,
        read,
        until: (done) => firstValueFrom(read.pipe(filter(done))),
      };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs virtual time up to `frame` (absolute): every tick due until then fires. */
function runUntil(scheduler: VirtualTimeScheduler, frame: number): void {
  scheduler.maxFrames = frame;
  scheduler.flush();
}

describe('Streamable HTTP server: the shared keep-alive tick (virtual time, real sockets)', () => {
  let sse: Awaited<ReturnType<typeof sseServer>>;
  beforeEach(async () => (sse = await sseServer()));
  afterEach(async () => sse.stop());

  it('an idle stream gets a comment at every tick but the first after it opened', async () => {
    const scheduler = new VirtualTimeScheduler();
    const keepAlive = createKeepAlive(100, scheduler);
    const stream = await sse.open();
    const watching = keepAlive.watch(stream.res);
    // The head was just sent: the first tick finds the line busy and only notes it idle. A
    // marker written after it shows that nothing came before.
    runUntil(scheduler, 100);
    stream.res.write('data: m1\n\n');
    runUntil(scheduler, 200);
    stream.res.write('data: m2\n\n');
    runUntil(scheduler, 300);
    expect(await stream.until((body) => body.endsWith(`data: m2\n\n${COMMENT}`))).toBe(
      `data: m1\n\n${COMMENT}data: m2\n\n${COMMENT}`,
    );
    watching.unsubscribe();
  });

  it('a stream that carried an event during a period gets no comment at the tick that ends it', async () => {
    const scheduler = new VirtualTimeScheduler();
    const keepAlive = createKeepAlive(100, scheduler);
    const quiet = await sse.open();
    const busy = await sse.open();
    const watching = [keepAlive.watch(quiet.res), keepAlive.watch(busy.res)];
    runUntil(scheduler, 100);
    runUntil(scheduler, 150);
    busy.res.write('data: event\n\n');
    keepAlive.wrote(busy.res);
    runUntil(scheduler, 200);
    busy.res.write('data: marker\n\n');
    // Quiet from 150 to 300: the tick at 300 ends a whole quiet period.
    runUntil(scheduler, 300);
    expect(await busy.until((body) => body.includes(COMMENT))).toBe(
      `data: event\n\ndata: marker\n\n${COMMENT}`,
    );
    expect(await quiet.until((body) => body === COMMENT.repeat(2))).toBe(COMMENT.repeat(2));
    for (const watch of watching) watch.unsubscribe();
  });

  it('ticks only while a stream is watched, and skips a stream that ended', async () => {
    const scheduler = new VirtualTimeScheduler();
    const keepAlive = createKeepAlive(100, scheduler);
    const first = await sse.open();
    const second = await sse.open();
    expect(scheduler.actions).toHaveLength(0);
    const watchingFirst = keepAlive.watch(first.res);
    const watchingSecond = keepAlive.watch(second.res);
    expect(scheduler.actions).toHaveLength(1); // one tick for both
    first.res.end();
    runUntil(scheduler, 200); // writing after end() would throw
    expect(await second.until((body) => body === COMMENT)).toBe(COMMENT);
    watchingFirst.unsubscribe();
    expect(scheduler.actions).toHaveLength(1);
    watchingSecond.unsubscribe();
    expect(scheduler.actions).toHaveLength(0);
    // Watching again starts a new tick.
    const again = keepAlive.watch(second.res);
    expect(scheduler.actions).toHaveLength(1);
    again.unsubscribe();
    expect(scheduler.actions).toHaveLength(0);
  });

  it('skips a stream whose socket is backed up: bytes are waiting, the line is not idle', async () => {
    const scheduler = new VirtualTimeScheduler();
    const keepAlive = createKeepAlive(100, scheduler);
    const stream = await sse.open({ paused: true });
    const chunk = 'x'.repeat(64 * 1024);
    while (stream.res.write(`data: ${chunk}\n\n`));
    expect(stream.res.writableNeedDrain).toBe(true);
    const waiting = stream.res.writableLength;
    const watching = keepAlive.watch(stream.res);
    runUntil(scheduler, 300); // two ticks that would otherwise write a comment
    expect(stream.res.writableLength).toBe(waiting);
    watching.unsubscribe();
  });

  it('keepAliveMs 0: no tick at all', async () => {
    const scheduler = new VirtualTimeScheduler();
    const stream = await sse.open();
    const watching = createKeepAlive(0, scheduler).watch(stream.res);
    expect(scheduler.actions).toHaveLength(0);
    watching.unsubscribe();
  });

  it('the server: GET streams share one tick, which is gone once the server closed', async () => {
    const scheduler = new VirtualTimeScheduler();
    const server = createStreamableHttpServer({ keepAliveMs: 1000, scheduler });
    answerRequests(server);
    const bound = await new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
      const subscription = server.listen().subscribe({
        next: (address) => resolve({ url: address.url, stop: () => subscription.unsubscribe() }),
        error: reject,
      });
    });
    const streams = await Promise.all(
      [0, 1].map(async () => {
        const id = await rawSession(bound.url);
        const read = new ReplaySubject<string>(1);
        await new Promise<void>((resolve, reject) => {
          const headers = inSession(id);
          const req = request(bound.url, { method: 'GET', headers, agent: false }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => read.next((body += chunk)));
            res.on('error', () => undefined);
            resolve();
          });
          req.on('error', reject);
          req.end();
        });
        return read;
      }),
    );
    // With a stream open a session has no idle countdown: the one action is the shared tick.
    expect(scheduler.actions).toHaveLength(1);
    runUntil(scheduler, 2000);
    for (const read of streams) {
      expect(await firstValueFrom(read.pipe(filter((body) => body.includes(COMMENT))))).toMatch(
        /^id: g_0\nretry: 1000\ndata: \n\n: keep-alive\n\n$/,
      );
    }
    await lastValueFrom(server.close(), { defaultValue: undefined });
    bound.stop();
    expect(scheduler.actions).toHaveLength(0);
  });
});
