// Per-item overhead of each rxmcp operator against a plain rxjs `map` pipeline, over 1e6
// synchronous items. What is measured is the operator's own bookkeeping: every pipeline has
// the same source and the same trivial `map`, and only the operator under test is added.
// Each case runs several rounds; the median round is reported to damp GC and JIT noise.
// The string-id rows mirror an SSE stream, where every id is a fresh string that the
// deduplication window keeps alive; they are compared with their own baseline.
import { performance } from 'node:perf_hooks';
import { defer, map, mergeMap, of, range } from 'rxjs';
import { boundedBuffer, dedupeById, resumeFrom, retryWithJitter } from 'rxmcp/operators';

const N = 1_000_000;
const ROUNDS = 7;

const item = (i) => ({ id: i, value: i });
const source = () => range(0, N).pipe(map(item));
const stringItem = (i) => ({ id: `evt-${i}`, value: i });
const stringSource = () => range(0, N).pipe(map(stringItem));

const cases = [
  ['map (baseline)', () => source().pipe(map((x) => x.value))],
  [
    'retryWithJitter()',
    () =>
      source().pipe(
        retryWithJitter(),
        map((x) => x.value),
      ),
  ],
  [
    'dedupeById() (all unique, window full)',
    () =>
      source().pipe(
        dedupeById(),
        map((x) => x.value),
      ),
  ],
  [
    'map (baseline, string ids)',
    () => stringSource().pipe(map((x) => x.value)),
    'map (baseline, string ids)',
  ],
  [
    'dedupeById() (string ids, window full)',
    () =>
      stringSource().pipe(
        dedupeById(),
        map((x) => x.value),
      ),
    'map (baseline, string ids)',
  ],
  [
    'resumeFrom(connect)',
    () => resumeFrom(() => source(), { cursorOf: (x) => String(x.id) }).pipe(map((x) => x.value)),
  ],
  [
    'boundedBuffer() (sync consumer)',
    () =>
      source().pipe(
        boundedBuffer(),
        map((x) => x.value),
      ),
  ],
  [
    'boundedBuffer({ consume: of }) vs mergeMap(of, 1)',
    () =>
      source().pipe(
        boundedBuffer({ consume: (x) => of(x) }),
        map((x) => x.value),
      ),
  ],
  [
    'mergeMap(of, 1) (for reference)',
    () =>
      source().pipe(
        mergeMap((x) => of(x), 1),
        map((x) => x.value),
      ),
  ],
  [
    'all four composed',
    () =>
      defer(() =>
        resumeFrom(() => source(), { cursorOf: (x) => String(x.id) }).pipe(
          retryWithJitter(),
          dedupeById(),
          boundedBuffer(),
          map((x) => x.value),
        ),
      ),
  ],
];

function once(make) {
  let sum = 0;
  let count = 0;
  globalThis.gc?.();
  const start = performance.now();
  make().subscribe({
    next: (v) => {
      sum += v;
      count++;
    },
  });
  const ms = performance.now() - start;
  if (count !== N) throw new Error(`expected ${N} items, got ${count}`);
  return { ms, sum };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const [name, make, baseline = 'map (baseline)'] of cases) {
  once(make); // warm-up
  const times = [];
  for (let r = 0; r < ROUNDS; r++) times.push(once(make).ms);
  rows.push({ name, ms: median(times), baseline });
}
const msOf = new Map(rows.map((row) => [row.name, row.ms]));
console.log(
  `${N.toLocaleString('en')} items, median of ${ROUNDS} rounds, Node ${process.version}\n`,
);
console.log('| pipeline | ms | ns/item | ratio to its map baseline |');
console.log('| --- | ---: | ---: | ---: |');
for (const { name, ms, baseline } of rows) {
  const ratio = ms / (msOf.get(baseline) ?? NaN);
  console.log(
    `| ${name} | ${ms.toFixed(1)} | ${((ms * 1e6) / N).toFixed(1)} | ${ratio.toFixed(2)}x |`,
  );
}
