import { createStreamableHttpServer } from '../../src/server/createStreamableHttpServer';
import {
  ACCEPT_BOTH,
  answerRequests,
  inSession,
  initializeBody,
  openStream,
  raw,
  start,
} from './support/harness';
import type { Running } from './support/harness';

// CORS on the Streamable HTTP server: what a browser needs before it lets a page of another
// origin read the server's answers, checked on the wire with node:http.
const APP = 'http://app.example:5173';
const json = { accept: ACCEPT_BOTH, 'content-type': 'application/json' };
const preflightFrom = (origin: string): Record<string, string> => ({
  origin,
  'access-control-request-method': 'POST',
  'access-control-request-headers': 'content-type, mcp-session-id, mcp-protocol-version',
});

describe('Streamable HTTP server: CORS', () => {
  let running: Running;
  afterEach(async () => running.stop());

  describe('with cors.origins listing a page origin', () => {
    beforeEach(async () => {
      running = await start({
        cors: { origins: [APP], maxAgeSeconds: 120 },
        bearerToken: 'secret',
      });
      answerRequests(running.server);
    });

    it('answers a preflight from that origin with 204 and no token asked', async () => {
      const res = await raw(running.url, { method: 'OPTIONS', headers: preflightFrom(APP) });
      expect(res.status).toBe(204);
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': APP,
        vary: 'Origin',
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-max-age': '120',
      });
      expect(res.headers['access-control-allow-headers']?.split(', ')).toEqual(
        expect.arrayContaining([
          'content-type',
          'accept',
          'authorization',
          'mcp-session-id',
          'mcp-protocol-version',
          'last-event-id',
        ]),
      );
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('refuses a preflight from another origin with 403 and no CORS headers', async () => {
      const res = await raw(running.url, {
        method: 'OPTIONS',
        headers: preflightFrom('http://evil.example'),
      });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-expose-headers']).toBeUndefined();
      expect(res.body).toContain('is not allowed');
    });

    it('puts the CORS headers on an SSE answer, exposing Mcp-Session-Id', async () => {
      const res = await raw(running.url, {
        headers: { ...json, authorization: 'Bearer secret', origin: APP },
        body: initializeBody(),
        until: (body) => body.includes('"result"'),
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream');
      expect(res.headers['mcp-session-id']).toEqual(expect.any(String));
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers.vary).toBe('Origin');
      expect(res.headers['access-control-expose-headers']?.split(', ')).toEqual(
        expect.arrayContaining(['Mcp-Session-Id', 'Mcp-Protocol-Version', 'WWW-Authenticate']),
      );
    });

    it('puts them on GET streams, 202s, DELETE and refusals (401, 400) too', async () => {
      const auth = { authorization: 'Bearer secret', origin: APP };
      const id = await sessionWithToken(running.url);
      const get = await openStream(running.url, {
        method: 'GET',
        headers: { ...inSession(id), ...auth, accept: 'text/event-stream' },
      });
      get.destroy();
      const accepted = await raw(running.url, {
        headers: { ...inSession(id), ...auth },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
      const unauthorised = await raw(running.url, {
        headers: { ...json, origin: APP },
        body: initializeBody(),
      });
      const noSession = await raw(running.url, {
        headers: { ...json, ...auth },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
      const deleted = await raw(running.url, {
        method: 'DELETE',
        headers: { ...inSession(id), ...auth },
      });
      const statuses = [get, accepted, unauthorised, noSession, deleted].map((res) => [
        res.status,
        res.headers['access-control-allow-origin'],
      ]);
      expect(statuses).toEqual([
        [200, APP],
        [202, APP],
        [401, APP],
        [400, APP],
        [200, APP],
      ]);
      expect(unauthorised.headers['www-authenticate']).toBe('Bearer');
    });

    it('lets allowed origins that are not CORS origins through, without CORS headers', async () => {
      const res = await raw(running.url, {
        headers: { ...json, authorization: 'Bearer secret', origin: 'http://localhost:3000' },
        body: initializeBody(),
        until: (body) => body.includes('"result"'),
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('answers OPTIONS with 405 and Allow, and sends no CORS headers, when CORS is off', async () => {
    running = await start({ allowedOrigins: [APP] });
    answerRequests(running.server);
    const options = await raw(running.url, { method: 'OPTIONS', headers: preflightFrom(APP) });
    expect([options.status, options.headers.allow]).toEqual([405, 'GET, POST, DELETE']);
    const post = await raw(running.url, {
      headers: { ...json, origin: APP },
      body: initializeBody(),
      until: (body) => body.includes('"result"'),
    });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
    expect(options.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("with origins '*', lets any origin in, with credentials refused at creation", async () => {
    expect(() => createStreamableHttpServer({ cors: { origins: '*', credentials: true } })).toThrow(
      /credentials cannot be combined/,
    );
    running = await start({ cors: { origins: '*', allowedHeaders: ['X-Api-Key'] } });
    answerRequests(running.server);
    const preflight = await raw(running.url, {
      method: 'OPTIONS',
      headers: preflightFrom('https://anyone.example'),
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://anyone.example');
    expect(preflight.headers['access-control-allow-headers']).toContain('x-api-key');
    const post = await raw(running.url, {
      headers: { ...json, origin: 'https://anyone.example' },
      body: initializeBody(),
      until: (body) => body.includes('"result"'),
    });
    expect([post.status, post.headers['access-control-allow-origin']]).toEqual([
      200,
      'https://anyone.example',
    ]);
  });

  it('sends Allow-Credentials when asked, and matches origins however they are spelled', async () => {
    running = await start({ cors: { origins: ['HTTPS://App.Example:443/'], credentials: true } });
    answerRequests(running.server);
    const res = await raw(running.url, {
      method: 'OPTIONS',
      headers: preflightFrom('https://app.example'),
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it.each([['app.example'], ['https://app.example/path'], ['ftp://app.example'], ['null']])(
    'refuses %j as a CORS origin at creation',
    (origin) => {
      expect(() => createStreamableHttpServer({ cors: { origins: [origin] } })).toThrow(
        /cors.origins entries must be http\(s\) origins/,
      );
    },
  );
});

async function sessionWithToken(url: string): Promise<string> {
  const res = await raw(url, {
    headers: { ...json, authorization: 'Bearer secret' },
    body: initializeBody(),
    until: (body) => body.includes('"result"'),
  });
  const id = res.headers['mcp-session-id'];
  if (typeof id !== 'string') throw new Error(`no session id: ${res.status} ${res.body}`);
  return id;
}
