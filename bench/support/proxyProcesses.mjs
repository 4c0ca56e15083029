// The proxies of bench/proxy, each started as its users start it (its CLI, in a process of its
// own), and what /proc says about that process: CPU time (all its threads, nanoseconds, from
// schedstat: the 10 ms ticks of /proc/<pid>/stat are too coarse for a block of calls) and
// peak resident memory (VmHWM).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** CPU time the process `pid` has used so far, all threads, in microseconds. */
export function processCpuMicros(pid) {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(
        readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0],
      );
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return nanoseconds / 1000;
}

/** A field of /proc/<pid>/status in KiB (VmHWM: peak RSS; VmRSS: now). */
export function statusKiB(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match === null ? NaN : Number(match[1]);
}

/** Stops `child` with SIGTERM (both proxies end their sessions and children on it). */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function failOnEarlyExit(child, name) {
  return once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${name} exited (${code ?? signal}) before listening`);
  });
}

/**
 * `rxmcp proxy --port 0 -- <server>` (the real CLI, built): its URL is in its first
 * `proxy listening` log line (JSON logs on stderr; at `info`, one line per session).
 */
export async function startRxmcpProxy({ bin, server }) {
  // With the Node flags of the bin's `#!/usr/bin/env -S node ...` line, as users run it.
  const flags = readFileSync(bin, 'utf8').split('\n', 1)[0].split(/\s+/).slice(3);
  const child = spawn(
    process.execPath,
    [
      ...flags,
      bin,
      'proxy',
      '--port',
      '0',
      '--log-format',
      'json',
      '--',
      server.command,
      ...server.args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const lines = createInterface({ input: child.stderr });
  const listening = new Promise((resolve) => {
    lines.on('line', (line) => {
      const entry = JSON.parse(line);
      if (entry.msg === 'proxy listening') resolve(entry.url);
      else if (entry.level === 'error' || entry.level === 'warn') console.error(`rxmcp: ${line}`);
    });
  });
  const exited = failOnEarlyExit(child, 'rxmcp proxy');
  exited.catch(() => undefined);
  const url = await Promise.race([listening, exited]);
  return { url, pid: child.pid, stop: () => stop(child) };
}

/** A TCP port free now on 127.0.0.1 (supergateway cannot listen on port 0 and say which). */
async function freePort() {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  await once(probe, 'close');
  return port;
}

/**
 * supergateway in stdio -> Streamable HTTP mode, stateful (one child per session, as rxmcp
 * proxy), logging off (at `info` it logs every message). It prints nothing useful at `none`,
 * so readiness is its health endpoint answering.
 */
export async function startSupergateway({ bin, server }) {
  const port = await freePort();
  const command = [server.command, ...server.args].map((part) => `'${part}'`).join(' ');
  const child = spawn(
    process.execPath,
    [
      bin,
      '--stdio',
      command,
      '--outputTransport',
      'streamableHttp',
      '--stateful',
      '--port',
      String(port),
      '--healthEndpoint',
      '/healthz',
      '--logLevel',
      'none',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = failOnEarlyExit(child, 'supergateway');
  exited.catch(() => undefined);
  const origin = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        if ((await fetch(`${origin}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(50);
    }
    throw new Error('supergateway did not answer /healthz within 10 s');
  })();
  await Promise.race([ready, exited]);
  return { url: `${origin}/mcp`, pid: child.pid, stop: () => stop(child) };
}

/** The floor of bench/proxy (bench/fixtures/floor-proxy.mjs): it prints `listening <url>`. */
export async function startFloorProxy({ script, server }) {
  const child = spawn(process.execPath, [script, server.command, ...server.args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = failOnEarlyExit(child, 'the floor proxy');
  exited.catch(() => undefined);
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    exited,
  ]);
  const url = /^listening (\S+)$/.exec(line)?.[1];
  if (url === undefined) throw new Error(`unexpected first line from the floor proxy: ${line}`);
  return { url, pid: child.pid, stop: () => stop(child) };
}
