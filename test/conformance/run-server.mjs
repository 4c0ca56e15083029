// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the rxmcp
// Streamable HTTP server (server-fixture.mjs: an SDK McpServer per session, hosted with
// toSdkTransport) and fails on any failed check, any warning, a scenario that produced no
// result, or a runner that exits non-zero.
//
//   node test/conformance/run-server.mjs                 every server scenario (--suite all)
//   node test/conformance/run-server.mjs <scenario ...>  only those
//
// The fixture runs in this process, on the Node that runs this script (the library's floor is
// Node 20). The suite's CLI needs Node >= 22, so it runs under the Node 22 binary that `npm ci`
// in test/conformance installed from the npm registry (the node-<platform>-<arch> package).
//
// Environment:
//   RXMCP_ENTRY                   the built library to test
//                                 (default: <repo>/dist/esm/src/index.js)
//   RXMCP_CONFORMANCE_RESULTS     where the runner writes checks.json per scenario
//                                 (default: a fresh folder in the OS temp dir)
//   RXMCP_CONFORMANCE_VERBOSE=1   print the runner's whole output, pass or fail
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startConformanceServer } from './server-fixture.mjs';
import { indent, nodeVersion, prepareRun, spawnCollect } from './support.mjs';

/** The whole run (32 scenarios take about 2 s); the runner is killed after this. */
const RUN_TIMEOUT_MS = 300_000;

const here = dirname(fileURLToPath(import.meta.url));

async function main() {
  const only = process.argv.slice(2);
  const { node22, cli, cliVersion, entry, resultsRoot } = prepareRun(
    'conformance:server',
    'rxmcp-conformance-server-',
  );
  const fixture = await startConformanceServer({ entry });
  console.log(
    `conformance ${cliVersion} on node ${version(node22)}; server on node ${process.version}; ` +
      `rxmcp from ${entry}`,
  );
  console.log(`server at ${fixture.url}; results in ${resultsRoot}`);

  const outcomes = [];
  let runnerOk = true;
  try {
    const runs =
      only.length > 0 ? only.map((scenario) => ['--scenario', scenario]) : [['--suite', 'all']];
    for (const selection of runs) {
      const started = Date.now();
      const run = await spawnCollect(
        node22,
        [cli, 'server', '--url', fixture.url, ...selection, '--output-dir', resultsRoot],
        { cwd: here, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
        RUN_TIMEOUT_MS,
      );
      const scenarios = scenariosOf(run.output, selection);
      for (const scenario of scenarios) outcomes.push(judge(scenario));
      const problems = [];
      if (run.timedOut) problems.push(`the runner took longer than ${RUN_TIMEOUT_MS / 1000} s`);
      if (run.code !== 0) problems.push(`the runner exited with ${run.signal ?? run.code}`);
      if (scenarios.length === 0) problems.push('the runner ran no scenario');
      if (problems.length > 0) {
        runnerOk = false;
        console.log(`FAIL conformance server ${selection.join(' ')} (${seconds(started)} s)`);
        for (const problem of problems) console.log(`  - ${problem}`);
      }
      if (problems.length > 0 || outcomes.some((outcome) => !outcome.ok) || verbose()) {
        console.log(indent(run.output.trimEnd()));
      }
    }
  } finally {
    await fixture.close();
  }

  const passed = outcomes.filter((outcome) => outcome.ok).length;
  const checks = outcomes.reduce((sum, outcome) => sum + outcome.succeeded, 0);
  const warnings = outcomes.reduce((sum, outcome) => sum + outcome.warnings, 0);
  console.log(
    `conformance:server: ${passed}/${outcomes.length} scenarios passed, ${checks} checks, ` +
      `${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  process.exitCode = runnerOk && outcomes.length > 0 && passed === outcomes.length ? 0 : 1;
}

/**
 * The scenarios the runner ran and where it saved each one's checks.json, from its output:
 * `=== Running scenario: <name> ===` (suite) or `Running client scenario '<name>'`, then
 * `Results saved to <dir>`.
 */
function scenariosOf(output, selection) {
  const scenarios = [];
  for (const line of output.split('\n')) {
    const started = /^Running client scenario '([^']+)'/.exec(line);
    if (started) scenarios.push({ name: started[1], dir: undefined });
    const saved = /^Results saved to (.+)$/.exec(line.trim());
    if (saved && scenarios.length > 0) scenarios[scenarios.length - 1].dir = saved[1].trim();
  }
  const announced = /Running \w+ suite \((\d+) scenarios\)/.exec(output);
  if (announced && Number(announced[1]) !== scenarios.length) {
    scenarios.push({
      name: `(${Number(announced[1]) - scenarios.length} scenarios announced, never started)`,
      dir: undefined,
    });
  }
  if (scenarios.length === 0 && selection[0] === '--scenario') {
    scenarios.push({ name: selection[1], dir: undefined });
  }
  return scenarios;
}

/** One scenario's verdict from its checks.json: any FAILURE or WARNING fails it. */
function judge({ name, dir }) {
  const problems = [];
  let checks = [];
  if (!dir || !existsSync(join(dir, 'checks.json'))) {
    problems.push('no checks.json: the scenario did not finish');
  } else {
    try {
      checks = JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8'));
      if (!Array.isArray(checks)) throw new Error('not an array');
    } catch (error) {
      problems.push(`unreadable ${join(dir, 'checks.json')}: ${error.message}`);
      checks = [];
    }
  }
  const count = (status) => checks.filter((check) => check.status === status).length;
  const [succeeded, failed, warnings] = [count('SUCCESS'), count('FAILURE'), count('WARNING')];
  if (dir && checks.length > 0 && succeeded === 0) problems.push('no check succeeded');
  for (const check of checks) {
    if (check.status === 'FAILURE' || check.status === 'WARNING') {
      problems.push(`${check.status} ${check.name}: ${check.errorMessage ?? check.description}`);
    }
  }
  const ok = problems.length === 0;
  console.log(
    `${ok ? 'PASS' : 'FAIL'} ${name}: ${succeeded} passed, ${failed} failed, ` +
      `${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  for (const problem of problems) console.log(`  - ${problem}`);
  return { ok, succeeded, warnings };
}

function version(path) {
  return nodeVersion('conformance:server', path);
}

const seconds = (started) => ((Date.now() - started) / 1000).toFixed(1);
const verbose = () => process.env.RXMCP_CONFORMANCE_VERBOSE === '1';

await main();
