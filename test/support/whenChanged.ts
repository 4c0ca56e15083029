import type { EventEmitter } from 'node:events';

/**
 * Resolves with what `find` returns once it returns something, checked now and again on every
 * `'change'` event of `changes` (the test servers and clients emit one whenever what they
 * record grows): a test waits on the event, never with a sleep.
 */
export function untilFound<T>(changes: EventEmitter, find: () => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const check = (): void => {
      const found = find();
      if (found === undefined) return;
      changes.off('change', check);
      resolve(found);
    };
    changes.on('change', check);
    check();
  });
}

/** Resolves once `condition` holds (see {@link untilFound}). */
export async function untilTrue(changes: EventEmitter, condition: () => boolean): Promise<void> {
  await untilFound(changes, () => (condition() ? true : undefined));
}
