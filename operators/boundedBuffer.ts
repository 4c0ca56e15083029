import { Observable, Subscription, finalize, from, takeWhile } from 'rxjs';
import type { MonoTypeOperatorFunction, ObservableInput, OperatorFunction } from 'rxjs';
import { createRingQueue } from './internal/ringQueue.js';
import { BufferOverflowError } from './internal/bufferOverflowError.js';
import { validateBoundedBuffer } from './internal/validateBoundedBuffer.js';
import type { Valve } from './valve.js';

export { BufferOverflowError };

/** What {@link boundedBuffer} does with an item that arrives while the buffer is full. */
export type OverflowPolicy = 'error' | 'drop-oldest' | 'drop-newest' | 'pause';

/** Options of {@link boundedBuffer}. Every option is optional, except `valve` with `'pause'`. */
export interface BoundedBufferConfig<T, R> {
  /**
   * The slow, asynchronous consumer, like `mergeMap`'s project: called with each item and the
   * number of `consume` calls made before it (0-based; dropped items are never consumed), it
   * returns the work to do. Its values are the operator's output. An error it throws or emits
   * fails the stream.
   * @default passes the item through (`of(item)`), so the buffer never fills
   */
  readonly consume?: (item: T, index: number) => ObservableInput<R>;
  /**
   * How many `consume` calls may run at once. Results are emitted as they arrive, so they
   * keep the source order only with `1`.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * The most items that may wait for a free `consume` slot (items being consumed do not
   * count). Memory stays bounded by `capacity + concurrency` items with every policy.
   * @default 1024
   */
  readonly capacity?: number;
  /**
   * What happens when an item arrives and `capacity` items are waiting:
   * - `'error'`: the stream fails with a {@link BufferOverflowError};
   * - `'drop-oldest'`: the item at the head of the queue is discarded to make room;
   * - `'drop-newest'`: the arriving item is discarded;
   * - `'pause'`: never drops. When the queue becomes full, `valve.pause()` is called; when it
   *   drains to `resumeAt`, `valve.resume()`. A source that ignores the valve and pushes
   *   into a full queue fails the stream with a {@link BufferOverflowError} rather than
   *   growing it.
   * @default 'error'
   */
  readonly overflow?: OverflowPolicy;
  /**
   * With `'pause'`, the queue size at or below which the valve is opened again. The gap to
   * `capacity` avoids flapping the source once per item. An integer in `[0, capacity)`.
   * @default Math.floor(capacity / 2)
   */
  readonly resumeAt?: number;
  /**
   * The valve the source listens to (see {@link fromReadable}, {@link fromReadableStream}).
   * Required with `overflow: 'pause'`, rejected with any other policy (a valve nobody
   * operates is a mistake). On teardown, a pause this subscription placed is lifted so that a
   * resubscription (for example after `retry`) does not start stalled; a pause placed by
   * someone else is left alone.
   * @default none
   */
  readonly valve?: Valve;
  /**
   * With `true`, a source error waits until the queue is drained and every `consume` call has
   * finished, like completion does; with `false` it fails the stream at once and discards the
   * queue (as `mergeMap` does, and as RxJava's `onBackpressureBuffer` does by default).
   * @default false
   */
  readonly delayError?: boolean;
  /**
   * Called each time the policy acts on a full buffer: an item dropped (`dropped` is set), the
   * valve paused, or, just before the stream fails, an overflow with `'error'`. For metrics.
   * @default none
   */
  readonly onOverflow?: (event: OverflowEvent<T>) => void;
  /**
   * Called with the number of waiting items each time it changes, for fill-level gauges.
   * @default none
   */
  readonly onFill?: (size: number, capacity: number) => void;
}

/** What {@link BoundedBufferConfig.onOverflow} is told. */
export interface OverflowEvent<T> {
  /** The policy that acted. */
  readonly policy: OverflowPolicy;
  /** The discarded item, with `'drop-oldest'` and `'drop-newest'`. */
  readonly dropped?: T;
  /** The number of waiting items after the policy acted. */
  readonly size: number;
  /** The configured capacity. */
  readonly capacity: number;
}

// Two signatures, so that a call without `consume` cannot claim to produce another type, and
// one with `consume` infers its item type from the pipe rather than from the consumer alone.
/**
 * A bounded queue between a fast producer and a slow asynchronous consumer: RxJava's
 * `onBackpressureBuffer` in RxJS terms. Items wait for a free `consume` slot; when
 * `capacity` items are waiting, the `overflow` policy decides. The output completes once the
 * source has completed, the queue is drained and every `consume` has finished.
 *
 * Unsubscribing cancels the running `consume` calls and discards the queue.
 *
 * ```text
 * capacity: 2, concurrency: 1, consume: x => ----(X|)      (4 frames per item)
 *
 * source:          -abcd|
 * 'error':         ----#                  d finds b and c waiting: BufferOverflowError
 * 'drop-oldest':   -----A---C---(D|)      d evicts b
 * 'drop-newest':   -----A---B---(C|)      d is discarded
 *
 * 'pause' (resumeAt 1), the source honours the valve:
 * source:          -abc|
 * valve.paused$:   f--t-f                 paused when b and c wait, resumed when b is taken
 * result:          -----A---B---(C|)
 * ```
 *
 * Why not `mergeMap(consume, concurrency)`: mergeMap queues the items it cannot start yet in
 * an unbounded array. This operator is that queue with a limit and a policy.
 *
 * ## Example
 *
 * ```ts
 * import { interval, timer, map } from 'rxjs';
 * import { boundedBuffer } from 'rxmcp/operators';
 *
 * interval(10) // a producer ten times faster than the consumer
 *   .pipe(
 *     boundedBuffer({
 *       capacity: 5,
 *       overflow: 'drop-oldest',
 *       consume: (n) => timer(100).pipe(map(() => n)),
 *       onOverflow: ({ dropped }) => console.log('dropped', dropped),
 *     }),
 *   )
 *   .subscribe((n) => console.log('consumed', n));
 * // dropped 1, dropped 2, dropped 3, dropped 4, consumed 0, ...
 * // every item consumed after 0 is one of the 5 newest when its turn came
 * ```
 */
export function boundedBuffer<T>(
  config?: BoundedBufferConfig<T, T> & { readonly consume?: undefined },
): MonoTypeOperatorFunction<T>;
export function boundedBuffer<T, R>(
  config: BoundedBufferConfig<T, R> & Required<Pick<BoundedBufferConfig<T, R>, 'consume'>>,
): OperatorFunction<T, R>;
export function boundedBuffer<T, R>(
  config: BoundedBufferConfig<T, R> = {},
): OperatorFunction<T, R> {
  const {
    consume,
    concurrency = 1,
    capacity = 1024,
    overflow = 'error',
    valve,
    delayError = false,
    onOverflow,
    onFill,
  } = config;
  const resumeAt = config.resumeAt ?? Math.floor(capacity / 2);
  validateBoundedBuffer({
    concurrency,
    capacity,
    overflow,
    resumeAt,
    hasValve: valve !== undefined,
  });

  return (source) =>
    new Observable<R>((subscriber) => {
      const queue = createRingQueue<T>(capacity);
      const consumers = new Subscription();
      let active = 0;
      let calls = 0;
      let sourceDone = false;
      let sourceError: { readonly error: unknown } | undefined;
      let ownPause = false;
      let pumping = false;

      // User hooks run inside our handlers; a throw there must fail this stream, not vanish
      // into rxjs' unhandled-error reporter.
      const guarded = (hook: () => void): void => {
        try {
          hook();
        } catch (error) {
          subscriber.error(error);
        }
      };

      const startConsume = (item: T): void => {
        active++;
        if (consume === undefined) {
          // Performance: without a consumer the item is its own result (R is T, see the first
          // overload), and this does what consuming it with `of(item)` did, minus the
          // Observable, Subscription and finalize that cost ~0.5 µs per item: the slot is
          // taken while the item is delivered, so an item that a synchronous source pushes
          // meanwhile waits in the queue, and then handed on.
          calls++;
          subscriber.next(item as unknown as R);
          active--;
          pump();
          return;
        }
        let work: Observable<R>;
        try {
          work = from(consume(item, calls++));
        } catch (error) {
          subscriber.error(error);
          return;
        }
        // A holder that exists before subscribing, so a consume that completes synchronously
        // can already remove itself.
        const slot = new Subscription();
        consumers.add(slot);
        let completed = false;
        slot.add(
          work
            .pipe(
              // The slot is handed on only after the finished consume was torn down, as
              // mergeMap does: a consume that holds a resource (a connection, a file) has
              // released it before the next one starts, so `concurrency` bounds those too.
              finalize(() => {
                if (!completed) return;
                consumers.remove(slot);
                active--;
                pump();
              }),
            )
            .subscribe({
              next: (result) => subscriber.next(result),
              error: (error: unknown) => subscriber.error(error),
              complete: () => (completed = true),
            }),
        );
      };

      const finishIfDone = (): void => {
        if (subscriber.closed || !sourceDone || active > 0 || queue.size > 0) return;
        if (sourceError) subscriber.error(sourceError.error);
        else subscriber.complete();
      };

      // Moves waiting items into free consume slots. A loop, not recursion: a consume that
      // completes synchronously calls pump() again, which returns at once and lets this loop
      // take the next item, so the stack stays flat however long the queue.
      const pump = (): void => {
        if (pumping) return;
        pumping = true;
        try {
          while (!subscriber.closed && active < concurrency && queue.size > 0) {
            // size > 0 was checked, so this is an item even when T admits undefined. It starts
            // before anything else runs: resuming the valve can make a synchronous source emit
            // at once, and its item must not find an empty queue and a free slot and overtake.
            startConsume(queue.shift() as T);
            guarded(() => onFill?.(queue.size, capacity));
            if (ownPause && queue.size <= resumeAt) {
              ownPause = false;
              valve?.resume();
            }
          }
        } finally {
          pumping = false;
        }
        finishIfDone();
      };

      const overflowed = (item: T): void => {
        switch (overflow) {
          case 'drop-oldest': {
            const dropped = queue.shift() as T;
            queue.push(item);
            guarded(() => onOverflow?.({ policy: overflow, dropped, size: queue.size, capacity }));
            return;
          }
          case 'drop-newest':
            guarded(() =>
              onOverflow?.({ policy: overflow, dropped: item, size: queue.size, capacity }),
            );
            return;
          case 'error':
            guarded(() => onOverflow?.({ policy: overflow, size: queue.size, capacity }));
            subscriber.error(new BufferOverflowError(capacity, overflow));
            return;
          case 'pause':
            subscriber.error(new BufferOverflowError(capacity, overflow));
        }
      };

      const onItem = (item: T): void => {
        if (queue.size === 0 && active < concurrency) {
          startConsume(item);
          return;
        }
        if (!queue.push(item)) {
          overflowed(item);
          return;
        }
        guarded(() => onFill?.(queue.size, capacity));
        if (overflow === 'pause' && queue.size === capacity && !subscriber.closed) {
          // Only a pause we placed is ours to lift later.
          if (valve && !valve.isPaused) {
            ownPause = true;
            valve.pause();
          }
          guarded(() => onOverflow?.({ policy: overflow, size: queue.size, capacity }));
        }
        // A consume slot may have been freed while we were busy above (synchronous sources).
        pump();
      };

      const sourceSubscription = source
        .pipe(
          // A synchronous source (range, from(array)) emits inside subscribe(), before we hold
          // its Subscription and could unsubscribe it; this lets it see that we are finished
          // (failed, or unsubscribed downstream) and stop instead of looping on.
          takeWhile(() => !subscriber.closed),
        )
        .subscribe({
          next: onItem,
          error: (error: unknown) => {
            if (!delayError) {
              subscriber.error(error);
              return;
            }
            sourceError = { error };
            sourceDone = true;
            finishIfDone();
          },
          complete: () => {
            sourceDone = true;
            finishIfDone();
          },
        });

      return () => {
        // Source first: nothing may arrive while the rest is dismantled.
        sourceSubscription.unsubscribe();
        consumers.unsubscribe();
        queue.clear();
        if (ownPause) {
          ownPause = false;
          valve?.resume();
        }
      };
    });
}
