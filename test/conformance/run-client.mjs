// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the
// rxmcp client (client.mjs) and fails on any failed check, any warning, a client that exits
// non-zero, or a scenario that produced no result.
//
//   node test/conformance/run-client.mjs [scenario ...]
//
// The conformance CLI needs Node >= 22 while rxmcp supports Node >= 20, so this script (any
// Node >= 20) runs the CLI with the Node 22 binary that `npm ci` in test/conformance installed
// from the npm registry (the node-<platform>-<arch> package). The client itself runs on the Node
// that runs this script, the one the library is tested on.
//
// Environment:
//   RXMCP_ENTRY                     the built library to test
//                                   (default: <repo>/dist/esm/src/index.js)
//   RXMCP_CONFORMANCE_CLIENT_NODE   the Node that runs client.mjs (default: this one)
//   RXMCP_CONFORMANCE_RESULTS       where the runner writes checks.json, stdout and stderr
//                                   per scenario (default: a fresh folder in the OS temp dir)
//   RXMCP_CONFORMANCE_VERBOSE=1     print the runner's whole output, pass or fail
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indent, nodeVersion, prepareRun, spawnCollect } from './support.mjs';

/** The client scenarios of the issue; the auth scenarios are out of scope. */
const DEFAULT_SCENARIOS = [
  'initialize',
  'tools_call',
  'elicitation-sep1034-client-defaults',
  'sse-retry',
];
/** Per scenario, passed to the runner's --timeout (it kills the client after this). */
const SCENARIO_TIMEOUT_MS = 30_000;

const here = dirname(fileURLToPath(import.meta.url));

function main() {
  const scenarios = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_SCENARIOS;
  const { node22, cli, cliVersion, entry, resultsRoot } = prepareRun(
    'conformance:client',
    'rxmcp-conformance-',
  );
  const clientNode = process.env.RXMCP_CONFORMANCE_CLIENT_NODE ?? process.execPath;
  const version = (path) => nodeVersion('conformance:client', path);
  console.log(
    `conformance ${cliVersion} on node ${version(node22)}; client on node ${version(clientNode)}; ` +
      `rxmcp from ${entry}`,
  );
  console.log(`results in ${resultsRoot}`);
  return runAll(scenarios, { node22, cli, entry, clientNode, resultsRoot });
}

async function runAll(scenarios, setup) {
  const outcomes = [];
  for (const scenario of scenarios) outcomes.push(await runScenario(scenario, setup));
  const passed = outcomes.filter((outcome) => outcome.ok).length;
  const warnings = outcomes.reduce((sum, outcome) => sum + outcome.warnings, 0);
  console.log(
    `conformance:client: ${passed}/${outcomes.length} scenarios passed, ` +
      `${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  process.exitCode = passed === outcomes.length ? 0 : 1;
}

async function runScenario(scenario, { node22, cli, entry, clientNode, resultsRoot }) {
  const outputDir = join(resultsRoot, scenario.replace(/[^\w.-]/g, '_'));
  mkdirSync(outputDir, { recursive: true });
  // The runner splits --command on spaces, appends the server URL and hands the line to a
  // shell, so quoting for that shell keeps paths with spaces whole.
  const command = [clientNode, join(here, 'client.mjs')].map(shellQuote).join(' ');
  const args = [
    cli,
    'client',
    '--command',
    command,
    '--scenario',
    scenario,
    '--timeout',
    String(SCENARIO_TIMEOUT_MS),
    '--output-dir',
    outputDir,
  ];
  const started = Date.now();
  const run = await spawnCollect(node22, args, {
    cwd: here,
    env: { ...process.env, RXMCP_ENTRY: entry, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const problems = [];
  const checks = readChecks(outputDir, problems);
  const count = (status) => checks.filter((check) => check.status === status).length;
  const [succeeded, failed, warnings] = [count('SUCCESS'), count('FAILURE'), count('WARNING')];
  if (run.code !== 0) problems.push(`the conformance runner exited with ${run.signal ?? run.code}`);
  if (/CLIENT TIMED OUT/.test(run.output)) problems.push('the client timed out');
  const clientExit = /Client exited with code (-?\d+)/.exec(run.output);
  if (clientExit) problems.push(`the client exited with code ${clientExit[1]}`);
  if (checks.length > 0 && succeeded === 0) problems.push('no check succeeded');
  for (const check of checks) {
    if (check.status === 'FAILURE' || check.status === 'WARNING') {
      problems.push(`${check.status} ${check.name}: ${check.errorMessage ?? check.description}`);
    }
  }
  const ok = problems.length === 0;
  console.log(
    `${ok ? 'PASS' : 'FAIL'} ${scenario}: ${succeeded} passed, ${failed} failed, ` +
      `${warnings} warning${warnings === 1 ? '' : 's'} (${seconds} s)`,
  );
  for (const problem of problems) console.log(`  - ${problem}`);
  if (!ok || process.env.RXMCP_CONFORMANCE_VERBOSE === '1') {
    console.log(indent(run.output.trimEnd()));
  }
  return { scenario, ok, warnings };
}

/** The checks.json the runner wrote into `<outputDir>/<scenario>-<timestamp>/`. */
function readChecks(outputDir, problems) {
  const runs = readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(outputDir, entry.name, 'checks.json'))
    .filter((path) => existsSync(path))
    .sort();
  if (runs.length === 0) {
    problems.push(`no checks.json under ${outputDir}`);
    return [];
  }
  try {
    const checks = JSON.parse(readFileSync(runs[runs.length - 1], 'utf8'));
    if (!Array.isArray(checks)) throw new Error('not an array');
    if (checks.length === 0) problems.push('the runner reported no checks');
    return checks;
  } catch (error) {
    problems.push(`unreadable ${runs[runs.length - 1]}: ${error.message}`);
    return [];
  }
}

function shellQuote(word) {
  if (process.platform === 'win32') return `"${word}"`;
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

await main();
