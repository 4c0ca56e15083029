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
//   npm run build && node bench/sse.mjs
// Environment: SSE_BENCH_EVENTS (200000), SSE_BENCH_RUNS (5), and RXMCP_ENTRY, the module to
// load rxmcp from (default: the package itself, which needs `npm run build`).
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
const CONTENDERS = [
  'raw loop',
  'fromSSE',
  'eventStream',
  'eventStream + boundedBuffer',
  'eventsource',
  'MCP SDK',
];

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
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
  console.log(
    `${TOTAL} events, ${(size / 2 ** 20).toFixed(0)} MiB over loopback, ${RUNS} rounds, ` +
      `Node ${process.version}\n`,
  );

  const results = new Map(CONTENDERS.map((name) => [name, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const name of CONTENDERS) results.get(name).push(await runChild(name, url));
  }
  server.closeAllConnections();
  server.close();

  const summary = CONTENDERS.map((name) => summarize(name, results.get(name)));
  const raw = summary[0].rate;
  console.log('| contender | events/s | peak RSS (MiB) | × raw loop |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const { name, rate, rss, failure } of summary) {
    if (failure) console.log(`| ${name} | ${failure} | | |`);
    else console.log(`| ${name} | ${fmt(rate)} | ${rss.toFixed(0)} | ${(rate / raw).toFixed(2)} |`);
  }
  const [, , stream, , eventsource, sdk] = summary;
  const verdict =
    stream.rate >= 0.85 * raw && stream.rate > eventsource.rate && stream.rate > sdk.rate;
  console.log(
    `\neventStream: ${(stream.rate / raw).toFixed(2)}× the raw loop ` +
      `(target >= 0.85), ${(stream.rate / eventsource.rate).toFixed(1)}× eventsource, ` +
      `${(stream.rate / sdk.rate).toFixed(1)}× the MCP SDK: ${verdict ? 'target met' : 'TARGET MISSED'}`,
  );
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

function runChild(name, url) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', name, url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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

function summarize(name, runs) {
  const failed = runs.find((run) => run.failure);
  if (failed) return { name, rate: 0, rss: 0, failure: failed.failure };
  const rates = runs.map((run) => run.rate).sort((a, b) => a - b);
  return {
    name,
    rate: rates[Math.floor(rates.length / 2)],
    rss: Math.max(...runs.map((run) => run.rssMiB)),
  };
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

// ---------------------------------------------------------------------------------------
// A child: receives the stream with one contender and prints its figures as JSON.

async function child(name, url) {
  const receive = await contender(name);
  const start = performance.now();
  const received = await receive(url);
  const seconds = (performance.now() - start) / 1000;
  if (received !== TOTAL) throw new Error(`${name} received ${received} of ${TOTAL} events`);
  const rssMiB = peakRssKiB() / 1024;
  process.stdout.write(JSON.stringify({ rate: TOTAL / seconds, rssMiB }));
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

// Each contender resolves with the number of events it received.
async function contender(name) {
  switch (name) {
    case 'raw loop': {
      const { createParser } = await import('eventsource-parser');
      return async (url) => {
        let count = 0;
        const parser = createParser({ onEvent: () => count++ });
        const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return count;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      };
    }
    case 'fromSSE': {
      const { fromSSE } = await rxmcp();
      return (url) => counted(fromSSE({ url }));
    }
    case 'eventStream': {
      const { eventStream } = await rxmcp();
      return (url) => counted(eventStream({ url }).events$);
    }
    case 'eventStream + boundedBuffer': {
      const { eventStream, boundedBuffer, createValve } = await rxmcp();
      return (url) => {
        const valve = createValve();
        const { events$ } = eventStream({ url }, { valve });
        return counted(events$.pipe(boundedBuffer({ overflow: 'pause', valve, capacity: 1024 })));
      };
    }
    case 'eventsource': {
      const { EventSource } = await import('eventsource');
      return (url) =>
        new Promise((resolve, reject) => {
          let count = 0;
          const source = new EventSource(url);
          source.onmessage = () => {
            // At the end it would reconnect, so it is closed on the last event.
            if (++count === TOTAL) {
              source.close();
              resolve(count);
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
      return async (url) => {
        const transport = new StreamableHTTPClientTransport(new URL(url));
        let count = 0;
        const done = new Promise((resolve, reject) => {
          transport.onmessage = () => ++count === TOTAL && resolve(count);
          transport.onerror = reject;
        });
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 1, method: 'bench/stream', params: {} });
        await done;
        await transport.close();
        return count;
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

function rxmcp() {
  return import(process.env.RXMCP_ENTRY ?? 'rxmcp');
}

function counted(events$) {
  return new Promise((resolve, reject) => {
    let count = 0;
    events$.subscribe({ next: () => count++, error: reject, complete: () => resolve(count) });
  });
}
