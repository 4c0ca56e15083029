import { Buffer } from 'node:buffer';
import type { EventStore, StoredEvent } from '../server/EventStore.js';
import type { JsonRpcMessage } from '../jsonrpc/types.js';
import { encodeJson } from '../server/encodeJson.js';
import type { EncodedJson } from '../server/encodeJson.js';

/** Default of {@link ProxyEventStoreOptions.capacityPerSession}. */
export const DEFAULT_PROXY_EVENT_STORE_CAPACITY = 32;

/** Default of {@link ProxyEventStoreOptions.maxBytesPerSession}: 512 KiB. */
export const DEFAULT_PROXY_EVENT_STORE_BYTES = 512 * 1024;

/** Options of {@link createProxyEventStore}. */
export interface ProxyEventStoreOptions {
  /**
   * The most events kept per session, all streams together; the oldest is evicted first.
   * @default 32
   */
  readonly capacityPerSession?: number;
  /**
   * The most bytes of messages (UTF-8 JSON) kept per session; the oldest events are evicted
   * until the rest fit. An event larger than this alone is not kept.
   * @default 512 * 1024 (512 KiB)
   */
  readonly maxBytesPerSession?: number;
  /** Called with each evicted (or refused) event, for metrics. @default none */
  readonly onEvict?: (event: StoredEvent) => void;
}

/** Where one kept event's UTF-8 JSON sits in its session's ring. */
interface Kept {
  readonly event: Omit<StoredEvent, 'message'>;
  readonly start: number;
  readonly length: number;
}

/** One session's events: their JSON, written one after another into a ring of bytes. */
interface Ring {
  buffer: Buffer;
  /** Oldest first; in the ring they follow `head`, wrapping at the end of the buffer. */
  readonly events: Kept[];
  /** Where the next event is written. */
  head: number;
}

/** The ring's first size; it doubles (up to `maxBytesPerSession`) while it is too small. */
const FIRST_RING_BYTES = 16 * 1024;

/**
 * The {@link EventStore} of a proxy: in process, bounded per session by a count **and** by
 * bytes, each session's messages kept as UTF-8 JSON in one ring of bytes outside the
 * JavaScript heap.
 *
 * Why not `createMemoryEventStore`: a proxy relays bursts, and every event it relays passes
 * through the store. Kept as objects, the last events (32 of 16 KiB each: 512 KiB) are live at
 * every young-generation collection and are then promoted, so the garbage of a burst piles up
 * in both generations: measured with a proxy relaying 128 MiB, the heap held 25 MiB at its
 * peak. Here a message is encoded straight into the ring (`encodeJson`: its long strings are
 * not copied into a JSON text first), the ring is allocated once per session (growing by
 * doubling up to the limit) and never becomes garbage, the bound is exact, and a replay (rare:
 * a client resuming) pays the parse.
 *
 * ```text
 * count 3, bytes 40:  append a(10) b(10) c(10) d(25) -> keeps c d (a: count, b: bytes)
 * replayAfter(stream of c, seq of b)                 -> c, parsed again
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { createProxyEventStore, proxyStdio } from 'rxmcp/node';
 *
 * const proxy = proxyStdio({
 *   server: { command: 'node', args: ['server.js'] },
 *   eventStore: createProxyEventStore({ maxBytesPerSession: 2 * 1024 * 1024 }),
 * });
 * ```
 */
export function createProxyEventStore(options: ProxyEventStoreOptions = {}): EventStore {
  const capacity = options.capacityPerSession ?? DEFAULT_PROXY_EVENT_STORE_CAPACITY;
  const maxBytes = options.maxBytesPerSession ?? DEFAULT_PROXY_EVENT_STORE_BYTES;
  for (const [name, value] of [
    ['capacityPerSession', capacity],
    ['maxBytesPerSession', maxBytes],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new RangeError(`${name} must be a whole number >= 0, got ${value}.`);
    }
  }
  const { onEvict } = options;
  const sessions = new Map<string, Ring>();

  const restore = (ring: Ring, { event, start, length }: Kept): StoredEvent => ({
    ...event,
    message: JSON.parse(ring.buffer.toString('utf8', start, start + length)) as JsonRpcMessage,
  });

  const evictOldest = (ring: Ring): void => {
    const evicted = ring.events[0];
    if (evicted === undefined) return;
    if (onEvict !== undefined) onEvict(restore(ring, evicted));
    ring.events.shift();
  };

  /** A bigger buffer with the kept events packed at its start, oldest first. */
  const grow = (ring: Ring, needed: number): void => {
    let size = ring.buffer.length;
    while (size < needed) size = Math.min(maxBytes, size * 2);
    const buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    ring.events.forEach((kept, index) => {
      ring.buffer.copy(buffer, offset, kept.start, kept.start + kept.length);
      ring.events[index] = { ...kept, start: offset };
      offset += kept.length;
    });
    ring.buffer = buffer;
    ring.head = offset;
  };

  /** Frees room for `length` bytes and returns where they go. */
  const reserve = (ring: Ring, length: number): number => {
    const used = ring.events.reduce((sum, kept) => sum + kept.length, 0);
    if (ring.buffer.length < maxBytes && ring.head + length > ring.buffer.length) {
      grow(ring, Math.min(maxBytes, used + length));
    }
    let start = ring.head;
    if (start + length > ring.buffer.length) {
      // Wrap: the events between the head and the end are the oldest; they go first.
      while (ring.events.length > 0 && (ring.events[0] as Kept).start >= start) {
        evictOldest(ring);
      }
      start = 0;
    }
    const end = start + length;
    while (ring.events.length > 0) {
      const oldest = ring.events[0] as Kept;
      if (oldest.start >= end || oldest.start + oldest.length <= start) break;
      evictOldest(ring);
    }
    return start;
  };

  return {
    append(event) {
      if (capacity === 0 || maxBytes === 0) return;
      const { message, ...rest } = event;
      let encoded: EncodedJson;
      try {
        encoded = encodeJson(message);
      } catch {
        // Not JSON (a BigInt, a cycle): the SSE writer will say so; the store must not throw.
        onEvict?.(event);
        return;
      }
      const length = encoded.bytes;
      if (length > maxBytes) {
        onEvict?.(event);
        return;
      }
      let ring = sessions.get(event.sessionId);
      if (ring === undefined) {
        ring = {
          buffer: Buffer.allocUnsafe(Math.min(maxBytes, FIRST_RING_BYTES)),
          events: [],
          head: 0,
        };
        sessions.set(event.sessionId, ring);
      }
      while (ring.events.length >= capacity) evictOldest(ring);
      if (ring.events.length === 0) ring.head = 0;
      const start = reserve(ring, length);
      encoded.writeTo(ring.buffer, start);
      ring.events.push({ event: rest, start, length });
      ring.head = start + length;
    },
    replayAfter(sessionId, streamId, afterSeq) {
      const ring = sessions.get(sessionId);
      if (ring === undefined) return [];
      return ring.events
        .filter(({ event }) => event.streamId === streamId && event.seq > afterSeq)
        .map((kept) => restore(ring, kept));
    },
    deleteSession(sessionId) {
      sessions.delete(sessionId);
    },
  };
}
