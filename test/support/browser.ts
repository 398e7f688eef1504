// Debian's Chromium driven by playwright-core. When it is not installed the browser
// suites are skipped (counted as skipped) and one line says so.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Express } from 'express';
import { buildTestApp, type TestApp } from './app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

let announced = false;
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM_PATH);
  if (!available && !announced) {
    announced = true;
    console.log(`Chromium not found at ${CHROMIUM_PATH}: browser tests skipped (apt-get install -y chromium).`);
  }
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

export async function listen(app: Express): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // Playwright keeps connections open between steps; on a busy machine a step can wait longer than
  // Node's 5-second keep-alive, and a request sent as the server closes the socket gets ECONNRESET.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Fills a form's fields by name (text, select, radio or checkbox), submits it and waits for the result; returns the POST's status. */
export async function fillAndSubmit(page: Page, fields: Record<string, string>, landsOn?: string): Promise<number> {
  for (const [name, value] of Object.entries(fields)) {
    const field = page.locator(`[name="${name}"]`).first();
    const tag = await field.evaluate((element) => element.tagName.toLowerCase());
    const type = await field.getAttribute('type');
    if (type === 'radio' || type === 'checkbox') {
      if (value) await page.check(`[name="${name}"][value="${value}"]`);
    } else if (tag === 'select') {
      await field.selectOption(value);
    } else {
      await field.fill(value);
    }
  }
  // Start waiting before the click, so a fast redirect cannot be missed.
  const posted = page.waitForResponse((response) => response.request().method() === 'POST');
  const arrived = landsOn
    ? page.waitForURL((url) => url.pathname === landsOn, { waitUntil: 'load' }).catch(async () => {
        // Say where the form went instead, and what the page said about it.
        const problems = await page.locator('.error-summary').allInnerTexts().catch(() => []);
        throw new Error(`expected to land on ${landsOn}; the form answered ${(await posted).status()} and the browser is at ${page.url()} ${problems.join(' ')}`);
      })
    : posted;
  await Promise.all([arrived, page.locator('main form[method="post"] button[type="submit"]').first().click()]);
  await page.waitForLoadState('load');
  return (await posted).status();
}

/** axe-core's source, injected into pages to check them. */
export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ChromiumSuite {
  subject: TestApp;
  server: Awaited<ReturnType<typeof listen>>;
  browser: Browser;
}

/**
 * Call inside `describe`: the app on a loopback port and Chromium for the whole suite, closed
 * after it. Without Chromium the suite is skipped (and counted as skipped).
 */
export function chromiumSuite(): ChromiumSuite {
  const suite = {} as ChromiumSuite;
  before(async function () {
    if (!chromiumAvailable()) return this.skip();
    suite.subject = await buildTestApp();
    suite.server = await listen(suite.subject.app);
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
    await suite.subject?.close();
  });
  return suite;
}

export interface Tabs {
  /** A tab in a new English browser context, closed after the test. */
  newTab(): Promise<Page>;
  open(tab: Page, path: string): ReturnType<Page['goto']>;
  /** The text of the first element matching `selector`. */
  text(tab: Page, selector: string): Promise<string>;
}

/** Call inside `describe`: tabs with JavaScript on or off, in contexts closed after each test. */
export function tabsIn(suite: ChromiumSuite, javaScriptEnabled: boolean): Tabs {
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  return {
    async newTab() {
      const context = await suite.browser.newContext({ javaScriptEnabled });
      await context.addCookies([{ name: 'lang', value: 'en', url: suite.server.origin }]);
      contexts.push(context);
      return context.newPage();
    },
    open: (tab, path) => tab.goto(suite.server.origin + path),
    text: (tab, selector) => tab.locator(selector).first().innerText(),
  };
}
