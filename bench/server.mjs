// The Streamable HTTP server: memory per session and tools/call throughput, for rxmcp's
// createStreamableHttpServer and the official SDK's StreamableHTTPServerTransport, in the
// same run. Each contender's server runs in its own child process (bench/fixtures/
// http-server.mjs, forked with --expose-gc); this process is the load generator (node:http
// with keep-alive agents).
//
// Memory: the child's VmRSS (from /proc) after a full GC, once WARM_SESSIONS sessions are open
// (baseline), then with 1,000 and 10,000 more sessions each holding an open GET stream
// (initialize, then notifications/initialized, then GET). Reported per added session above the
// baseline, and the V8 heap per session beside it (RSS keeps pages the allocator does not give
// back). The warm-up sessions stay open, so that what they leave (JIT code, a young
// generation grown to its working size, lazily loaded modules) is in the baseline and not
// spread over the sessions measured, and no freed page is reused by them.
// Idle CPU: in a fresh child with IDLE_STREAMS sessions each holding an open GET stream and
// everything settled, the child's process.cpuUsage() over IDLE_MS, as CPU milliseconds per
// second: once with the default keep-alive (15 s for rxmcp and the SDK; the window may or may
// not hold a tick), and once with a keep-alive comment every second on each stream (rxmcp and
// the SDK only: the floor sends none).
// Throughput: tools/call `echo` over one session, IN_FLIGHT requests at once on keep-alive
// sockets, SSE responses (the default of both), for DURATION_MS after a warm-up, in a fresh
// child each time; ROUNDS rounds, the median reported, with the server's CPU time per call
// (process.cpuUsage() of the child over the measured run / calls), steadier on a busy machine.
//
// Contenders (see the fixture): `node:http` (the floor: no MCP, a Map of sessions and the
// open responses, what any server on node:http pays), `rxmcp` (the transport with a
// hand-written responder: its own cost), `rxmcp+sdk` (one SDK McpServer per session on it, via
// toSdkTransport) and `sdk` (one StreamableHTTPServerTransport + McpServer per session, the
// SDK's documented stateful pattern). `rxmcp+sdk` against `sdk` is the like-for-like
// comparison.
//
// Environment: BENCH_SERVER_SESSIONS (default "1000,10000"), BENCH_SERVER_DURATION_MS (3000),
// BENCH_SERVER_IN_FLIGHT (32), BENCH_SERVER_ROUNDS (3), BENCH_SERVER_CONTENDERS (default
// "node:http,rxmcp,rxmcp+sdk,sdk"), BENCH_SERVER_WARMUP (1000), BENCH_SERVER_IDLE_MS (10000).
// About 4 to 6 minutes in all with the defaults.
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'http-server.mjs');
const CONTENDERS = (process.env.BENCH_SERVER_CONTENDERS ?? 'node:http,rxmcp,rxmcp+sdk,sdk').split(
  ',',
);
const DURATION_MS = Number(process.env.BENCH_SERVER_DURATION_MS ?? 3000);
const WARMUP_MS = 1000;
const ROUNDS = Number(process.env.BENCH_SERVER_ROUNDS ?? 3);
const IN_FLIGHT = Number(process.env.BENCH_SERVER_IN_FLIGHT ?? 32);
/** Sessions being opened at once. */
const OPENING = 64;
/** Sessions open before the baseline (see the head comment). */
const WARM_SESSIONS = Number(process.env.BENCH_SERVER_WARMUP ?? 1000);
/** The idle CPU window, and the streams held open during the keep-alive variant. */
const IDLE_MS = Number(process.env.BENCH_SERVER_IDLE_MS ?? 10_000);
const IDLE_STREAMS = 1000;
/** Keep-alive interval of the idle CPU variant with comments firing. */
const FAST_KEEP_ALIVE_MS = 1000;
/** Time for the load generator's idle POST sockets to close (agent timeout 2 s) before an idle window. */
const SETTLE_MS = 3000;
/** File descriptors this process keeps for itself beyond one socket per session. */
const FD_RESERVE = 256;
const PROTOCOL_VERSION = '2025-11-25';
const ECHO = { name: 'echo', arguments: { text: 'x'.repeat(64) } };

const steps = sessionSteps();

/** The session counts to measure, capped by this process's open-file limit (one GET each). */
function sessionSteps() {
  const wanted = (process.env.BENCH_SERVER_SESSIONS ?? '1000,10000')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const limit = openFileLimit();
  const cap = limit - OPENING - FD_RESERVE - WARM_SESSIONS;
  const capped = wanted.map((n) => Math.min(n, cap));
  if (capped.some((n, i) => n !== wanted[i])) {
    console.log(
      `note: the open-file limit is ${limit} (ulimit -n), so at most ${cap} sessions are opened ` +
        `instead of ${wanted[wanted.length - 1]}. Raise it (ulimit -n 20000) for the full run.\n`,
    );
  }
  return [...new Set(capped.filter((n) => n > 0))];
}

function openFileLimit() {
  try {
    const line = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line[1] === 'unlimited' ? Infinity : Number(line[1]);
  } catch {
    return 1024;
  }
}

/** Forks one contender's server; resolves with its url, measure(), cpu() and stop(). */
async function startServer(contender, env = {}) {
  const child = fork(fixture, [contender], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`bench/server: the ${contender} server died (${signal ?? code})`);
  });
  const [listening] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the ${contender} server exited with ${code} before listening`);
    }),
  ]);
  return {
    url: listening.url,
    measure: async () => {
      child.send({ type: 'measure' });
      const [measured] = await once(child, 'message');
      return measured;
    },
    cpu: async () => {
      child.send({ type: 'cpu' });
      const [{ userMicros, systemMicros }] = await once(child, 'message');
      return userMicros + systemMicros;
    },
    stop: async () => {
      stopping = true;
      child.kill();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/**
 * Keep-alive sockets for POSTs. Both servers close a socket after 5 s idle (node:http's
 * keepAliveTimeout); the agent drops idle ones after 2 s, so that a request is never written
 * on a socket the server is closing (an ECONNRESET that would be the bench's fault).
 */
function keepAliveAgent(maxSockets) {
  return new Agent({ keepAlive: true, maxSockets, timeout: 2000 });
}

/** One HTTP exchange; resolves with status, headers and the whole body. */
function exchange(url, { method, headers, body, agent }) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const postHeaders = (session) => ({
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  ...(session && { 'Mcp-Session-Id': session.id, 'Mcp-Protocol-Version': session.version }),
});

/** The JSON-RPC message with an `id` in a POST answer (SSE or JSON). */
function answerOf(body) {
  const payloads = body.trimStart().startsWith('{')
    ? [body]
    : body
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim());
  for (const payload of payloads) {
    if (!payload) continue;
    const message = JSON.parse(payload);
    if ('id' in message) return message;
  }
  throw new Error(`no JSON-RPC answer in: ${body.slice(0, 200)}`);
}

/** initialize + notifications/initialized: a ready session `{ id, version }`. */
async function openSession(url, agent) {
  const init = await exchange(url, {
    method: 'POST',
    agent,
    headers: postHeaders(),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'bench-server', version: '1.0.0' },
      },
    }),
  });
  const id = init.headers['mcp-session-id'];
  if (init.status !== 200 || !id) throw new Error(`initialize: ${init.status} ${init.body}`);
  const session = { id, version: answerOf(init.body).result.protocolVersion };
  const initialized = await exchange(url, {
    method: 'POST',
    agent,
    headers: postHeaders(session),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  if (initialized.status !== 202) throw new Error(`initialized: ${initialized.status}`);
  return session;
}

/** Opens the session's GET stream; resolves once its head arrived, with the request. */
function openGetStream(url, session, agent) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        agent,
        headers: {
          Accept: 'text/event-stream',
          'Mcp-Session-Id': session.id,
          'Mcp-Protocol-Version': session.version,
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET: ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', () => {}); // keep-alive comments and priming: read and drop
        res.on('error', () => {});
        resolve(req);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens sessions with a GET stream each until `streams` holds `target`, OPENING at once. */
async function openStreams(url, streams, target, postAgent, getAgent) {
  let next = streams.length;
  const worker = async () => {
    while (next < target) {
      next++;
      const session = await openSession(url, postAgent);
      streams.push(await openGetStream(url, session, getAgent));
    }
  };
  await Promise.all(Array.from({ length: OPENING }, worker));
}

/** The child's CPU time over IDLE_MS once settled, in CPU milliseconds per second. */
async function idleCpu(server) {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const before = await server.cpu();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const usedMicros = (await server.cpu()) - before;
  return usedMicros / 1000 / ((performance.now() - started) / 1000);
}

/** RSS and heap per session, at each step of `steps`, above the warmed-up baseline. */
async function measureMemory(contender) {
  const server = await startServer(contender);
  const postAgent = keepAliveAgent(OPENING);
  const getAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  try {
    await openStreams(server.url, streams, WARM_SESSIONS, postAgent, getAgent);
    const baseline = await server.measure();
    const points = [];
    for (const target of steps) {
      const started = performance.now();
      await openStreams(server.url, streams, WARM_SESSIONS + target, postAgent, getAgent);
      const openSeconds = (performance.now() - started) / 1000;
      const measured = await server.measure();
      points.push({
        sessions: target,
        rssBytes: measured.rssBytes,
        rssPerSession: (measured.rssBytes - baseline.rssBytes) / target,
        heapPerSession: (measured.heapUsedBytes - baseline.heapUsedBytes) / target,
        openSeconds,
      });
    }
    return { baseline, points };
  } finally {
    for (const stream of streams) stream.destroy();
    postAgent.destroy();
    getAgent.destroy();
    await server.stop();
  }
}

/** Idle CPU with IDLE_STREAMS streams open; `keepAliveMs` overrides the default 15 s. */
async function measureIdleCpu(contender, keepAliveMs) {
  const env = keepAliveMs === undefined ? {} : { BENCH_KEEP_ALIVE_MS: String(keepAliveMs) };
  const server = await startServer(contender, env);
  const postAgent = keepAliveAgent(OPENING);
  const getAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  try {
    await openStreams(server.url, streams, IDLE_STREAMS, postAgent, getAgent);
    return await idleCpu(server);
  } finally {
    for (const stream of streams) stream.destroy();
    postAgent.destroy();
    getAgent.destroy();
    await server.stop();
  }
}

/**
 * tools/call requests per second over one session, IN_FLIGHT at once, and the server's CPU
 * time per call (steadier than wall-clock on a busy machine).
 */
async function measureThroughput(contender) {
  const server = await startServer(contender);
  const agent = keepAliveAgent(IN_FLIGHT);
  try {
    const session = await openSession(server.url, agent);
    let id = 1;
    const call = async () => {
      const answer = await exchange(server.url, {
        method: 'POST',
        agent,
        headers: postHeaders(session),
        body: JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: ECHO }),
      });
      if (answer.status !== 200 || !answerOf(answer.body).result) {
        throw new Error(`tools/call: ${answer.status} ${answer.body.slice(0, 200)}`);
      }
    };
    const runFor = async (ms) => {
      const deadline = performance.now() + ms;
      let done = 0;
      const worker = async () => {
        while (performance.now() < deadline) {
          await call();
          done++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      return done / ((performance.now() - started) / 1000);
    };
    await runFor(WARMUP_MS);
    const cpuBefore = await server.cpu();
    const rate = await runFor(DURATION_MS);
    const calls = rate * (DURATION_MS / 1000);
    return { rate, cpuMicrosPerCall: ((await server.cpu()) - cpuBefore) / calls };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const cpuMs = (ms) => (ms === undefined ? 'n/a' : `${ms.toFixed(2)} ms`);
const ratio = (value, peer) => (peer ? `${(value / peer).toFixed(2)}x` : 'n/a');

const results = [];
for (const contender of CONTENDERS) {
  const memory = await measureMemory(contender);
  results.push({ contender, memory, rates: [], cpuPerCall: [] });
  const last = memory.points[memory.points.length - 1];
  console.log(
    `${contender}: ${last.sessions} sessions opened in ${last.openSeconds.toFixed(1)} s, ` +
      `${kb(last.rssPerSession)} RSS per session`,
  );
}
for (const result of results) {
  result.idleCpu = await measureIdleCpu(result.contender);
  // The floor sends no keep-alive comments.
  if (result.contender !== 'node:http') {
    result.keepAliveCpu = await measureIdleCpu(result.contender, FAST_KEEP_ALIVE_MS);
  }
  console.log(
    `${result.contender}: idle with ${IDLE_STREAMS} streams ${cpuMs(result.idleCpu)} CPU/s, ` +
      `with a keep-alive every ${FAST_KEEP_ALIVE_MS} ms ${cpuMs(result.keepAliveCpu)} CPU/s`,
  );
}
// Rounds go round-robin over the contenders, so that a noisy moment on the machine does not
// land on one contender only; the table shows the median and the range.
for (let round = 0; round < ROUNDS; round++) {
  for (const result of results) {
    const { rate, cpuMicrosPerCall } = await measureThroughput(result.contender);
    result.rates.push(rate);
    result.cpuPerCall.push(cpuMicrosPerCall);
  }
}
for (const result of results) {
  result.rates.sort((a, b) => a - b);
  result.rps = result.rates[Math.floor(result.rates.length / 2)];
  result.cpuPerCall.sort((a, b) => a - b);
  result.cpuMicrosPerCall = result.cpuPerCall[Math.floor(result.cpuPerCall.length / 2)];
  console.log(
    `${result.contender}: tools/call/s ${result.rates.map(Math.round).join(', ')}; server CPU ` +
      `per call ${result.cpuPerCall.map((us) => `${Math.round(us)} µs`).join(', ')}`,
  );
}

const sdk = results.find((result) => result.contender === 'sdk');
const sdkPoint = (index) => sdk?.memory.points[index];
const header = [
  'contender',
  'baseline RSS',
  ...steps.flatMap((n) => [
    `RSS/session @${n.toLocaleString('en-US')}`,
    `heap/session @${n.toLocaleString('en-US')}`,
    'RSS/session vs sdk',
  ]),
  `tools/call req/s (${IN_FLIGHT} in flight), median (range)`,
  'req/s vs sdk',
  'server CPU/call, median',
  `idle CPU/s, ${IDLE_STREAMS.toLocaleString('en-US')} streams`,
  `idle CPU/s, ${IDLE_STREAMS.toLocaleString('en-US')} streams, keep-alive ${FAST_KEEP_ALIVE_MS / 1000} s`,
];
console.log(`\n| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const result of results) {
  const { contender, memory, rps, rates, cpuMicrosPerCall, idleCpu: idle, keepAliveCpu } = result;
  const cells = [
    contender,
    mb(memory.baseline.rssBytes),
    ...memory.points.flatMap((point, index) => [
      kb(point.rssPerSession),
      kb(point.heapPerSession),
      ratio(point.rssPerSession, sdkPoint(index)?.rssPerSession),
    ]),
    `${Math.round(rps).toLocaleString('en-US')} (${Math.round(rates[0])}–${Math.round(rates[rates.length - 1])})`,
    ratio(rps, sdk?.rps),
    `${Math.round(cpuMicrosPerCall)} µs`,
    cpuMs(idle),
    cpuMs(keepAliveCpu),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(
  `\nRSS/session: (VmRSS after GC with N more sessions, each with an open GET stream, − ` +
    `baseline with ${WARM_SESSIONS} sessions open) / N; target for rxmcp: under 20 KB. Idle CPU/s: ` +
    `the server's CPU milliseconds per second over ${IDLE_MS / 1000} s with the streams open ` +
    `and no traffic (default keep-alive 15 s), and with a keep-alive comment every ` +
    `${FAST_KEEP_ALIVE_MS / 1000} s on each stream; target: ~0 when idle. Lower is better for ` +
    `memory and CPU, higher for req/s.`,
);
