// SSE throughput and memory: 200,000 events of ~1 KiB over loopback, received by
//   - a raw loop (fetch body -> TextDecoder -> eventsource-parser -> callback): the floor;
//   - rxmcp `fromSSE`;
//   - rxmcp `eventStream`, with every operator of its pipeline (resumeFrom, retryWithJitter,
//     dedupeById, the idle timeout);
//   - the same followed by `boundedBuffer({ overflow: 'pause' })` and its valve, as an
//     application that wants backpressure would use it (for information: the target is
//     about eventStream itself);
//   - the `eventsource` package (v3), the usual SSE client in Node;
//   - the official MCP SDK's StreamableHTTPClientTransport, the same events arriving as
//     JSON-RPC notifications on the SSE answer to one POSTed request.
// Every event is the same JSON-RPC notification with a ~1 KiB payload, so every contender
// receives byte-identical streams (the last event is the response that ends the SDK's
// request). The server runs here; each contender runs in a fresh child process, so its peak
// RSS is its own, with a time limit. Contenders alternate within each round so that drift in
// the machine's load spreads evenly; the median round is reported.
//
// Each child receives the stream twice, one connection after the other, and both are measured:
// the first ("cold") includes what a fresh process pays once (loading fetch's HTTP stack,
// compiling the hot paths: ~150 ms for every contender, 0.75 µs per event over 200,000
// events), the second is the steady state of a process that has been streaming for a while.
// Every contender gets the same two passes.
//
// Two figures per contender and pass: events/s (wall clock, which includes the server sharing
// the machine) and CPU µs/event (process.cpuUsage of the contender's child while it receives,
// all threads, user + system, so JIT compilation and GC threads count). On a shared or loaded machine the CPU figure is the one to
// compare: it measures the work a contender does per event, not the time it waited.
// Every contender that sees the SSE `data` reads it (sums its length, checked against the
// stream), so no one is credited for a string it never touched; the SDK gets parsed JSON-RPC
// messages instead, which is more work, and is only counted.
//
//   npm run build && node bench/sse.mjs
// Environment: SSE_BENCH_EVENTS (200000), SSE_BENCH_RUNS (5), SSE_BENCH_ONLY (a comma-separated
// list of contenders to run, for quick comparisons), SSE_BENCH_PROF (a folder: each child runs
// with `--cpu-prof` writing there), and RXMCP_ENTRY, the module to load rxmcp from (default:
// the package itself, which needs `npm run build`).
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const TOTAL = Number(process.env.SSE_BENCH_EVENTS ?? 200_000);
const RUNS = Number(process.env.SSE_BENCH_RUNS ?? 5);
const TIME_LIMIT_MS = 120_000;
const EVENT_BYTES = 1024;
const ALL_CONTENDERS = [
  'raw loop',
  'fromSSE',
  'eventStream',
  'eventStream + boundedBuffer',
  'eventsource',
  'MCP SDK',
];
const CONTENDERS = process.env.SSE_BENCH_ONLY
  ? ALL_CONTENDERS.filter((name) => process.env.SSE_BENCH_ONLY.split(',').includes(name))
  : ALL_CONTENDERS;
const PROFILE_DIR = process.env.SSE_BENCH_PROF;
const PASSES = [
  ['cold', 'first stream in a fresh process'],
  ['warm', 'second stream in the same process: the steady state'],
];

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  await parent();
}

// ---------------------------------------------------------------------------------------
// The parent: serves the stream and runs the contenders.

async function parent() {
  const body = buildStream();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => void serve(res, body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${server.address().port}/sse`;
  const size = body.reduce((sum, chunk) => sum + chunk.length, 0);
  const dataChars = expectedDataChars();
  console.log(
    `${TOTAL} events, ${(size / 2 ** 20).toFixed(0)} MiB over loopback, ${RUNS} rounds, ` +
      `Node ${process.version}`,
  );

  const results = new Map(CONTENDERS.map((name) => [name, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const name of CONTENDERS) results.get(name).push(await runChild(name, url, dataChars));
  }
  server.closeAllConnections();
  server.close();

  for (const [pass, title] of PASSES) {
    console.log(`\n### ${pass}: ${title}\n`);
    report(CONTENDERS.map((name) => summarize(name, results.get(name), pass)));
  }
}

function report(summary) {
  const byName = new Map(summary.map((row) => [row.name, row]));
  const raw = byName.get('raw loop');
  console.log(
    '| contender | events/s | × raw loop | CPU µs/event | × raw loop (CPU) | peak RSS (MiB) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { name, rate, cpu, rss, failure } of summary) {
    if (failure) console.log(`| ${name} | ${failure} | | | | |`);
    else {
      console.log(
        `| ${name} | ${fmt(rate)} | ${ratio(rate, raw?.rate)} | ${cpu.toFixed(2)} | ` +
          `${ratio(raw?.cpu, cpu)} | ${rss.toFixed(0)} |`,
      );
    }
  }
  const [stream, eventsource, sdk] = ['eventStream', 'eventsource', 'MCP SDK'].map((name) =>
    byName.get(name),
  );
  // The verdict needs every one of them (SSE_BENCH_ONLY may have left some out).
  if ([raw, stream, eventsource, sdk].some((row) => !row || row.failure)) return;
  // The target is a throughput ratio; the CPU ratio says the same with the machine's load
  // taken out (a CPU-bound receiver's rate is the inverse of its CPU time per event).
  const met = (a, b, c, d) => a >= 0.85 * b && a > c && a > d;
  const byRate = met(stream.rate, raw.rate, eventsource.rate, sdk.rate);
  const byCpu = met(1 / stream.cpu, 1 / raw.cpu, 1 / eventsource.cpu, 1 / sdk.cpu);
  console.log(
    `\neventStream: ${ratio(stream.rate, raw.rate)}× the raw loop by events/s, ` +
      `${ratio(raw.cpu, stream.cpu)}× by CPU (target >= 0.85); ` +
      `${ratio(stream.rate, eventsource.rate)}× eventsource, ${ratio(stream.rate, sdk.rate)}× the MCP SDK ` +
      `by events/s (${ratio(eventsource.cpu, stream.cpu)}×, ${ratio(sdk.cpu, stream.cpu)}× by CPU): ` +
      `${byRate ? 'target met' : 'TARGET MISSED'} by events/s, ${byCpu ? 'met' : 'MISSED'} by CPU`,
  );
}

function ratio(a, b) {
  return a === undefined || b === undefined ? '' : (a / b).toFixed(2);
}

// The whole stream, built once as ~64 KiB buffers so that serving it costs the server little.
function buildStream() {
  const chunks = [];
  let batch = '';
  for (let i = 0; i < TOTAL; i++) {
    batch += event(i);
    if (batch.length >= 64 * 1024) {
      chunks.push(Buffer.from(batch));
      batch = '';
    }
  }
  if (batch) chunks.push(Buffer.from(batch));
  return chunks;
}

// What every contender that reads `data` must have summed: the length of each event's data.
function expectedDataChars() {
  let sum = 0;
  for (let i = 0; i < TOTAL; i++) sum += event(i).split('\n')[1].length - 'data: '.length;
  return sum;
}

function event(i) {
  const message =
    i === TOTAL - 1
      ? { jsonrpc: '2.0', id: 1, result: {} }
      : { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: '' } };
  const head = `id: ${i}\ndata: `;
  let json = JSON.stringify(message);
  if (message.params) {
    const filler = 'x'.repeat(Math.max(0, EVENT_BYTES - head.length - json.length - 2));
    json = JSON.stringify({ ...message, params: { ...message.params, data: filler } });
  }
  return `${head}${json}\n\n`;
}

async function serve(res, body) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const chunk of body) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drainOrClose(res);
  }
  res.end();
}

function drainOrClose(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function runChild(name, url, dataChars) {
  return new Promise((resolve) => {
    const flags = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
    const args = [...flags, fileURLToPath(import.meta.url), '--child', name, url, dataChars];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    proc.stdout.on('data', (data) => (output += data));
    const limit = setTimeout(() => proc.kill('SIGKILL'), TIME_LIMIT_MS);
    proc.on('close', (code, signal) => {
      clearTimeout(limit);
      if (code === 0) return resolve(JSON.parse(output));
      resolve({ failure: signal === 'SIGKILL' ? 'over the time limit' : `exit ${code ?? signal}` });
    });
  });
}

function summarize(name, runs, pass) {
  const failed = runs.find((run) => run.failure);
  if (failed) return { name, rate: 0, rss: 0, failure: failed.failure };
  const passes = runs.map((run) => run[pass]);
  return {
    name,
    rate: median(passes.map((run) => run.rate)),
    cpu: median(passes.map((run) => run.cpuUsPerEvent)),
    rss: Math.max(...passes.map((run) => run.rssMiB)),
  };
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

// ---------------------------------------------------------------------------------------
// A child: receives the stream with one contender and prints its figures as JSON.

async function child(name, url, dataChars) {
  const receive = await contender(name);
  const figures = {};
  for (const [pass] of PASSES) figures[pass] = await measure(name, receive, url, dataChars);
  process.stdout.write(JSON.stringify(figures));
}

async function measure(name, receive, url, dataChars) {
  const tally = { events: 0, dataChars: 0 };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await receive(url, tally);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (performance.now() - start) / 1000;
  if (tally.events !== TOTAL)
    throw new Error(`${name} received ${tally.events} of ${TOTAL} events`);
  if (name !== 'MCP SDK' && tally.dataChars !== Number(dataChars)) {
    throw new Error(`${name} read ${tally.dataChars} characters of data, expected ${dataChars}`);
  }
  // The peak so far: after the second pass it covers both.
  const rssMiB = peakRssKiB() / 1024;
  const cpuUsPerEvent = (cpu.user + cpu.system) / TOTAL;
  return { rate: TOTAL / seconds, cpuUsPerEvent, rssMiB };
}

// Linux carries the parent's peak RSS over a fork into the child's getrusage maxRSS, and the
// parent holds the whole stream, so there the peak of this process's own memory map is read
// instead (VmHWM).
function peakRssKiB() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: getrusage is right where fork does not carry the parent's figure.
  }
  return process.resourceUsage().maxRSS;
}

// Each contender counts the events it receives in `tally`, and reads their data, and resolves
// when the stream is over.
async function contender(name) {
  switch (name) {
    case 'raw loop': {
      const { createParser } = await import('eventsource-parser');
      return async (url, tally) => {
        const parser = createParser({
          onEvent: (event) => {
            tally.events++;
            tally.dataChars += event.data.length;
          },
        });
        const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      };
    }
    case 'fromSSE': {
      const { fromSSE } = await rxmcp();
      return (url, tally) => counted(fromSSE({ url }), tally);
    }
    case 'eventStream': {
      const { eventStream } = await rxmcp();
      return (url, tally) => counted(eventStream({ url }).events$, tally);
    }
    case 'eventStream + boundedBuffer': {
      const { eventStream, boundedBuffer, createValve } = await rxmcp();
      return (url, tally) => {
        const valve = createValve();
        const { events$ } = eventStream({ url }, { valve });
        const buffered = events$.pipe(boundedBuffer({ overflow: 'pause', valve, capacity: 1024 }));
        return counted(buffered, tally);
      };
    }
    case 'eventsource': {
      const { EventSource } = await import('eventsource');
      return (url, tally) =>
        new Promise((resolve, reject) => {
          const source = new EventSource(url);
          source.onmessage = (event) => {
            tally.dataChars += event.data.length;
            // At the end it would reconnect, so it is closed on the last event.
            if (++tally.events === TOTAL) {
              source.close();
              resolve();
            }
          };
          source.onerror = (error) => {
            source.close();
            reject(new Error(`eventsource: ${error.message}`));
          };
        });
    }
    case 'MCP SDK': {
      const { StreamableHTTPClientTransport } =
        await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      return async (url, tally) => {
        const transport = new StreamableHTTPClientTransport(new URL(url));
        const done = new Promise((resolve, reject) => {
          transport.onmessage = () => ++tally.events === TOTAL && resolve();
          transport.onerror = reject;
        });
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 1, method: 'bench/stream', params: {} });
        await done;
        await transport.close();
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

function rxmcp() {
  return import(process.env.RXMCP_ENTRY ?? 'rxmcp');
}

function counted(events$, tally) {
  return new Promise((resolve, reject) => {
    events$.subscribe({
      next: (event) => {
        tally.events++;
        tally.dataChars += event.data.length;
      },
      error: reject,
      complete: resolve,
    });
  });
}
