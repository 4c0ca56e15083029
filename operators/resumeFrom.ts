import { defer, tap } from 'rxjs';
import type { Observable, ObservableInput } from 'rxjs';
import { readProperty } from './internal/readProperty.js';

/** Options of {@link resumeFrom}. Every option is optional. */
export interface ResumeFromConfig<T, C = string> {
  /**
   * The cursor the first `connect` receives, for example one persisted by `onCursor` in an
   * earlier session.
   * @default undefined (start from the beginning)
   */
  readonly initialCursor?: C;
  /**
   * Reads the cursor an item carries. Return a `C` to move the cursor to it, `undefined` to
   * keep the current one, or `null` to clear it (as an SSE event with an empty `id:` field
   * clears the last event id).
   * @default the item's `id` property when it is a non-empty string; an empty string clears
   * the cursor; anything else keeps it. Pass your own when `C` is not `string`.
   */
  readonly cursorOf?: (item: T) => C | null | undefined;
  /**
   * Called whenever the cursor changes (with `undefined` when it is cleared), for example to
   * persist it in `localStorage` and pass it back as `initialCursor` next time.
   * @default none
   */
  readonly onCursor?: (cursor: C | undefined) => void;
}

/** The Observable {@link resumeFrom} returns: it also shows the cursor it will resume from. */
export interface ResumableObservable<T, C = string> extends Observable<T> {
  /** The cursor the next subscription will pass to `connect` (`undefined` when none). */
  readonly cursor: C | undefined;
}

/**
 * Makes a stream resumable: every subscription calls `connect` with the cursor of the last
 * item received so far, so a reconnect picks up where the previous connection stopped.
 *
 * **The cursor lives with the returned Observable, not with one subscription.** That is
 * deliberate: a retry operator downstream (`retry`, `retryWithJitter`) resubscribes to this
 * very Observable, and only a cursor that outlives the failed subscription can be handed to
 * the next one. The flip side: one `resumeFrom(...)` is one logical stream. For independent
 * streams (two consumers, or a fresh start for every subscriber) call `resumeFrom` once per
 * stream, for example inside `defer(() => resumeFrom(...).pipe(...))`.
 *
 * The cursor moves when an item arrives, before it is passed on, the way an `EventSource`
 * updates its last event id when it dispatches an event.
 *
 * ```text
 * connect(undefined):  --a--b--#
 * connect('b'):                --c--#
 * connect('c'):                     --d--|
 * resumeFrom(connect).pipe(retry())
 * result:              --a--b----c----d--|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { EMPTY, concat, defer, of, throwError } from 'rxjs';
 * import { resumeFrom, retryWithJitter } from 'rxmcp/operators';
 *
 * const log = [
 *   { id: '1', text: 'hello' },
 *   { id: '2', text: 'brave' },
 *   { id: '3', text: 'world' },
 * ];
 * // A server that sends one message after the cursor, then drops the connection.
 * const connect = (after: string | undefined) => {
 *   const next = log[after === undefined ? 0 : Number(after)];
 *   return next === undefined ? EMPTY : concat(of(next), throwError(() => new Error('dropped')));
 * };
 *
 * const messages$ = defer(() =>
 *   resumeFrom(connect, { onCursor: (id) => console.log(`cursor ${id}`) }).pipe(
 *     retryWithJitter({ initialDelayMs: 10 }),
 *   ),
 * );
 * messages$.subscribe((message) => console.log(message.text));
 * // cursor 1, hello, cursor 2, brave, cursor 3, world
 * ```
 */
export function resumeFrom<T, C = string>(
  connect: (cursor: C | undefined) => ObservableInput<T>,
  config: ResumeFromConfig<T, C> = {},
): ResumableObservable<T, C> {
  const { cursorOf = defaultCursorOf as (item: T) => C | null | undefined, onCursor } = config;
  let cursor = config.initialCursor;

  const stream = defer(() => connect(cursor)).pipe(
    tap((item) => {
      const next = cursorOf(item);
      if (next === undefined) return;
      const moved = next === null ? undefined : next;
      if (Object.is(moved, cursor)) return;
      cursor = moved;
      onCursor?.(cursor);
    }),
  );
  // A getter rather than a copied value: callers read the cursor at the moment they look.
  return Object.defineProperty(stream, 'cursor', {
    get: () => cursor,
    enumerable: true,
  }) as ResumableObservable<T, C>;
}

function defaultCursorOf(item: unknown): string | null | undefined {
  const id = readProperty(item, 'id');
  if (typeof id !== 'string') return undefined;
  return id === '' ? null : id;
}
