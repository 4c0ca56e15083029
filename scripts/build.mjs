// Builds the package twice from one source tree: ESM into dist/esm and CommonJS into
// dist/cjs, each with its own .d.ts. A package.json with the right "type" is written into
// each output folder so Node and TypeScript read every file in the format it was built as
// (this is what keeps `require` consumers from getting ESM-flavoured types).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

rmSync('dist', { recursive: true, force: true });
for (const [config, type] of [
  ['tsconfig.esm.json', 'module'],
  ['tsconfig.cjs.json', 'commonjs'],
]) {
  execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
  const out = config === 'tsconfig.esm.json' ? 'dist/esm' : 'dist/cjs';
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/package.json`, JSON.stringify({ type }) + '\n');
}
