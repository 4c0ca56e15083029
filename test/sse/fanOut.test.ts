import { Subject, defer, share } from 'rxjs';
import type { Unsubscribable } from 'rxjs';
import { createFanOut } from '../../src/sse/fanOut';

describe('createFanOut', () => {
  it('multicasts each value to the observers subscribed at that moment', () => {
    const fanOut = createFanOut<number>();
    const a: number[] = [];
    const b: number[] = [];
    fanOut.subscribe({ next: (value) => a.push(value) });
    fanOut.next(1);
    const second = fanOut.subscribe({ next: (value) => b.push(value) });
    fanOut.next(2);
    second.unsubscribe();
    fanOut.next(3);
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual([2]);
  });

  it('lets a value reach every observer of the moment, even when one leaves during it', () => {
    const fanOut = createFanOut<string>();
    const seen: string[] = [];
    const others: Unsubscribable[] = [];
    fanOut.subscribe({
      next: (value) => {
        seen.push(`first ${value}`);
        others.forEach((other) => other.unsubscribe());
        // Joins during the value: sees the next one only, as with a Subject.
        if (value === 'a') fanOut.subscribe({ next: (v) => seen.push(`joined ${v}`) });
      },
    });
    others.push(fanOut.subscribe({ next: (value) => seen.push(`late ${value}`) }));
    fanOut.next('a');
    fanOut.next('b');
    expect(seen).toEqual(['first a', 'first b', 'joined b']);
  });

  it('ends every observer once, ignores later values and tells late observers how it ended', () => {
    const failed = createFanOut<number>();
    const errors: unknown[] = [];
    failed.subscribe({ error: (error: unknown) => errors.push(error) });
    failed.error('boom');
    failed.next(1);
    failed.complete();
    failed.subscribe({ error: (error: unknown) => errors.push(`late ${String(error)}`) });
    expect(errors).toEqual(['boom', 'late boom']);

    const completed = createFanOut<number>();
    const events: string[] = [];
    completed.subscribe({ next: () => events.push('next'), complete: () => events.push('done') });
    completed.complete();
    completed.next(1);
    completed.subscribe({ complete: () => events.push('late done') });
    expect(events).toEqual(['done', 'late done']);
  });

  it('serves share() like a Subject: one source subscription while shared, a new one after', () => {
    let connections = 0;
    const source = new Subject<number>();
    const shared = defer(() => {
      connections++;
      return source;
    }).pipe(share({ connector: createFanOut<number> }));
    const a: number[] = [];
    const b: number[] = [];
    const first = shared.subscribe((value) => a.push(value));
    const second = shared.subscribe((value) => b.push(value));
    source.next(1);
    first.unsubscribe();
    source.next(2);
    second.unsubscribe();
    expect([a, b, connections, source.observed]).toEqual([[1], [1, 2], 1, false]);
    shared.subscribe().unsubscribe();
    expect(connections).toBe(2);
  });
});
