/**
 * holdLinesWhilePaused: one line at a time, nothing past a pause until the valve opens, bytes
 * of a partial line passed on as they are, completion after what was held.
 */
import { Subject } from 'rxjs';
import { createValve } from '../../../operators/valve';
import { holdLinesWhilePaused } from '../../../src/transports/stdio/holdLinesWhilePaused';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (chunk: Uint8Array | string): string =>
  typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);

describe('holdLinesWhilePaused', () => {
  it('passes a chunk on line by line and holds the rest while the valve is paused', () => {
    const valve = createValve();
    const source = new Subject<Uint8Array>();
    const seen: string[] = [];
    let completed = false;
    source.pipe(holdLinesWhilePaused(valve)).subscribe({
      next: (chunk) => {
        seen.push(text(chunk));
        // The consumer's queue is full after the first line.
        if (seen.length === 1) valve.pause();
      },
      complete: () => (completed = true),
    });
    source.next(bytes('a\nb\nc\npartial'));
    expect(seen).toEqual(['a\n']);
    source.next(bytes(' line\n'));
    source.complete();
    expect(seen).toEqual(['a\n']);
    expect(completed).toBe(false);
    valve.resume();
    expect(seen).toEqual(['a\n', 'b\n', 'c\n', 'partial', ' line\n']);
    expect(completed).toBe(true);
  });

  it('keeps going when a consumer pauses and resumes within one line', () => {
    const valve = createValve();
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(holdLinesWhilePaused(valve)).subscribe((chunk) => {
      seen.push(chunk);
      valve.pause();
      valve.resume();
    });
    source.next('x\ny\nz');
    expect(seen).toEqual(['x\n', 'y\n', 'z']);
  });

  it('passes nothing of a chunk that arrives while paused', () => {
    const valve = createValve({ paused: true });
    const source = new Subject<Uint8Array>();
    const seen: string[] = [];
    source.pipe(holdLinesWhilePaused(valve)).subscribe((chunk) => seen.push(text(chunk)));
    source.next(bytes('one\ntwo\n'));
    expect(seen).toEqual([]);
    valve.resume();
    expect(seen).toEqual(['one\n', 'two\n']);
  });

  it('stops listening to the valve and the source when unsubscribed', () => {
    const valve = createValve({ paused: true });
    const source = new Subject<Uint8Array>();
    const seen: string[] = [];
    const subscription = source
      .pipe(holdLinesWhilePaused(valve))
      .subscribe((chunk) => seen.push(text(chunk)));
    source.next(bytes('held\n'));
    subscription.unsubscribe();
    valve.resume();
    expect(seen).toEqual([]);
    expect(source.observed).toBe(false);
  });
});
