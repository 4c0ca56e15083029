import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Observable, lastValueFrom, mergeMap } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { BufferOverflowError, boundedBuffer } from '../../operators/boundedBuffer.js';
import { fromReadable } from '../../operators/fromReadable.js';
import { createValve } from '../../operators/valve.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const CHUNK = 64 * KIB;
const CHUNKS = 16_384; // 16,384 x 64 KiB = 1 GiB
const SAMPLE_EVERY = 256; // 64 samples over the run

/**
 * A garbage collector to call between samples, without `node --expose-gc`: the flag is set at
 * run time and a fresh context picks it up. Then the flag is cleared again so nothing else in
 * this process sees a `gc` global.
 *
 * Why collect before each sample: without it, `heapUsed` includes whatever garbage the young
 * generation holds until its next scavenge (up to its semi-space size, 16 MiB and more) and
 * `arrayBuffers` includes chunks that are dead but not yet swept. The peak would then measure
 * when V8 last ran, not what the pipeline keeps alive. After a full collection only live memory
 * is left, so the growth over the baseline is exactly what the pipeline retains.
 */
function obtainGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return gc;
}
const gc = obtainGc();

/** Live memory: the JS heap plus Buffer / ArrayBuffer memory, after full collections. */
function liveBytes(): number {
  // Twice: V8 frees dead ArrayBuffers' memory on a background sweeper after a collection, so
  // right after one `gc()` `arrayBuffers` may still count up to tens of MB of dead chunks. A
  // collection first waits for the previous sweep to finish, so after the second the count
  // is exact.
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * A producer that is always ready: `read()` hands out a fresh 64 KiB chunk each time Node asks.
 * Fresh, not one reused buffer, so that a pipeline that held on to chunks would show it in
 * `arrayBuffers` (a million references to the same buffer would cost next to nothing).
 * `allocUnsafe` skips zero-filling: the content does not matter, only the bytes do.
 */
function fastReadable(chunks: number) {
  const stats = { produced: 0 };
  const readable = new Readable({
    read() {
      if (stats.produced === chunks) {
        this.push(null);
        return;
      }
      stats.produced++;
      this.push(Buffer.allocUnsafe(CHUNK));
    },
  });
  return { readable, stats };
}

/**
 * Measures a run of `chunks` chunks read with `fromReadable(readable, { valve })` through
 * `buffer(consume)`, where `consume` is a slow consumer: one chunk per turn of the event loop,
 * while the producer can fill any number of chunks in one synchronous burst.
 */
async function measure(
  chunks: number,
  buffer: (
    consume: (chunk: Uint8Array) => Observable<number>,
  ) => OperatorFunction<Uint8Array, number>,
  valve = createValve(),
) {
  const { readable, stats } = fastReadable(chunks);
  let consumed = 0;
  let bytes = 0;
  let peak = 0;
  const consume = (chunk: Uint8Array) =>
    new Observable<number>((subscriber) => {
      const handle = setImmediate(() => {
        bytes += chunk.byteLength;
        if (consumed++ % SAMPLE_EVERY === 0) peak = Math.max(peak, liveBytes());
        subscriber.next(chunk.byteLength);
        subscriber.complete();
      });
      return () => clearImmediate(handle);
    });

  const baseline = liveBytes();
  await lastValueFrom(fromReadable<Uint8Array>(readable, { valve }).pipe(buffer(consume)), {
    defaultValue: 0,
  });
  return { baseline, growth: peak - baseline, consumed, bytes, produced: stats.produced };
}

describe('backpressure: a 1 GiB fast producer into a slow consumer', () => {
  // About 5 s in a plain run. The generous timeout is for instrumented runs: under
  // --detectOpenHandles Jest records a stack trace for each of the 16k setImmediate calls.
  it("with boundedBuffer 'pause' delivers every byte while live memory stays flat", async () => {
    const valve = createValve();
    let maxFill = 0;
    let pauses = 0;
    const pausing = valve.paused$.subscribe((paused) => (pauses += paused ? 1 : 0));
    const run = await measure(
      CHUNKS,
      (consume) =>
        boundedBuffer({
          overflow: 'pause',
          valve,
          capacity: 16,
          consume,
          onFill: (size) => (maxFill = Math.max(maxFill, size)),
        }),
      valve,
    );
    pausing.unsubscribe();

    expect(run.bytes).toBe(1024 * MIB);
    expect(run.consumed).toBe(CHUNKS);
    expect(run.produced).toBe(CHUNKS);
    expect(maxFill).toBe(16);
    // The producer was held back over and over, not allowed to run ahead.
    expect(pauses).toBeGreaterThan(CHUNKS / 16);
    // 18 live chunks (16 waiting, 1 consuming, 1 in the readable) are ~1.2 MB.
    expect(run.growth).toBeLessThan(16 * MIB);
  }, 120_000);

  it('the measurement sees retention: unbounded mergeMap holds the whole burst', async () => {
    // A control for the instrument above. 512 chunks (32 MiB) are enough to show it.
    const run = await measure(512, (consume) => mergeMap(consume, 1));
    expect(run.bytes).toBe(32 * MIB);
    expect(run.growth).toBeGreaterThan(24 * MIB);
  });

  it("without 'pause', the bounded buffer fails with BufferOverflowError instead of growing", async () => {
    const { readable, stats } = fastReadable(CHUNKS);
    const slow = () => new Observable<number>(() => undefined);
    const failure = lastValueFrom(
      fromReadable<Uint8Array>(readable).pipe(boundedBuffer({ capacity: 16, consume: slow })),
    );
    await expect(failure).rejects.toBeInstanceOf(BufferOverflowError);
    // 1 consuming + 16 waiting + the one over; the teardown destroyed the producer.
    expect(stats.produced).toBeLessThan(20);
    expect(readable.destroyed).toBe(true);
  });
});
