// The MCP server that the official conformance suite's server scenarios test: an SDK
// `McpServer` per session, hosted on rxmcp's Streamable HTTP server through `toSdkTransport`.
// It registers every tool, resource and prompt the scenarios of @modelcontextprotocol/conformance
// 0.1.16 call (after the suite's own examples/servers/typescript/everything-server.ts), so what
// the suite judges is the transport: sessions, SSE streams, routing, resumption, DNS rebinding.
//
//   node test/conformance/server-fixture.mjs [port]     serves until SIGINT/SIGTERM
//   node test/conformance/server-fixture.mjs --stdio    one McpServer on stdin/stdout (rxmcp's
//                                                       stdioServerTransport), until stdin ends
//
// run-server.mjs imports startConformanceServer() instead; run-proxy.mjs runs the `--stdio`
// form behind `rxmcp proxy`. Plain ESM, any Node >= 20.
//
// rxmcp comes from the built library: RXMCP_ENTRY (a path or file: URL to dist/esm/src/index.js
// or any file next to it) or, by default, ../../dist/esm/src/. The SDK and zod are the
// repository's own (its devDependencies, the peer rxmcp is tested with), resolved from the
// repository root rather than from test/conformance/node_modules, which holds the suite's copy.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const requireFromRepo = createRequire(resolve(repo, 'package.json'));
const { McpServer, ResourceTemplate } = requireFromRepo('@modelcontextprotocol/sdk/server/mcp.js');
const { completable } = requireFromRepo('@modelcontextprotocol/sdk/server/completable.js');
const {
  CreateMessageResultSchema,
  ElicitResultSchema,
  ListToolsRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} = requireFromRepo('@modelcontextprotocol/sdk/types.js');
const { z } = requireFromRepo('zod');

/** A 1x1 red PNG and a minimal WAV, as the scenarios' expected results use. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

/** SEP-1613: listed as is, so the suite can check that `$schema`, `$defs` and
 * `additionalProperties` survive (zod's conversion would write draft-07). */
const JSON_SCHEMA_2020_12_TOOL = 'json_schema_2020_12_tool';
const JSON_SCHEMA_2020_12_INPUT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};

/** The rxmcp build under test: `{ createStreamableHttpServer, stdioServerTransport, toSdkTransport }`. */
export async function loadRxmcp(entry = process.env.RXMCP_ENTRY) {
  const base = entry ? new URL('.', toUrl(entry)) : new URL('../../dist/esm/src/', import.meta.url);
  const [node, sdk] = await Promise.all([
    import(new URL('node.js', base).href),
    import(new URL('sdk/index.js', base).href),
  ]);
  return {
    createStreamableHttpServer: node.createStreamableHttpServer,
    stdioServerTransport: node.stdioServerTransport,
    toSdkTransport: sdk.toSdkTransport,
  };
}

/**
 * Starts the fixture on 127.0.0.1 (`port` 0: any free one). Resolves with the MCP endpoint's
 * `url`, `stats()` and `close()` (graceful: every session and stream ends; resolves when done).
 */
export async function startConformanceServer({ port = 0, entry, serverOptions = {} } = {}) {
  const { createStreamableHttpServer, toSdkTransport } = await loadRxmcp(entry);
  const server = createStreamableHttpServer({ port, ...serverOptions });
  const sessionSubscription = server.sessions$.subscribe((session) => {
    const mcp = createConformanceMcpServer(session);
    mcp.connect(toSdkTransport(session)).catch((error) => {
      console.error(`server-fixture: session ${session.id} failed to start: ${error.message}`);
    });
  });
  const { url, listening } = await new Promise((resolvePromise, reject) => {
    const listening = server.listen().subscribe({
      next: (address) => resolvePromise({ url: address.url, listening }),
      error: reject,
    });
  });
  return {
    url,
    stats: () => server.stats,
    close: () =>
      new Promise((resolvePromise, reject) => {
        server.close().subscribe({
          error: reject,
          complete: () => {
            sessionSubscription.unsubscribe();
            listening.unsubscribe();
            resolvePromise();
          },
        });
      }),
  };
}

/**
 * Serves one McpServer on this process's stdin and stdout, as a stdio MCP server does (the
 * proxy starts one per session). Resolves once the transport is open; the process exits when
 * stdin ends. stdout carries MCP messages only: diagnostics go to stderr.
 */
export async function serveConformanceStdio({ entry } = {}) {
  const { stdioServerTransport, toSdkTransport } = await loadRxmcp(entry);
  const mcp = createConformanceMcpServer(undefined);
  await mcp.connect(toSdkTransport(stdioServerTransport()));
  return mcp;
}

/**
 * One SDK McpServer for one rxmcp session: everything the conformance server scenarios call.
 * `session` is the rxmcp ServerSession (for `closeStream`, SEP-1699); over stdio there is none,
 * and `test_reconnection` answers on the request's stream (the suite reports that as INFO).
 */
export function createConformanceMcpServer(session) {
  const mcp = new McpServer(
    { name: 'rxmcp-conformance-server', version: '0.1.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
      },
    },
  );
  registerTools(mcp, session);
  registerResources(mcp);
  registerPrompts(mcp);
  listJsonSchema2020Raw(mcp);
  return mcp;
}

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

function registerTools(mcp, session) {
  const noArgs = (name, description, handler) =>
    mcp.registerTool(name, { description, inputSchema: {} }, handler);

  noArgs('test_simple_text', 'Returns one text content', async () =>
    text('This is a simple text response for testing.'),
  );
  noArgs('test_image_content', 'Returns one image content', async () => ({
    content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }],
  }));
  noArgs('test_audio_content', 'Returns one audio content', async () => ({
    content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }],
  }));
  noArgs('test_embedded_resource', 'Returns an embedded resource', async () => ({
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  }));
  noArgs('test_multiple_content_types', 'Returns text, image and resource', async () => ({
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  }));
  // Log and progress notifications go through `extra.sendNotification`, which names the
  // request they belong to: rxmcp routes them onto that request's POST stream.
  noArgs('test_tool_with_logging', 'Sends three log messages', async (_args, extra) => {
    for (const data of ['Tool execution started', 'Tool processing data']) {
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level: 'info', data },
      });
      await sleep(50);
    }
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level: 'info', data: 'Tool execution completed' },
    });
    return text('Tool with logging executed successfully');
  });
  noArgs('test_tool_with_progress', 'Sends three progress notifications', async (_args, extra) => {
    const progressToken = extra._meta?.progressToken ?? 0;
    for (const progress of [0, 50, 100]) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          total: 100,
          message: `Completed step ${progress} of 100`,
        },
      });
      if (progress < 100) await sleep(50);
    }
    return text(String(progressToken));
  });
  noArgs('test_error_handling', 'Always fails', async () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
  // SEP-1699: end the POST stream's connection mid-call (after `retry:`); the result goes to
  // the event store and reaches the client when it resumes with GET + Last-Event-ID.
  noArgs(
    'test_reconnection',
    'Closes its stream mid-call; the result comes on resume',
    async (_args, extra) => {
      session?.closeStream(extra.requestId);
      await sleep(100);
      return text(
        'Reconnection test completed successfully. If you received this, the client properly ' +
          'reconnected after stream closure.',
      );
    },
  );
  mcp.registerTool(
    'test_sampling',
    {
      description: 'Asks the client for an LLM completion (sampling/createMessage)',
      inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') },
    },
    async ({ prompt }, extra) => {
      const result = await extra.sendRequest(
        {
          method: 'sampling/createMessage',
          params: {
            messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
            maxTokens: 100,
          },
        },
        CreateMessageResultSchema,
      );
      return text(`LLM response: ${result.content?.text ?? 'No response'}`);
    },
  );
  const elicit = (extra, message, requestedSchema) =>
    extra.sendRequest(
      { method: 'elicitation/create', params: { message, requestedSchema } },
      ElicitResultSchema,
    );
  const elicitationResult = (prefix, result) =>
    text(`${prefix}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  mcp.registerTool(
    'test_elicitation',
    {
      description: 'Asks the user for input (elicitation/create)',
      inputSchema: { message: z.string().describe('The message to show the user') },
    },
    async ({ message }, extra) =>
      elicitationResult(
        'User response',
        await elicit(extra, message, {
          type: 'object',
          properties: { response: { type: 'string', description: "User's response" } },
          required: ['response'],
        }),
      ),
  );
  noArgs(
    'test_elicitation_sep1034_defaults',
    'Elicitation with defaults (SEP-1034)',
    async (_args, extra) =>
      elicitationResult(
        'Elicitation completed',
        await elicit(extra, 'Please review and update the form fields with defaults', {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string',
              description: 'User status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        }),
      ),
  );
  noArgs(
    'test_elicitation_sep1330_enums',
    'Elicitation with the enum forms (SEP-1330)',
    async (_args, extra) =>
      elicitationResult(
        'Elicitation completed',
        await elicit(extra, 'Please select options from the enum fields', {
          type: 'object',
          properties: {
            untitledSingle: {
              type: 'string',
              description: 'Select one option',
              enum: ['option1', 'option2', 'option3'],
            },
            titledSingle: {
              type: 'string',
              description: 'Select one option with titles',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              description: 'Select one option (legacy)',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: {
              type: 'array',
              description: 'Select multiple options',
              minItems: 1,
              maxItems: 3,
              items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            },
            titledMulti: {
              type: 'array',
              description: 'Select multiple options with titles',
              minItems: 1,
              maxItems: 3,
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
          required: [],
        }),
      ),
  );
  // Validated with zod on call; listed with the raw 2020-12 schema (listJsonSchema2020Raw).
  mcp.registerTool(
    JSON_SCHEMA_2020_12_TOOL,
    {
      description: 'Tool with JSON Schema 2020-12 features (SEP-1613)',
      inputSchema: {
        name: z.string().optional(),
        address: z
          .object({ street: z.string().optional(), city: z.string().optional() })
          .optional(),
      },
    },
    async (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
  );
}

function registerResources(mcp) {
  const fixed = (name, uri, title, mimeType, content) =>
    mcp.registerResource(name, uri, { title, description: title, mimeType }, async () => ({
      contents: [{ uri, mimeType, ...content }],
    }));
  fixed('static-text', 'test://static-text', 'Static Text Resource', 'text/plain', {
    text: 'This is the content of the static text resource.',
  });
  fixed('static-binary', 'test://static-binary', 'Static Binary Resource', 'image/png', {
    blob: PNG_BASE64,
  });
  fixed('watched-resource', 'test://watched-resource', 'Watched Resource', 'text/plain', {
    text: 'Watched resource content',
  });
  mcp.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    {
      title: 'Resource Template',
      description: 'Parameter substitution',
      mimeType: 'application/json',
    },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  );
  // McpServer has no subscription API: the low-level handlers keep the set per session.
  const subscriptions = new Set();
  mcp.server.setRequestHandler(SubscribeRequestSchema, async ({ params }) => {
    subscriptions.add(params.uri);
    return {};
  });
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, async ({ params }) => {
    subscriptions.delete(params.uri);
    return {};
  });
}

function registerPrompts(mcp) {
  const user = (content) => ({ role: 'user', content });
  mcp.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple Test Prompt', description: 'A prompt without arguments' },
    async () => ({
      messages: [user({ type: 'text', text: 'This is a simple prompt for testing.' })],
    }),
  );
  // completable() gives the prompt's arguments completion/complete (and the capability).
  const complete = (values) => (value) =>
    values.filter((candidate) => candidate.startsWith(value ?? ''));
  mcp.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'A prompt with required arguments',
      argsSchema: {
        arg1: completable(z.string().describe('First test argument'), complete(['hello', 'help'])),
        arg2: completable(z.string().describe('Second test argument'), complete(['world'])),
      },
    },
    async ({ arg1, arg2 }) => ({
      messages: [
        user({ type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` }),
      ],
    }),
  );
  mcp.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that embeds a resource',
      argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') },
    },
    async ({ resourceUri }) => ({
      messages: [
        user({
          type: 'resource',
          resource: {
            uri: resourceUri,
            mimeType: 'text/plain',
            text: 'Embedded resource content for testing.',
          },
        }),
        user({ type: 'text', text: 'Please process the embedded resource above.' }),
      ],
    }),
  );
  mcp.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt With Image', description: 'A prompt with image content' },
    async () => ({
      messages: [
        user({ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }),
        user({ type: 'text', text: 'Please analyze the image above.' }),
      ],
    }),
  );
}

/**
 * McpServer lists every tool with a zod-converted (draft-07) schema. This wraps its
 * tools/list handler and swaps in the raw 2020-12 schema for the one SEP-1613 tool. The
 * handler map is SDK-internal (the suite's own everything-server reads `_registeredTools`
 * for the same reason); the fixture fails loudly if it moves.
 */
function listJsonSchema2020Raw(mcp) {
  const listTools = mcp.server._requestHandlers?.get('tools/list');
  if (typeof listTools !== 'function') {
    throw new Error(
      'server-fixture: the SDK no longer keeps McpServer handlers in _requestHandlers',
    );
  }
  mcp.server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
    const result = await listTools(request, extra);
    return {
      ...result,
      tools: result.tools.map((tool) =>
        tool.name === JSON_SCHEMA_2020_12_TOOL
          ? { ...tool, inputSchema: JSON_SCHEMA_2020_12_INPUT }
          : tool,
      ),
    };
  });
}

function toUrl(pathOrUrl) {
  return /^file:/.test(pathOrUrl) ? pathOrUrl : pathToFileURL(resolve(pathOrUrl)).href;
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url) &&
  process.argv[2] === '--stdio'
) {
  await serveConformanceStdio().catch((error) => {
    console.error(`server-fixture: could not serve on stdio: ${error.message}`);
    process.exit(1);
  });
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 0);
  const fixture = await startConformanceServer({ port });
  console.log(`rxmcp conformance server on ${fixture.url}`);
  const stop = () => fixture.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
