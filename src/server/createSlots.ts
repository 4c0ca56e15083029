/** A counting semaphore without waiting: take a slot now or be told there is none. */
export interface Slots {
  /** Takes a slot; returns the function that gives it back (idempotent), or `undefined` when all are taken. */
  tryAcquire(): (() => void) | undefined;
  /** Slots in use. */
  readonly used: number;
  /** The limit. */
  readonly limit: number;
}

/**
 * Admission control for sessions and streams. Exact under any concurrency because Node runs
 * the check and the increment in one synchronous step: no request can come between them.
 * Giving back is idempotent, so a release wired to several end events ('close', 'finish',
 * unsubscribe) frees the slot once.
 */
export function createSlots(limit: number): Slots {
  if (!(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`A limit must be a non-negative integer, got ${limit}.`);
  }
  let used = 0;
  return {
    tryAcquire() {
      if (used >= limit) return undefined;
      used++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        used--;
      };
    },
    get used() {
      return used;
    },
    limit,
  };
}
