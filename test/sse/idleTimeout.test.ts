import { TestScheduler } from 'rxjs/testing';
import { createValve } from '../../operators/valve';
import { idleTimeout } from '../../src/sse/idleTimeout';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const idle = new Error('idle');

describe('idleTimeout', () => {
  it('fails after idleMs without a value, counting from subscription and from each value', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-------c');
      const result = source.pipe(idleTimeout({ idleMs: 3, error: () => idle }));
      expectObservable(result).toBe('-a-b--#', undefined, idle);
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('keeps a lively source going over many idle periods, then fails exactly idleMs after its last value', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-g-h-i-j-------k');
      const result = source.pipe(idleTimeout({ idleMs: 3, error: () => idle }));
      expectObservable(result).toBe('-a-b-c-d-e-f-g-h-i-j--#', undefined, idle);
      expectSubscriptions(source.subscriptions).toBe('^---------------------!');
    });
  });

  it('covers the wait for the first value too', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-----a').pipe(idleTimeout({ idleMs: 3, error: () => idle }))).toBe(
        '---#',
        undefined,
        idle,
      );
    });
  });

  it('passes values and completion through while the source is lively', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const result = cold('-a--b--c|').pipe(idleTimeout({ idleMs: 3, error: () => idle }));
      expectObservable(result).toBe('-a--b--c|');
    });
  });

  it('stops the clock while the valve is paused and restarts it in full on resume', () => {
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const valve = createValve();
      // Paused at 2 for 10 frames: far longer than idleMs, yet no timeout.
      hot('--p---------r').subscribe((flip) => (flip === 'p' ? valve.pause() : valve.resume()));
      const source = cold('-a-------------b-----c');
      const result = source.pipe(idleTimeout({ idleMs: 3, valve, error: () => idle }));
      expectObservable(result).toBe('-a-------------b--#', undefined, idle);
    });
  });

  it('is a no-op with Infinity and rejects nonsense', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const result = cold('-a---------b|').pipe(
        idleTimeout({ idleMs: Infinity, error: () => idle }),
      );
      expectObservable(result).toBe('-a---------b|');
    });
    expect(() => idleTimeout({ idleMs: 0, error: () => idle })).toThrow(RangeError);
    expect(() => idleTimeout({ idleMs: Number.NaN, error: () => idle })).toThrow(/idleTimeoutMs/);
  });
});
