// tools/call over stdio: the rxmcp client (connect + stdioTransport) against the official
// SDK client (Client + StdioClientTransport), both talking to the same SDK server fixture,
// in the same run. Reports round-trip latency (sequential calls) and throughput (calls in
// flight at once), and the ratio rxmcp / SDK. Also the client process's CPU time per call
// (user + system, from process.cpuUsage, JIT and GC threads included) in both phases: on a
// machine busy with other work the wall-clock figures swing from run to run, CPU per call
// much less, so it says better which client does more work.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { firstValueFrom, lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { connect } from 'rxmcp';
import { stdioTransport } from 'rxmcp/node';

const here = dirname(fileURLToPath(import.meta.url));
const server = {
  command: process.execPath,
  args: [join(here, 'fixtures', 'sdk-stdio-server.mjs')],
};
const SEQUENTIAL = Number(process.env.BENCH_STDIO_SEQUENTIAL ?? 2000);
const PARALLEL = Number(process.env.BENCH_STDIO_PARALLEL ?? 20000);
const IN_FLIGHT = 32;
const WARMUP = 200;
const args = { name: 'echo', arguments: { text: 'x'.repeat(64) } };

async function rxmcpContender() {
  const session = connect(stdioTransport(server), { clientInfo: { name: 'bench', version: '1' } });
  // The subscription is the connection: keep it until the contender is done.
  let client;
  const ready = new Promise((resolve, reject) => {
    const subscription = session.subscribe({ next: resolve, error: reject });
    client = { dispose: () => subscription.unsubscribe() };
  });
  const mcp = await ready;
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
      client.dispose();
    },
  };
}

async function sdkContender() {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport(server));
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
    close: () => client.close(),
  };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// Both contenders must get the right answer, or the figures mean nothing.
function checkEcho(name, result) {
  const text = result?.content?.[0]?.text;
  if (text !== args.arguments.text)
    throw new Error(`${name}: echo answered ${JSON.stringify(result)}`);
}

async function measure(name, make) {
  // Start each contender from a collected heap (run with --expose-gc, as bench/run.mjs does).
  globalThis.gc?.();
  const contender = await make();
  for (let i = 0; i < WARMUP; i++) checkEcho(name, await contender.call());
  const latencies = [];
  const sequentialCpu = process.cpuUsage();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    await contender.call();
    latencies.push(performance.now() - start);
  }
  const sequentialUs = cpuMicros(sequentialCpu) / SEQUENTIAL;
  latencies.sort((a, b) => a - b);
  const parallelCpu = process.cpuUsage();
  const start = performance.now();
  const results = await contender.parallel(PARALLEL);
  const seconds = (performance.now() - start) / 1000;
  const parallelUs = cpuMicros(parallelCpu) / PARALLEL;
  if (results.length !== PARALLEL)
    throw new Error(`${name}: ${results.length} of ${PARALLEL} calls`);
  checkEcho(name, results[results.length - 1]);
  await contender.close();
  return {
    name,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    perSecond: PARALLEL / seconds,
    sequentialUs,
    parallelUs,
  };
}

function cpuMicros(since) {
  const { user, system } = process.cpuUsage(since);
  return user + system;
}

// Alternate the order over two rounds so neither contender always runs on a colder machine.
const rounds = [];
for (const order of [
  ['rxmcp', 'sdk'],
  ['sdk', 'rxmcp'],
]) {
  for (const name of order) {
    rounds.push(await measure(name, name === 'rxmcp' ? rxmcpContender : sdkContender));
  }
}
const best = (name, key, pick) => pick(...rounds.filter((r) => r.name === name).map((r) => r[key]));
const rows = ['rxmcp', 'sdk'].map((name) => ({
  name,
  p50: best(name, 'p50', Math.min),
  p95: best(name, 'p95', Math.min),
  perSecond: best(name, 'perSecond', Math.max),
  sequentialUs: best(name, 'sequentialUs', Math.min),
  parallelUs: best(name, 'parallelUs', Math.min),
}));
const [rx, sdk] = rows;

console.log(
  `tools/call over stdio to the SDK's McpServer; ${SEQUENTIAL} sequential calls for latency, ` +
    `${PARALLEL} calls with ${IN_FLIGHT} in flight for throughput; best of 2 rounds; Node ${process.version}\n`,
);
console.log(
  '| client | p50 ms | p95 ms | calls/s | CPU µs/call, sequential | CPU µs/call, in flight |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.name === 'rxmcp' ? 'rxmcp connect + stdioTransport' : 'official SDK Client + StdioClientTransport'} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ${Math.round(r.perSecond).toLocaleString('en')} | ${r.sequentialUs.toFixed(1)} | ${r.parallelUs.toFixed(1)} |`,
  );
}
const ratio = (key) => `${(rx[key] / sdk[key]).toFixed(2)}x`;
console.log(
  `| ratio rxmcp / SDK | ${ratio('p50')} | ${ratio('p95')} | ${ratio('perSecond')} | ${ratio('sequentialUs')} | ${ratio('parallelUs')} |`,
);
console.log(
  '\n(latency and CPU: lower is better; calls/s: higher is better; CPU is the client process ' +
    'only, best of the rounds)',
);
