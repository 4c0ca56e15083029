import { Observable, of } from 'rxjs';
import type { Valve } from './valve.js';

/** Options of {@link fromReadable}. */
export interface FromReadableOptions {
  /**
   * Flow control: while the valve is paused the readable is paused (`readable.pause()`), so
   * its own buffer fills up to its high-water mark and its producer stops (a child process
   * blocks on a full pipe, a socket stops reading from the kernel).
   * @default none: the readable flows as fast as it produces
   */
  readonly valve?: Valve;
  /**
   * Whether tearing down the subscription destroys the readable. Unsubscribing is the
   * destructor (the subscriber is meant to be the only reader), so the default frees the
   * file descriptor, socket or pipe. With `false` the readable is left paused instead, with
   * every unread chunk kept for the next reader.
   * @default true
   */
  readonly destroyOnUnsubscribe?: boolean;
}

/**
 * The part of a Node.js `Readable` that {@link fromReadable} uses. Declared here, not
 * imported from `node:stream`, so that `rxmcp/operators` stays browser-safe; any stream
 * that implements this shape (a `readable-stream` polyfill, a child's stdout) fits.
 */
export interface ReadableLike {
  /** Adds a listener for `'data'`, `'end'`, `'error'` or `'close'`. */
  on(event: 'data' | 'end' | 'error' | 'close', listener: (arg: unknown) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(
    event: 'data' | 'end' | 'error' | 'close',
    listener: (arg: unknown) => void,
  ): unknown;
  /** Stops emitting `'data'` until `resume()`. */
  pause(): unknown;
  /** Emits `'data'` again (and starts the flow of a stream that was never read). */
  resume(): unknown;
  /** Releases the underlying resource. */
  destroy?(): unknown;
  /** `true` once `'end'` was emitted. */
  readonly readableEnded?: boolean;
  /** `true` once the stream was destroyed. */
  readonly destroyed?: boolean;
  /** The error the stream failed with, if any (`null` otherwise). */
  readonly errored?: unknown;
}

/**
 * Reads a Node.js `Readable` (or anything shaped like {@link ReadableLike}) as an
 * Observable of its chunks: each `'data'` chunk is a value, `'end'` completes, `'error'`
 * fails. A `'close'` before `'end'` (the stream was destroyed under us) fails too, so the
 * Observable never hangs on a dead stream. Cold: nothing is read before subscription.
 *
 * Listeners are attached synchronously on subscription; a `Readable` emits data only on a
 * later tick, so chunks written earlier are not missed. A stream that already ended completes
 * at once; one that already failed or was destroyed fails at once.
 *
 * Teardown removes every listener it added and destroys the stream (see
 * `destroyOnUnsubscribe`).
 *
 * ```text
 * readable:  --c1--c2--c3--end
 * result:    --c1--c2--c3--|
 *
 * valve:     f-----t---f          paused: readable.pause(); resumed: readable.resume()
 * readable:  --c1--.....c2--end   (chunks wait in the readable's own buffer)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { spawn } from 'node:child_process';
 * import { boundedBuffer, createValve, fromReadable } from 'rxmcp/operators';
 *
 * const child = spawn('cat', ['big.log']);
 * const valve = createValve();
 * fromReadable<Uint8Array>(child.stdout, { valve })
 *   .pipe(boundedBuffer({ overflow: 'pause', valve, capacity: 16, consume: (chunk) => upload(chunk) }))
 *   .subscribe({ complete: () => console.log('uploaded') });
 * ```
 */
export function fromReadable<T = Uint8Array>(
  readable: ReadableLike,
  options: FromReadableOptions = {},
): Observable<T> {
  const { valve, destroyOnUnsubscribe = true } = options;
  return new Observable<T>((subscriber) => {
    // A stream that is already settled emits nothing more; waiting for it would hang.
    if (readable.errored) {
      subscriber.error(readable.errored);
      return;
    }
    if (readable.readableEnded) {
      subscriber.complete();
      return;
    }
    if (readable.destroyed) {
      subscriber.error(new Error('fromReadable: the stream was destroyed before it ended.'));
      return;
    }

    // The element type is the caller's promise: a structural stream cannot say what it
    // carries (Buffer, string after setEncoding, objects in object mode).
    const onData = (chunk: unknown): void => subscriber.next(chunk as T);
    const onEnd = (): void => subscriber.complete();
    const onError = (error: unknown): void => subscriber.error(error);
    const onClose = (): void =>
      subscriber.error(
        new Error(
          'fromReadable: the stream closed before it ended (it was destroyed, or the other ' +
            'side went away). Nothing more will arrive.',
        ),
      );

    readable.on('end', onEnd);
    readable.on('error', onError);
    readable.on('close', onClose);
    // A Node Readable starts flowing as soon as a 'data' listener is added, unless it was
    // paused explicitly; pausing first keeps a closed valve closed from the very start.
    if (valve?.isPaused) readable.pause();
    readable.on('data', onData);
    // Replays the current state at once. Without a valve we still resume: a stream that its
    // owner paused before handing it over would otherwise never flow.
    const flow = (valve?.paused$ ?? of(false)).subscribe((paused) =>
      paused ? readable.pause() : readable.resume(),
    );

    return () => {
      flow.unsubscribe();
      readable.removeListener('data', onData);
      readable.removeListener('end', onEnd);
      readable.removeListener('error', onError);
      readable.removeListener('close', onClose);
      if (destroyOnUnsubscribe) readable.destroy?.();
      // Without a 'data' listener a flowing stream would read chunks into the void.
      else readable.pause();
    };
  });
}
