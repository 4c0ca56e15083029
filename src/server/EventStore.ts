import type { JsonRpcMessage } from '../jsonrpc/types.js';

/** One SSE event as the server sent it, kept so that a reconnecting client can get it again. */
export interface StoredEvent {
  /** The session the event belongs to. */
  readonly sessionId: string;
  /** The stream (one POST's SSE response, or the standalone GET stream) it was sent on. */
  readonly streamId: string;
  /** Position in the session: grows by one per event, across all streams of the session. */
  readonly seq: number;
  /** The SSE `id:` field: `<streamId>_<seq>` (see `formatEventId`). */
  readonly eventId: string;
  /** The JSON-RPC message carried in the event's `data:`. */
  readonly message: JsonRpcMessage;
}

/**
 * Where the server keeps the SSE events it sent, so that a client that lost a connection can
 * reconnect with `Last-Event-ID` and get what it missed on *that* stream.
 *
 * The interface is small on purpose, so that a store shared between processes (Redis, a
 * database) can implement it later: `append` is fire-and-forget, `replayAfter` returns any
 * `ObservableInput` (an array, a Promise of an array, an Observable).
 *
 * Every implementation must be bounded and say what it evicts.
 */
export interface EventStore {
  /** Keeps an event. Must not throw; a full store evicts (and may count) old events. */
  append(event: StoredEvent): void;
  /**
   * The events of `streamId` in `sessionId` whose `seq` is greater than `afterSeq`, oldest
   * first. Events of other streams are never returned.
   */
  replayAfter(
    sessionId: string,
    streamId: string,
    afterSeq: number,
  ): readonly StoredEvent[] | Promise<readonly StoredEvent[]>;
  /** Forgets everything kept for a session that ended. */
  deleteSession(sessionId: string): void;
}

/** Options of {@link createMemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /**
   * The most events kept per session, all streams together. When full, the oldest event of
   * the session is evicted: a client that was away longer than that resumes with a gap,
   * which `onEvict` can count.
   * @default 1000
   */
  readonly capacityPerSession?: number;
  /** Called with each evicted event, for metrics. @default none */
  readonly onEvict?: (event: StoredEvent) => void;
}

/**
 * An in-process {@link EventStore}: one ring per session, bounded by `capacityPerSession`,
 * oldest evicted first. Memory is bounded by `capacityPerSession` times the number of live
 * sessions (which the server bounds with `maxSessions`).
 *
 * ```text
 * capacity 3:  append e1 e2 e3 e4      -> keeps e2 e3 e4 (e1 evicted)
 * replayAfter(stream of e2, seq 2)     -> events of that stream with seq > 2
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { createMemoryEventStore, createStreamableHttpServer } from 'rxmcp/node';
 *
 * const server = createStreamableHttpServer({
 *   eventStore: createMemoryEventStore({ capacityPerSession: 200 }),
 * });
 * ```
 */
export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): EventStore {
  const { capacityPerSession = 1000, onEvict } = options;
  if (!(Number.isInteger(capacityPerSession) && capacityPerSession >= 0)) {
    throw new RangeError(
      `capacityPerSession must be a non-negative integer, got ${capacityPerSession}.`,
    );
  }
  // Seq numbers only grow, so an array per session is already sorted; eviction shifts the
  // head. `shift` is O(n) but n is at most the capacity (1000 by default), and replay scans
  // anyway, so a ring buffer would not change the order of cost.
  const sessions = new Map<string, StoredEvent[]>();
  return {
    append(event) {
      if (capacityPerSession === 0) return;
      const events = sessions.get(event.sessionId);
      if (events === undefined) {
        // Sized for the one event: `[]` then `push` would reserve 17 slots (~0.15 KB) in
        // every session, and most keep only a few events.
        sessions.set(event.sessionId, [event]);
        return;
      }
      events.push(event);
      while (events.length > capacityPerSession) {
        const evicted = events.shift();
        if (evicted !== undefined) onEvict?.(evicted);
      }
    },
    replayAfter(sessionId, streamId, afterSeq) {
      const events = sessions.get(sessionId) ?? [];
      return events.filter((event) => event.streamId === streamId && event.seq > afterSeq);
    },
    deleteSession(sessionId) {
      sessions.delete(sessionId);
    },
  };
}
