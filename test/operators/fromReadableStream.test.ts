import { Observable, firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import { boundedBuffer } from '../../operators/boundedBuffer.js';
import { fromReadableStream } from '../../operators/fromReadableStream.js';
import { createValve } from '../../operators/valve.js';

/** Lets the event loop turn: gives a stream that should stay quiet the chance not to. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Emits `value` on the next turn of the event loop: a consumer slower than any stream. */
const later = <T>(value: T) =>
  new Observable<T>((subscriber) => {
    const handle = setImmediate(() => {
      subscriber.next(value);
      subscriber.complete();
    });
    return () => clearImmediate(handle);
  });

/**
 * A pull-based stream of 0..count-1 with a queue of `highWaterMark` items. It counts how often
 * the stream asks its source for more, and says when its queue is full: that happens only
 * when nobody reads.
 */
function countingStream(count: number, highWaterMark = 4, onPull?: (pulls: number) => void) {
  const stats = { pulls: 0, cancelled: false as boolean | unknown };
  let next = 0;
  let signalFull: () => void = () => undefined;
  const full = new Promise<void>((resolve) => (signalFull = resolve));
  const stream = new ReadableStream<number>(
    {
      pull(controller) {
        stats.pulls++;
        onPull?.(stats.pulls);
        controller.enqueue(next++);
        if (next === count) controller.close();
        else if ((controller.desiredSize ?? 0) <= 0) signalFull();
      },
      cancel(reason) {
        stats.cancelled = reason ?? true;
      },
    },
    new CountQueuingStrategy({ highWaterMark }),
  );
  return { stream, stats, full };
}

describe('fromReadableStream', () => {
  it('emits every chunk, completes on close and releases the lock', async () => {
    const { stream } = countingStream(5);
    await expect(lastValueFrom(fromReadableStream(stream).pipe(toArray()))).resolves.toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(stream.locked).toBe(false);
  });

  it('reads a real byte body', async () => {
    const body = new Response('streamed text').body!;
    const chunks = await lastValueFrom(fromReadableStream(body).pipe(toArray()));
    expect(Buffer.concat(chunks).toString()).toBe('streamed text');
  });

  it('is cold: the stream is locked only on subscription', () => {
    const { stream } = countingStream(5);
    const chunks$ = fromReadableStream(stream);
    expect(stream.locked).toBe(false);
    const subscription = chunks$.subscribe();
    expect(stream.locked).toBe(true);
    subscription.unsubscribe();
    expect(stream.locked).toBe(false);
  });

  it('passes the stream error on after the chunks before it, and releases the lock', async () => {
    const stream = new ReadableStream<string>({
      start: (controller) => controller.enqueue('first'),
      pull: (controller) => controller.error(new Error('socket reset')),
    });
    const seen: string[] = [];
    const error = await new Promise((resolve) =>
      fromReadableStream(stream).subscribe({ next: (v) => seen.push(v), error: resolve }),
    );
    expect(error).toEqual(new Error('socket reset'));
    expect(seen).toEqual(['first']);
    expect(stream.locked).toBe(false);
  });

  it('fails the subscription when the stream is already locked', async () => {
    const { stream } = countingStream(3);
    const reader = stream.getReader();
    // Node's TypeError comes from another realm than Jest's, so compare by name.
    await expect(lastValueFrom(fromReadableStream(stream))).rejects.toMatchObject({
      name: 'TypeError',
      message: expect.stringMatching(/locked/),
    });
    reader.releaseLock();
  });

  describe('unsubscribe', () => {
    it('cancels the stream and releases the lock', async () => {
      const { stream, stats } = countingStream(1_000);
      await expect(firstValueFrom(fromReadableStream(stream))).resolves.toBe(0);
      expect(stats.cancelled).toBe(true);
      expect(stream.locked).toBe(false);
    });

    it('cancels a read that is still waiting for data', async () => {
      let cancelled = false;
      const silent = new ReadableStream<string>({ cancel: () => void (cancelled = true) });
      const subscription = fromReadableStream(silent).subscribe();
      await turn();
      subscription.unsubscribe();
      expect(cancelled).toBe(true);
      expect(silent.locked).toBe(false);
    });

    it('with cancelOnUnsubscribe: false only releases the lock, so reading can go on', async () => {
      const { stream, stats } = countingStream(6);
      const options = { cancelOnUnsubscribe: false };
      const head = await lastValueFrom(
        fromReadableStream(stream, options).pipe(take(2), toArray()),
      );
      expect(head).toEqual([0, 1]);
      expect(stats.cancelled).toBe(false);
      expect(stream.locked).toBe(false);
      const rest = await lastValueFrom(fromReadableStream(stream, options).pipe(toArray()));
      expect(rest).toEqual([2, 3, 4, 5]);
    });

    it('does not report a failing cancel hook as an unhandled rejection', async () => {
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      const stream = new ReadableStream<number>({
        pull: (controller) => controller.enqueue(1),
        cancel: () => Promise.reject(new Error('cannot cancel')),
      });
      await firstValueFrom(fromReadableStream(stream));
      await turn();
      process.off('unhandledRejection', onRejection);
      expect(rejections).toEqual([]);
    });
  });

  describe('with a valve', () => {
    it('makes no read() while paused, so the stream stops pulling from its source', async () => {
      const { stream, stats, full } = countingStream(100);
      const valve = createValve();
      const received: number[] = [];
      const done = new Promise<void>((resolve, reject) =>
        fromReadableStream(stream, { valve }).subscribe({
          next: (n) => {
            received.push(n);
            if (n === 10) valve.pause();
          },
          error: reject,
          complete: resolve,
        }),
      );

      // Unread, the stream's queue reaches its high-water mark and it stops pulling.
      await full;
      const pullsWhenFull = stats.pulls;
      await turn();
      await turn();
      expect(stats.pulls).toBe(pullsWhenFull);
      expect(received).toEqual(Array.from({ length: 11 }, (_, n) => n));
      // 11 delivered + 4 queued in the stream.
      expect(pullsWhenFull).toBe(15);

      valve.resume();
      await done;
      expect(received).toEqual(Array.from({ length: 100 }, (_, n) => n));
    });

    it("keeps the whole pipeline bounded through boundedBuffer 'pause'", async () => {
      let consumed = 0;
      let maxInFlight = 0;
      // Pulled from the source but not yet consumed: wherever they wait, they take memory.
      const { stream } = countingStream(300, 4, (pulls) => {
        maxInFlight = Math.max(maxInFlight, pulls - consumed);
      });
      const valve = createValve();
      const result = await lastValueFrom(
        fromReadableStream(stream, { valve }).pipe(
          boundedBuffer({
            overflow: 'pause',
            valve,
            capacity: 4,
            consume: (n: number) => later(n).pipe(tap({ complete: () => consumed++ })),
          }),
          toArray(),
        ),
      );
      expect(result).toEqual(Array.from({ length: 300 }, (_, n) => n));
      // At most: 4 in the stream's queue + 1 read in transit + 4 in the buffer + 1 consuming.
      expect(maxInFlight).toBeLessThanOrEqual(10);
      expect(maxInFlight).toBeGreaterThanOrEqual(8);
    });
  });
});
