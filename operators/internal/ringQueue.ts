/**
 * A first-in, first-out queue of at most `capacity` items, stored in a ring so that `push`
 * and `shift` are O(1).
 *
 * Why not an array with `Array.prototype.shift`: that moves every remaining element, so a
 * full buffer of 100k items costs 100k moves per item taken off the head.
 *
 * The ring starts empty, takes 16 slots on the first push and doubles (copying once, in order)
 * up to `capacity`, so a queue configured for a million items costs nothing until traffic
 * actually needs the room.
 */
export interface RingQueue<T> {
  /** How many items are waiting. */
  readonly size: number;
  /** The most items the queue holds. */
  readonly capacity: number;
  /** Appends `item` at the tail. Returns `false`, and keeps nothing, when the queue is full. */
  push(item: T): boolean;
  /**
   * Takes the item at the head, or `undefined` when the queue is empty (check `size` first
   * when `undefined` is a legitimate item).
   */
  shift(): T | undefined;
  /** Forgets every item, releasing the references so they can be garbage collected. */
  clear(): void;
}

const INITIAL_SLOTS = 16;

/** Creates an empty {@link RingQueue}. `capacity` must be a positive integer. */
export function createRingQueue<T>(capacity: number): RingQueue<T> {
  // No slots until the first push: a queue in front of a consumer that keeps up (an SSE
  // connection, most of the time) never needs any, and thousands of them may be alive.
  let slots: (T | undefined)[] = [];
  let head = 0;

  const grow = (): void => {
    const larger = new Array<T | undefined>(
      Math.min(capacity, Math.max(INITIAL_SLOTS, slots.length * 2)),
    );
    for (let i = 0; i < queue.size; i++) larger[i] = slots[(head + i) % slots.length];
    slots = larger;
    head = 0;
  };

  // `size` is a data property, not a getter: V8 keeps an object literal with an accessor as a
  // dictionary, about 0.5 KB more per queue.
  const queue: { -readonly [K in keyof RingQueue<T>]: RingQueue<T>[K] } = {
    size: 0,
    capacity,
    push(item) {
      if (queue.size === capacity) return false;
      if (queue.size === slots.length) grow();
      slots[(head + queue.size) % slots.length] = item;
      queue.size++;
      return true;
    },
    shift() {
      if (queue.size === 0) return undefined;
      const item = slots[head];
      // Drop the reference: a drained queue must not keep a 64 KiB chunk alive.
      slots[head] = undefined;
      head = (head + 1) % slots.length;
      queue.size--;
      return item;
    },
    clear() {
      slots = [];
      head = 0;
      queue.size = 0;
    },
  };
  return queue;
}
