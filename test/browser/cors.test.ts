import type { Browser } from 'playwright-core';
import { removeCliBundle, spawnCli } from '../proxy/support/cliProcess';
import type { CliProcess } from '../proxy/support/cliProcess';
import {
  DEMO_TOOLS,
  demoServer,
  describeWithChromium,
  launchChromium,
  openPage,
  pageFiles,
  progressShown,
  serveStatic,
} from './support';
import type { StaticServer } from './support';

// The demo page served by a plain static server (one origin) talks to `rxmcp proxy`, run as
// the real command, on another port (another origin): the browser lets it read the answers
// only when the proxy was started with `--cors-origin <the page's origin>`.
describeWithChromium('a page of another origin in Chromium', () => {
  let browser: Browser;
  let site: StaticServer;
  let cli: CliProcess | undefined;

  const startProxy = async (flags: readonly string[]): Promise<string> => {
    cli = await spawnCli([
      'proxy',
      '--port',
      '0',
      ...flags,
      '--',
      demoServer.command,
      ...demoServer.args,
    ]);
    const [, url] = (await cli.waitFor(/url=(\S+)/)) as unknown as [string, string];
    return url;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    site = await serveStatic(pageFiles());
  });

  afterEach(async () => {
    // SIGTERM: the proxy ends its sessions and stops the demo server children before exiting.
    cli?.child.kill('SIGTERM');
    await cli?.exited;
    cli = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await removeCliBundle();
  });

  it('lists the tools and calls countdown through `rxmcp proxy --cors-origin <its origin>`', async () => {
    const url = await startProxy(['--cors-origin', site.origin]);
    expect(new URL(url).origin).not.toBe(site.origin);
    const { page, errors } = await openPage(
      browser,
      `${site.origin}/?mcp=${encodeURIComponent(url)}`,
    );

    await page.waitForSelector('#tools code');
    expect(await page.locator('#tools code').allTextContents()).toEqual(DEMO_TOOLS);
    expect(await page.textContent('#state')).toBe('open');
    expect(await page.textContent('#endpoint')).toBe(url);
    // Read from the Mcp-Session-Id response header, which CORS must expose to the page.
    expect(await page.textContent('#session')).toMatch(/^session [A-Za-z0-9_-]{8}$/);

    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('result')!.textContent !== '');
    expect(await page.textContent('#result')).toBe('Lift-off after 8 steps.');
    expect(await progressShown(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await page.textContent('#error')).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fails visibly when the proxy allows no other origin (no --cors-origin)', async () => {
    const url = await startProxy([]);
    const { page, errors } = await openPage(
      browser,
      `${site.origin}/?mcp=${encodeURIComponent(url)}`,
    );

    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
    expect(await page.textContent('#error')).toMatch(/^connection failed: /);
    await page.waitForFunction(() => document.getElementById('state')!.textContent === 'closed');
    expect(await page.locator('#tools code').count()).toBe(0);
    expect(await page.isDisabled('#call')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
