import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { Observable, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { boundedBuffer } from '../../operators/boundedBuffer.js';
import { fromReadable } from '../../operators/fromReadable.js';
import { createValve } from '../../operators/valve.js';

const EVENTS = ['data', 'end', 'error', 'close', 'readable'] as const;
const listenerCounts = (stream: Readable) => EVENTS.map((event) => stream.listenerCount(event));

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

/** An object-mode Readable of 0..count-1 that counts how often Node asks it for more. */
function countingReadable(count: number, highWaterMark = 4) {
  const stats = { reads: 0 };
  let next = 0;
  let signalFull: () => void = () => undefined;
  const full = new Promise<void>((resolve) => (signalFull = resolve));
  const readable = new Readable({
    objectMode: true,
    highWaterMark,
    read() {
      stats.reads++;
      if (next === count) {
        this.push(null);
        return;
      }
      // push() returns false once the stream's own buffer holds highWaterMark items, which
      // only happens when nobody takes them out: the stream is paused.
      if (!this.push(next++)) signalFull();
    },
  });
  return { readable, stats, full };
}

describe('fromReadable', () => {
  it('emits every chunk of a Readable, completes on end and removes its listeners', async () => {
    const readable = Readable.from(['a', 'b', 'c']);
    const before = listenerCounts(readable);
    await expect(lastValueFrom(fromReadable<string>(readable).pipe(toArray()))).resolves.toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(listenerCounts(readable)).toEqual(before);
  });

  it('reads a PassThrough written after subscription', async () => {
    const stream = new PassThrough();
    const all = lastValueFrom(fromReadable<Buffer>(stream).pipe(toArray()));
    stream.write('hello ');
    stream.end('world');
    expect(Buffer.concat(await all).toString()).toBe('hello world');
  });

  it('misses nothing written, or ended, before subscription', async () => {
    const stream = new PassThrough();
    stream.write('early ');
    stream.end('bird');
    const chunks = await lastValueFrom(fromReadable<Buffer>(stream).pipe(toArray()));
    expect(Buffer.concat(chunks).toString()).toBe('early bird');
  });

  it('reads a stream its owner had paused', async () => {
    const stream = new PassThrough();
    stream.pause();
    stream.end('paused before');
    const chunks = await lastValueFrom(fromReadable<Buffer>(stream).pipe(toArray()));
    expect(Buffer.concat(chunks).toString()).toBe('paused before');
  });

  it('fails with the stream error and removes its listeners', async () => {
    const stream = new PassThrough();
    const before = listenerCounts(stream);
    const done = lastValueFrom(fromReadable(stream));
    stream.destroy(new Error('disk on fire'));
    await expect(done).rejects.toThrow('disk on fire');
    expect(listenerCounts(stream)).toEqual(before);
  });

  it('fails when the stream closes before it ended', async () => {
    const stream = new PassThrough();
    const done = lastValueFrom(fromReadable(stream));
    stream.write('partial');
    stream.destroy();
    await expect(done).rejects.toThrow(/closed before it ended/);
  });

  describe('a stream that is already settled', () => {
    it('completes at once when it already ended', async () => {
      const stream = Readable.from(['x']);
      stream.resume();
      await once(stream, 'end');
      await expect(lastValueFrom(fromReadable(stream).pipe(toArray()))).resolves.toEqual([]);
      expect(listenerCounts(stream)).toEqual([0, 0, 0, 0, 0]);
    });

    it('fails at once with the error it failed with', async () => {
      const stream = new PassThrough();
      const closed = new Promise((resolve) => stream.on('close', resolve));
      stream.on('error', () => undefined);
      stream.destroy(new Error('earlier failure'));
      await closed;
      await expect(lastValueFrom(fromReadable(stream))).rejects.toThrow('earlier failure');
    });

    it('fails at once when it was destroyed', async () => {
      const stream = new PassThrough();
      stream.destroy();
      await expect(lastValueFrom(fromReadable(stream))).rejects.toThrow(/destroyed before/);
    });
  });

  describe('unsubscribe', () => {
    it('destroys the stream by default and removes every listener', async () => {
      const stream = new PassThrough();
      const before = listenerCounts(stream);
      const first = firstValueFrom(fromReadable<Buffer>(stream));
      stream.write('one');
      stream.write('two');
      expect((await first).toString()).toBe('one');
      expect(stream.destroyed).toBe(true);
      await once(stream, 'close');
      expect(listenerCounts(stream)).toEqual(before);
    });

    it('with destroyOnUnsubscribe: false leaves the stream paused, keeping unread data', async () => {
      const stream = new Readable({ objectMode: true, read: () => undefined });
      for (const item of ['a', 'b', 'c']) stream.push(item);
      stream.push(null);
      const options = { destroyOnUnsubscribe: false };
      const head = await lastValueFrom(fromReadable<string>(stream, options).pipe(take(1)));
      expect(head).toBe('a');
      expect(stream.destroyed).toBe(false);
      expect(stream.isPaused()).toBe(true);
      expect(listenerCounts(stream)).toEqual([0, 0, 0, 0, 0]);
      const rest = await lastValueFrom(fromReadable<string>(stream, options).pipe(toArray()));
      expect(rest).toEqual(['b', 'c']);
    });
  });

  describe('with a valve', () => {
    it('stops reading from the stream while paused and reads on after resume', async () => {
      const { readable, stats, full } = countingReadable(100);
      const valve = createValve();
      const received: number[] = [];
      const done = new Promise<void>((resolve, reject) =>
        fromReadable<number>(readable, { valve }).subscribe({
          next: (n) => {
            received.push(n);
            if (n === 10) valve.pause();
          },
          error: reject,
          complete: resolve,
        }),
      );

      // Paused, the stream fills its own buffer to highWaterMark, then Node stops asking.
      await full;
      expect(readable.isPaused()).toBe(true);
      expect(readable.readableLength).toBe(4);
      const readsWhenFull = stats.reads;
      await turn();
      await turn();
      expect(stats.reads).toBe(readsWhenFull);
      expect(received).toEqual(Array.from({ length: 11 }, (_, n) => n));

      valve.resume();
      await done;
      expect(received).toEqual(Array.from({ length: 100 }, (_, n) => n));
    });

    it('reads nothing until a valve that starts paused is opened', async () => {
      const { readable, stats } = countingReadable(10, 2);
      const valve = createValve({ paused: true });
      const received: number[] = [];
      const done = new Promise<void>((resolve, reject) =>
        fromReadable<number>(readable, { valve }).subscribe({
          next: (n) => received.push(n),
          error: reject,
          complete: resolve,
        }),
      );
      // A stream paused before anyone listened is never asked for data, not even to fill
      // its buffer. Two turns of the event loop give it the chance to misbehave.
      await turn();
      await turn();
      expect(stats.reads).toBe(0);
      expect(received).toEqual([]);
      valve.resume();
      await done;
      expect(received).toEqual(Array.from({ length: 10 }, (_, n) => n));
    });

    it("feeds a slow consumer through boundedBuffer 'pause' without loss or overflow", async () => {
      const { readable } = countingReadable(500, 8);
      const valve = createValve();
      let pauses = 0;
      const pausing = valve.paused$.subscribe((paused) => (pauses += paused ? 1 : 0));
      let maxFill = 0;
      const consumed = await lastValueFrom(
        fromReadable<number>(readable, { valve }).pipe(
          boundedBuffer({
            overflow: 'pause',
            valve,
            capacity: 4,
            consume: later,
            onFill: (size) => (maxFill = Math.max(maxFill, size)),
          }),
          toArray(),
        ),
      );
      pausing.unsubscribe();
      expect(consumed).toEqual(Array.from({ length: 500 }, (_, n) => n));
      expect(maxFill).toBe(4);
      expect(pauses).toBeGreaterThan(10);
      expect(valve.isPaused).toBe(false);
    });

    it("reads a child's stdout through a slow consumer; the child waits on the full pipe", async () => {
      // The child writes 4 MiB as fast as the pipe takes it and reports when it is done.
      const script =
        'const chunk = Buffer.alloc(64 * 1024, 120); let left = 64;' +
        'const write = () => { while (left > 0) { left--; if (!process.stdout.write(chunk)) ' +
        "return process.stdout.once('drain', write); } };" +
        'write();';
      const child = spawn(process.execPath, ['-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = once(child, 'exit');
      const valve = createValve();
      let pauses = 0;
      const pausing = valve.paused$.subscribe((paused) => (pauses += paused ? 1 : 0));
      const sizes = await lastValueFrom(
        fromReadable<Buffer>(child.stdout, { valve }).pipe(
          boundedBuffer({
            overflow: 'pause',
            valve,
            capacity: 2,
            consume: (chunk) => later(chunk.length),
          }),
          toArray(),
        ),
      );
      pausing.unsubscribe();
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(4 * 1024 * 1024);
      expect(pauses).toBeGreaterThan(0);
      expect(await exited).toEqual([0, null]);
    });

    it('stops listening to the valve on unsubscribe', () => {
      const stream = new PassThrough();
      const valve = createValve();
      const subscription = fromReadable(stream, { valve, destroyOnUnsubscribe: false }).subscribe();
      subscription.unsubscribe();
      expect(stream.readableFlowing).toBe(false);
      valve.pause();
      valve.resume();
      // A valve listener left behind would have set the stream flowing again.
      expect(stream.readableFlowing).toBe(false);
    });
  });
});
