// The measuring loop shared by bench/stdio and bench/http-client: the same tools/call, made
// by the rxmcp client and by the official SDK client over the same kind of transport, to the
// same server, in the same run. Latency comes from sequential calls, throughput from calls in
// flight at once, and CPU per call (process.cpuUsage) is reported beside them because it is
// much steadier than wall-clock on a busy machine.
import { performance } from 'node:perf_hooks';
import { firstValueFrom, lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { connect } from 'rxmcp';

/** The call both clients make: `echo` with a 64-character text. */
export const echoCall = { name: 'echo', arguments: { text: 'x'.repeat(64) } };

/** A contender over an rxmcp transport; the `connect` subscription is the connection. */
export async function rxmcpContender(transport, inFlight) {
  const session = connect(transport, { clientInfo: { name: 'bench', version: '1' } });
  let subscription;
  const mcp = await new Promise((resolve, reject) => {
    subscription = session.subscribe({ next: resolve, error: reject });
  });
  return {
    call: () => firstValueFrom(mcp.callTool(echoCall)),
    parallel: (n) =>
      lastValueFrom(
        range(0, n).pipe(
          mergeMap(() => mcp.callTool(echoCall), inFlight),
          toArray(),
        ),
      ),
    close: async () => {
      await lastValueFrom(mcp.close(), { defaultValue: undefined });
      subscription.unsubscribe();
    },
  };
}

/** A contender over a connected SDK `Client`; `close` ends it (and its session). */
export function sdkContender(client, inFlight, close = () => client.close()) {
  return {
    call: () => client.callTool(echoCall),
    parallel: async (n) => {
      let next = 0;
      const results = [];
      const worker = async () => {
        while (next < n) {
          next++;
          results.push(await client.callTool(echoCall));
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      return results;
    },
    close,
  };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// Both contenders must get the right answer, or the figures mean nothing.
function checkEcho(name, result) {
  const text = result?.content?.[0]?.text;
  if (text !== echoCall.arguments.text) {
    throw new Error(`${name}: echo answered ${JSON.stringify(result)}`);
  }
}

function cpuMicros(since) {
  const { user, system } = process.cpuUsage(since);
  return user + system;
}

async function measure(name, make, { warmup, sequential, parallel, onStart }) {
  onStart?.(name);
  // Start each contender from a collected heap (run with --expose-gc, as bench/run.mjs does).
  globalThis.gc?.();
  const contender = await make();
  for (let i = 0; i < warmup; i++) checkEcho(name, await contender.call());
  const latencies = [];
  const sequentialCpu = process.cpuUsage();
  for (let i = 0; i < sequential; i++) {
    const start = performance.now();
    await contender.call();
    latencies.push(performance.now() - start);
  }
  const sequentialUs = cpuMicros(sequentialCpu) / sequential;
  latencies.sort((a, b) => a - b);
  const parallelCpu = process.cpuUsage();
  const start = performance.now();
  const results = await contender.parallel(parallel);
  const seconds = (performance.now() - start) / 1000;
  const parallelUs = cpuMicros(parallelCpu) / parallel;
  if (results.length !== parallel)
    throw new Error(`${name}: ${results.length} of ${parallel} calls`);
  checkEcho(name, results[results.length - 1]);
  await contender.close();
  return {
    name,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    perSecond: parallel / seconds,
    sequentialUs,
    parallelUs,
  };
}

/**
 * Measures `contenders` ({ rxmcp, sdk }: functions making a contender) over two rounds in
 * alternating order, so neither always runs on a colder machine, and prints the best of each
 * as a markdown table with the ratio rxmcp / SDK.
 */
export async function compareToolCalls({ title, labels, contenders, ...counts }) {
  const rounds = [];
  for (const order of [
    ['rxmcp', 'sdk'],
    ['sdk', 'rxmcp'],
  ]) {
    for (const name of order) rounds.push(await measure(name, contenders[name], counts));
  }
  const best = (name, key, pick) =>
    pick(...rounds.filter((r) => r.name === name).map((r) => r[key]));
  const [rx, sdk] = ['rxmcp', 'sdk'].map((name) => ({
    name,
    p50: best(name, 'p50', Math.min),
    p95: best(name, 'p95', Math.min),
    perSecond: best(name, 'perSecond', Math.max),
    sequentialUs: best(name, 'sequentialUs', Math.min),
    parallelUs: best(name, 'parallelUs', Math.min),
  }));

  console.log(
    `${title}; ${counts.sequential} sequential calls for latency, ${counts.parallel} calls with ` +
      `${counts.inFlight} in flight for throughput; best of 2 rounds; Node ${process.version}\n`,
  );
  console.log(
    '| client | p50 ms | p95 ms | calls/s | CPU µs/call, sequential | CPU µs/call, in flight |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [rx, sdk]) {
    console.log(
      `| ${labels[r.name]} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ` +
        `${Math.round(r.perSecond).toLocaleString('en')} | ${r.sequentialUs.toFixed(1)} | ` +
        `${r.parallelUs.toFixed(1)} |`,
    );
  }
  const ratio = (key) => (rx[key] / sdk[key]).toFixed(2);
  console.log(
    `| ratio rxmcp / SDK | ${ratio('p50')}x | ${ratio('p95')}x | ${ratio('perSecond')}x | ` +
      `${ratio('sequentialUs')}x | ${ratio('parallelUs')}x |`,
  );
  console.log('\n(latency and CPU: lower is better; calls/s: higher is better)');
}
