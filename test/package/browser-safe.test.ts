import { build } from 'esbuild';
import { join } from 'node:path';

// `rxmcp` and `rxmcp/operators` must bundle for the browser with no Node built-in anywhere in
// their module graph. esbuild with `platform: 'browser'` refuses to resolve `node:*` and bare
// built-in names, and the metafile lets us also assert on every input that made it in.
const root = join(__dirname, '..', '..');

describe.each([
  ['rxmcp', 'src/index.ts'],
  ['rxmcp/operators', 'operators/index.ts'],
])('%s in a browser bundle', (_name, entry) => {
  it('bundles with platform "browser" and pulls in no Node built-in', async () => {
    const result = await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(1);
    const nodeish = inputs.filter(
      (path) => path.startsWith('node:') || /(^|\/)node_modules\/@types\/node\//.test(path),
    );
    expect(nodeish).toEqual([]);
    for (const file of Object.values(result.metafile.inputs)) {
      for (const imported of file.imports) {
        expect(imported.path).not.toMatch(/^node:/);
      }
    }
  });
});

describe('the browser-safety check itself', () => {
  it('fails for a module that imports a Node built-in', async () => {
    await expect(
      build({
        stdin: {
          contents: "import { readFileSync } from 'node:fs'; export const x = readFileSync;",
          resolveDir: root,
        },
        bundle: true,
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/node:fs/);
  });
});
