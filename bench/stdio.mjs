// tools/call over stdio: the rxmcp client (connect + stdioTransport) against the official
// SDK client (Client + StdioClientTransport), both talking to the same SDK server fixture,
// in the same run. The measuring loop and the table are bench/support/toolCalls.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { stdioTransport } from 'rxmcp/node';
import { compareToolCalls, rxmcpContender, sdkContender } from './support/toolCalls.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const server = {
  command: process.execPath,
  args: [join(here, 'fixtures', 'sdk-stdio-server.mjs')],
};
const inFlight = 32;

await compareToolCalls({
  title: "tools/call over stdio to the SDK's McpServer",
  labels: {
    rxmcp: 'rxmcp connect + stdioTransport',
    sdk: 'official SDK Client + StdioClientTransport',
  },
  contenders: {
    rxmcp: () => rxmcpContender(stdioTransport(server), inFlight),
    sdk: async () => {
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(new StdioClientTransport(server));
      return sdkContender(client, inFlight);
    },
  },
  warmup: 200,
  sequential: Number(process.env.BENCH_STDIO_SEQUENTIAL ?? 2000),
  parallel: Number(process.env.BENCH_STDIO_PARALLEL ?? 20000),
  inFlight,
});
