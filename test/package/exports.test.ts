import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// These tests load the *built* package the way a consumer does: by its name, through the
// `exports` map, once with `require` and once with `import`, in a fresh Node process.
// `npm test` builds first (the `pretest` script), so dist/ is current.
const root = join(__dirname, '..', '..');
const entries = ['rxmcp', 'rxmcp/operators', 'rxmcp/node', 'rxmcp/sdk'];

function run(code: string, type: 'commonjs' | 'module'): string {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', code];
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

describe('package exports', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cjs', 'src', 'index.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it for you).');
    }
  });

  it.each(entries)('%s resolves with require()', (entry) => {
    const keys = JSON.parse(
      run(
        `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(entry)}))))`,
        'commonjs',
      ),
    ) as string[];
    // The operators know nothing of the error family; the other runtime entries carry it.
    if (entry === 'rxmcp' || entry === 'rxmcp/node') expect(keys).toContain('RxMcpError');
    if (entry === 'rxmcp/operators' || entry === 'rxmcp') {
      expect(keys).toEqual(
        expect.arrayContaining(['retryWithJitter', 'dedupeById', 'resumeFrom', 'boundedBuffer']),
      );
    }
  });

  it.each(entries)('%s resolves with import()', (entry) => {
    const keys = JSON.parse(
      run(
        `const m = await import(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(m)))`,
        'module',
      ),
    ) as string[];
    if (entry === 'rxmcp/operators') {
      expect(keys).toEqual(
        expect.arrayContaining(['retryWithJitter', 'dedupeById', 'resumeFrom', 'boundedBuffer']),
      );
    }
  });

  it('gives ESM and CJS consumers the same error class identity within one format', () => {
    const out = run(
      `const a = require('rxmcp'); const b = require('rxmcp/node');
       process.stdout.write(String(a.RxMcpError === b.RxMcpError))`,
      'commonjs',
    );
    expect(out).toBe('true');
  });

  it('the bin prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const out = execFileSync(process.execPath, [join(root, 'bin', 'rxmcp.cjs'), '--version'], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(version);
  });

  it('the bin rejects an unknown command with exit code 2 and a hint', () => {
    let status: number | null = null;
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(root, 'bin', 'rxmcp.cjs'), 'bogus'], { stdio: 'pipe' });
    } catch (error) {
      const failure = error as { status: number | null; stderr: Buffer };
      status = failure.status;
      stderr = failure.stderr.toString();
    }
    expect(status).toBe(2);
    expect(stderr).toContain("'bogus'");
    expect(stderr).toContain('--help');
  });
});
