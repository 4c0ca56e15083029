import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { RxMcpError } from '../../src/errors.js';
import { toSdkTransport } from '../../src/sdk/toSdkTransport.js';
import { stdioServerTransport } from '../../src/transports/stdio/stdioServerTransport.js';
import { stdioTransport } from '../../src/transports/stdio/stdioTransport.js';
import type { Transport } from '../../src/transports/transport.js';
import { NODE, SDK_SERVER, isRunning, marker, processesWith } from '../transports/stdio/support.js';

const text = (result: unknown) =>
  (result as { content: { type: string; text: string }[] }).content.map((part) => part.text);

/** The SDK fixture server, started by rxmcp's stdio transport. */
const fixture = (...args: string[]) =>
  stdioTransport({ command: NODE, args: [SDK_SERVER, ...args], closeTimeoutMs: 30_000 });

describe('toSdkTransport', () => {
  it('lets the SDK Client talk to an SDK server run by stdioTransport', async () => {
    const tag = marker('sdk-client');
    const transport = fixture(tag);
    const client = new Client({ name: 'rxmcp-test', version: '1.0.0' });
    await client.connect(toSdkTransport(transport));

    expect(client.getServerVersion()).toMatchObject({ name: 'rxmcp-fixture' });
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(['add', 'crash', 'echo', 'slow']);
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toEqual([
      'hi',
    ]);
    expect(text(await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } }))).toEqual([
      '42',
    ]);

    const progress: number[] = [];
    const slow = await client.callTool({ name: 'slow', arguments: { steps: 3 } }, undefined, {
      onprogress: ({ progress: step }) => progress.push(step),
    });
    expect(text(slow)).toEqual(['done after 3 steps']);
    expect(progress).toEqual([1, 2, 3]);

    await client.close();
    // client.close() waited for the graceful shutdown: EOF, then the server exited by itself.
    await expect(lastValueFrom(transport.exit$)).resolves.toMatchObject({ code: 0, signal: null });
    expect(processesWith(tag)).toEqual([]);
  }, 60_000);

  it('fails pending requests when the server crashes, and reports why through onerror', async () => {
    const transport = fixture();
    const client = new Client({ name: 'rxmcp-test', version: '1.0.0' });
    const errors: Error[] = [];
    let closed = 0;
    client.onerror = (error) => errors.push(error);
    client.onclose = () => closed++;
    await client.connect(toSdkTransport(transport));

    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow(
      /Connection closed/,
    );
    expect(closed).toBe(1);
    const reason = errors.find(RxMcpError.is);
    expect(reason).toMatchObject({
      kind: 'closed',
      data: { exitCode: 3, stderr: expect.arrayContaining([expect.stringMatching(/crash tool/)]) },
    });
    expect(isRunning((await lastValueFrom(transport.exit$)).pid)).toBe(false);
  }, 60_000);

  it('rejects start() when the server cannot be started, and calls onclose', async () => {
    const adapter = toSdkTransport(stdioTransport({ command: '/nonexistent/mcp-server' }));
    let closed = 0;
    const errors: Error[] = [];
    adapter.onclose = () => closed++;
    adapter.onerror = (error) => errors.push(error);
    await expect(adapter.start()).rejects.toMatchObject({
      kind: 'closed',
      message: expect.stringMatching(/ENOENT/),
    });
    expect(closed).toBe(1);
    expect(errors).toHaveLength(1);
    await expect(adapter.start()).rejects.toThrow(/already called/);
    await adapter.close();
    expect(closed).toBe(1);
  });

  it('reports invalid lines to onerror without closing, and hosts an SDK server over any streams', async () => {
    // Two in-memory pipes: the server reads what the client writes, and the other way round.
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverSide = stdioServerTransport({ stdin: toServer, stdout: toClient });
    const clientSide = stdioServerTransport({ stdin: toClient, stdout: toServer });

    const server = new McpServer({ name: 'in-process', version: '1.0.0' });
    server.registerTool('echo', { inputSchema: { text: z.string() } }, async (args) => ({
      content: [{ type: 'text', text: args.text }],
    }));
    const serverErrors: Error[] = [];
    await server.connect(toSdkTransport(serverSide));
    server.server.onerror = (error) => serverErrors.push(error);

    const client = new Client({ name: 'rxmcp-test', version: '1.0.0' });
    let clientClosed = false;
    client.onclose = () => (clientClosed = true);
    await client.connect(toSdkTransport(clientSide));

    // A stray line on the server's input is reported, and the conversation goes on.
    toServer.write('this is not json\n');
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'still' } }))).toEqual([
      'still',
    ]);
    expect(serverErrors.map((error) => (error as RxMcpError).kind)).toEqual(['parse']);

    // Closing the server ends its output: the client sees the end of its input and closes.
    const clientStates = lastValueFrom(clientSide.state$.pipe(toArray()));
    await server.close();
    await expect(clientStates).resolves.toContainEqual({ type: 'closed' });
    expect(clientClosed).toBe(true);
  });

  it('passes sessionId through, and close() before start() just calls onclose', async () => {
    const base = stdioServerTransport({ stdin: new PassThrough(), stdout: new PassThrough() });
    const withSession: Transport & { sessionId: string } = { ...base, sessionId: 'session-1' };
    expect(toSdkTransport(withSession).sessionId).toBe('session-1');

    const adapter = toSdkTransport(base);
    expect(adapter.sessionId).toBeUndefined();
    let closed = 0;
    adapter.onclose = () => closed++;
    await adapter.close();
    expect(closed).toBe(1);
  });
});
