import { defer, filter } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { createIdWindow } from './internal/idWindow.js';
import { readProperty } from './internal/readProperty.js';

/** Options of {@link dedupeById}. Every option is optional. */
export interface DedupeByIdConfig<T, K = unknown> {
  /**
   * Extracts the id of an item. Items for which it returns `undefined` or `null` always pass
   * and are not remembered. Ids are compared like `Set` keys (`SameValueZero`), so objects
   * match only by reference.
   * @default the item's `id` property, when the item is a non-null object
   */
  readonly idOf?: (item: T) => K | null | undefined;
  /**
   * The window: how many of the most recent distinct ids to remember. When a new id would
   * exceed it, the oldest one is forgotten, and an item carrying it later passes again.
   * Memory never exceeds this many ids per subscription. Must be a whole number >= 1.
   * @default 1000
   */
  readonly capacity?: number;
  /**
   * Called for every dropped item, for metrics or logging.
   * @default none
   */
  readonly onDuplicate?: (item: T, id: K) => void;
}

/**
 * Drops items whose id was already seen within a window of the most recent ids.
 *
 * Made for replays: a resumed SSE stream may send again the events after the last id the
 * client saw, or a few before it. Unlike rxjs `distinct`, the memory is bounded: the window
 * holds the last `capacity` distinct ids, first in, first out. The window belongs to one
 * subscription (as with `distinct`); put the operator *after* a retry so that one window
 * spans every reconnect.
 *
 * ```text
 * source:  --a--b--a--c--·--a--|  (letters are ids; · has no id)
 * dedupeById({ capacity: 2 })
 * result:  --a--b-----c--·--a--|  (the 2nd a is dropped; c evicted a, so the 3rd a passes)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { of } from 'rxjs';
 * import { dedupeById } from 'rxmcp/operators';
 *
 * of({ id: '1', text: 'hello' }, { id: '2', text: 'world' }, { id: '1', text: 'hello' })
 *   .pipe(dedupeById({ onDuplicate: (_, id) => console.log(`dropped replay of ${String(id)}`) }))
 *   .subscribe((event) => console.log(event.text));
 * // hello
 * // world
 * // dropped replay of 1
 * ```
 */
export function dedupeById<T, K = unknown>(
  config: DedupeByIdConfig<T, K> = {},
): MonoTypeOperatorFunction<T> {
  const { idOf = defaultIdOf as (item: T) => K | null | undefined, capacity = 1000 } = config;
  const { onDuplicate } = config;
  if (!(Number.isInteger(capacity) && capacity >= 1)) {
    throw new RangeError(
      `dedupeById: capacity must be a whole number >= 1 (the number of ids to remember), got ${capacity}.`,
    );
  }
  return (source) =>
    defer(() => {
      const recent = createIdWindow<K>(capacity);
      return source.pipe(
        filter((item) => {
          const id = idOf(item);
          if (id === undefined || id === null) return true;
          if (recent.remember(id)) return true;
          onDuplicate?.(item, id);
          return false;
        }),
      );
    });
}

function defaultIdOf(item: unknown): unknown {
  return readProperty(item, 'id');
}
