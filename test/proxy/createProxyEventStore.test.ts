/**
 * The proxy's event store: bounded by count and by bytes, oldest evicted first, events kept
 * per stream and session, messages given back as they were appended.
 */
import type { StoredEvent } from '../../src/server/EventStore';
import { createProxyEventStore } from '../../src/proxy/createProxyEventStore';

let seq = 0;
beforeEach(() => {
  seq = 0;
});

/** An event whose message is `bytes` long as JSON. */
function event(streamId: string, bytes: number, sessionId = 's'): StoredEvent {
  seq++;
  const envelope = JSON.stringify({ jsonrpc: '2.0', method: 'm', params: { p: '' } }).length;
  return {
    sessionId,
    streamId,
    seq,
    eventId: `${streamId}_${seq}`,
    message: { jsonrpc: '2.0', method: 'm', params: { p: 'x'.repeat(bytes - envelope) } },
  };
}

const seqs = (events: readonly StoredEvent[]): number[] => events.map((kept) => kept.seq);

describe('createProxyEventStore', () => {
  it('gives back the events of one stream after a cursor, messages intact', () => {
    const store = createProxyEventStore();
    const appended = [event('a', 100), event('b', 100), event('a', 100), event('a', 100)];
    for (const kept of appended) store.append(kept);
    const replayed = store.replayAfter('s', 'a', 1) as StoredEvent[];
    expect(replayed).toEqual([appended[2], appended[3]]);
    expect(store.replayAfter('s', 'b', 0)).toEqual([appended[1]]);
    expect(store.replayAfter('other', 'a', 0)).toEqual([]);
  });

  it('keeps at most capacityPerSession events, evicting the oldest', () => {
    const evicted: number[] = [];
    const store = createProxyEventStore({
      capacityPerSession: 3,
      onEvict: (gone) => evicted.push(gone.seq),
    });
    for (let i = 0; i < 5; i++) store.append(event('a', 50));
    expect(seqs(store.replayAfter('s', 'a', 0) as StoredEvent[])).toEqual([3, 4, 5]);
    expect(evicted).toEqual([1, 2]);
  });

  it('keeps at most maxBytesPerSession bytes, however many events that is', () => {
    const store = createProxyEventStore({ capacityPerSession: 1000, maxBytesPerSession: 1000 });
    for (let i = 0; i < 100; i++) store.append(event('a', 90 + (i % 7) * 20));
    const kept = store.replayAfter('s', 'a', 0) as StoredEvent[];
    const bytes = kept.reduce((sum, one) => sum + JSON.stringify(one.message).length, 0);
    expect(bytes).toBeLessThanOrEqual(1000);
    // The newest ones, contiguous: the last event appended is always there.
    expect(kept.at(-1)!.seq).toBe(100);
    const kept2 = seqs(kept);
    expect(kept2).toEqual(kept2.map((_, index) => kept2[0]! + index));
    // And not needlessly few: with events of at most 210 bytes, 1000 bytes hold 3 or more.
    expect(kept.length).toBeGreaterThanOrEqual(3);
  });

  it('does not keep an event larger than the byte limit, and says so', () => {
    const evicted: number[] = [];
    const store = createProxyEventStore({
      maxBytesPerSession: 500,
      onEvict: (gone) => evicted.push(gone.seq),
    });
    store.append(event('a', 100));
    store.append(event('a', 600));
    expect(seqs(store.replayAfter('s', 'a', 0) as StoredEvent[])).toEqual([1]);
    expect(evicted).toEqual([2]);
  });

  it('keeps sessions apart and forgets a deleted one', () => {
    const store = createProxyEventStore({ capacityPerSession: 2 });
    store.append(event('a', 100, 's1'));
    store.append(event('a', 100, 's2'));
    store.append(event('a', 100, 's2'));
    store.append(event('a', 100, 's2'));
    expect(seqs(store.replayAfter('s1', 'a', 0) as StoredEvent[])).toEqual([1]);
    expect(seqs(store.replayAfter('s2', 'a', 0) as StoredEvent[])).toEqual([3, 4]);
    store.deleteSession('s1');
    expect(store.replayAfter('s1', 'a', 0)).toEqual([]);
  });

  it('keeps multi-byte text intact across the ring', () => {
    const store = createProxyEventStore({ maxBytesPerSession: 300 });
    const texts = ['héllo wörld ✓'.repeat(3), '日本語のテキスト'.repeat(2), '🙂'.repeat(10)];
    const appended = texts.map((text, index) => ({
      sessionId: 's',
      streamId: 'a',
      seq: index + 1,
      eventId: `a_${index + 1}`,
      message: { jsonrpc: '2.0' as const, method: 'm', params: { text } },
    }));
    for (let round = 0; round < 5; round++) for (const kept of appended) store.append(kept);
    const last = (store.replayAfter('s', 'a', 0) as StoredEvent[]).at(-1);
    expect(last).toEqual(appended[2]);
  });

  it('refuses bad limits', () => {
    expect(() => createProxyEventStore({ capacityPerSession: -1 })).toThrow(RangeError);
    expect(() => createProxyEventStore({ maxBytesPerSession: 1.5 })).toThrow(RangeError);
  });
});
