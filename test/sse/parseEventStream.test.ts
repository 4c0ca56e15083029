import { Observable, Subject, from, lastValueFrom, tap, toArray } from 'rxjs';
import { createValve } from '../../operators/valve';
import { RxMcpError } from '../../src/errors';
import { parseEventStream } from '../../src/sse/parseEventStream';
import type { ParseEventStreamOptions } from '../../src/sse/parseEventStream';
import type { SseEvent } from '../../src/sse/types';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Parses `chunks` (each a string or raw bytes) and resolves with every event. */
function parse(
  chunks: readonly (string | Uint8Array)[],
  options: ParseEventStreamOptions = {},
): Promise<SseEvent[]> {
  const bytes = chunks.map((chunk) => (typeof chunk === 'string' ? encode(chunk) : chunk));
  return lastValueFrom(from(bytes).pipe(parseEventStream(options), toArray()));
}

/** Every way to cut `bytes` in two. */
function allSplits(bytes: Uint8Array): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, at) => [
    bytes.subarray(0, at),
    bytes.subarray(at),
  ]);
}

describe('parseEventStream', () => {
  it('emits id, event, data and keeps comments out of the data', async () => {
    const comments: string[] = [];
    const events = await parse(
      [': hello\n', 'id: 7\nevent: update\ndata: {"a":1}\n\n', ':keep-alive\n\ndata: x\n\n'],
      { onComment: (comment) => comments.push(comment) },
    );
    expect(events).toEqual([{ id: '7', event: 'update', data: '{"a":1}' }, { data: 'x' }]);
    expect(comments).toEqual(['hello', 'keep-alive']);
  });

  it('decodes a multi-byte UTF-8 character split at every possible byte', async () => {
    const text = 'data: h€llo 😀 wörld\n\n';
    for (const parts of allSplits(encode(text))) {
      await expect(parse(parts)).resolves.toEqual([{ data: 'h€llo 😀 wörld' }]);
    }
  });

  it('accepts LF, CR and CRLF line ends, also split between CR and LF', async () => {
    const text = 'data: a\r\ndata: b\rdata: c\n\r\nid: 2\rdata: d\r\r';
    for (const parts of allSplits(encode(text))) {
      await expect(parse(parts)).resolves.toEqual([{ data: 'a\nb\nc' }, { id: '2', data: 'd' }]);
    }
  });

  it('drops one leading BOM, and only at the very start', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const events = await parse([bom.subarray(0, 1), bom.subarray(1), 'data: a\n\n']);
    expect(events).toEqual([{ data: 'a' }]);
    // A second BOM is part of the first line, so that line is an unknown field: ignored.
    const twice = await parse([bom, bom, 'data: b\n\ndata: c\n\n']);
    expect(twice).toEqual([{ data: 'c' }]);
  });

  it('joins multi-line data with \\n and keeps an empty data field', async () => {
    const events = await parse(['data: one\ndata:\ndata:  two\n\n', 'data:\n\n']);
    expect(events).toEqual([{ data: 'one\n\n two' }, { data: '' }]);
  });

  it('ignores ids containing NUL, reports an empty id as "", and ignores unknown fields', async () => {
    const events = await parse([
      'id: 1\ndata: a\n\n',
      'id: x\u0000y\ndata: b\n\n',
      'id\ndata: c\n\n',
      'foo: bar\nretry: soon\ndata: d\n\n',
    ]);
    expect(events).toEqual([
      { id: '1', data: 'a' },
      { data: 'b' },
      { id: '', data: 'c' },
      { data: 'd' },
    ]);
  });

  it('keeps long ids intact (they are copied out of the chunk to let it be collected)', async () => {
    const id = '7f3e9c1a-5b2d-4e8f-9a6b-0c1d2e3f4a5b_42';
    const events = await parse([`id: ${id}\ndata: a\n\nid: short\ndata: b\n\n`]);
    expect(events.map((event) => event.id)).toEqual([id, 'short']);
  });

  it('attaches a retry: field to the next event and reports it at once', async () => {
    const retries: number[] = [];
    const events = await parse(['retry: 500\n\n', 'data: a\n\nretry: 20\ndata: b\n\ndata: c\n\n'], {
      onRetry: (ms) => retries.push(ms),
    });
    expect(events).toEqual([{ data: 'a', retry: 500 }, { data: 'b', retry: 20 }, { data: 'c' }]);
    expect(retries).toEqual([500, 20]);
  });

  it('discards an event cut off by the end of the input', async () => {
    await expect(parse(['data: a\n\ndata: b\n'])).resolves.toEqual([{ data: 'a' }]);
  });

  it('fails with a limit error after the complete events, and stops reading', async () => {
    const chunks = new Subject<Uint8Array>();
    const seen: SseEvent[] = [];
    let failure: unknown;
    chunks.pipe(parseEventStream({ maxBufferSize: 16, source: 'test' })).subscribe({
      next: (event) => seen.push(event),
      error: (error: unknown) => (failure = error),
    });
    chunks.next(encode('data: ok\n\ndata: 0123456789'));
    expect(failure).toBeUndefined();
    chunks.next(encode('0123456789'));
    expect(seen).toEqual([{ data: 'ok' }]);
    expect(failure).toBeInstanceOf(RxMcpError);
    expect(failure).toMatchObject({ kind: 'limit', retryable: false });
    expect((failure as Error).message).toMatch(/maxBufferSize \(16 characters\)/);
    expect(chunks.observed).toBe(false);
  });

  it('fails with a limit error in the line a chunk finishes, and parses nothing after it', async () => {
    const seen: SseEvent[] = [];
    const chunks = ['data: ok\n\ndata: 0123456789', '0123456789\n\ndata: late\n\n'];
    await expect(
      lastValueFrom(
        from(chunks.map(encode)).pipe(
          parseEventStream({ maxBufferSize: 16 }),
          tap((event) => seen.push(event)),
        ),
      ),
    ).rejects.toMatchObject({ kind: 'limit' });
    expect(seen).toEqual([{ data: 'ok' }]);
  });

  it('parses a stream the same however it is cut into chunks', async () => {
    const text =
      '\ufeff: hi\r\nid: 1\ndata: h€llo\r\n\r\nretry: 20\revent: 😀\rdata: a\r\rid\n' +
      'data: b\ndata: c\n\n: bye\ndata: d\n\ndata: cut off';
    const bytes = encode(text);
    const whole = await parse([bytes]);
    expect(whole).toEqual([
      { id: '1', data: 'h€llo' },
      { event: '😀', data: 'a', retry: 20 },
      { id: '', data: 'b\nc' },
      { data: 'd' },
    ]);
    let seed = 3;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round < 300; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
        Math.floor(random() * (bytes.length + 1)),
      ).sort((a, b) => a - b);
      const edges = [0, ...cuts, bytes.length];
      const parts = edges.slice(1).map((end, index) => bytes.subarray(edges[index], end));
      await expect(parse(parts)).resolves.toEqual(whole);
    }
  });

  it('stops a synchronous source at the value after the overflow', async () => {
    let pulled = 0;
    const source = new Observable<Uint8Array>((subscriber) => {
      for (let i = 0; i < 100 && !subscriber.closed; i++) {
        pulled++;
        subscriber.next(encode('x'.repeat(64)));
      }
    });
    await expect(
      lastValueFrom(source.pipe(parseEventStream({ maxBufferSize: 100 }))),
    ).rejects.toMatchObject({
      kind: 'limit',
    });
    expect(pulled).toBe(3);
  });

  it('holds the rest of a chunk while the valve is closed, then emits it in order', () => {
    const valve = createValve();
    const chunks = new Subject<Uint8Array>();
    const seen: string[] = [];
    let completed = false;
    chunks.pipe(parseEventStream({ valve })).subscribe({
      next: (event) => {
        seen.push(event.data);
        // A consumer whose buffer is full after two events.
        if (seen.length === 2) valve.pause();
      },
      complete: () => (completed = true),
    });
    chunks.next(encode('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n'));
    chunks.complete();
    expect(seen).toEqual(['1', '2']);
    // The end waits for the held events.
    expect(completed).toBe(false);
    valve.resume();
    expect(seen).toEqual(['1', '2', '3', '4']);
    expect(completed).toBe(true);
  });

  it('delivers held events before the source error', () => {
    const valve = createValve({ paused: true });
    const chunks = new Subject<Uint8Array>();
    const log: string[] = [];
    chunks.pipe(parseEventStream({ valve })).subscribe({
      next: (event) => log.push(event.data),
      error: (error: Error) => log.push(`error ${error.message}`),
    });
    chunks.next(encode('data: a\n\ndata: b\n\n'));
    chunks.error(new Error('dropped'));
    expect(log).toEqual([]);
    valve.resume();
    expect(log).toEqual(['a', 'b', 'error dropped']);
  });

  it('fails the stream, not the process, when a callback throws', async () => {
    const boom = new Error('callback bug');
    const result = parse(['data: a\n\n: ping\n', 'data: b\n\n'], {
      onComment: () => {
        throw boom;
      },
    });
    await expect(result).rejects.toBe(boom);
  });

  it('releases the source and the valve on unsubscribe', () => {
    const valve = createValve({ paused: true });
    const chunks = new Subject<Uint8Array>();
    const subscription = chunks.pipe(parseEventStream({ valve })).subscribe();
    chunks.next(encode('data: a\n\n'));
    subscription.unsubscribe();
    expect(chunks.observed).toBe(false);
    valve.resume();
  });

  it('rejects a maxBufferSize that is not a positive whole number', () => {
    expect(() => parseEventStream({ maxBufferSize: 0 })).toThrow(RangeError);
    expect(() => parseEventStream({ maxBufferSize: 1.5 })).toThrow(/maxBufferSize/);
  });
});
