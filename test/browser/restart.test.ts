import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ReplaySubject, filter, firstValueFrom, map } from 'rxjs';
import type { Subscription } from 'rxjs';
import { isNotification } from '../../src/jsonrpc/typeGuards';
import type { StdioTransport } from '../../src/transports/stdio/stdioTransport';
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
  stateIs,
} from './support';
import { freePort } from '../support/freePort';

const ALL_STEPS = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The progress values the demo server child sends, replayed to late subscribers. The watch
 * shares the child's `messages$` with the proxy's pipe, so it must be unsubscribed before the
 * proxy closes (the last subscriber of a stdio transport is what ends the child).
 */
function watchChildProgress(child: StdioTransport): {
  readonly sent: ReplaySubject<number>;
  readonly watching: Subscription;
} {
  const sent = new ReplaySubject<number>();
  const watching = child.messages$
    .pipe(
      filter(isNotification),
      filter((message) => message.method === 'notifications/progress'),
      map((message) => (message.params as { progress: number }).progress),
    )
    .subscribe(sent);
  return { sent, watching };
}

// The page in Chromium while the proxy goes away under a running `countdown` call.
describeWithChromium('the proxy page in Chromium across proxy restarts', () => {
  let browser: Browser;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await browser?.close();
  });

  // "Restart" here is the proxy's HTTP listener only: `listen()` is unsubscribed (the port
  // closes and every connection, the page's streams included, is cut) and subscribed again
  // on the same port. The proxy process, its sessions, their event stores and the demo
  // server child stay, so the page resumes the same session with Last-Event-ID.
  it('shows reconnecting when the HTTP listener restarts mid-call, resumes, and shows each progress value once', async () => {
    const port = await freePort();
    const children: StdioTransport[] = [];
    const proxy = demoProxy({ port, onChild: (child) => children.push(child) });
    const listening = await listen(proxy);
    const { origin } = listening;
    let { serving } = listening;
    cleanups.push(() => closeProxy(proxy, serving));
    const { page, errors } = await openPage(browser, `${origin}/`);
    cleanups.push(() => page.close());
    await page.waitForSelector('#tools code');
    await stateIs(page, 'open');
    const session = await page.textContent('#session');
    expect(children).toHaveLength(1);
    const { sent, watching } = watchChildProgress(children[0]!);
    cleanups.push(async () => watching.unsubscribe());

    await page.click('#call');
    await progressReached(page, 2);
    serving.unsubscribe();
    await stateIs(page, 'reconnecting');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'proxy-page-reconnecting.png') });
    // Progress the page cannot have seen: sent by the child while nothing listened, kept in
    // the session's event store for the resume.
    const shownWhileDown = await progressShown(page);
    const last = shownWhileDown[shownWhileDown.length - 1]!;
    await firstValueFrom(sent.pipe(filter((progress) => progress > last)));
    watching.unsubscribe();

    ({ serving } = await listen(proxy));
    expect(new URL(origin).port).toBe(String(port));
    await stateIs(page, 'open');
    await page.waitForFunction(() => document.getElementById('result')!.textContent !== '');

    expect(await page.textContent('#result')).toBe('Lift-off after 8 steps.');
    expect(await progressShown(page)).toEqual(ALL_STEPS);
    expect(await page.textContent('#session')).toBe(session);
    expect(children).toHaveLength(1);
    expect(await page.textContent('#error')).toBe('');
    expect(errors).toEqual([]);
  });

  // A full restart: the proxy is closed (sessions end, the child is stopped, the event
  // stores are gone) and a new proxy listens on the same port. Nothing of the call survives.
  it('shows the session lost when a new proxy replaces the old one, re-initializes, lists the tools again, and fails the interrupted call visibly', async () => {
    const port = await freePort();
    const first = demoProxy({ port });
    const { origin, serving } = await listen(first);
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await closeProxy(first, serving);
    });
    const { page, errors } = await openPage(browser, `${origin}/`);
    cleanups.push(() => page.close());
    await page.waitForSelector('#tools code');
    await stateIs(page, 'open');
    const oldSession = await page.textContent('#session');

    await page.click('#call');
    await progressReached(page, 2);
    await closeProxy(first, serving);
    closed = true;
    await stateIs(page, 'reconnecting');

    const second = demoProxy({ port });
    const relistened = await listen(second);
    cleanups.push(() => closeProxy(second, relistened.serving));
    expect(relistened.origin).toBe(origin);

    await page.waitForFunction(
      () => document.getElementById('session')!.dataset.type === 'renewed',
    );
    await page.waitForFunction(() =>
      document.getElementById('progress-text')!.textContent!.startsWith('failed: '),
    );
    await stateIs(page, 'open');
    await page.waitForFunction(
      () => document.getElementById('log')!.textContent!.split('4 tools listed').length === 3,
    );

    const log = (await page.textContent('#log'))!;
    expect(log).toMatch(/session [A-Za-z0-9_-]{8} lost \(404\): re-initializing/);
    expect(await page.textContent('#session')).not.toBe(oldSession);
    expect(await page.textContent('#session')).toMatch(/^new session /);
    expect(await page.locator('#tools code').allTextContents()).toEqual(DEMO_TOOLS);
    expect(await page.textContent('#result')).toBe('');
    expect(await page.isEnabled('#call')).toBe(true);
    expect(errors).toEqual([]);
  });
});
