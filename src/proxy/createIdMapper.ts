import type { JsonRpcId } from '../jsonrpc/types.js';

/** Options of {@link createIdMapper}. */
export interface IdMapperOptions {
  /**
   * The most requests that may be in flight through one direction of one pipe. A request
   * over it is refused (the caller answers it with an error response), never queued.
   * @default 10_000
   */
  readonly capacity?: number;
  /** A prefix for the ids this mapper makes, so both directions are told apart in logs. @default '' */
  readonly prefix?: string;
}

/** What the mapper remembers of one request in flight. */
export interface MappedRequest {
  /** The id the sender used. */
  readonly originalId: JsonRpcId;
  /** The `_meta.progressToken` the sender used, when it gave one. */
  readonly originalToken?: JsonRpcId;
}

/**
 * One direction of id remapping: requests of one sender are given ids unique on the
 * receiver's side, and the answers are given back their original ids.
 *
 * Bounded: an entry lives from `map` until its response (`settle`), its cancellation
 * (`cancel`) or `clear()`; at most `capacity` at a time.
 */
export interface IdMapper {
  /**
   * Remembers a request; returns the id (and progress token) to send it with, or
   * `undefined` when `capacity` requests are already in flight.
   */
  map(originalId: JsonRpcId, originalToken?: JsonRpcId): { id: string; token?: string } | undefined;
  /** Forgets the request with the id we made, returning what the sender used. */
  settle(mappedId: JsonRpcId): MappedRequest | undefined;
  /**
   * The id we made for the sender's `originalId` (the latest one, if the sender reused an
   * id), forgetting it: a cancelled request is not answered.
   */
  cancel(originalId: JsonRpcId): string | undefined;
  /** The request a progress token we made belongs to (it stays in flight). */
  progress(mappedToken: JsonRpcId): MappedRequest | undefined;
  /** The request in flight when there is exactly one, else `undefined`. */
  sole(): MappedRequest | undefined;
  /** Forgets everything (the pipe ended). */
  clear(): void;
  /** Requests in flight. */
  readonly size: number;
}

/** Default of {@link IdMapperOptions.capacity}. */
export const DEFAULT_ID_MAPPER_CAPACITY = 10_000;

/**
 * Creates an {@link IdMapper}. The ids it makes are strings (`<prefix><n>`), never reused in
 * its lifetime, so no reuse by a sender (the same `id: 1` for every request, two clients
 * with the same ids) can make one response reach the wrong request.
 *
 * ## Example
 *
 * ```ts
 * const mapper = createIdMapper();
 * const a = mapper.map(1); // { id: '1' }
 * const b = mapper.map(1); // { id: '2' }: the same original id, another id upstream
 * mapper.settle(b!.id); // { originalId: 1 }
 * ```
 */
export function createIdMapper(options: IdMapperOptions = {}): IdMapper {
  const capacity = options.capacity ?? DEFAULT_ID_MAPPER_CAPACITY;
  if (!(Number.isInteger(capacity) && capacity >= 1)) {
    throw new RangeError(`IdMapper capacity must be a whole number >= 1, got ${capacity}.`);
  }
  const prefix = options.prefix ?? '';
  const byMapped = new Map<string, MappedRequest>();
  // The sender's id -> our latest id for it, for cancellations (which name the sender's id).
  const byOriginal = new Map<string, string>();
  let next = 0;

  const forget = (mapped: string): MappedRequest | undefined => {
    const entry = byMapped.get(mapped);
    if (entry === undefined) return undefined;
    byMapped.delete(mapped);
    const key = keyOf(entry.originalId);
    if (byOriginal.get(key) === mapped) byOriginal.delete(key);
    return entry;
  };

  return {
    map(originalId, originalToken) {
      if (byMapped.size >= capacity) return undefined;
      const id = `${prefix}${++next}`;
      byMapped.set(
        id,
        originalToken === undefined ? { originalId } : { originalId, originalToken },
      );
      byOriginal.set(keyOf(originalId), id);
      // The token we send is the id we made: unique, and it leads back to the entry.
      return originalToken === undefined ? { id } : { id, token: id };
    },
    settle: (mappedId) => (typeof mappedId === 'string' ? forget(mappedId) : undefined),
    cancel(originalId) {
      const mapped = byOriginal.get(keyOf(originalId));
      if (mapped !== undefined) forget(mapped);
      return mapped;
    },
    progress: (mappedToken) =>
      typeof mappedToken === 'string' ? byMapped.get(mappedToken) : undefined,
    sole: () => (byMapped.size === 1 ? byMapped.values().next().value : undefined),
    clear() {
      byMapped.clear();
      byOriginal.clear();
    },
    get size() {
      return byMapped.size;
    },
  };
}

// 1 and "1" are different ids.
function keyOf(id: JsonRpcId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
