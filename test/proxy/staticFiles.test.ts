import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { proxyStdio } from '../../src/proxy/proxyStdio';
import { listening } from './support/listen';

// `staticFiles` is what `rxmcp proxy --page` uses to serve its page next to the MCP endpoint.
describe('proxy staticFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxmcp-static-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the named files on GET, 404s one it cannot read, and leaves /mcp to MCP', async () => {
    const page = join(dir, 'index.html');
    writeFileSync(page, '<h1>hello</h1>');
    const proxy = proxyStdio({
      // No session is opened in this test, so no child is ever spawned.
      server: { command: process.execPath, args: ['-e', ''] },
      staticFiles: {
        '/': { file: page, contentType: 'text/html; charset=utf-8' },
        '/missing.js': { file: join(dir, 'missing.js'), contentType: 'text/javascript' },
      },
    });
    const { url, subscription } = await listening(proxy);
    const origin = url.slice(0, -'/mcp'.length);
    try {
      const served = await fetch(`${origin}/`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await served.text()).toBe('<h1>hello</h1>');

      const missing = await fetch(`${origin}/missing.js`);
      expect(missing.status).toBe(404);
      await missing.text();

      // Only GET is served: a POST to a static path is the MCP handler's to refuse.
      const posted = await fetch(`${origin}/`, { method: 'POST', body: '{}' });
      expect(posted.status).not.toBe(200);
      await posted.text();

      // The MCP endpoint is untouched: a GET without a session is refused there, not served.
      const mcp = await fetch(url, { headers: { accept: 'text/event-stream' } });
      expect(mcp.status).toBe(400);
      await mcp.text();
      expect(proxy.health().children).toBe(0);
    } finally {
      await lastValueFrom(proxy.close({ timeoutMs: 1000 }), { defaultValue: undefined });
      subscription.unsubscribe();
    }
  });
});
