// Builds the package twice from one source tree: ESM into dist/esm and CommonJS into
// dist/cjs, each with its own .d.ts. A package.json with the right "type" is written into
// each output folder so Node and TypeScript read every file in the format it was built as
// (this is what keeps `require` consumers from getting ESM-flavoured types).
// Then a single-file browser bundle of `rxmcp` (rxjs included) goes to dist/browser, for
// pages that load it with a plain <script type="module"> (the proxy's demo page does).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

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

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/browser/rxmcp.js',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  // Browsers have a global fetch, so the on-demand cross-fetch fallback is never loaded there;
  // leaving it external keeps its XMLHttpRequest polyfill out of the bundle.
  external: ['cross-fetch'],
  logLevel: 'warning',
});
