import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// `npm run size` (scripts/bundle-size.mjs) as a guard: the browser bundles pull in no Node
// built-in, and a page that only connects over Streamable HTTP stays small. The budgets are
// generous (about twice the figures in docs/performance.md): they catch a dependency that
// sneaks in, not a few hundred bytes.
const root = join(__dirname, '..', '..');
const run = promisify(execFile);

interface Measured {
  readonly min: number;
  readonly gzip: number;
  readonly nodeBuiltins: readonly string[];
}
interface Row {
  readonly name: string;
  readonly rxjsExternal: Measured;
  readonly rxjsIncluded: Measured;
}

const GZIP_BUDGET_RXJS_EXTERNAL: Readonly<Record<string, number>> = {
  operators: 8 * 1024,
  client: 40 * 1024,
  everything: 48 * 1024,
};

describe('npm run size', () => {
  it('measures every bundle without a Node built-in, within the budgets', async () => {
    const { stdout } = await run(process.execPath, ['scripts/bundle-size.mjs', '--json'], {
      cwd: root,
    });
    const rows = JSON.parse(stdout) as Row[];
    expect(rows.map((row) => row.name)).toEqual(['operators', 'client', 'everything']);
    for (const row of rows) {
      expect([row.name, row.rxjsExternal.nodeBuiltins, row.rxjsIncluded.nodeBuiltins]).toEqual([
        row.name,
        [],
        [],
      ]);
      expect(row.rxjsExternal.gzip).toBeLessThan(GZIP_BUDGET_RXJS_EXTERNAL[row.name]!);
      expect(row.rxjsExternal.gzip).toBeLessThan(row.rxjsIncluded.gzip);
    }
    const [operators, client, everything] = rows;
    // Tree-shaking works: each smaller entry costs less than the one containing it.
    expect(operators!.rxjsExternal.min).toBeLessThan(client!.rxjsExternal.min);
    expect(client!.rxjsExternal.min).toBeLessThan(everything!.rxjsExternal.min);
  });

  it('names every Node built-in a bundle pulls in, and who imported it', async () => {
    const probe = `
      import { measureBundle } from './scripts/bundle-size.mjs';
      const contents = "import { readFileSync } from 'node:fs'; import os from 'os'; export const x = [readFileSync, os];";
      const measured = await measureBundle({ entry: { contents } }, true);
      process.stdout.write(JSON.stringify(measured.nodeBuiltins));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: root,
    });
    expect(JSON.parse(stdout)).toEqual([
      'node:fs (imported by <stdin>)',
      'os (imported by <stdin>)',
    ]);
  });
});
