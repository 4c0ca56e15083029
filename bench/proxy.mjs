// tools/call through a proxy: the same official SDK client calling the same stdio server
// (bench/fixtures/sdk-stdio-tools-server.mjs: `echo` answers at once, `sleep5` after 5 ms)
//   direct        Client + StdioClientTransport: no proxy, the baseline
//   rxmcp         Client + StreamableHTTPClientTransport -> `rxmcp proxy` (the built CLI)
//   supergateway  Client + StreamableHTTPClientTransport -> `supergateway --outputTransport
//                 streamableHttp --stateful` (npm, a devDependency)
//   floor         Client + StreamableHTTPClientTransport -> bench/fixtures/floor-proxy.mjs,
//                 a bare node:http pass-through that does nothing a proxy should: what any
//                 Streamable HTTP hop costs this client, for scale
// The proxies run in a process of their own, rxmcp and supergateway with one child per
// session, each with its default answers (rxmcp: JSON when the response comes first, else
// SSE; supergateway: SSE), and only the proxy differs: same client, same server.
//
// After a warm-up (WARMUP calls one after another, then as many with IN_FLIGHT at once),
// ROUNDS rounds each make ROUNDS-th of the calls of each tool through every contender, one
// contender after the other in an order that rotates each round, so that the load other
// processes put on the machine falls on all alike. Each contender's calls run in a block, as
// a proxy serving a client would (calling the contenders in turn, call by call, would measure
// cold caches instead: direct stdio suffers most from that). Over the rounds:
// - latency: p50/p95 of all of a contender's sequential calls, pooled;
// - calls/s: IN_FLIGHT calls at once; the median round;
// - proxy CPU: the proxy process's CPU time (all threads, /proc schedstat) over those calls,
//   per call; client CPU: this process's (process.cpuUsage) over the sequential calls;
// - peak RSS: the proxy process's VmHWM at the end.
//
// Environment: BENCH_PROXY_ROUNDS (20), BENCH_PROXY_ECHO (2000 sequential calls),
// BENCH_PROXY_SLEEP5 (1000), BENCH_PROXY_PARALLEL_ECHO (10000 calls in flight),
// BENCH_PROXY_PARALLEL_SLEEP5 (5000), BENCH_PROXY_IN_FLIGHT (32). About 4.5 minutes.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  processCpuMicros,
  startFloorProxy,
  startRxmcpProxy,
  startSupergateway,
  statusKiB,
} from './support/proxyProcesses.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const ROUNDS = env('BENCH_PROXY_ROUNDS', 20);
const IN_FLIGHT = env('BENCH_PROXY_IN_FLIGHT', 32);
const TOOLS = [
  {
    name: 'echo',
    sequential: env('BENCH_PROXY_ECHO', 2000),
    parallel: env('BENCH_PROXY_PARALLEL_ECHO', 10000),
  },
  {
    name: 'sleep5',
    sequential: env('BENCH_PROXY_SLEEP5', 1000),
    parallel: env('BENCH_PROXY_PARALLEL_SLEEP5', 5000),
  },
];
const WARMUP = { echo: 2000, sleep5: 200 };
const text = 'x'.repeat(64);
const server = {
  command: process.execPath,
  args: [join(here, 'fixtures', 'sdk-stdio-tools-server.mjs')],
};

// The SDK client hands one long-lived AbortSignal to every fetch, and undici keeps a listener
// on it per request until GC: count those warnings instead of printing thousands of lines.
let listenerWarnings = 0;
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') listenerWarnings++;
  else console.error(warning);
});

async function httpClient(url) {
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

async function openContenders() {
  const direct = new Client({ name: 'bench', version: '1' });
  await direct.connect(new StdioClientTransport(server));
  const rxmcp = await startRxmcpProxy({ bin: join(root, 'bin', 'rxmcp.cjs'), server });
  const floor = await startFloorProxy({
    script: join(here, 'fixtures', 'floor-proxy.mjs'),
    server,
  });
  const supergateway = await startSupergateway({
    bin: join(root, 'node_modules', 'supergateway', 'dist', 'index.js'),
    server,
  });
  return [
    {
      name: 'direct',
      label: 'direct stdio (no proxy)',
      client: direct,
      close: () => direct.close(),
    },
    { name: 'rxmcp', label: 'rxmcp proxy', proxy: rxmcp, ...(await httpClient(rxmcp.url)) },
    {
      name: 'supergateway',
      label: 'supergateway 4 (Streamable HTTP, stateful)',
      proxy: supergateway,
      ...(await httpClient(supergateway.url)),
    },
    {
      name: 'floor',
      label: 'floor: bare node:http pass-through',
      proxy: floor,
      ...(await httpClient(floor.url)),
    },
  ];
}

async function call(contender, tool) {
  const result = await contender.client.callTool({ name: tool, arguments: { text } });
  if (result?.content?.[0]?.text !== text) {
    throw new Error(`${contender.name}: ${tool} answered ${JSON.stringify(result)}`);
  }
}

const proxyCpu = (contender) =>
  contender.proxy === undefined ? 0 : processCpuMicros(contender.proxy.pid);

async function sequentialBlock(contender, tool, calls, figures) {
  const clientCpu = process.cpuUsage();
  const cpu = proxyCpu(contender);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call(contender, tool);
    figures.latencies.push(performance.now() - start);
  }
  figures.sequentialCpu += proxyCpu(contender) - cpu;
  const { user, system } = process.cpuUsage(clientCpu);
  figures.clientCpu += user + system;
}

async function parallelBlock(contender, tool, calls, figures) {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      await call(contender, tool);
    }
  };
  const cpu = proxyCpu(contender);
  const start = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  figures.rates.push(calls / ((performance.now() - start) / 1000));
  figures.parallelCpu += proxyCpu(contender) - cpu;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (values) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

function summarise(figures, tool) {
  const sorted = [...figures.latencies].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    perSecond: median(figures.rates),
    sequentialCpu: figures.sequentialCpu / sorted.length,
    clientCpu: figures.clientCpu / sorted.length,
    parallelCpu: figures.parallelCpu / (tool.parallel - (tool.parallel % ROUNDS)),
  };
}

function printTool(tool, contenders, summaries, peakKiB) {
  const perRound = (n) => Math.floor(n / ROUNDS) * ROUNDS;
  console.log(
    `\n### ${tool.name}: ${perRound(tool.sequential)} sequential calls, ` +
      `${perRound(tool.parallel)} with ${IN_FLIGHT} in flight\n`,
  );
  console.log(
    '| path | p50 ms | p95 ms | calls/s | proxy CPU µs/call, sequential | ' +
      'proxy CPU µs/call, in flight | proxy peak RSS MiB | client CPU µs/call, sequential |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const contender of contenders) {
    const s = summaries.get(contender.name);
    const proxied = contender.proxy !== undefined;
    console.log(
      `| ${contender.label} | ${s.p50.toFixed(3)} | ${s.p95.toFixed(3)} | ` +
        `${Math.round(s.perSecond).toLocaleString('en')} | ` +
        `${proxied ? s.sequentialCpu.toFixed(0) : '-'} | ${proxied ? s.parallelCpu.toFixed(0) : '-'} | ` +
        `${proxied ? (peakKiB.get(contender.name) / 1024).toFixed(1) : '-'} | ` +
        `${s.clientCpu.toFixed(0)} |`,
    );
  }
  const [direct, rx, sg, floor] = ['direct', 'rxmcp', 'supergateway', 'floor'].map((n) =>
    summaries.get(n),
  );
  const overhead = (a, b, key) => `${((a[key] / b[key] - 1) * 100).toFixed(1)}%`;
  const ratio = (a, b, key) => `${(a[key] / b[key]).toFixed(2)}x`;
  const row = (label, f, a, b) =>
    console.log(
      `| ${label} | ${f(a, b, 'p50')} | ${f(a, b, 'p95')} | ${f(a, b, 'perSecond')} | ` +
        `${f === ratio ? ratio(a, b, 'sequentialCpu') : ''} | ` +
        `${f === ratio ? ratio(a, b, 'parallelCpu') : ''} | ` +
        `${f === ratio ? (peakKiB.get('rxmcp') / peakKiB.get('supergateway')).toFixed(2) + 'x' : ''} | ` +
        `${f(a, b, 'clientCpu')} |`,
    );
  row('rxmcp proxy vs direct', overhead, rx, direct);
  row('supergateway vs direct', overhead, sg, direct);
  row('floor vs direct', overhead, floor, direct);
  row('rxmcp / supergateway', ratio, rx, sg);
}

const contenders = await openContenders();
try {
  const figures = new Map(
    contenders.map((c) => [
      c.name,
      new Map(
        TOOLS.map((t) => [
          t.name,
          { latencies: [], rates: [], sequentialCpu: 0, parallelCpu: 0, clientCpu: 0 },
        ]),
      ),
    ]),
  );
  // Until the JIT has settled: a proxy runs for long, its first thousand calls are not it.
  const scratch = () => ({ latencies: [], rates: [], sequentialCpu: 0, parallelCpu: 0 });
  for (const contender of contenders) {
    for (const [tool, count] of Object.entries(WARMUP)) {
      for (let i = 0; i < count; i++) await call(contender, tool);
      await parallelBlock(contender, tool, count, scratch());
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const tool of TOOLS) {
      for (const contender of order) {
        const f = figures.get(contender.name).get(tool.name);
        await sequentialBlock(contender, tool.name, Math.floor(tool.sequential / ROUNDS), f);
        await parallelBlock(contender, tool.name, Math.floor(tool.parallel / ROUNDS), f);
      }
    }
  }
  const peakKiB = new Map(
    contenders.filter((c) => c.proxy).map((c) => [c.name, statusKiB(c.proxy.pid, 'VmHWM')]),
  );
  console.log(
    `tools/call through a proxy vs direct stdio, same SDK client and stdio server; ` +
      `${ROUNDS} alternating rounds; latency pooled over the rounds, calls/s the median round; ` +
      `Node ${process.version}`,
  );
  for (const tool of TOOLS) {
    const summaries = new Map(
      contenders.map((c) => [c.name, summarise(figures.get(c.name).get(tool.name), tool)]),
    );
    printTool(tool, contenders, summaries, peakKiB);
  }
  console.log('\n(latency, CPU and RSS: lower is better; calls/s: higher is better)');
  if (listenerWarnings > 0) {
    console.log(
      `\nMaxListenersExceededWarning on the SDK client's fetch AbortSignal, counted: ` +
        `${listenerWarnings}`,
    );
  }
} finally {
  for (const contender of contenders) {
    await contender.close();
    await contender.proxy?.stop();
  }
}
