// The rxmcp client under test, as the official conformance runner calls it:
//
//   node client.mjs <server-url>        with MCP_CONFORMANCE_SCENARIO=<scenario>
//
// Plain ESM so that any Node >= 20 runs it without a TypeScript toolchain. It imports the
// built library from RXMCP_ENTRY (a path or file: URL; run-client.mjs sets it) or, by default,
// from the repository's own build, ../../dist/esm/src/index.js. It uses no rxjs import of its
// own, so there is never a second copy of rxjs next to the library's.
//
// Exit code: 0 when the scenario's steps all succeeded, 1 otherwise (the runner counts a
// non-zero exit as a failure). Diagnostics go to stderr; the runner saves them.
import { pathToFileURL } from 'node:url';

const entry = process.env.RXMCP_ENTRY
  ? toUrl(process.env.RXMCP_ENTRY)
  : new URL('../../dist/esm/src/index.js', import.meta.url).href;
const { connect, streamableHttpTransport } = await import(entry);

const CLIENT_INFO = { name: 'rxmcp-conformance-client', version: '0.1.0' };
/** A scenario that hangs is a failure; the runner's own timeout (30 s) is the backstop. */
const STEP_TIMEOUT_MS = 15_000;

/**
 * What each scenario expects of a client, after the official everything-client. Each step
 * gets the connected McpClient and returns a Promise.
 */
const scenarios = {
  // Connect (initialize + initialized), then leave.
  initialize: async () => {},
  // List the tools and call `add_numbers`.
  tools_call: async (client) => {
    const tools = await all(client.listTools());
    log(`tools: ${tools.map((tool) => tool.name).join(', ')}`);
    const tool = required(tools, 'add_numbers');
    const result = await last(client.callTool({ name: tool.name, arguments: { a: 5, b: 3 } }));
    log(`result: ${JSON.stringify(result)}`);
    if (result.isError) throw new Error(`add_numbers failed: ${JSON.stringify(result)}`);
  },
  // Call the tool that elicits; the user "accepts without filling anything in", and
  // `applyElicitationDefaults` fills every field from the schema's defaults (SEP-1034).
  'elicitation-sep1034-client-defaults': async (client) => {
    const tools = await all(client.listTools());
    const tool = required(tools, 'test_client_elicitation_defaults');
    const result = await last(client.callTool({ name: tool.name, arguments: {} }));
    log(`result: ${JSON.stringify(result)}`);
    if (result.isError) throw new Error(`${tool.name} failed: ${JSON.stringify(result)}`);
  },
  // Call the tool whose POST stream the server closes after a priming event carrying
  // `retry: 500`; the transport must resume with GET + Last-Event-ID after 500 ms and
  // receive the result there (SEP-1699).
  'sse-retry': async (client) => {
    const tools = await all(client.listTools());
    const tool = required(tools, 'test_reconnection');
    const result = await last(client.callTool({ name: tool.name, arguments: {} }));
    log(`result: ${JSON.stringify(result)}`);
    if (result.isError) throw new Error(`${tool.name} failed: ${JSON.stringify(result)}`);
  },
};

/** Connection options per scenario; the handlers are those of an interactive app. */
const connectOptions = {
  clientInfo: CLIENT_INFO,
  capabilities: {},
  handlers: {
    // The "user" accepts every form as it is shown, typing nothing.
    elicitation: async (params) => {
      log(`elicitation: ${JSON.stringify(params)}`);
      return { action: 'accept', content: {} };
    },
  },
  applyElicitationDefaults: true,
  requestTimeoutMs: STEP_TIMEOUT_MS,
};

async function main() {
  const url = process.argv[2];
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO;
  if (!url) throw new Error('usage: client.mjs <server-url> (with MCP_CONFORMANCE_SCENARIO set)');
  const run = scenarios[scenario];
  if (run === undefined) {
    throw new Error(
      `unknown MCP_CONFORMANCE_SCENARIO ${JSON.stringify(scenario)}; this client handles ` +
        Object.keys(scenarios).join(', '),
    );
  }
  log(`scenario ${scenario} against ${url} (rxmcp from ${entry})`);

  const transport = streamableHttpTransport({ url });
  transport.state$.subscribe((state) =>
    log(`transport state: ${state.type}${'attempt' in state ? ` (${state.attempt})` : ''}`),
  );
  const session = openSession(connect(transport, connectOptions));
  const client = await withTimeout(session.client, 'connect');
  log(
    `connected: ${client.serverInfo.name} ${client.serverInfo.version}, ${client.protocolVersion}`,
  );
  client.diagnostics$.subscribe((diagnostic) => log(`diagnostic: ${JSON.stringify(diagnostic)}`));

  try {
    await withTimeout(run(client), scenario);
  } finally {
    // Graceful end: close() DELETEs the session and the connect Observable completes.
    await withTimeout(last(client.close(), undefined), 'close');
    await withTimeout(session.ended, 'session end');
  }
  log('done');
}

/** Subscribes to `connect(...)`: the client once initialized, and the end of the session. */
function openSession(connect$) {
  let resolveClient;
  let rejectClient;
  const client = new Promise((resolve, reject) => {
    resolveClient = resolve;
    rejectClient = reject;
  });
  const ended = new Promise((resolve, reject) => {
    connect$.subscribe({
      next: resolveClient,
      error: (error) => {
        rejectClient(error);
        reject(error);
      },
      complete: () => {
        rejectClient(new Error('the session ended before initialization completed'));
        resolve();
      },
    });
  });
  ended.catch(() => {});
  return { client, ended };
}

/** Every value of a finite Observable. */
function all(observable) {
  return new Promise((resolve, reject) => {
    const values = [];
    observable.subscribe({
      next: (value) => values.push(value),
      error: reject,
      complete: () => resolve(values),
    });
  });
}

/** The last value of a finite Observable; `fallback` (when given) if there is none. */
async function last(observable, ...fallback) {
  const values = await all(observable);
  if (values.length > 0) return values[values.length - 1];
  if (fallback.length > 0) return fallback[0];
  throw new Error('the Observable completed without a value');
}

function required(tools, name) {
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) throw new Error(`the server offers no tool named ${name}`);
  return tool;
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took more than ${STEP_TIMEOUT_MS} ms`)),
      STEP_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function toUrl(pathOrUrl) {
  return /^file:/.test(pathOrUrl) ? pathOrUrl : pathToFileURL(pathOrUrl).href;
}

function log(message) {
  process.stderr.write(`[rxmcp-conformance] ${message}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`FAILED: ${error?.stack ?? error}`);
    if (error?.cause) log(`cause: ${error.cause?.stack ?? error.cause}`);
    process.exit(1);
  },
);
