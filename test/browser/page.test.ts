import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Subscription } from 'rxjs';
import type { McpProxy } from '../../src/proxy/createProxyServer';
import {
  DEMO_TOOLS,
  artifacts,
  closeProxy,
  demoProxy,
  describeWithChromium,
  launchChromium,
  listen,
  openPage,
  progressReached,
  progressShown,
} from './support';

// The page `rxmcp proxy --page` serves, in a real browser (see ./support).
describeWithChromium('the proxy page in Chromium', () => {
  let browser: Browser;
  let proxy: McpProxy;
  let serving: Subscription;
  let origin: string;

  beforeAll(async () => {
    proxy = demoProxy();
    ({ origin, serving } = await listen(proxy));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (proxy) await closeProxy(proxy, serving);
  });

  it('lists the tools, calls countdown with live progress, and shows the result and state', async () => {
    const { page, errors } = await openPage(browser, `${origin}/`);

    await page.waitForSelector('#tools code');
    expect(await page.locator('#tools code').allTextContents()).toEqual(DEMO_TOOLS);
    expect(await page.textContent('#state')).toBe('open');
    expect(await page.textContent('#server')).toContain('rxmcp-demo 1.0.0, protocol 2025-11-25');
    expect(await page.textContent('#session')).toMatch(/^session [A-Za-z0-9_-]{8}$/);

    await page.click('#call');
    await progressReached(page, 3);
    expect(await page.textContent('#progress-text')).toMatch(/^\d \/ 8 \d to go$/);
    // Mid-call: tools, progress (bar, text, values so far) and connection state in one view.
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'proxy-page-mid-call.png') });

    await page.waitForFunction(() => document.getElementById('result')!.textContent !== '');
    expect(await page.textContent('#result')).toBe('Lift-off after 8 steps.');
    expect(await page.textContent('#progress-text')).toBe('8 / 8 0 to go');
    expect(await progressShown(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await page.textContent('#error')).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });
});
