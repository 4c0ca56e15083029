/**
 * The last `capacity` distinct ids, first in, first out: what {@link dedupeById} remembers.
 * Ids compare like `Set` keys (SameValueZero: `NaN` equals `NaN`, `0` equals `-0`, objects by
 * reference).
 */
export interface IdWindow<K> {
  /**
   * Returns `false` when `id` is in the window. Otherwise adds it, forgetting the oldest id
   * when the window is full, and returns `true`. A repeated id does not become younger.
   */
  remember(id: K): boolean;
}

// Performance: this runs for every item of every deduplicated stream (every SSE event of an
// eventStream), so it is a small hash table of its own rather than a `Set` plus a FIFO of
// deletes. A V8 Set never reuses a deleted entry: about every `capacity` deletions it
// rehashes into a newly allocated table, and once the Set is old that table (40 KB for 1000
// ids) is allocated in the old generation. In bench/sse that churn, mostly paid in the
// garbage collector (mark-compacts, page faults), made the Set window cost 0.3 to 0.5 µs per
// event; this table costs about a third of that.
//
// String and number ids (the ones that occur in practice) go into one open-addressing table
// with linear probing, at most a quarter full of live ids. Forgetting the oldest id is O(1):
// the FIFO remembers the slot of each id, which is marked as a tombstone. When live ids and
// tombstones fill half the table it is cleared and refilled from the FIFO, in place, so once
// the window is full nothing is allocated at all. A probe compares a stored hash before it
// compares ids. Other ids (objects, symbols, bigints, booleans) are rare and go into a Set.
//
// A slot holds an id, `undefined` (empty) or `null` (deleted): markers that are never ids
// (dedupeById does not remember null or undefined). They are written as literals, not named
// module constants: V8 compiles `key === <module binding>` as a generic comparison that may
// compare strings character by character, and `key === undefined` as a pointer comparison.

const MIN_SLOTS = 64;
const NOT_HASHED = -1;

/** Creates an empty {@link IdWindow}. `capacity` must be a whole number >= 1. */
export function createIdWindow<K>(capacity: number): IdWindow<K> {
  const maxSlots = slotsFor(capacity);
  let keys: unknown[] = new Array<unknown>(Math.min(MIN_SLOTS, maxSlots)).fill(undefined);
  let hashes = new Int32Array(keys.length);
  let mask = keys.length - 1;
  // Slots that are not empty: live ids and tombstones.
  let used = 0;
  const others = new Set<unknown>();
  // The window in arrival order: each id, its hash and its slot (NOT_HASHED for `others`).
  // Grows to `capacity`, then is overwritten in place, oldest first.
  const order: unknown[] = [];
  const orderHashes: number[] = [];
  const orderSlots: number[] = [];
  let oldest = 0;

  const contains = (id: unknown, hash: number): boolean => {
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const key = keys[slot];
      if (key === undefined) return false;
      if (hashes[slot] === hash && (key === id || (key !== key && id !== id))) return true;
    }
  };

  // Stores `id` in the first free or deleted slot of its probe sequence.
  const place = (id: unknown, hash: number): number => {
    let slot = hash & mask;
    while (keys[slot] !== undefined && keys[slot] !== null) slot = (slot + 1) & mask;
    if (keys[slot] === undefined) used++;
    keys[slot] = id;
    hashes[slot] = hash;
    return slot;
  };

  // Drops the tombstones by refilling the table from the FIFO, growing it while the window
  // fills up.
  const rebuild = (): void => {
    const slots =
      keys.length === maxSlots
        ? maxSlots
        : Math.min(maxSlots, Math.max(MIN_SLOTS, slotsFor(order.length + 1)));
    if (slots === keys.length) {
      keys.fill(undefined);
    } else {
      keys = new Array<unknown>(slots).fill(undefined);
      hashes = new Int32Array(slots);
      mask = slots - 1;
    }
    used = 0;
    for (let i = 0; i < order.length; i++) {
      const hash = orderHashes[i] as number;
      if (hash !== NOT_HASHED && orderSlots[i] !== NOT_HASHED) {
        orderSlots[i] = place(order[i], hash);
      }
    }
  };

  return {
    remember(id) {
      const hash = hashOf(id);
      if (hash === NOT_HASHED ? others.has(id) : contains(id, hash)) return false;
      if (order.length === capacity) {
        const slot = orderSlots[oldest] as number;
        if (slot === NOT_HASHED) others.delete(order[oldest]);
        else keys[slot] = null;
        // Marked so that a rebuild before the overwrite below skips it.
        orderSlots[oldest] = NOT_HASHED;
      }
      let slot = NOT_HASHED;
      if (hash === NOT_HASHED) {
        others.add(id);
      } else {
        if ((used + 1) * 2 > keys.length) rebuild();
        slot = place(id, hash);
      }
      if (order.length < capacity) {
        order.push(id);
        orderHashes.push(hash);
        orderSlots.push(slot);
      } else {
        order[oldest] = id;
        orderHashes[oldest] = hash;
        orderSlots[oldest] = slot;
        oldest = oldest + 1 === capacity ? 0 : oldest + 1;
      }
      return true;
    },
  };
}

// A power of two at least four times `ids`: live ids fill at most a quarter of the table.
function slotsFor(ids: number): number {
  return 2 ** Math.ceil(Math.log2(ids * 4));
}

const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

/** A 30-bit hash of a string or number id, or NOT_HASHED for any other kind of id. */
function hashOf(id: unknown): number {
  if (typeof id === 'string') return hashString(id);
  if (typeof id !== 'number') return NOT_HASHED;
  // SameValueZero: every NaN is one id, and -0 is 0 (`| 0` maps both to 0).
  if (id !== id) return 0x2bad;
  if ((id | 0) === id) return mix(id);
  float[0] = id;
  return mix((floatWords[0] as number) ^ Math.imul(floatWords[1] as number, 0x9e3779b1));
}

// FNV-1a over the length and at most the last 64 characters, so that a huge id costs no
// more than a short one. Long ids that differ only further back share a hash and are told
// apart by comparison.
function hashString(id: string): number {
  let hash = 0x811c9dc5 ^ id.length;
  for (let i = Math.max(0, id.length - 64); i < id.length; i++) {
    hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  }
  return mix(hash);
}

// Spreads the bits, so that consecutive ids do not fill consecutive slots, and keeps 30 of
// them, so that a hash is a small integer on every platform (and never NOT_HASHED).
function mix(value: number): number {
  let hash = Math.imul(value ^ (value >>> 16), 0x45d9f3b);
  hash ^= hash >>> 16;
  return hash & 0x3fffffff;
}
