import { createIdWindow } from '../../../operators/internal/idWindow';

/** The obvious implementation: a Set for membership and an array for the FIFO order. */
function referenceWindow(capacity: number): { remember(id: unknown): boolean } {
  const members = new Set<unknown>();
  const order: unknown[] = [];
  return {
    remember(id) {
      if (members.has(id)) return false;
      if (order.length === capacity) members.delete(order.shift());
      order.push(id);
      members.add(id);
      return true;
    },
  };
}

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('createIdWindow', () => {
  it.each([1, 2, 3, 7, 64, 1000])(
    'answers like a Set and a FIFO over many evictions (capacity %i)',
    (capacity) => {
      const next = random(capacity);
      const window = createIdWindow<unknown>(capacity);
      const reference = referenceWindow(capacity);
      // Few distinct ids relative to the capacity, so that duplicates, evictions, wrap-around
      // and long probe runs with backward shifts all happen often.
      const distinct = capacity * 3 + 5;
      const kinds = [
        (n: number) => `id-${n}`,
        (n: number) => n,
        (n: number) => n + 0.5,
        (n: number) => `${'x'.repeat(70)}${n}`,
      ];
      for (let i = 0; i < 20_000; i++) {
        const n = Math.floor(next() * distinct);
        const id = kinds[n % kinds.length]?.(n);
        expect([i, id, window.remember(id)]).toEqual([i, id, reference.remember(id)]);
      }
    },
  );

  it('compares like SameValueZero: NaN is one id, -0 is 0, 1 is not "1"', () => {
    const window = createIdWindow<unknown>(10);
    expect(window.remember(Number.NaN)).toBe(true);
    expect(window.remember(0 / 0)).toBe(false);
    expect(window.remember(0)).toBe(true);
    expect(window.remember(-0)).toBe(false);
    expect(window.remember('1')).toBe(true);
    expect(window.remember(1)).toBe(true);
    expect(window.remember(1)).toBe(false);
  });

  it('keeps ids of other kinds in the same window and order', () => {
    const object = {};
    const symbol = Symbol('id');
    const window = createIdWindow<unknown>(3);
    expect([object, symbol, 10n, object, 'a'].map((id) => window.remember(id))).toEqual([
      true,
      true,
      true,
      false,
      true, // evicts the object
    ]);
    expect(window.remember(object)).toBe(true); // evicts the symbol
    expect(window.remember(symbol)).toBe(true);
    expect(window.remember(10n)).toBe(true);
    expect(window.remember('a')).toBe(true);
  });

  it('tells apart long ids that share their last 64 characters', () => {
    const tail = 'y'.repeat(64);
    const window = createIdWindow<string>(4);
    expect(window.remember(`a${tail}`)).toBe(true);
    expect(window.remember(`b${tail}`)).toBe(true);
    expect(window.remember(`a${tail}`)).toBe(false);
  });
});
