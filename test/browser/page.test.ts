import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { lastValueFrom } from 'rxjs';
import type { Subscription } from 'rxjs';
import { proxyStdio } from '../../src/proxy/proxyStdio';
import type { McpProxy } from '../../src/proxy/createProxyServer';

// The page `rxmcp proxy --page` serves, in a real browser: Debian's Chromium driven by
// playwright-core (nothing is downloaded). It needs the browser build (dist/browser), which
// `npm test` builds first.
const root = join(__dirname, '..', '..');
const executablePath = process.env.RXMCP_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
const artifacts = join(root, 'artifacts');

if (!haveChromium) {
  if (process.env.CI === 'true') {
    throw new Error(
      `Browser tests must run in CI, but ${executablePath} is missing: .ci/run installs Debian's chromium.`,
    );
  }
  process.stdout.write(
    `browser tests skipped: no Chromium at ${executablePath} (apt-get install chromium, or set RXMCP_CHROMIUM)\n`,
  );
}

const describeWithChromium = haveChromium ? describe : describe.skip;

describeWithChromium('the proxy page in Chromium', () => {
  let browser: Browser;
  let proxy: McpProxy;
  let serving: Subscription;
  let origin: string;

  beforeAll(async () => {
    const page = (name: string, contentType: string) => ({
      file: join(root, 'examples', 'page', name),
      contentType,
    });
    proxy = proxyStdio({
      server: {
        command: process.execPath,
        args: [join(root, 'examples', 'demo-server', 'server.mjs')],
      },
      staticFiles: {
        '/': page('index.html', 'text/html; charset=utf-8'),
        '/app.js': page('app.js', 'text/javascript'),
        '/rxmcp.js': {
          file: join(root, 'dist', 'browser', 'rxmcp.js'),
          contentType: 'text/javascript',
        },
      },
    });
    const url = await new Promise<string>((resolve, reject) => {
      serving = proxy
        .listen()
        .subscribe({ next: (address) => resolve(address.url), error: reject });
    });
    origin = url.slice(0, -'/mcp'.length);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (proxy) await lastValueFrom(proxy.close({ timeoutMs: 2000 }), { defaultValue: undefined });
    serving?.unsubscribe();
  });

  it('lists the tools, calls countdown with live progress, and shows the result and state', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/`);

    await page.waitForSelector('#tools code');
    expect(await page.locator('#tools code').allTextContents()).toEqual([
      'echo',
      'add',
      'countdown',
      'announce',
    ]);
    expect(await page.textContent('#state')).toBe('open');
    expect(await page.textContent('#server')).toContain('rxmcp-demo 1.0.0, protocol 2025-11-25');

    await page.click('#call');
    await page.waitForFunction(() => {
      const bar = document.getElementById('progress') as HTMLProgressElement;
      return bar.value >= 3 && bar.value < bar.max;
    });
    expect(await page.textContent('#progress-text')).toMatch(/^\d \/ 8 \d to go$/);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'proxy-page-mid-call.png') });

    await page.waitForFunction(() => document.getElementById('result')!.textContent !== '');
    expect(await page.textContent('#result')).toBe('Lift-off after 8 steps.');
    expect(await page.textContent('#progress-text')).toBe('8 / 8 0 to go');
    expect(errors).toEqual([]);
    await page.close();
  });
});
