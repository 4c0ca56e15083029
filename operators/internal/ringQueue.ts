/**
 * A first-in, first-out queue of at most `capacity` items, stored in a ring so that `push`
 * and `shift` are O(1).
 *
 * Why not an array with `Array.prototype.shift`: that moves every remaining element, so a
 * full buffer of 100k items costs 100k moves per item taken off the head.
 *
 * The ring starts small and doubles (copying once, in order) up to `capacity`, so a queue
 * configured for a million items costs nothing until traffic actually needs the room.
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
  let slots: (T | undefined)[] = new Array<T | undefined>(Math.min(capacity, INITIAL_SLOTS));
  let head = 0;
  let size = 0;

  const grow = (): void => {
    const larger = new Array<T | undefined>(Math.min(capacity, slots.length * 2));
    for (let i = 0; i < size; i++) larger[i] = slots[(head + i) % slots.length];
    slots = larger;
    head = 0;
  };

  return {
    get size() {
      return size;
    },
    capacity,
    push(item) {
      if (size === capacity) return false;
      if (size === slots.length) grow();
      slots[(head + size) % slots.length] = item;
      size++;
      return true;
    },
    shift() {
      if (size === 0) return undefined;
      const item = slots[head];
      // Drop the reference: a drained queue must not keep a 64 KiB chunk alive.
      slots[head] = undefined;
      head = (head + 1) % slots.length;
      size--;
      return item;
    },
    clear() {
      slots = new Array<T | undefined>(Math.min(capacity, INITIAL_SLOTS));
      head = 0;
      size = 0;
    },
  };
}
