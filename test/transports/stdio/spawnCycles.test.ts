import { lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { stdioTransport } from '../../../src/transports/stdio/stdioTransport.js';
import type { StdioTransportOptions } from '../../../src/transports/stdio/stdioTransportOptions.js';
import { NODE, RAW_SERVER, REPO, done, marker, open, processesWith } from './support.js';

const CYCLES = 200;
// Enough to overlap spawns and shutdowns, few enough for a shared 2-core machine.
const CONCURRENCY = 4;

type Kind = 'node' | 'sh -c' | 'npx node' | 'npx mcp-server-everything';

/** 8 direct, 6 `sh -c`, 5 `npx node`, 1 `npx mcp-server-everything` in every 20 cycles. */
function kindOf(cycle: number): Kind {
  const slot = cycle % 20;
  if (slot < 8) return 'node';
  if (slot < 14) return 'sh -c';
  if (slot < 19) return 'npx node';
  return 'npx mcp-server-everything';
}

/** `flags` go to the raw server (not to mcp-server-everything). */
function optionsFor(kind: Kind, tag: string, flags: readonly string[]): StdioTransportOptions {
  switch (kind) {
    case 'node':
      return { command: NODE, args: [RAW_SERVER, ...flags, tag] };
    case 'sh -c':
      // `; true` keeps sh alive as the server's parent.
      return {
        command: 'sh',
        args: ['-c', `"${NODE}" "${RAW_SERVER}" ${[...flags, tag].join(' ')}; true`],
      };
    case 'npx node':
      return {
        command: 'npx',
        args: ['--no-install', 'node', RAW_SERVER, ...flags, tag],
        cwd: REPO,
      };
    case 'npx mcp-server-everything':
      return {
        command: 'npx',
        args: ['--no-install', 'mcp-server-everything', 'stdio', tag],
        cwd: REPO,
      };
  }
}

interface CycleResult {
  readonly kind: Kind;
  /** Whether the server ignored EOF, so that the group had to be sent SIGTERM. */
  readonly deaf: boolean;
  /** Processes carrying the cycle's marker while the server was answering. */
  readonly whileOpen: number;
  /** Processes carrying it right after close() completed. */
  readonly afterClose: number;
}

async function cycle(run: string, index: number): Promise<CycleResult> {
  const kind = kindOf(index);
  const tag = `${run}-${index}-end`;
  // Slots 5, 11 and 16 of every 20 (one each of node, sh -c and npx node) run a server that
  // ignores EOF: its whole group gets SIGTERM after a short grace. The others exit on EOF;
  // their grace is long so that load cannot make them escalate (the wait ends with the exit
  // event, so it costs nothing).
  const deaf = [5, 11, 16].includes(index % 20);
  const transport = stdioTransport({
    ...optionsFor(kind, tag, deaf ? ['--ignore-eof'] : []),
    closeTimeoutMs: deaf ? 100 : 30_000,
  });
  const connection = open(transport);
  await connection.call(1, kind === 'npx mcp-server-everything' ? 'ping' : 'echo', {});
  const whileOpen = processesWith(tag).length;
  await done(transport.close());
  await connection.ended();
  return { kind, deaf, whileOpen, afterClose: processesWith(tag).length };
}

describe('stdio spawn/close cycles', () => {
  it(`${CYCLES} cycles through node, sh -c and npx leave no process behind`, async () => {
    const run = marker('cycles');
    const results = await lastValueFrom(
      range(0, CYCLES).pipe(
        mergeMap((index) => cycle(run, index), CONCURRENCY),
        toArray(),
      ),
    );

    const left = processesWith(run);
    const byKind = new Map<Kind, { cycles: number; deaf: number; maxWhileOpen: number }>();
    for (const result of results) {
      const entry = byKind.get(result.kind) ?? { cycles: 0, deaf: 0, maxWhileOpen: 0 };
      byKind.set(result.kind, {
        cycles: entry.cycles + 1,
        deaf: entry.deaf + (result.deaf ? 1 : 0),
        maxWhileOpen: Math.max(entry.maxWhileOpen, result.whileOpen),
      });
    }
    const summary = [...byKind].map(
      ([kind, e]) =>
        `${kind}: ${e.cycles} (${e.deaf} deaf to EOF; up to ${e.maxWhileOpen} processes)`,
    );
    console.log(
      `stdio cycles: ${results.length} cycles, ${left.length} processes left; ${summary.join(', ')}`,
    );

    expect(results).toHaveLength(CYCLES);
    // The scan sees the servers while they run, so 0 afterwards means something.
    expect(results.every((result) => result.whileOpen >= 1)).toBe(true);
    expect(results.filter((result) => result.afterClose > 0)).toEqual([]);
    expect(left).toEqual([]);
  }, 180_000);
});
