// What the client and server conformance runners share: finding the Node 22 binary that
// `npm ci` in this folder installed, running the suite's CLI and collecting its output, and
// failing loudly.
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
