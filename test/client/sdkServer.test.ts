import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { filter, firstValueFrom, lastValueFrom, map, of, toArray } from 'rxjs';
import { z } from 'zod';
import { connect } from '../../src/client/connect';
import type { ElicitRequestParams } from '../../src/client/serverRequestTypes';
import { toResult } from '../../src/client/toResult';
import type { CallToolResult } from '../../src/client/types';
import { fromSdk } from './support/sdkBridge';
import { clientInfo, openClient, outcome } from './support/harness';
import type { OpenClient } from './support/harness';

/** What the server saw, for assertions on its side of the conversation. */
interface Observed {
  aborted: Promise<unknown>;
  elicitation?: ElicitRequestParams;
}

function createServer(observed: Observed): McpServer {
  let onAbort: (reason: unknown) => void = () => undefined;
  observed.aborted = new Promise((resolve) => (onAbort = resolve));
  const server = new McpServer(
    { name: 'sdk-server', version: '1.2.3' },
    { instructions: 'Use the tools.' },
  );
  server.registerTool(
    'echo',
    { description: 'Echoes its input.', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    { inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() } },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
      structuredContent: { sum: a + b },
    }),
  );
  server.registerTool('slow', { inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (let step = 1; step <= steps && progressToken !== undefined; step += 1) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: step, total: steps, message: `step ${step}` },
      });
    }
    return { content: [{ type: 'text', text: 'done' }] };
  });
  // Reports progress once, then works until the client cancels.
  server.registerTool('wait', { description: 'Waits until cancelled.' }, async (extra) => {
    const progressToken = extra._meta?.progressToken ?? 'none';
    await extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken, progress: 1 },
    });
    // The cancellation may already be in while the progress was being sent.
    if (!extra.signal.aborted) {
      await new Promise((resolve) =>
        extra.signal.addEventListener('abort', resolve, { once: true }),
      );
    }
    onAbort(extra.signal.reason);
    return { content: [] };
  });
  server.registerTool('confirm', {}, async () => {
    const params: ElicitRequestParams = {
      message: 'Confirm your details',
      requestedSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', default: 'Ada' },
          ok: { type: 'boolean' },
        },
        required: ['ok'],
      },
    };
    observed.elicitation = params;
    const answer = await server.server.elicitInput(params as never);
    return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
  });
  server.registerTool('askClient', {}, async () => {
    const roots = await server.server.listRoots();
    const sampled = await server.server.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }],
      maxTokens: 5,
    });
    await server.server.ping();
    return { content: [{ type: 'text', text: JSON.stringify({ roots, sampled }) }] };
  });
  server.registerResource(
    'greeting',
    'mem://greeting',
    { mimeType: 'text/plain', description: 'A greeting.' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Hello!' }] }),
  );
  server.registerPrompt(
    'review',
    { description: 'Review code.', argsSchema: { code: z.string() } },
    ({ code }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Please review: ${code}` } }],
    }),
  );
  return server;
}

const textOf = (result: CallToolResult): string => {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
};

describe('the client against the official SDK server', () => {
  let server: McpServer;
  let observed: Observed;
  let session: OpenClient;

  beforeEach(async () => {
    observed = { aborted: Promise.resolve() };
    server = createServer(observed);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    session = await openClient(
      connect(fromSdk(clientSide), {
        clientInfo,
        applyElicitationDefaults: true,
        handlers: {
          elicitation: () => of({ action: 'accept' as const, content: { ok: true } }),
          roots: () => of({ roots: [{ uri: 'file:///work', name: 'work' }] }),
          sampling: () =>
            of({
              role: 'assistant' as const,
              content: { type: 'text' as const, text: 'hi' },
              model: 'fake-llm',
            }),
        },
      }),
    );
  });

  afterEach(async () => {
    session.disconnect();
    await server.close();
  });

  it('initializes: version, server info, capabilities, instructions', () => {
    const { client } = session;
    expect(client.protocolVersion).toBe('2025-11-25');
    expect(client.serverInfo).toMatchObject({ name: 'sdk-server', version: '1.2.3' });
    expect(client.instructions).toBe('Use the tools.');
    expect(Object.keys(client.serverCapabilities)).toEqual(
      expect.arrayContaining(['tools', 'resources', 'prompts']),
    );
  });

  it('lists tools (tools/list) and calls them (tools/call)', async () => {
    const { client } = session;
    const tools = await lastValueFrom(client.listTools().pipe(toArray()));
    expect(tools.map((tool) => tool.name)).toEqual([
      'echo',
      'add',
      'slow',
      'wait',
      'confirm',
      'askClient',
    ]);
    expect(tools[0]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
    });
    expect(
      textOf(await lastValueFrom(client.callTool({ name: 'echo', arguments: { text: 'hi' } }))),
    ).toBe('hi');
    expect(
      await lastValueFrom(client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })),
    ).toMatchObject({ structuredContent: { sum: 5 } });
  });

  it('delivers the progress the tool reports, then the result', async () => {
    const events = await lastValueFrom(
      session.client
        .request<CallToolResult>('tools/call', { name: 'slow', arguments: { steps: 3 } })
        .pipe(toArray()),
    );
    expect(events).toEqual([
      { type: 'progress', progress: 1, total: 3, message: 'step 1' },
      { type: 'progress', progress: 2, total: 3, message: 'step 2' },
      { type: 'progress', progress: 3, total: 3, message: 'step 3' },
      { type: 'result', result: { content: [{ type: 'text', text: 'done' }] } },
    ]);
  });

  it('cancels on unsubscribe: the tool sees its abort signal fire', async () => {
    const first = await firstValueFrom(
      session.client
        .request('tools/call', { name: 'wait' })
        .pipe(filter((event) => event.type === 'progress')),
    );
    expect(first).toEqual({ type: 'progress', progress: 1 });
    // firstValueFrom unsubscribed: the client sent notifications/cancelled.
    expect(await observed.aborted).toBe('The client no longer needs the result (unsubscribed).');
    // The session goes on.
    expect(await lastValueFrom(session.client.ping())).toEqual({});
  });

  it('reads a resource (resources/list, resources/read)', async () => {
    const { client } = session;
    const resources = await lastValueFrom(client.listResources().pipe(toArray()));
    expect(resources).toEqual([
      {
        name: 'greeting',
        uri: 'mem://greeting',
        mimeType: 'text/plain',
        description: 'A greeting.',
      },
    ]);
    expect(await lastValueFrom(client.readResource({ uri: 'mem://greeting' }))).toEqual({
      contents: [{ uri: 'mem://greeting', mimeType: 'text/plain', text: 'Hello!' }],
    });
  });

  it('gets a prompt (prompts/list, prompts/get), and maps an unknown one to an rpc error', async () => {
    const { client } = session;
    const prompts = await lastValueFrom(
      client.listPrompts().pipe(
        map((prompt) => prompt.name),
        toArray(),
      ),
    );
    expect(prompts).toEqual(['review']);
    expect(
      await lastValueFrom(client.getPrompt({ name: 'review', arguments: { code: 'x = 1' } })),
    ).toMatchObject({
      messages: [{ role: 'user', content: { type: 'text', text: 'Please review: x = 1' } }],
    });
    const { error } = await outcome(client.getPrompt({ name: 'nope' }));
    expect(error?.kind).toBe('rpc');
    expect(error?.code).toBe(-32602);
    expect(error?.message).toMatch(/nope/);
  });

  it('pings the server', async () => {
    expect(await lastValueFrom(session.client.ping())).toEqual({});
  });

  it('answers the server’s elicitation through the handler, with schema defaults filled', async () => {
    const result = await lastValueFrom(session.client.callTool({ name: 'confirm' }));
    expect(JSON.parse(textOf(result))).toEqual({
      action: 'accept',
      content: { ok: true, name: 'Ada' },
    });
    expect(observed.elicitation?.message).toBe('Confirm your details');
  });

  it('answers the server’s roots/list, sampling/createMessage and ping', async () => {
    const result = await lastValueFrom(
      session.client.request<CallToolResult>('tools/call', { name: 'askClient' }).pipe(toResult()),
    );
    expect(JSON.parse(textOf(result))).toEqual({
      roots: { roots: [{ uri: 'file:///work', name: 'work' }] },
      sampled: { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'fake-llm' },
    });
  });
});
