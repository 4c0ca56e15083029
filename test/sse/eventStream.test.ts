import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { eventStream } from '../../src/sse/eventStream';
import type { EventStreamOptions, SseRequestSource } from '../../src/sse/eventStream';
import { describeState, observe } from './support/observe';
import { startSseServer } from './support/sseServer';
import type { SseServer } from './support/sseServer';

let server: SseServer;
beforeEach(async () => {
  server = await startSseServer({ total: 6 });
});
afterEach(() => server.close());

/** Fast, exact backoff unless a test says otherwise. */
const quick: EventStreamOptions['retry'] = { initialDelayMs: 5, jitter: 0 };

function run(options: EventStreamOptions = {}, request?: SseRequestSource) {
  const stream = eventStream(request ?? { url: server.url }, { retry: quick, ...options });
  const states = observe(stream.state$);
  const events = observe(stream.events$);
  return {
    stream,
    events,
    ids: () => events.values.map((event) => event.id),
    states: () => states.values.map(describeState),
  };
}

describe('eventStream', () => {
  it('reports idle before anyone subscribes, then connecting, open, closed', async () => {
    const stream = eventStream({ url: server.url });
    const states = observe(stream.state$);
    expect(states.values.map(describeState)).toEqual(['idle']);
    await lastValueFrom(stream.events$);
    expect(states.values.map(describeState)).toEqual(['idle', 'connecting 0', 'open', 'closed']);
  });

  it('reconnects after a 500 and reports it as values, never as an error', async () => {
    server.plan({ type: 'status', status: 500 });
    const { events, ids, states } = run();
    expect(await events.ended).toBeUndefined();
    expect(ids()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(states()).toEqual([
      'idle',
      'connecting 0',
      'reconnecting 1 in 5 (http)',
      'connecting 1',
      'open',
      'closed',
    ]);
  });

  it('waits Retry-After: 1 after a 429 instead of the backoff', async () => {
    server.plan({ type: 'status', status: 429, headers: { 'retry-after': '1' } });
    const { events, states } = run();
    await events.ended;
    const [refused, accepted] = server.requests;
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(995);
    expect(states()).toContain('reconnecting 1 in 1000 (http)');
  });

  it.each([401, 404])('stops at once on %i with a typed error', async (status) => {
    server.plan({ type: 'status', status });
    const { events, states } = run();
    expect(await events.ended).toMatchObject({ kind: 'http', status, retryable: false });
    expect(server.requestCount).toBe(1);
    expect(states()).toEqual(['idle', 'connecting 0', 'closed (http)']);
  });

  it('fails with the last error when the retries are spent, never hangs', async () => {
    const failing = startSseServer({ defaultPlan: { type: 'status', status: 503 } });
    const down = await failing;
    try {
      const stream = eventStream({ url: down.url }, { retry: { ...quick, maxRetries: 3 } });
      const states = observe(stream.state$);
      const error = await lastValueFrom(stream.events$).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true });
      expect(down.requestCount).toBe(4);
      expect(states.values.map(describeState).slice(-2)).toEqual(['connecting 3', 'closed (http)']);
    } finally {
      await down.close();
    }
  });

  it("waits the server's retry: 500 after a drop, not the backoff", async () => {
    server.plan({ type: 'stream', retry: 500, count: 2, then: 'drop' });
    const { events, ids, states } = run({ retry: { initialDelayMs: 20_000 } });
    await events.ended;
    expect(ids()).toEqual(['0', '1', '2', '3', '4', '5']);
    const [dropped, resumed] = server.requests;
    expect(resumed!.at - dropped!.at).toBeGreaterThanOrEqual(495);
    expect(states()).toContain('reconnecting 1 in 500 (network)');
  });

  it('keeps the reconnection time of an earlier connection', async () => {
    server.plan(
      { type: 'stream', retry: 30, count: 1, then: 'drop' },
      { type: 'stream', count: 1, then: 'drop' },
    );
    const { events, states } = run({ retry: { initialDelayMs: 20_000 } });
    await events.ended;
    expect(states().filter((state) => state.startsWith('reconnecting'))).toEqual([
      'reconnecting 1 in 30 (network)',
      'reconnecting 1 in 30 (network)',
    ]);
  });

  it('resumes with Last-Event-ID and drops the events a server replays', async () => {
    server.plan(
      { type: 'stream', count: 3, then: 'drop-mid-event' },
      { type: 'stream', replay: 2, count: 3, then: 'drop' },
      { type: 'stream', replay: 3 },
    );
    const { events, ids } = run();
    await events.ended;
    expect(ids()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(server.requests.map((request) => request.lastEventId)).toEqual([undefined, '2', '3']);
  });

  it('starts from a stored id and exposes the id to store', async () => {
    const { stream, events, ids } = run({ lastEventId: '3' });
    expect(stream.lastEventId).toBe('3');
    await events.ended;
    expect(ids()).toEqual(['4', '5']);
    expect(server.requests[0]?.lastEventId).toBe('3');
    expect(stream.lastEventId).toBe('5');
  });

  it('forgets the id when the server sends an empty one', async () => {
    server.plan(
      { type: 'raw', steps: ['id: 7\ndata: a\n\nid:\ndata: b\n\n'], then: 'drop' },
      { type: 'raw', steps: ['data: c\n\n'] },
    );
    const { events, stream } = run();
    await events.ended;
    expect(events.values.map((event) => event.data)).toEqual(['a', 'b', 'c']);
    expect(server.requests.map((request) => request.lastEventId)).toEqual([undefined, undefined]);
    expect(stream.lastEventId).toBeUndefined();
  });

  it('builds each request from the last id: POST first, then resume with GET (MCP)', async () => {
    server.plan({ type: 'stream', count: 2, then: 'drop' });
    const request = (lastEventId: string | undefined) =>
      lastEventId === undefined
        ? { url: server.url, method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' }
        : { url: server.url };
    const { events, ids } = run({}, request);
    await events.ended;
    expect(ids()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(server.requests.map((r) => [r.method, r.lastEventId])).toEqual([
      ['POST', undefined],
      ['GET', '1'],
    ]);
  });

  it('polls with reconnectOnEnd: a clean end waits retry:, a 204 ends the stream', async () => {
    server.plan(
      { type: 'stream', retry: 20, count: 2 },
      { type: 'stream', count: 3 },
      { type: 'status', status: 204 },
    );
    const { events, ids, states } = run({
      reconnectOnEnd: true,
      retry: { initialDelayMs: 20_000 },
    });
    expect(await events.ended).toBeUndefined();
    expect(ids()).toEqual(['0', '1', '2', '3', '4']);
    expect(server.requests.map((request) => request.lastEventId)).toEqual([undefined, '1', '4']);
    expect(states().filter((state) => state.startsWith('reconnecting'))).toEqual([
      'reconnecting 1 in 20 (network)',
      'reconnecting 1 in 20 (network)',
    ]);
  });

  it('completes at the end of the response without reconnectOnEnd', async () => {
    const { events } = run();
    expect(await events.ended).toBeUndefined();
    expect(server.requestCount).toBe(1);
  });

  it('shares one connection between subscribers and resumes after a full unsubscribe', async () => {
    server.plan({ type: 'stream', count: 2, then: 'stall' });
    const stream = eventStream({ url: server.url }, { retry: quick });
    const first = observe(stream.events$);
    const second = observe(stream.events$);
    await firstValueFrom(stream.events$.pipe(filter((event) => event.id === '1')));
    expect(server.requestCount).toBe(1);
    expect(first.values.map((event) => event.id)).toEqual(['0', '1']);
    expect(second.values.map((event) => event.id)).toEqual(['0', '1']);
    first.unsubscribe();
    second.unsubscribe();
    await server.until(() => server.closed.length === 1);
    expect(server.closed[0]?.by).toBe('client');
    const rest = await lastValueFrom(stream.events$.pipe(toArray()));
    expect(server.requests[1]?.lastEventId).toBe('1');
    expect(rest.map((event) => event.id)).toEqual(['2', '3', '4', '5']);
  });

  it('fails with an RxMcpError, without retrying, when the request factory throws', async () => {
    const { events, states } = run({}, () => {
      throw new Error('no token');
    });
    expect(await events.ended).toMatchObject({ kind: 'unknown', retryable: false });
    expect(server.requestCount).toBe(0);
    expect(states().at(-1)).toBe('closed (unknown)');
  });

  it('does not retry an event over maxBufferSize', async () => {
    server.plan({ type: 'endless-line' });
    const { events, states } = run({ maxBufferSize: 1024 });
    expect(await events.ended).toMatchObject({ kind: 'limit' });
    expect(server.requestCount).toBe(1);
    expect(states().at(-1)).toBe('closed (limit)');
  });
});
