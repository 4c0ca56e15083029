import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ACCEPT_BOTH,
  answerRequests,
  inSession,
  initializeBody,
  openStream,
  raw,
  rawSession,
  sseData,
  start,
} from './support/harness';
import type { Running } from './support/harness';

const json = { accept: ACCEPT_BOTH, 'content-type': 'application/json' };
const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });

describe('Streamable HTTP server: the HTTP surface', () => {
  let running: Running;
  afterEach(async () => running.stop());

  describe('with an application answering requests', () => {
    beforeEach(async () => {
      running = await start({ maxBodyBytes: 1024 });
      answerRequests(running.server);
    });

    it('answers initialize on an SSE stream with a session id, the priming event and retry', async () => {
      const res = await raw(running.url, { headers: json, body: initializeBody() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream');
      expect(res.headers['x-accel-buffering']).toBe('no');
      expect(res.headers['mcp-session-id']).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // Priming first: an id, retry, and empty data, then the result; the stream ends after it.
      expect(res.body.startsWith('id: s1_0\nretry: 1000\ndata: \n\n')).toBe(true);
      expect(sseData(res.body)).toEqual([
        {
          jsonrpc: '2.0',
          id: 1,
          result: expect.objectContaining({ protocolVersion: '2025-11-25' }),
        },
      ]);
    });

    it('sends no priming event and no retry to clients older than 2025-11-25', async () => {
      const res = await raw(running.url, { headers: json, body: initializeBody('2025-06-18') });
      expect(res.body).not.toContain('retry:');
      expect(res.body).not.toContain('data: \n');
      expect(sseData(res.body)).toHaveLength(1);
    });

    it('answers 202 without body to notifications and responses', async () => {
      const id = await rawSession(running.url);
      const note = await raw(running.url, {
        headers: inSession(id),
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
      expect([note.status, note.body]).toEqual([202, '']);
    });

    it('refuses other methods with 405 and Allow, other paths with 404', async () => {
      const put = await raw(running.url, { method: 'PUT', headers: json, body: ping });
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET, POST, DELETE');
      const elsewhere = await raw(running.url.replace('/mcp', '/other'), { headers: json });
      expect(elsewhere.status).toBe(404);
    });

    it('checks Accept (406) and Content-Type (415)', async () => {
      const accept = await raw(running.url, {
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: initializeBody(),
      });
      expect(accept.status).toBe(406);
      const type = await raw(running.url, {
        headers: { accept: ACCEPT_BOTH, 'content-type': 'text/plain' },
        body: initializeBody(),
      });
      expect(type.status).toBe(415);
      const get = await raw(running.url, {
        method: 'GET',
        headers: { accept: 'application/json' },
      });
      expect(get.status).toBe(406);
    });

    it('refuses a body over maxBodyBytes with 413, announced or streamed', async () => {
      const big = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'x',
        params: { pad: 'a'.repeat(2000) },
      });
      const announced = await raw(running.url, { headers: json, body: big });
      expect(announced.status).toBe(413);
      expect(JSON.parse(announced.body)).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: expect.stringContaining('1024 bytes') },
      });
      const chunked = await raw(running.url, {
        headers: { ...json, 'transfer-encoding': 'chunked' },
        body: big,
      });
      expect(chunked.status).toBe(413);
    });

    it('refuses bad JSON and bad JSON-RPC with 400', async () => {
      const notJson = await raw(running.url, { headers: json, body: '{"jsonrpc"' });
      expect(notJson.status).toBe(400);
      expect(JSON.parse(notJson.body).error.code).toBe(-32700);
      const notRpc = await raw(running.url, { headers: json, body: '{"jsonrpc":"1.0","id":1}' });
      expect(notRpc.status).toBe(400);
      expect(JSON.parse(notRpc.body).error.code).toBe(-32600);
    });

    it('wants a session id (400), knows only live ones (404), ends them on DELETE', async () => {
      const missing = await raw(running.url, { headers: json, body: ping });
      expect(missing.status).toBe(400);
      const unknown = await raw(running.url, { headers: inSession('nope'), body: ping });
      expect(unknown.status).toBe(404);

      const id = await rawSession(running.url);
      const ok = await raw(running.url, { headers: inSession(id), body: ping });
      expect(sseData(ok.body)).toEqual([{ jsonrpc: '2.0', id: 2, result: {} }]);
      const again = await raw(running.url, { headers: inSession(id), body: initializeBody() });
      expect(again.status).toBe(400);

      const deleted = await raw(running.url, { method: 'DELETE', headers: inSession(id) });
      expect(deleted.status).toBe(200);
      const after = await raw(running.url, { headers: inSession(id), body: ping });
      expect(after.status).toBe(404);
      expect(running.server.stats).toEqual({ sessions: 0, streams: 0 });
    });

    it('GET: 404 for an unknown session, 503 with Retry-After beyond maxStreams', async () => {
      await running.stop();
      running = await start({ maxStreams: 1 });
      answerRequests(running.server);
      const unknown = await raw(running.url, { method: 'GET', headers: inSession('gone') });
      expect(unknown.status).toBe(404);
      const id = await rawSession(running.url);
      const first = await openStream(running.url, { method: 'GET', headers: inSession(id) });
      expect(first.status).toBe(200);
      const second = await raw(running.url, {
        method: 'GET',
        headers: { ...inSession(id), 'last-event-id': 'g_0' },
      });
      expect(second.status).toBe(503);
      expect(second.headers['retry-after']).toBe('1');
      first.destroy();
      await first.ended;
    });

    it('validates MCP-Protocol-Version: 400 when unsupported, 2025-03-26 when absent', async () => {
      const id = await rawSession(running.url);
      const bad = await raw(running.url, {
        headers: { ...inSession(id), 'mcp-protocol-version': '1999-01-01' },
        body: ping,
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('2025-11-25');
      const { 'mcp-protocol-version': _omitted, ...withoutVersion } = inSession(id);
      const absent = await raw(running.url, { headers: withoutVersion, body: ping });
      expect(absent.status).toBe(200);
    });
  });

  describe('security defaults', () => {
    it('refuses a foreign Origin and a foreign Host with 403, accepts localhost', async () => {
      running = await start();
      answerRequests(running.server);
      const origin = await raw(running.url, {
        headers: { ...json, origin: 'https://evil.example' },
        body: initializeBody(),
      });
      expect(origin.status).toBe(403);
      expect(JSON.parse(origin.body).error.message).toContain('evil.example');
      const host = await raw(running.url, {
        headers: { ...json, host: 'evil.example:80' },
        body: initializeBody(),
      });
      expect(host.status).toBe(403);
      const local = await raw(running.url, {
        headers: { ...json, origin: 'http://localhost:5173', host: `localhost:${running.port}` },
        body: initializeBody(),
      });
      expect(local.status).toBe(200);
    });

    it('takes custom allow-lists: full origins, host:port, or any', async () => {
      running = await start({
        allowedOrigins: ['https://app.example'],
        allowedHosts: ['mcp.example:8443', '127.0.0.1'],
      });
      answerRequests(running.server);
      const send = (headers: Record<string, string>) =>
        raw(running.url, { headers: { ...json, ...headers }, body: initializeBody() });
      expect((await send({ origin: 'https://app.example' })).status).toBe(200);
      expect((await send({ origin: 'http://app.example' })).status).toBe(403);
      expect((await send({ origin: 'null' })).status).toBe(403);
      expect((await send({ origin: 'http://localhost' })).status).toBe(403);
      expect((await send({ host: 'mcp.example:8443' })).status).toBe(200);
      expect((await send({ host: 'mcp.example:80' })).status).toBe(403);
      await running.stop();
      running = await start({ allowedOrigins: 'any', allowedHosts: 'any' });
      answerRequests(running.server);
      expect((await send({ origin: 'https://a.example', host: 'b.example' })).status).toBe(200);
    });

    it('SDK client: a foreign Origin is refused with 403 before any session exists', async () => {
      running = await start();
      answerRequests(running.server);
      const client = new Client({ name: 'sdk-client', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(running.url), {
        requestInit: { headers: { origin: 'https://evil.example' } },
      });
      await expect(client.connect(transport)).rejects.toMatchObject({
        code: 403,
        message: expect.stringContaining('is not allowed'),
      });
      expect(running.server.stats.sessions).toBe(0);
      await client.close();
    });

    it('checks a bearer token when configured (401 with WWW-Authenticate)', async () => {
      running = await start({ bearerToken: 's3cret' });
      answerRequests(running.server);
      const none = await raw(running.url, { headers: json, body: initializeBody() });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const wrong = await raw(running.url, {
        headers: { ...json, authorization: 'Bearer nope' },
        body: initializeBody(),
      });
      expect(wrong.status).toBe(401);
      const right = await raw(running.url, {
        headers: { ...json, authorization: 'Bearer s3cret' },
        body: initializeBody(),
      });
      expect(right.status).toBe(200);
      await running.stop();
      running = await start({ bearerToken: (token) => token === 'from-predicate' });
      answerRequests(running.server);
      const predicate = await raw(running.url, {
        headers: { ...json, authorization: 'bearer from-predicate' },
        body: initializeBody(),
      });
      expect(predicate.status).toBe(200);
    });
  });
});
