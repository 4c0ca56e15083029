// Runs the official MCP conformance server suite (@modelcontextprotocol/conformance) through
// `rxmcp proxy`: the real CLI (bin/rxmcp.cjs, from dist/) fronting the conformance fixture as a
// stdio server (`server-fixture.mjs --stdio`, one child per session). Fails on any failed
// check, any warning, a scenario that produced no result, a runner that exits non-zero, or a
// proxy that does not stop cleanly (exit code 0) on SIGTERM.
//
// It runs the suite twice, once per way the proxy answers requests. With `--response-mode sse`
// every answer is an SSE stream, so every scenario is exercised. In the default mode (`auto`)
// an answer whose response comes first is one JSON body, which the spec allows; the fixture's
// `test_reconnection` tool answers at once over stdio, so there `server-sse-polling` only
// notes (INFO) the JSON answer, and the verdict says it was not exercised.
//
//   node test/conformance/run-proxy.mjs                 every server scenario (--suite all)
//   node test/conformance/run-proxy.mjs <scenario ...>  only those
//
// What the suite judges here is the proxy: its HTTP side (sessions, SSE streams, priming,
// DNS-rebinding protection, answered by the proxy itself) and the pipe to the child (ids,
// progress tokens, server-to-client requests and notifications on the stream of the request
// they belong to). The proxy and the child run on the Node that runs this script; the suite's
// CLI on the Node 22 of test/conformance/node_modules (see support.mjs).
//
// Environment: as run-server.mjs (RXMCP_ENTRY, RXMCP_CONFORMANCE_RESULTS,
// RXMCP_CONFORMANCE_VERBOSE=1, which also prints the proxy's log).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fail, indent, nodeVersion, prepareRun, runServerSuite, summarise } from './support.mjs';

const LABEL = 'conformance:proxy';
/** How long the proxy may take to say where it listens, and to stop after SIGTERM. */
const PROXY_START_TIMEOUT_MS = 30_000;
const PROXY_STOP_TIMEOUT_MS = 10_000;

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

/** The proxy's answer modes to run the suite in, and what each may answer with JSON. */
const MODES = [
  { mode: 'sse', mayAnswerJson: new Set() },
  { mode: 'auto', mayAnswerJson: new Set(['server-sse-polling']) },
];

async function main() {
  const only = process.argv.slice(2);
  const { node22, cli, cliVersion, entry, resultsRoot } = prepareRun(
    LABEL,
    'rxmcp-conformance-proxy-',
  );
  console.log(
    `conformance ${cliVersion} on node ${nodeVersion(LABEL, node22)}; proxy and fixture on ` +
      `node ${process.version}; rxmcp from ${entry}`,
  );
  let code = 0;
  for (const { mode, mayAnswerJson } of MODES) {
    const modeCode = await runInMode({
      mode,
      mayAnswerJson,
      only,
      node22,
      cli,
      entry,
      resultsRoot,
    });
    code = Math.max(code, modeCode);
  }
  process.exitCode = code;
}

/** Starts the proxy in `mode`, runs the suite through it, stops it; resolves the exit code. */
async function runInMode({ mode, mayAnswerJson, only, node22, cli, entry, resultsRoot }) {
  const proxy = await startProxy(entry, mode);
  console.log(
    `proxy --response-mode ${mode} at ${proxy.url} (pid ${proxy.pid}); results in ${resultsRoot}`,
  );
  let run;
  let stopped;
  try {
    run = await runServerSuite(`conformance proxy (${mode})`, {
      node22,
      cli,
      url: proxy.url,
      only,
      resultsRoot,
      mayAnswerJson,
    });
  } finally {
    stopped = await proxy.stop();
  }
  const code = summarise(`${LABEL} (--response-mode ${mode})`, run);
  const proxyOk = stopped.code === 0;
  if (!proxyOk) {
    console.log(`FAIL the proxy did not stop cleanly: ${stopped.signal ?? `exit ${stopped.code}`}`);
  }
  if (!proxyOk || code !== 0 || process.env.RXMCP_CONFORMANCE_VERBOSE === '1') {
    console.log('  proxy log:');
    console.log(indent(proxy.log().trimEnd()));
  }
  return proxyOk ? code : 1;
}

/**
 * Starts `node bin/rxmcp.cjs proxy --port 0 --response-mode <mode> -- node server-fixture.mjs
 * --stdio` with JSON logs
 * and resolves once its `proxy listening` line gives the URL. The child gets RXMCP_ENTRY, so it
 * runs the same build as the suite judges.
 */
async function startProxy(entry, mode) {
  const bin = join(repo, 'bin', 'rxmcp.cjs');
  const cjsMain = join(repo, 'dist', 'cjs', 'src', 'cli', 'main.js');
  if (!existsSync(cjsMain)) fail(LABEL, `${cjsMain} is missing. Build first: npm run build`);
  const fixture = join(here, 'server-fixture.mjs');
  const args = [
    bin,
    'proxy',
    '--port',
    '0',
    '--log-format',
    'json',
    '--response-mode',
    mode,
    '--env',
    `RXMCP_ENTRY=${entry}`,
    '--',
    process.execPath,
    fixture,
    '--stdio',
  ];
  const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'inherit', 'pipe'] });
  const lines = [];
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const forward = () => child.kill('SIGTERM');
  process.once('SIGINT', forward);
  process.once('SIGTERM', forward);
  const url = await new Promise((resolveUrl) => {
    const timer = setTimeout(() => resolveUrl(undefined), PROXY_START_TIMEOUT_MS);
    createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line);
      const entryOf = parseJson(line);
      if (entryOf?.msg === 'proxy listening' && typeof entryOf.url === 'string') {
        clearTimeout(timer);
        resolveUrl(entryOf.url);
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      resolveUrl(undefined);
    });
  });
  const log = () => lines.join('\n');
  if (url === undefined) {
    child.kill('SIGKILL');
    fail(LABEL, `the proxy did not say where it listens. Its log:\n${indent(log())}`);
  }
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), PROXY_STOP_TIMEOUT_MS);
    const result = await exited;
    clearTimeout(timer);
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    return result;
  };
  return { url, pid: child.pid, log, stop };
}

function parseJson(line) {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

await main();
