import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { dedupeById } from '../../operators/dedupeById';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

interface Item {
  readonly id?: string | number | null;
  readonly text?: string;
}

/** Marble values whose letters are their ids. */
const byId = (...ids: string[]): Record<string, Item> =>
  Object.fromEntries(ids.map((id) => [id, { id }]));

describe('dedupeById', () => {
  it('drops items whose id was already seen', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = byId('a', 'b', 'c');
      const source = cold('-a-b-a-c-b-|', values);
      expectObservable(source.pipe(dedupeById())).toBe('-a-b---c---|', values);
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('lets an id evicted from the window pass again', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = byId('a', 'b', 'c');
      // capacity 2: c evicts a, the second a evicts b, the second b evicts c.
      const source = cold('-a-b-a-c-a-b-c-|', values);
      expectObservable(source.pipe(dedupeById({ capacity: 2 }))).toBe('-a-b---c-a-b-c-|', values);
    });
  });

  it('evicts the oldest id first, and a dropped duplicate does not make its id younger', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = byId('a', 'b', 'c');
      // After a, b, (a dropped), c evicts a, not b: so b is still a duplicate, a is not.
      const source = cold('-a-b-a-c-b-a-|', values);
      expectObservable(source.pipe(dedupeById({ capacity: 2 }))).toBe('-a-b---c---a-|', values);
    });
  });

  it('remembers exactly one id with capacity 1', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = byId('a', 'b');
      const source = cold('-a-a-b-b-a-|', values);
      expectObservable(source.pipe(dedupeById({ capacity: 1 }))).toBe('-a---b---a-|', values);
    });
  });

  it('lets items without an id through, every time', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = {
        n: { id: null },
        u: { id: undefined },
        x: { text: 'no id' },
        p: 42,
        s: 'text',
        z: null,
      };
      const source = cold('-n-u-x-p-s-z-n-u-x-p-s-z-|', values);
      expectObservable(source.pipe(dedupeById())).toBe('-n-u-x-p-s-z-n-u-x-p-s-z-|', values);
    });
  });

  it('tells onDuplicate about every dropped item and its id', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const values = byId('a', 'b');
      const dropped: [unknown, unknown][] = [];
      const source = cold('-a-b-a-a-b-|', values);
      const result = source.pipe(
        dedupeById({ onDuplicate: (item, id) => dropped.push([item, id]) }),
      );
      expectObservable(result).toBe('-a-b-------|', values);
      flush();
      expect(dropped).toEqual([
        [values['a'], 'a'],
        [values['a'], 'a'],
        [values['b'], 'b'],
      ]);
    });
  });

  it('uses a custom idOf, and treats its null/undefined as "no id"', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = {
        a: { seq: 1, id: 'same' },
        b: { seq: 2, id: 'same' },
        c: { seq: 1, id: 'other' },
        d: { seq: 0, id: 'ignored' },
      };
      const source = cold('-a-b-c-d-d-|', values);
      const result = source.pipe(
        dedupeById({ idOf: (item: { seq: number }) => (item.seq === 0 ? null : item.seq) }),
      );
      expectObservable(result).toBe('-a-b---d-d-|', values);
    });
  });

  it('compares ids like Set keys: numbers and strings differ, NaN equals NaN', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: { id: 1 }, b: { id: '1' }, c: { id: Number.NaN } };
      const source = cold('-a-b-a-c-c-|', values);
      expectObservable(source.pipe(dedupeById())).toBe('-a-b---c---|', values);
    });
  });

  it('keeps one window per subscription, like distinct', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = byId('a', 'b');
      const result = cold('-a-b-a-|', values).pipe(dedupeById());
      expectObservable(result).toBe('-a-b---|', values);
      expectObservable(result, '--^').toBe('---a-b---|', values);
    });
  });

  it('passes errors and unsubscription through', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = byId('a');
      const failing = cold('-a-a-#', values, 'boom');
      expectObservable(failing.pipe(dedupeById())).toBe('-a---#', values, 'boom');
      const endless = cold('-a-a-a-a-', values);
      expectObservable(endless.pipe(dedupeById()), '^---!').toBe('-a--', values);
      expectSubscriptions(endless.subscriptions).toBe('^---!');
    });
  });

  it('stays correct through many evictions (the ring wraps around)', () => {
    const passedIds = (ids: number[], capacity: number) => {
      const passed: number[] = [];
      of(...ids.map((id) => ({ id })))
        .pipe(dedupeById({ capacity }))
        .subscribe((item) => passed.push(item.id));
      return passed;
    };
    // Seven ids cycling through a window of six: each was evicted just before it comes back.
    const cycling = Array.from({ length: 10_000 }, (_, i) => i % 7);
    expect(passedIds(cycling, 6)).toEqual(cycling);
    // Five ids cycling through a window of six never leave it.
    const repeating = Array.from({ length: 10_000 }, (_, i) => i % 5);
    expect(passedIds(repeating, 6)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([[0], [-1], [1.5], [Number.NaN], [Infinity]])(
    'rejects capacity %p with a RangeError at creation',
    (capacity) => {
      expect(() => dedupeById({ capacity })).toThrow(RangeError);
      expect(() => dedupeById({ capacity })).toThrow(/capacity/);
    },
  );
});
