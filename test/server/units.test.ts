import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createKeepAlive } from '../../src/server/createKeepAlive';
import { createServerSession } from '../../src/server/createServerSession';
import { createSlots } from '../../src/server/createSlots';
import { formatEventId, parseEventId } from '../../src/server/eventId';
import { createMemoryEventStore } from '../../src/server/EventStore';
import type { StoredEvent } from '../../src/server/EventStore';
import { resolveServerOptions } from '../../src/server/StreamableHttpServerOptions';

const event = (streamId: string, seq: number, sessionId = 'a'): StoredEvent => ({
  sessionId,
  streamId,
  seq,
  eventId: formatEventId(streamId, seq),
  message: { jsonrpc: '2.0', method: 'x', params: { seq } },
});

describe('server building blocks', () => {
  it('memory event store: bounded per session, oldest evicted, replays one stream only', () => {
    const evicted: number[] = [];
    const store = createMemoryEventStore({
      capacityPerSession: 3,
      onEvict: (e) => evicted.push(e.seq),
    });
    for (const e of [event('s1', 1), event('g', 2), event('s1', 3), event('s1', 4)])
      store.append(e);
    store.append(event('s1', 1, 'other'));
    expect(evicted).toEqual([1]);
    expect((store.replayAfter('a', 's1', 0) as StoredEvent[]).map((e) => e.seq)).toEqual([3, 4]);
    expect((store.replayAfter('a', 's1', 3) as StoredEvent[]).map((e) => e.seq)).toEqual([4]);
    expect((store.replayAfter('a', 'g', 0) as StoredEvent[]).map((e) => e.seq)).toEqual([2]);
    store.deleteSession('a');
    expect(store.replayAfter('a', 's1', 0)).toEqual([]);
    expect(store.replayAfter('other', 's1', 0)).toHaveLength(1);
    expect(() => createMemoryEventStore({ capacityPerSession: -1 })).toThrow(RangeError);
    const none = createMemoryEventStore({ capacityPerSession: 0 });
    none.append(event('s1', 1));
    expect(none.replayAfter('a', 's1', 0)).toEqual([]);
  });

  it('event ids name their stream and position, and only well-formed ones parse', () => {
    expect(parseEventId(formatEventId('s12', 345))).toEqual({ streamId: 's12', seq: 345 });
    expect(parseEventId('g_0')).toEqual({ streamId: 'g', seq: 0 });
    for (const bad of ['', 's1', 's1_', '_1', 's-1_2', 's1_1e3', `${'a'.repeat(40)}_1`]) {
      expect(parseEventId(bad)).toBeUndefined();
    }
  });

  it('slots admit up to the limit and release once', () => {
    const slots = createSlots(2);
    const a = slots.tryAcquire();
    const b = slots.tryAcquire();
    expect(slots.tryAcquire()).toBeUndefined();
    a?.();
    a?.();
    expect(slots.used).toBe(1);
    expect(slots.tryAcquire()).toBeDefined();
    b?.();
    expect(() => createSlots(1.5)).toThrow(RangeError);
  });

  it('options: defaults as documented, bad numbers refused at creation', () => {
    const resolved = resolveServerOptions({});
    expect(resolved).toMatchObject({
      path: '/mcp',
      host: '127.0.0.1',
      port: 0,
      responseMode: 'sse',
      maxBodyBytes: 4 * 1024 * 1024,
      sessionIdleTimeoutMs: 30 * 60 * 1000,
      maxSessions: 1000,
      maxStreams: 10_000,
      keepAliveMs: 15_000,
      shutdownTimeoutMs: 5000,
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
    });
    expect(() => resolveServerOptions({ maxSessions: -1 })).toThrow(/maxSessions/);
    expect(() => resolveServerOptions({ keepAliveMs: 0.5 })).toThrow(/keepAliveMs/);
    expect(() => resolveServerOptions({ streamQueueCapacity: 0 })).toThrow(/streamQueueCapacity/);
  });

  it('a session expires after sessionIdleTimeoutMs without activity (virtual time)', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ cold, expectObservable }) => {
      let ended = 0;
      const options = resolveServerOptions({ sessionIdleTimeoutMs: 30, scheduler: testScheduler });
      const handle = createServerSession(
        'id',
        '2025-11-25',
        options,
        createKeepAlive(options.keepAliveMs, testScheduler),
        () => ended++,
      );
      // Activity at 20 ms restarts the countdown: the session ends at 50, not 30.
      cold('20ms a').subscribe(() => handle.touch());
      expectObservable(handle.session.state$.pipe(map((state) => state.type))).toBe('i 49ms c', {
        i: 'idle',
        c: 'closed',
      });
      testScheduler.flush();
      expect(ended).toBe(1);
      expect(handle.ended).toBe(true);
    });
  });
});
