import crossFetch from 'cross-fetch';
import { filter, firstValueFrom, lastValueFrom, map, mergeMap, tap, timer, toArray } from 'rxjs';
import { boundedBuffer } from '../../operators/boundedBuffer';
import { createValve } from '../../operators/valve';
import { eventStream } from '../../src/sse/eventStream';
import { fromSSE } from '../../src/sse/fromSSE';
import type { FetchLike, SseEvent } from '../../src/sse/types';
import { describeState, observe, openHandles } from './support/observe';
import { serialize, startSseServer } from './support/sseServer';
import type { Plan, SseServer } from './support/sseServer';

let server: SseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A server that cuts every connection after `perConnection` events, alternately between two
 * events and in the middle of one, replaying a few events before the resume point, and
 * ends the response cleanly once the log is through.
 */
function flakyPlan(total: number, perConnection: number, replay: number) {
  return (request: { index: number; lastEventId: string | undefined }): Plan => {
    const after = request.lastEventId === undefined ? -1 : Number(request.lastEventId);
    const last = after + 1 - replay + perConnection >= total;
    return {
      type: 'stream',
      retry: 1,
      replay,
      count: perConnection,
      then: last ? 'end' : request.index % 2 === 0 ? 'drop-mid-event' : 'drop',
    };
  };
}

/** The last event id of each connection but the final one: where the client must resume. */
function resumePoints(total: number, perConnection: number, replay: number): string[] {
  const points: string[] = [];
  for (let end = perConnection; end < total; end += perConnection - replay) {
    points.push(String(end - 1));
  }
  return points;
}

describe('eventStream under faults', () => {
  it.each<[string, FetchLike | undefined, number]>([
    ['global fetch (web stream body)', undefined, 10_000],
    ['cross-fetch (Node stream body)', crossFetch, 2_000],
  ])(
    'delivers every event exactly once and in order through many drops, with %s',
    async (_name, fetch, total) => {
      const perConnection = 97;
      const replay = 3;
      server = await startSseServer({
        total,
        defaultPlan: flakyPlan(total, perConnection, replay),
      });
      const stream = eventStream({ url: server.url }, { fetch, retry: { maxRetries: 3 } });
      const states = observe(stream.state$);
      const events = await lastValueFrom(stream.events$.pipe(toArray()));

      expect(events.map((event) => event.id)).toEqual(
        Array.from({ length: total }, (_, i) => String(i)),
      );
      const drops = server.closed.filter((closed) => closed.by === 'dropped').length;
      expect(drops).toBeGreaterThanOrEqual(total >= 10_000 ? 100 : 20);
      // Each reconnect resumed after the last complete event the client had, although half
      // the drops cut an event in two and every resumed connection replayed three events.
      const resumedFrom = server.requests.slice(1).map((request) => request.lastEventId);
      expect(resumedFrom).toEqual(resumePoints(total, perConnection, replay));
      expect(resumedFrom).toHaveLength(drops);
      // Every reconnect waited the server's retry: 1, never a computed backoff.
      const waits = states.values
        .filter((state) => state.type === 'reconnecting')
        .map((state) => (state.type === 'reconnecting' ? state.delayMs : -1));
      expect(new Set(waits)).toEqual(new Set([1]));
    },
  );

  it('detects a silent server with the idle timeout and reconnects', async () => {
    server = await startSseServer({ total: 6 });
    server.plan({ type: 'stream', count: 3, then: 'stall' });
    const stream = eventStream(
      { url: server.url },
      { idleTimeoutMs: 150, retry: { initialDelayMs: 1 } },
    );
    const states = observe(stream.state$);
    const events = await lastValueFrom(stream.events$.pipe(toArray()));
    expect(events.map((event) => event.id)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(server.requests.map((request) => request.lastEventId)).toEqual([undefined, '2']);
    expect(server.closed[0]?.by).toBe('client');
    expect(states.values.map(describeState)).toContainEqual(
      expect.stringMatching(/^reconnecting 1 in \d+ \(timeout\)$/),
    );
  });

  it('counts keep-alive comments as signs of life', async () => {
    server = await startSseServer();
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 100));
    server.plan({
      type: 'raw',
      steps: ['data: a\n\n', pause, ': ping\n', pause, ': ping\n', pause, 'data: b\n\n'],
    });
    const comments: string[] = [];
    const stream = eventStream(
      { url: server.url },
      { idleTimeoutMs: 250, onComment: (comment) => comments.push(comment) },
    );
    const events = await lastValueFrom(stream.events$.pipe(toArray()));
    expect(events.map((event) => event.data)).toEqual(['a', 'b']);
    expect(comments).toEqual(['ping', 'ping']);
    expect(server.requestCount).toBe(1);
  });

  describe('a slow consumer', () => {
    const total = 1024;
    const payload = 'x'.repeat(64 * 1024);
    const eventAt = (i: number) => ({ id: String(i), data: payload });
    const eventBytes = (i: number) => serialize(eventAt(i)).length;
    // One event per millisecond at best: far slower than loopback.
    const slowly = (event: SseEvent) => timer(1).pipe(map(() => event));

    /** Consumes `events$` and records how far the server ran ahead of the consumer. */
    async function consume(events$: ReturnType<typeof fromSSE>, live: SseServer) {
      let consumedBytes = 0;
      let maxLag = 0;
      const ids = await lastValueFrom(
        events$.pipe(
          tap((event) => {
            consumedBytes += eventBytes(Number(event.id));
            maxLag = Math.max(maxLag, live.bytesWritten - consumedBytes);
          }),
          map((event) => event.id),
          toArray(),
        ),
      );
      return { ids, maxLag };
    }

    it("with boundedBuffer({ overflow: 'pause' }) blocks the server's writes, not the client's heap", async () => {
      const live = (server = await startSseServer({ total, eventAt }));
      const valve = createValve();
      const stream = eventStream({ url: live.url }, { valve });
      const { ids, maxLag } = await consume(
        stream.events$.pipe(
          boundedBuffer({ capacity: 8, overflow: 'pause', valve, consume: slowly }),
        ),
        live,
      );
      expect(ids).toEqual(Array.from({ length: total }, (_, i) => String(i)));
      expect(live.blockedWrites).toBeGreaterThan(0);
      // Socket buffers on both sides and a few chunks in flight, nothing like the 64 MiB log.
      expect(maxLag).toBeLessThan(16 * 1024 * 1024);
    });

    it('without the valve would let the server write the whole log into the client (the control)', async () => {
      const live = (server = await startSseServer({ total, eventAt }));
      const finished = live.until(() => live.closed.some((closed) => closed.by === 'finished'));
      // The consumer is stuck until the server has written everything, which only a client
      // that keeps reading, whatever its consumer does, allows.
      const stuck = (event: SseEvent) => finished.then(() => event);
      const { ids, maxLag } = await consume(
        fromSSE({ url: live.url }).pipe(mergeMap(stuck, 1)),
        live,
      );
      expect(ids).toHaveLength(total);
      expect(maxLag).toBeGreaterThan(60 * 1024 * 1024);
    });
  });

  describe('unsubscribe leaves nothing behind', () => {
    // Each test reads the timer count just before and just after unsubscribe(): nothing else
    // runs in between, so the difference is exactly what the unsubscribe released.
    it('during connect: aborts the request and clears the idle timer', async () => {
      const live = (server = await startSseServer());
      live.plan({ type: 'hang' });
      const stream = eventStream({ url: live.url });
      const events = observe(stream.events$);
      await live.until(() => live.requestCount === 1);
      const during = openHandles().timers;
      events.unsubscribe();
      expect(openHandles().timers).toBe(during - 1);
      expect(await firstValueFrom(stream.state$)).toEqual({ type: 'closed' });
      await live.until(() => live.closed.length === 1);
      expect(live.closed[0]?.by).toBe('client');
    });

    it('during backoff: clears the retry timer and sends nothing more', async () => {
      const live = (server = await startSseServer());
      live.plan({ type: 'status', status: 503 });
      const stream = eventStream({ url: live.url }, { retry: { initialDelayMs: 60_000 } });
      const events = observe(stream.events$);
      await firstValueFrom(stream.state$.pipe(filter((state) => state.type === 'reconnecting')));
      const during = openHandles().timers;
      events.unsubscribe();
      expect(openHandles().timers).toBe(during - 1);
      expect(await firstValueFrom(stream.state$)).toEqual({ type: 'closed' });
      expect(live.requestCount).toBe(1);
    });

    it('mid-stream: aborts the response and clears the idle timer', async () => {
      const live = (server = await startSseServer({ total: 10 }));
      live.plan({ type: 'stream', count: 5, then: 'stall' });
      const stream = eventStream({ url: live.url });
      const events = observe(stream.events$);
      // A second subscriber on the same shared connection, only to wait for event 4.
      await firstValueFrom(stream.events$.pipe(filter((event) => event.id === '4')));
      const during = openHandles().timers;
      events.unsubscribe();
      expect(openHandles().timers).toBe(during - 1);
      await live.until(() => live.closed.length === 1);
      expect(live.closed[0]?.by).toBe('client');
      expect(events.values.map((event) => event.id)).toEqual(['0', '1', '2', '3', '4']);
      expect(stream.lastEventId).toBe('4');
    });
  });
});
