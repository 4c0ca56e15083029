import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { lastValueFrom } from 'rxjs';
import type { Subscription } from 'rxjs';
import type { McpProxy, StaticFile } from '../../src/proxy/createProxyServer';
import { proxyStdio } from '../../src/proxy/proxyStdio';
import type { ProxyStdioOptions } from '../../src/proxy/proxyStdio';

// What the browser tests share: Debian's Chromium driven by playwright-core (nothing is
// downloaded), the demo page's files, the demo server behind a proxy, and a plain static
// server for a page of another origin. The page needs the browser build (dist/browser),
// which `npm test` builds first.
export const root = join(__dirname, '..', '..');
export const artifacts = join(root, 'artifacts');
const executablePath = process.env.RXMCP_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);

if (!haveChromium && process.env.CI === 'true') {
  throw new Error(
    `Browser tests must run in CI, but ${executablePath} is missing: .ci/run installs Debian's chromium.`,
  );
}

/**
 * `describe`, or `describe.skip` where there is no Chromium (outside CI). The run's summary
 * reporter (scripts/summary-reporter.cjs) then says so in one line.
 */
export const describeWithChromium = haveChromium ? describe : describe.skip;

/** Starts headless Chromium, without the background traffic a test does not want. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** The demo page, its script and the browser build, by the path they are served at. */
export function pageFiles(): Record<string, StaticFile> {
  const page = (name: string, contentType: string): StaticFile => ({
    file: join(root, 'examples', 'page', name),
    contentType,
  });
  return {
    '/': page('index.html', 'text/html; charset=utf-8'),
    '/app.js': page('app.js', 'text/javascript'),
    '/rxmcp.js': {
      file: join(root, 'dist', 'browser', 'rxmcp.js'),
      contentType: 'text/javascript',
    },
  };
}

/** The demo server's command line, for `proxyStdio` or the CLI. */
export const demoServer = {
  command: process.execPath,
  args: [join(root, 'examples', 'demo-server', 'server.mjs')],
};

/** A proxy of the demo server that serves the page; `options` add to (or override) that. */
export function demoProxy(options: Partial<ProxyStdioOptions> = {}): McpProxy {
  return proxyStdio({ server: demoServer, staticFiles: pageFiles(), ...options });
}

/** Subscribes `proxy.listen()`; resolves with the page's origin and the subscription. */
export function listen(proxy: McpProxy): Promise<{ origin: string; serving: Subscription }> {
  return new Promise((resolve, reject) => {
    const serving = proxy.listen().subscribe({
      next: ({ url }) => resolve({ origin: url.slice(0, -'/mcp'.length), serving }),
      error: reject,
    });
  });
}

/** Closes a proxy gracefully (ending its children), then lets go of its listener. */
export async function closeProxy(proxy: McpProxy, serving?: Subscription): Promise<void> {
  await lastValueFrom(proxy.close({ timeoutMs: 2000 }), { defaultValue: undefined });
  serving?.unsubscribe();
}

/** A static file server on 127.0.0.1 (port 0): another origin than the proxy's. */
export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `files` (by path) with `GET`; everything else gets 404. */
export async function serveStatic(files: Record<string, StaticFile>): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = Object.hasOwn(files, path) ? files[path] : undefined;
    if (file === undefined || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' });
    createReadStream(file.file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The progress values the page has shown for the current call, in order. */
export function progressShown(page: Page): Promise<number[]> {
  return page.$$eval('#progress-log li', (items) =>
    items.map((item) => Number((item as HTMLElement).dataset.progress)),
  );
}

/** Resolves once `#state` reads `text`. */
export async function stateIs(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => document.getElementById('state')!.textContent === expected,
    text,
  );
}

/** Resolves once the page has shown at least `count` progress values of the current call. */
export async function progressReached(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (least) => document.querySelectorAll('#progress-log li').length >= least,
    count,
  );
}

/** Opens `url` in a new page; page errors are collected in `errors`. */
export async function openPage(
  browser: Browser,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

/** The demo server's tools, as the page lists them. */
export const DEMO_TOOLS = ['echo', 'add', 'countdown', 'announce'];
