import { TestScheduler } from 'rxjs/testing';
import { createValve } from '../../operators/valve.js';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('createValve', () => {
  it('starts open and replays its current state to each subscriber', () => {
    const valve = createValve();
    expect(valve.isPaused).toBe(false);
    const early: boolean[] = [];
    valve.paused$.subscribe((paused) => early.push(paused));
    valve.pause();
    const late: boolean[] = [];
    valve.paused$.subscribe((paused) => late.push(paused));
    expect(early).toEqual([false, true]);
    expect(late).toEqual([true]);
    expect(valve.isPaused).toBe(true);
  });

  it('can start paused', () => {
    const valve = createValve({ paused: true });
    const seen: boolean[] = [];
    valve.paused$.subscribe((paused) => seen.push(paused));
    valve.resume();
    expect(seen).toEqual([true, false]);
  });

  it('emits changes only: repeated pause() or resume() calls are no-ops', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const valve = createValve();
      const calls = cold('-pprrp', { p: 'pause', r: 'resume' } as const);
      calls.subscribe((call) => valve[call]());
      expectObservable(valve.paused$, '^-----!').toBe('ft-f-t', { f: false, t: true });
    });
  });

  it('leaves every listener on the current state when a listener flips it re-entrantly', () => {
    const valve = createValve({ paused: true });
    // The first listener re-pauses synchronously whenever it sees `false`, like a synchronous
    // source that refills a buffer on resume, once.
    let refills = 1;
    const first: boolean[] = [];
    const second: boolean[] = [];
    valve.paused$.subscribe((paused) => {
      first.push(paused);
      if (!paused && refills-- > 0) valve.pause();
    });
    valve.paused$.subscribe((paused) => second.push(paused));
    valve.resume();
    expect(valve.isPaused).toBe(true);
    // Both end on `true`, and neither sees the same value twice in a row.
    expect(first).toEqual([true, false, true]);
    expect(second).toEqual([true, false, true]);
  });

  it('coalesces flips made during an emission into one emission of the latest state', () => {
    const valve = createValve();
    const seen: boolean[] = [];
    valve.paused$.subscribe((paused) => {
      // Three flips inside one notification: only their net result (open) is emitted next.
      if (paused) {
        valve.resume();
        valve.pause();
        valve.resume();
      }
    });
    valve.paused$.subscribe((paused) => seen.push(paused));
    valve.pause();
    expect(valve.isPaused).toBe(false);
    expect(seen).toEqual([false, true, false]);
  });
});
