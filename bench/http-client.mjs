// tools/call over Streamable HTTP: the rxmcp client (connect + streamableHttpTransport)
// against the official SDK client (Client + StreamableHTTPClientTransport), both talking to
// the same server in the same run: the SDK's McpServer on its StreamableHTTPServerTransport
// (stateful, SSE responses) on node:http, in a child process of its own so that its CPU does
// not share the clients' event loop. Reports round-trip latency (sequential calls) and
// throughput (calls in flight at once), and the ratio rxmcp / SDK.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { firstValueFrom, lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { connect, streamableHttpTransport } from 'rxmcp';

const here = dirname(fileURLToPath(import.meta.url));
const SEQUENTIAL = Number(process.env.BENCH_HTTP_SEQUENTIAL ?? 1000);
const PARALLEL = Number(process.env.BENCH_HTTP_PARALLEL ?? 3000);
const IN_FLIGHT = 32;
const WARMUP = 200;
const TEXT = 'x'.repeat(64);
const args = { name: 'echo', arguments: { text: TEXT } };

/** Starts the server process; resolves with its URL and a way to stop it. */
async function startServer() {
  const child = spawn(process.execPath, [join(here, 'fixtures', 'sdk-http-server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the bench server exited with ${code} before listening`);
    }),
  ]);
  const url = /^listening (\S+)$/.exec(first)?.[1];
  if (url === undefined) throw new Error(`unexpected first line from the server: ${first}`);
  return {
    url,
    stop: async () => {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

function checkEcho(result) {
  const text = result?.content?.[0]?.text;
  if (text !== TEXT) throw new Error(`echo answered ${JSON.stringify(result)}`);
}

async function rxmcpContender(url) {
  const session = connect(streamableHttpTransport({ url }), {
    clientInfo: { name: 'bench', version: '1' },
  });
  // The subscription is the connection: keep it until the contender is done.
  let subscription;
  const mcp = await new Promise((resolve, reject) => {
    subscription = session.subscribe({ next: resolve, error: reject });
  });
  return {
    call: () => firstValueFrom(mcp.callTool(args)),
    parallel: (n) =>
      lastValueFrom(
        range(0, n).pipe(
          mergeMap(() => mcp.callTool(args), IN_FLIGHT),
          toArray(),
        ),
      ),
    close: async () => {
      await lastValueFrom(mcp.close(), { defaultValue: undefined });
      subscription.unsubscribe();
    },
  };
}

async function sdkContender(url) {
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return {
    call: () => client.callTool(args),
    parallel: async (n) => {
      let next = 0;
      const results = [];
      const worker = async () => {
        while (next < n) {
          next++;
          results.push(await client.callTool(args));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      return results;
    },
    close: async () => {
      // As rxmcp's close() does: end the session on the server (DELETE), then close.
      await transport.terminateSession();
      await client.close();
    },
  };
}

// Both clients hand one long-lived AbortSignal to every fetch; undici adds an abort listener to
// it per request and removes it only when the Request is garbage-collected, so with many calls
// in flight Node prints a MaxListenersExceededWarning per request past 1500. Count them per
// contender instead of printing thousands of lines; other warnings are printed as usual.
const listenerWarnings = new Map();
let running = 'setup';
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') {
    listenerWarnings.set(running, (listenerWarnings.get(running) ?? 0) + 1);
  } else {
    console.error(warning);
  }
});

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function measure(name, make, url) {
  running = name;
  globalThis.gc?.();
  const contender = await make(url);
  for (let i = 0; i < WARMUP; i++) checkEcho(await contender.call());
  const latencies = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    await contender.call();
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  const start = performance.now();
  const results = await contender.parallel(PARALLEL);
  const seconds = (performance.now() - start) / 1000;
  if (results.length !== PARALLEL) throw new Error(`${name}: ${results.length} of ${PARALLEL}`);
  checkEcho(results[results.length - 1]);
  await contender.close();
  return {
    name,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    perSecond: PARALLEL / seconds,
  };
}

const server = await startServer();
const rounds = [];
try {
  // Alternate the order over two rounds so neither contender always runs on a colder machine.
  for (const order of [
    ['rxmcp', 'sdk'],
    ['sdk', 'rxmcp'],
  ]) {
    for (const name of order) {
      rounds.push(
        await measure(name, name === 'rxmcp' ? rxmcpContender : sdkContender, server.url),
      );
    }
  }
} finally {
  await server.stop();
}
const best = (name, key, pick) => pick(...rounds.filter((r) => r.name === name).map((r) => r[key]));
const rows = ['rxmcp', 'sdk'].map((name) => ({
  name,
  p50: best(name, 'p50', Math.min),
  p95: best(name, 'p95', Math.min),
  perSecond: best(name, 'perSecond', Math.max),
}));
const [rx, sdk] = rows;

console.log(
  `tools/call over Streamable HTTP (SSE responses, stateful) to the SDK's McpServer on node:http ` +
    `in a separate process; ${SEQUENTIAL} sequential calls for latency, ${PARALLEL} calls with ` +
    `${IN_FLIGHT} in flight for throughput; best of 2 rounds; Node ${process.version}\n`,
);
console.log('| client | p50 ms | p95 ms | calls/s |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.name === 'rxmcp' ? 'rxmcp connect + streamableHttpTransport' : 'official SDK Client + StreamableHTTPClientTransport'} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ${Math.round(r.perSecond).toLocaleString('en')} |`,
  );
}
console.log(
  `| ratio rxmcp / SDK | ${(rx.p50 / sdk.p50).toFixed(2)}x | ${(rx.p95 / sdk.p95).toFixed(2)}x | ${(rx.perSecond / sdk.perSecond).toFixed(2)}x |`,
);
console.log('\n(latency: lower is better; calls/s: higher is better)');
if (listenerWarnings.size > 0) {
  const counts = [...listenerWarnings].map(([name, count]) => `${name} ${count}`).join(', ');
  console.log(
    `\nMaxListenersExceededWarning on the fetch AbortSignal (undici keeps one listener per ` +
      `request until GC), counted, not printed: ${counts}`,
  );
}
