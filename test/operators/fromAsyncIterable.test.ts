import { Readable } from 'node:stream';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { fromAsyncIterable } from '../../operators/fromAsyncIterable.js';
import { createValve } from '../../operators/valve.js';

/** Lets the event loop turn: gives a producer that should stay idle the chance not to. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An async generator of 0..count-1 that records how far it was asked and whether it ended. */
function counting(count: number) {
  const stats = { produced: 0, finalized: false };
  async function* generate() {
    try {
      for (let n = 0; n < count; n++) {
        stats.produced++;
        yield n;
      }
    } finally {
      stats.finalized = true;
    }
  }
  return { iterable: generate(), stats };
}

describe('fromAsyncIterable', () => {
  it('emits every value and completes', async () => {
    const { iterable, stats } = counting(4);
    await expect(lastValueFrom(fromAsyncIterable(iterable).pipe(toArray()))).resolves.toEqual([
      0, 1, 2, 3,
    ]);
    expect(stats.finalized).toBe(true);
  });

  it('reads a Node stream body as an async iterable', async () => {
    const body = Readable.from([Buffer.from('node '), Buffer.from('body')]);
    const chunks = await lastValueFrom(fromAsyncIterable<Buffer>(body).pipe(toArray()));
    expect(Buffer.concat(chunks).toString()).toBe('node body');
  });

  it('passes an error thrown by the producer on', async () => {
    async function* failing() {
      yield 'ok';
      throw new Error('producer failed');
    }
    const seen: string[] = [];
    const error = await new Promise((resolve) =>
      fromAsyncIterable(failing()).subscribe({ next: (v) => seen.push(v), error: resolve }),
    );
    expect(error).toEqual(new Error('producer failed'));
    expect(seen).toEqual(['ok']);
  });

  it('calls return() on unsubscribe, so the producer runs its cleanup', async () => {
    const { iterable, stats } = counting(Infinity);
    await expect(
      lastValueFrom(fromAsyncIterable(iterable).pipe(take(3), toArray())),
    ).resolves.toEqual([0, 1, 2]);
    await turn();
    expect(stats.finalized).toBe(true);
    expect(stats.produced).toBe(3);
  });

  it('copes with an iterator without return(), and with a failing one', async () => {
    const plain: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: async () => ({ value: 1, done: false }) }),
    };
    await expect(firstValueFrom(fromAsyncIterable(plain))).resolves.toBe(1);

    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const failingReturn: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ value: 2, done: false }),
        return: async () => {
          throw new Error('cleanup failed');
        },
      }),
    };
    await expect(firstValueFrom(fromAsyncIterable(failingReturn))).resolves.toBe(2);
    await turn();
    process.off('unhandledRejection', onRejection);
    expect(rejections).toEqual([]);
  });

  it('does not call next() while the valve is paused', async () => {
    const { iterable, stats } = counting(50);
    const valve = createValve();
    const received: number[] = [];
    const done = new Promise<void>((resolve, reject) =>
      fromAsyncIterable(iterable, { valve }).subscribe({
        next: (n) => {
          received.push(n);
          if (n === 5) valve.pause();
        },
        error: reject,
        complete: resolve,
      }),
    );
    // A generator runs only when asked: two idle turns of the event loop must not move it.
    await turn();
    await turn();
    expect(received).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stats.produced).toBe(6);
    valve.resume();
    await done;
    expect(received).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });
});
