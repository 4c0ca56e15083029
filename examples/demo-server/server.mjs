// The demo MCP server that `npm start` puts behind `rxmcp proxy`. It is an ordinary stdio
// server built on the official SDK, which is the point: the proxy serves any stdio server.
//
// Tools:
//   echo       returns its text
//   add        adds two numbers
//   countdown  counts down for a few seconds, reporting progress each step
//   announce   sends a logging notification to the client, then returns
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer(
  { name: 'rxmcp-demo', version: '1.0.0' },
  { capabilities: { logging: {} } },
);

server.registerTool(
  'echo',
  { description: 'Returns the text it is given.', inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: 'text', text }] }),
);

server.registerTool(
  'add',
  { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
  async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
);

server.registerTool(
  'countdown',
  {
    description:
      'Counts down from `from` (default 5), one step every `intervalMs` (default 600 ms), reporting progress.',
    inputSchema: {
      from: z.number().int().min(1).max(60).optional(),
      intervalMs: z.number().int().min(10).max(5000).optional(),
    },
  },
  async ({ from = 5, intervalMs = 600 }, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (let step = 1; step <= from; step++) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, intervalMs);
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('cancelled by the client'));
        });
      });
      if (progressToken !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: step, total: from, message: `${from - step} to go` },
        });
      }
    }
    return { content: [{ type: 'text', text: `Lift-off after ${from} steps.` }] };
  },
);

server.registerTool(
  'announce',
  {
    description: 'Sends a logging notification with the given text.',
    inputSchema: { text: z.string() },
  },
  async ({ text }, extra) => {
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level: 'info', logger: 'rxmcp-demo', data: text },
    });
    return { content: [{ type: 'text', text: `announced: ${text}` }] };
  },
);

await server.connect(new StdioServerTransport());
