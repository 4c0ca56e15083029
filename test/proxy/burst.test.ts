/**
 * Backpressure end to end: a stdio server bursts 128 MiB of progress notifications to a
 * client that reads slowly. The proxy (the CLI, in a process of its own) pauses the child's
 * stdout instead of buffering: nothing is lost and its RSS stays under 100 MB. The peak is the
 * kernel's (VmHWM of the proxy process), not a sample.
 *
 * The proxy runs as `bin/rxmcp.cjs` runs it, with `--max-semi-space-size=2` from its shebang
 * line (spawnCli reads it from there). What it holds live is a few MiB (the event store is bytes in one ring per
 * session, the child's stdout stops between lines, big SSE events are encoded straight into
 * bytes), and its peak is set by how far V8 grows the young generation for the burst's
 * garbage. With default settings it stops at 16 MiB in most runs (82-85 MiB RSS) but reached
 * its 32 MiB maximum in 2 of 10 (101-103 MiB): too close to the limit for a test that must not
 * be flaky. With the flag: 66-70 MiB.
 */
import { resolve } from 'node:path';
import { initialize } from './support/rawHttp';
import { binNodeFlags, peakRssMiB, rssMiB, removeCliBundle, spawnCli } from './support/cliProcess';
import type { CliProcess } from './support/cliProcess';

const toolServer = resolve(__dirname, '../fixtures/proxy/tool-server.mjs');
const BURST_BYTES = 128 * 1024 * 1024;

let cli: CliProcess | undefined;
afterAll(removeCliBundle);
afterEach(async () => {
  cli?.child.kill('SIGKILL');
  await cli?.exited;
});

it('keeps the proxy under 100 MB RSS while a child bursts 128 MiB to a slow client', async () => {
  expect(binNodeFlags).toContain('--max-semi-space-size=2');
  cli = await spawnCli(['proxy', '--port', '0', '--', process.execPath, toolServer]);
  const [, url] = (await cli.waitFor(/url=(\S+)/)) as unknown as [string, string];
  const pid = cli.child.pid!;
  const session = await initialize(url);
  const baseline = rssMiB(pid);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: {
        name: 'burst',
        arguments: { bytes: BURST_BYTES, chunk: 16 * 1024 },
        _meta: { progressToken: 'p' },
      },
    }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let sampledRss = baseline;
  let reads = 0;
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    tail = (tail + decoder.decode(value, { stream: true })).slice(-400);
    if (++reads % 16 === 0) {
      sampledRss = Math.max(sampledRss, rssMiB(pid));
      // The slow client: a pause every 16 reads.
      await new Promise((resolvePause) => setTimeout(resolvePause, 20));
    }
  }
  // Everything arrived, in one stream, ending with the result: nothing was dropped.
  expect(received).toBeGreaterThan(BURST_BYTES);
  expect(tail).toMatch(/"id":2,"result":\{"content":\[\{"type":"text","text":"burst \d+ \d+"/);
  const peak = peakRssMiB(pid);
  process.stdout.write(
    `burst: proxy RSS baseline ${baseline.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB ` +
      `(highest sample ${sampledRss.toFixed(1)} MiB), received ${(received / 2 ** 20).toFixed(1)} MiB\n`,
  );
  // 100 MB, not MiB.
  expect(peak * 2 ** 20).toBeLessThan(100_000_000);
}, 120_000);
