// NDJSON framing throughput: rxmcp's createLineSplitter against the official SDK's stdio
// ReadBuffer, on the same bytes delivered in the same 64 KiB chunks (what a pipe hands over).
//
// Equivalent work on both sides: split into lines, JSON.parse each line and check it is a
// JSON-RPC message (the SDK's readMessage does JSON.parse + its zod schema; rxmcp's `decode`
// does JSON.parse + its envelope checks). A third row, split + bare JSON.parse, shows what
// rxmcp's framing costs on its own. Both sides sum the ids they read, as a check that they
// read the same messages.
//
// (a) 100,000 messages of ~1 KiB: per-message overhead.
// (b) 10 messages of 10 MiB: the SDK concatenates its whole buffer on every chunk and searches
//     it from the start, which is quadratic in the line length; its run is cut off after a time
//     budget, and the table says how far it got.
//
// Run after the build: `npm run build && node --expose-gc bench/framing.mjs`.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { ReadBuffer } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { createLineSplitter, decode } from 'rxmcp';

const CHUNK = 64 * 1024;
const BUDGET_MS = 15_000; // per contender and scenario, so every run stays under ~20 s
const MB = 1e6;

/** One big buffer holding `count` NDJSON lines made by `line(i)`, cut into 64 KiB views. */
function chunked(count, line) {
  const whole = Buffer.from(Array.from({ length: count }, (_, i) => `${line(i)}\n`).join(''));
  const chunks = [];
  for (let start = 0; start < whole.length; start += CHUNK) {
    chunks.push(whole.subarray(start, start + CHUNK));
  }
  return { chunks, bytes: whole.length, count };
}

const smallMessage = (i) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: i,
    result: { content: [{ type: 'text', text: `row ${i} `.padEnd(940, 'lorem ipsum ') }] },
  });

const TEN_MIB = 10 * 1024 * 1024;
const bigMessage = (i) => {
  const head = `{"jsonrpc":"2.0","id":${i},"result":{"content":[{"type":"text","text":"`;
  const tail = '"}]}}';
  return head + 'x'.repeat(TEN_MIB - head.length - tail.length) + tail;
};

// Both sides get the same, raised limit so that a 10 MiB message (plus the start of the next
// one, for the SDK's buffer) fits.
const LIMIT = 16 * 1024 * 1024;

/**
 * Feeds chunks until done or out of time, then `finish` (unless warming up on a slice that may
 * end mid-line); returns what was processed.
 */
function feed(chunks, push, finish) {
  globalThis.gc?.();
  const start = performance.now();
  let fed = 0;
  let bytes = 0;
  for (; fed < chunks.length; fed++) {
    if (performance.now() - start > BUDGET_MS) break;
    push(chunks[fed]);
    bytes += chunks[fed].length;
  }
  const complete = fed === chunks.length;
  if (complete) finish?.();
  return { ms: performance.now() - start, bytes, complete };
}

const contenders = {
  'SDK ReadBuffer (split + JSON.parse + zod)': (chunks) => {
    // ReadBuffer has nothing to flush at the end of input.
    const reader = new ReadBuffer({ maxBufferSize: LIMIT });
    let messages = 0;
    let idSum = 0;
    const run = feed(
      chunks,
      (chunk) => {
        reader.append(chunk);
        for (let message = reader.readMessage(); message !== null; message = reader.readMessage()) {
          messages++;
          idSum += message.id;
        }
      },
      undefined,
    );
    return { ...run, messages, idSum };
  },
  'rxmcp createLineSplitter + decode': (chunks, warmup) => {
    let messages = 0;
    let idSum = 0;
    const splitter = createLineSplitter({
      maxMessageBytes: LIMIT,
      onLine: (line) => {
        const decoded = decode(line);
        if (decoded.isErr()) throw decoded.error;
        messages++;
        idSum += decoded.value.id;
      },
    });
    const run = feed(chunks, (chunk) => splitter.push(chunk), warmup ? undefined : splitter.end);
    return { ...run, messages, idSum };
  },
  'rxmcp createLineSplitter + JSON.parse': (chunks, warmup) => {
    let messages = 0;
    let idSum = 0;
    const splitter = createLineSplitter({
      maxMessageBytes: LIMIT,
      onLine: (line) => {
        messages++;
        idSum += JSON.parse(line).id;
      },
    });
    const run = feed(chunks, (chunk) => splitter.push(chunk), warmup ? undefined : splitter.end);
    return { ...run, messages, idSum };
  },
};

/** Runs every contender on one input: a warm-up on a slice, then `rounds` timed runs (best kept). */
function scenario(name, input, { warmupChunks, rounds }) {
  const rows = [];
  for (const [contender, run] of Object.entries(contenders)) {
    run(input.chunks.slice(0, warmupChunks), true);
    let best;
    let spent = 0;
    for (let round = 0; round < rounds; round++) {
      const result = run(input.chunks, false);
      spent += result.ms;
      if (!best || result.ms / result.bytes < best.ms / best.bytes) best = result;
      // Out of time: one cut-off run is enough, and all rounds together stay within budget.
      if (!result.complete || spent > BUDGET_MS) break;
    }
    rows.push({ scenario: name, contender, ...best });
  }
  const expectedIdSum = (input.count * (input.count - 1)) / 2;
  for (const row of rows) {
    if (row.complete && (row.messages !== input.count || row.idSum !== expectedIdSum)) {
      throw new Error(`${row.contender} read ${row.messages} messages (id sum ${row.idSum})`);
    }
  }
  return rows;
}

const small = chunked(100_000, smallMessage);
const rowsA = scenario(`(a) 100,000 × ~1 KiB`, small, { warmupChunks: 200, rounds: 3 });
small.chunks.length = 0;
const big = chunked(10, bigMessage);
const rowsB = scenario('(b) 10 × 10 MiB', big, { warmupChunks: 170, rounds: 3 });

console.log(
  `Node ${process.version}, 64 KiB chunks, best of up to 3 rounds (all rounds of one contender ` +
    `within ${BUDGET_MS / 1000} s, a cut-off run ends them); MB = 10^6 bytes.\n`,
);
console.log('| scenario | contender | messages | MB fed | s | messages/s | MB/s | vs SDK |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const rows of [rowsA, rowsB]) {
  const sdk = rows[0];
  const sdkRate = sdk.bytes / sdk.ms;
  for (const row of rows) {
    const seconds = row.ms / 1000;
    const note = row.complete ? '' : ' (cut off)';
    console.log(
      `| ${row.scenario} | ${row.contender}${note} | ${row.messages.toLocaleString('en')} | ` +
        `${(row.bytes / MB).toFixed(1)} | ${seconds.toFixed(2)} | ` +
        `${Math.round(row.messages / seconds).toLocaleString('en')} | ` +
        `${(row.bytes / MB / seconds).toFixed(1)} | ${(row.bytes / row.ms / sdkRate).toFixed(2)}x |`,
    );
  }
}
