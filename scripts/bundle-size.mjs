// What rxmcp costs in a browser bundle: esbuild (platform browser, ESM, minified) of
//   operators   `rxmcp/operators` alone
//   client      `connect` + `streamableHttpTransport` only, imported from `rxmcp` so that
//               tree-shaking shows what an app that uses just those pays
//   everything  the whole `rxmcp` entry
// each with rxjs external (an app has it already) and included, in minified bytes and
// minified + gzip (level 9) bytes. Fails (exit code 1) if any bundle pulls in a Node
// built-in: these entries must run in browsers without polyfills.
//
// `cross-fetch` stays external, as in the browser build: it is only imported, lazily, where
// there is no global fetch, which never happens in a browser.
//
//   node scripts/bundle-size.mjs            a table
//   node scripts/bundle-size.mjs --json     the figures as JSON (for the test)
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules);

/** Bundles, what they contain, as esbuild entries. */
export const BUNDLES = [
  { name: 'operators', what: '`rxmcp/operators`', entry: { file: 'operators/index.ts' } },
  {
    name: 'client',
    what: '`connect` + `streamableHttpTransport`',
    entry: { contents: "export { connect, streamableHttpTransport } from './src/index.ts';" },
  },
  { name: 'everything', what: 'all of `rxmcp`', entry: { file: 'src/index.ts' } },
];

// Refuses Node built-ins by name (`fs`, `node:fs`), and remembers who asked, so that the
// failure says where the import is.
const noNodeBuiltins = (found) => ({
  name: 'no-node-builtins',
  setup(on) {
    on.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '');
      if (args.path.startsWith('node:') || builtins.has(bare.split('/')[0])) {
        found.push(`${args.path} (imported by ${args.importer})`);
        return { path: args.path, external: true };
      }
      return undefined;
    });
  },
});

/** One bundle's minified and gzipped bytes, and the Node built-ins it asked for (none, we hope). */
export async function measureBundle({ entry }, rxjsExternal) {
  const found = [];
  const result = await build({
    ...(entry.file === undefined
      ? { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }
      : { entryPoints: [join(root, entry.file)] }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    external: ['cross-fetch', ...(rxjsExternal ? ['rxjs'] : [])],
    plugins: [noNodeBuiltins(found)],
  });
  const code = result.outputFiles[0].contents;
  return {
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    nodeBuiltins: found,
  };
}

/** Every bundle, rxjs external and included. */
export async function measureBundles() {
  const rows = [];
  for (const bundle of BUNDLES) {
    rows.push({
      name: bundle.name,
      what: bundle.what,
      rxjsExternal: await measureBundle(bundle, true),
      rxjsIncluded: await measureBundle(bundle, false),
    });
  }
  return rows;
}

const size = (bytes) => `${bytes.toLocaleString('en')} B (${(bytes / 1024).toFixed(1)} KiB)`;

function table(rows) {
  const lines = [
    '| bundle | rxjs external: min | min + gzip | rxjs included: min | min + gzip |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const { what, rxjsExternal: ext, rxjsIncluded: inc } of rows) {
    lines.push(
      `| ${what} | ${size(ext.min)} | **${size(ext.gzip)}** | ${size(inc.min)} | ${size(inc.gzip)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureBundles();
  const offenders = rows.flatMap((row) =>
    [...row.rxjsExternal.nodeBuiltins, ...row.rxjsIncluded.nodeBuiltins].map(
      (hit) => `${row.name}: ${hit}`,
    ),
  );
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    process.stdout.write(`${table(rows)}\n\nesbuild, platform browser, ESM, minified; gzip -9.\n`);
  }
  if (offenders.length > 0) {
    process.stderr.write(`Node built-ins in a browser bundle:\n  ${offenders.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}
