// What the conformance runners share: finding the Node 22 binary that `npm ci` in this folder
// installed, running the suite's CLI and collecting its output, judging each server scenario
// by the checks.json it saved, and failing loudly.
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Prints `label: message` on stderr and exits with 2 (a setup problem, not a failed check). */
export function fail(label, message) {
  console.error(`${label}: ${message}`);
  process.exit(2);
}

/** The Node 22 binary of the node-<platform>-<arch> package (see package.json). */
export function findNode22(label) {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const bin = join(
    here,
    'node_modules',
    pkg,
    'bin',
    process.platform === 'win32' ? 'node.exe' : 'node',
  );
  if (!existsSync(bin)) {
    fail(
      label,
      `${bin} is missing. Run: (cd test/conformance && npm ci). If it is still missing, ` +
        `${pkg} is not among the optionalDependencies of test/conformance/package.json: ` +
        'add it at the same version as the others and run npm install there.',
    );
  }
  return bin;
}

/**
 * Runs a command; resolves with its exit and its stdout and stderr interleaved. With
 * `timeoutMs`, the command is stopped after that long and `timedOut` says so. A SIGINT or
 * SIGTERM to this process is passed on, so an interrupted run leaves no runner behind.
 */
export function spawnCollect(file, args, options, timeoutMs) {
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let timedOut = false;
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    const stop = () => child.kill('SIGTERM');
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, timeoutMs);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('error', (error) => chunks.push(Buffer.from(`\nspawn failed: ${error.message}\n`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolvePromise({
        code: code ?? 1,
        signal,
        timedOut,
        output: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
}

/** The runner's output, indented under the summary lines and without colour codes. */
export function indent(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').replace(/^/gm, '    | ');
}

/**
 * What every run needs, checked before anything starts: the Node 22 binary, the suite's CLI
 * and its version, the built library to test (`RXMCP_ENTRY`, default dist/esm), and the
 * folder the runner writes results to (`RXMCP_CONFORMANCE_RESULTS`, default a fresh temp dir
 * named with `resultsPrefix`).
 */
export function prepareRun(label, resultsPrefix) {
  const node22 = findNode22(label);
  const cli = join(
    here,
    'node_modules',
    '@modelcontextprotocol',
    'conformance',
    'dist',
    'index.js',
  );
  if (!existsSync(cli)) fail(label, `${cli} is missing. Run: (cd test/conformance && npm ci)`);
  const repo = resolve(here, '..', '..');
  const entry = resolve(process.env.RXMCP_ENTRY ?? join(repo, 'dist', 'esm', 'src', 'index.js'));
  if (!existsSync(entry)) {
    fail(label, `${entry} is missing. Build the library first: npm run build`);
  }
  const resultsRoot = process.env.RXMCP_CONFORMANCE_RESULTS
    ? resolve(process.env.RXMCP_CONFORMANCE_RESULTS)
    : mkdtempSync(join(tmpdir(), resultsPrefix));
  mkdirSync(resultsRoot, { recursive: true });
  const cliVersion = JSON.parse(
    readFileSync(join(dirname(cli), '..', 'package.json'), 'utf8'),
  ).version;
  return { node22, cli, cliVersion, entry, resultsRoot };
}

/** `path --version`, for the run's header line. */
export function nodeVersion(label, path) {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch (error) {
    return fail(label, `${path} --version failed: ${error.message}`);
  }
}

/** The whole server suite (32 scenarios take a few seconds); the runner is killed after this. */
const SERVER_SUITE_TIMEOUT_MS = 300_000;

/**
 * Runs the suite's server scenarios against `url`: `--suite all`, or each of `only` with
 * `--scenario`. Prints one verdict per scenario (see {@link judgeScenario}) and, on any
 * trouble or with `RXMCP_CONFORMANCE_VERBOSE=1`, the runner's whole output. Resolves with the
 * outcomes and whether every runner exited cleanly having run something.
 */
export async function runServerSuite(
  label,
  { node22, cli, url, only = [], resultsRoot, mayAnswerJson = new Set() },
) {
  const outcomes = [];
  let runnerOk = true;
  const runs =
    only.length > 0 ? only.map((scenario) => ['--scenario', scenario]) : [['--suite', 'all']];
  for (const selection of runs) {
    const started = Date.now();
    const run = await spawnCollect(
      node22,
      [cli, 'server', '--url', url, ...selection, '--output-dir', resultsRoot],
      { cwd: here, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      SERVER_SUITE_TIMEOUT_MS,
    );
    const scenarios = scenariosOf(run.output, selection);
    for (const scenario of scenarios) outcomes.push(judgeScenario(scenario, mayAnswerJson));
    const problems = [];
    if (run.timedOut) {
      problems.push(`the runner took longer than ${SERVER_SUITE_TIMEOUT_MS / 1000} s`);
    }
    if (run.code !== 0) problems.push(`the runner exited with ${run.signal ?? run.code}`);
    if (scenarios.length === 0) problems.push('the runner ran no scenario');
    if (problems.length > 0) {
      runnerOk = false;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`FAIL ${label} ${selection.join(' ')} (${seconds} s)`);
      for (const problem of problems) console.log(`  - ${problem}`);
    }
    const verbose = process.env.RXMCP_CONFORMANCE_VERBOSE === '1';
    if (problems.length > 0 || outcomes.some((outcome) => !outcome.ok) || verbose) {
      console.log(indent(run.output.trimEnd()));
    }
  }
  return { outcomes, runnerOk };
}

/** Prints the total line of a {@link runServerSuite} run; returns the exit code it deserves. */
export function summarise(label, { outcomes, runnerOk }) {
  const passed = outcomes.filter((outcome) => outcome.ok).length;
  const checks = outcomes.reduce((sum, outcome) => sum + outcome.succeeded, 0);
  const warnings = outcomes.reduce((sum, outcome) => sum + outcome.warnings, 0);
  console.log(
    `${label}: ${passed}/${outcomes.length} scenarios passed, ${checks} checks, ` +
      `${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  return runnerOk && outcomes.length > 0 && passed === outcomes.length ? 0 : 1;
}

/**
 * The scenarios the runner ran and where it saved each one's checks.json, from its output:
 * `Running client scenario '<name>'`, then `Results saved to <dir>`. A scenario the suite
 * announced but never started is reported as one that did not finish.
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

/**
 * One scenario's verdict from its checks.json: any FAILURE or WARNING fails it, and so does a
 * scenario in which no check succeeded, unless it is in `mayAnswerJson` and the suite only
 * noted (INFO) that the server answered with JSON, which the spec allows: the SSE behaviour it
 * looks for was then not exercised, and the verdict says so.
 */
function judgeScenario({ name, dir }, mayAnswerJson) {
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
  const answeredJson = checks.some(
    (check) => check.id === 'server-sse-content-type' && check.status === 'INFO',
  );
  let note = '';
  if (dir && checks.length > 0 && succeeded === 0) {
    if (mayAnswerJson.has(name) && answeredJson && failed === 0 && warnings === 0) {
      note = ' (not exercised: the answer was JSON, not SSE)';
    } else problems.push('no check succeeded');
  }
  for (const check of checks) {
    if (check.status === 'FAILURE' || check.status === 'WARNING') {
      problems.push(`${check.status} ${check.name}: ${check.errorMessage ?? check.description}`);
    }
  }
  const ok = problems.length === 0;
  console.log(
    `${ok ? 'PASS' : 'FAIL'} ${name}: ${succeeded} passed, ${failed} failed, ` +
      `${warnings} warning${warnings === 1 ? '' : 's'}${note}`,
  );
  for (const problem of problems) console.log(`  - ${problem}`);
  return { ok, succeeded, warnings };
}
