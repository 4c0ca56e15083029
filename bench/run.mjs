// Runs the benchmarks one after another, each in its own Node process so that one bench's
// heap, sockets and JIT state cannot colour the next one's figures.
//   npm run bench                 all of them
//   npm run bench -- operators    only the named ones
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['operators', 'framing', 'sse', 'stdio', 'http-client', 'server', 'proxy'];
const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : all;

let failed = 0;
for (const name of names) {
  const file = join(here, `${name}.mjs`);
  if (!existsSync(file)) {
    console.error(`bench: no bench named '${name}' (have: ${all.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n## bench/${name}\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench: ${name} exited with ${result.status ?? result.signal}`);
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
