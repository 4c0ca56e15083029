import crossFetch from 'cross-fetch';
import { lastValueFrom, take, tap, toArray } from 'rxjs';
import { RxMcpError } from '../../src/errors';
import { fromSSE } from '../../src/sse/fromSSE';
import type { FromSseOptions } from '../../src/sse/fromSSE';
import type { FetchLike, SseRequest } from '../../src/sse/types';
import { observe, openHandles } from './support/observe';
import { startSseServer } from './support/sseServer';
import type { SseServer } from './support/sseServer';

let server: SseServer;
beforeEach(async () => {
  server = await startSseServer({ total: 5 });
});
afterEach(() => server.close());

const all = (request: Partial<SseRequest> = {}, options: FromSseOptions = {}) =>
  lastValueFrom(fromSSE({ url: server.url, ...request }, options).pipe(toArray()));

const failure = async (request: Partial<SseRequest> = {}, options: FromSseOptions = {}) => {
  const error = await all(request, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RxMcpError);
  return error as RxMcpError;
};

/** A promise and the function that resolves it: a gate the test opens. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('fromSSE', () => {
  it('streams the events of a GET and completes at the end of the response', async () => {
    const comments: string[] = [];
    server.plan({
      type: 'raw',
      steps: [': welcome\n\n', 'id: 1\nevent: tick\ndata: a\n\n', 'data: b\n\n'],
    });
    const events = await all({}, { onComment: (comment) => comments.push(comment) });
    expect(events).toEqual([{ id: '1', event: 'tick', data: 'a' }, { data: 'b' }]);
    expect(comments).toEqual(['welcome']);
    expect(server.requests[0]).toMatchObject({ method: 'GET', lastEventId: undefined });
    expect(server.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('POSTs a JSON body with headers from a function, called on every subscription', async () => {
    let token = 0;
    const request = {
      method: 'POST',
      headers: async () => ({
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${++token}`,
      }),
      body: JSON.stringify({ prompt: 'hi' }),
    };
    await all(request);
    await all(request);
    expect(server.requests.map((r) => [r.method, r.body, r.headers.authorization])).toEqual([
      ['POST', '{"prompt":"hi"}', 'Bearer 1'],
      ['POST', '{"prompt":"hi"}', 'Bearer 2'],
    ]);
    expect(server.requests[0]?.headers.accept).toBe('application/json, text/event-stream');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends Last-Event-ID when given one, and none for an empty one', async () => {
    await all({}, { lastEventId: '2' });
    await all({}, { lastEventId: '' });
    expect(server.requests.map((r) => r.lastEventId)).toEqual(['2', undefined]);
  });

  it('parses bytes exactly as they arrive over HTTP: split UTF-8, CR/LF/CRLF, BOM, NUL ids', async () => {
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    const euro = encode('€');
    const firstEvent = gate();
    server.plan({
      type: 'raw',
      steps: [
        // One write: a BOM, an event, and the first byte of a three-byte character.
        Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          encode('data: one\r\n\r\ndata: '),
          euro.subarray(0, 1),
        ]),
        // The rest only once the client has emitted the event before it, so the character
        // is split across two reads.
        firstEvent.opened,
        euro.subarray(1),
        '\rdata: line 2\r\rid: a\u0000b\ndata: nul\n\nid\ndata: reset\n\n',
      ],
    });
    const events = await lastValueFrom(
      fromSSE({ url: server.url }).pipe(
        tap(() => firstEvent.open()),
        toArray(),
      ),
    );
    expect(events).toEqual([
      { data: 'one' },
      { data: '€\nline 2' },
      { data: 'nul' },
      { id: '', data: 'reset' },
    ]);
  });

  it.each([
    [500, true],
    [503, true],
    [401, false],
    [404, false],
  ])('fails on %i with a typed http error, retryable: %s', async (status, retryable) => {
    server.plan({ type: 'status', status });
    const error = await failure();
    expect(error).toMatchObject({ kind: 'http', status, retryable });
  });

  it('reads Retry-After in seconds and as an HTTP-date', async () => {
    server.plan({ type: 'status', status: 429, headers: { 'retry-after': '1' } });
    expect((await failure()).retryAfterMs).toBe(1000);
    const soon = new Date(Date.now() + 60_000).toUTCString();
    server.plan({ type: 'status', status: 503, headers: { 'retry-after': soon } });
    const { retryAfterMs } = await failure();
    expect(retryAfterMs).toBeGreaterThan(55_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('fails on a wrong content type with a non-retryable protocol error', async () => {
    server.plan({ type: 'raw', contentType: 'application/json', steps: ['{}'] });
    expect(await failure()).toMatchObject({ kind: 'protocol', retryable: false });
  });

  it('completes on 204 without a value', async () => {
    server.plan({ type: 'status', status: 204 });
    await expect(all()).resolves.toEqual([]);
  });

  it('fails a dropped body with a retryable network error carrying the last retry:', async () => {
    server.plan({ type: 'stream', retry: 250, count: 2, then: 'drop-mid-event' });
    const seen = observe(fromSSE({ url: server.url }));
    const error = await seen.ended;
    expect(seen.values.map((event) => event.id)).toEqual(['0', '1']);
    expect(error).toMatchObject({ kind: 'network', retryable: true, retryAfterMs: 250 });
    expect((error as Error).message).toMatch(/broke off/);
  });

  it('turns a clean end into a retryable error with reconnectOnEnd, but not a 204', async () => {
    server.plan({ type: 'stream', count: 1 });
    const error = await failure({}, { reconnectOnEnd: true, reconnectionTimeMs: 40 });
    expect(error).toMatchObject({ kind: 'network', retryable: true, retryAfterMs: 40 });
    server.plan({ type: 'status', status: 204 });
    await expect(all({}, { reconnectOnEnd: true })).resolves.toEqual([]);
  });

  it('fails a connection that goes silent with a retryable timeout error', async () => {
    server.plan({ type: 'stream', count: 2, then: 'stall' });
    const seen = observe(fromSSE({ url: server.url }, { idleTimeoutMs: 100 }));
    expect(await seen.ended).toMatchObject({ kind: 'timeout', retryable: true });
    expect(seen.values).toHaveLength(2);
    await server.until(() => server.closed.length === 1);
    expect(server.closed[0]?.by).toBe('client');
  });

  it('fails a connection refused with a retryable network error', async () => {
    const url = server.url;
    await server.close();
    const error = await lastValueFrom(fromSSE({ url })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    server = await startSseServer();
  });

  it('stops an oversized event with a limit error and closes the connection, memory bounded', async () => {
    server.plan({ type: 'endless-line' });
    const error = await failure({}, { maxBufferSize: 64 * 1024 });
    expect(error).toMatchObject({ kind: 'limit', retryable: false });
    expect(error.message).toMatch(/maxBufferSize \(65536 characters\)/);
    await server.until(() => server.closed.length === 1);
    expect(server.closed[0]?.by).toBe('client');
    // The line is endless: the client kept none of it beyond the limit, so the server could
    // only fill the socket buffers before the client hung up.
    expect(server.bytesWritten).toBeLessThan(16 * 1024 * 1024);
  });

  describe('unsubscribe is the destructor', () => {
    it('mid-stream: aborts the request and the server sees the connection close', async () => {
      server.plan({ type: 'stream', count: 3, then: 'stall' });
      const seen = observe(fromSSE({ url: server.url }, { idleTimeoutMs: 60_000 }));
      await server.until(() => server.bytesWritten > 0);
      const during = openHandles().timers;
      seen.unsubscribe();
      // The idle timer goes with the subscription.
      expect(openHandles().timers).toBe(during - 1);
      await server.until(() => server.closed.length === 1);
      expect(server.closed[0]?.by).toBe('client');
    });

    it('during connect: aborts the pending request', async () => {
      server.plan({ type: 'hang' });
      const seen = observe(fromSSE({ url: server.url }, { idleTimeoutMs: 60_000 }));
      await server.until(() => server.requestCount === 1);
      seen.unsubscribe();
      await server.until(() => server.closed.length === 1);
      expect(server.closed[0]?.by).toBe('client');
    });
  });

  describe('with cross-fetch (a Node stream body)', () => {
    it('streams, survives split reads and releases the socket on unsubscribe', async () => {
      server.plan({ type: 'stream', count: 4, then: 'stall' });
      const events = await lastValueFrom(
        fromSSE({ url: server.url }, { fetch: crossFetch }).pipe(take(4), toArray()),
      );
      expect(events.map((event) => event.data)).toEqual([
        'event 0',
        'event 1',
        'event 2',
        'event 3',
      ]);
      await server.until(() => server.closed.length === 1);
      expect(server.closed[0]?.by).toBe('client');
    });

    it('is the fallback when there is no global fetch', async () => {
      const globalFetch = globalThis.fetch;
      Reflect.deleteProperty(globalThis, 'fetch');
      try {
        server.plan({ type: 'stream', count: 2, then: 'drop' });
        const seen = observe(fromSSE({ url: server.url }));
        expect(await seen.ended).toMatchObject({ kind: 'network', retryable: true });
        expect(seen.values.map((event) => event.id)).toEqual(['0', '1']);
        expect(server.requests[0]?.headers['user-agent']).toMatch(/node-fetch/);
      } finally {
        globalThis.fetch = globalFetch;
      }
    });
  });

  it('reads a body that is a plain async iterable (a fetch wrapper, another runtime)', async () => {
    server.plan({ type: 'stream', count: 3, then: 'drop' });
    async function* chunksOf(body: ReadableStream<Uint8Array>) {
      const reader = body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        yield read.value;
      }
    }
    const iterating: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      const { status, statusText, headers, body } = response;
      return {
        status,
        statusText,
        headers,
        body: body && { [Symbol.asyncIterator]: () => chunksOf(body) },
      };
    };
    const seen = observe(fromSSE({ url: server.url }, { fetch: iterating }));
    expect(await seen.ended).toMatchObject({ kind: 'network', retryable: true });
    expect(seen.values.map((event) => event.id)).toEqual(['0', '1', '2']);
  });

  it('completes when the response has no body (HEAD)', async () => {
    await expect(all({ method: 'HEAD' })).resolves.toEqual([]);
    expect(server.requests[0]?.method).toBe('HEAD');
  });

  it('rejects bad options at call time', () => {
    expect(() => fromSSE({ url: server.url }, { maxBufferSize: -1 })).toThrow(RangeError);
    expect(() => fromSSE({ url: server.url }, { idleTimeoutMs: 0 })).toThrow(RangeError);
  });
});
