// tools/call over Streamable HTTP: the rxmcp client (connect + streamableHttpTransport)
// against the official SDK client (Client + StreamableHTTPClientTransport), both talking to
// the same server in the same run: the SDK's McpServer on its StreamableHTTPServerTransport
// (stateful, SSE responses) on node:http, in a child process of its own so that its CPU does
// not share the clients' event loop. The measuring loop and the table are
// bench/support/toolCalls.mjs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { streamableHttpTransport } from 'rxmcp';
import { compareToolCalls, rxmcpContender, sdkContender } from './support/toolCalls.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const inFlight = 32;

/** Starts the server process; resolves with its URL and a way to stop it. */
async function startServer() {
  const child = spawn(process.execPath, [join(here, 'fixtures', 'sdk-http-server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the bench server exited with ${code} before listening`);
    }),
  ]);
  const url = /^listening (\S+)$/.exec(first)?.[1];
  if (url === undefined) throw new Error(`unexpected first line from the server: ${first}`);
  return {
    url,
    stop: async () => {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

// The SDK's client hands one long-lived AbortSignal to every fetch; undici adds an abort
// listener to it per request and removes it only when the Request is garbage-collected, so with
// many calls in flight Node prints a MaxListenersExceededWarning per request past a point.
// (rxmcp gives each request its own signal.) Count them per contender instead of printing
// thousands of lines; other warnings are printed as usual.
const listenerWarnings = new Map();
let running = 'setup';
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') {
    listenerWarnings.set(running, (listenerWarnings.get(running) ?? 0) + 1);
  } else {
    console.error(warning);
  }
});

const server = await startServer();
try {
  await compareToolCalls({
    title:
      "tools/call over Streamable HTTP (SSE responses, stateful) to the SDK's McpServer on " +
      'node:http in a separate process',
    labels: {
      rxmcp: 'rxmcp connect + streamableHttpTransport',
      sdk: 'official SDK Client + StreamableHTTPClientTransport',
    },
    contenders: {
      rxmcp: () => rxmcpContender(streamableHttpTransport({ url: server.url }), inFlight),
      sdk: async () => {
        const client = new Client({ name: 'bench', version: '1' });
        const transport = new StreamableHTTPClientTransport(new URL(server.url));
        await client.connect(transport);
        // As rxmcp's close() does: end the session on the server (DELETE), then close.
        return sdkContender(client, inFlight, async () => {
          await transport.terminateSession();
          await client.close();
        });
      },
    },
    onStart: (name) => (running = name),
    warmup: 200,
    sequential: Number(process.env.BENCH_HTTP_SEQUENTIAL ?? 1000),
    parallel: Number(process.env.BENCH_HTTP_PARALLEL ?? 3000),
    inFlight,
  });
} finally {
  await server.stop();
}
if (listenerWarnings.size > 0) {
  const counts = [...listenerWarnings].map(([name, count]) => `${name} ${count}`).join(', ');
  console.log(
    `\nMaxListenersExceededWarning on the fetch AbortSignal (undici keeps one listener per ` +
      `request until GC), counted, not printed: ${counts}`,
  );
}
