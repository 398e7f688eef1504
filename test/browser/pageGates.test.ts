import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { AXE_SOURCE, chromiumSuite, fillAndSubmit } from '../support/browser.ts';
import { LANGUAGES, PAGES, type PageVisit } from '../support/pages.ts';
import { preparePage, signInInBrowser } from '../support/visitors.ts';
import { pageFile } from '../support/providerRegistration.ts';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}

// The gates every page must pass, in both languages: accessibility (axe-core), a strict
// CSP that the page never trips, reflow at 320 px, and everything working without JavaScript.
describe('page gates in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  async function open(context: BrowserContext, page: PageVisit): Promise<{ tab: Page; status: number }> {
    const tab = await context.newPage();
    const prepared = await preparePage(page, suite.subject.database.db);
    if (prepared.visitor) await signInInBrowser(tab, suite.server.origin, prepared.visitor);
    const response = await tab.goto(suite.server.origin + prepared.path);
    let status = response?.status() ?? 0;
    if (prepared.submit) {
      for (const [name, file] of Object.entries(page.files ?? {})) await tab.setInputFiles(`input[type="file"][name="${name}"]`, pageFile(file));
      const posted = tab.waitForResponse((r) => r.request().method() === 'POST');
      await fillAndSubmit(tab, prepared.submit, page.landsOn);
      status = page.landsOn ? 200 : (await posted).status();
    }
    return { tab, status };
  }

  for (const language of LANGUAGES) {
    const cookie = () => [{ name: 'lang', value: language, url: suite.server.origin }];

    for (const page of PAGES) {
      it(`${page.name} (${language}): no axe violations`, async () => {
        // axe is injected as a script, so this context alone sets the CSP aside.
        const context = await suite.browser.newContext({ bypassCSP: true });
        await context.addCookies(cookie());
        const { tab } = await open(context, page);
        await tab.addScriptTag({ content: AXE_SOURCE });
        const result = (await tab.evaluate((tags) => (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS)) as AxeResult;
        const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        await context.close();
        expect(violations).to.deep.equal([]);
      });

      it(`${page.name} (${language}): loads htmx under the CSP with no violations, and reflows at 320 px`, async () => {
        const context = await suite.browser.newContext({ viewport: { width: 320, height: 640 } });
        await context.addCookies(cookie());
        const problems: string[] = [];
        context.on('console', (message) => {
          if (message.type() === 'error' && !/status of 4\d\d|status of 5\d\d/.test(message.text())) problems.push(message.text());
        });
        context.on('weberror', (error) => problems.push(error.error().message));
        const { tab, status } = await open(context, page);
        expect(status).to.equal(page.status ?? 200);
        expect(await tab.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).to.equal('object');
        const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        await context.close();
        expect(problems).to.deep.equal([]);
        expect(overflow, 'horizontal scrolling at 320 px').to.be.at.most(0);
      });

      it(`${page.name} (${language}): renders and submits with JavaScript off`, async () => {
        const context = await suite.browser.newContext({ javaScriptEnabled: false });
        await context.addCookies(cookie());
        const { tab, status } = await open(context, page);
        expect(status).to.equal(page.status ?? 200);
        expect(await tab.locator('h1').count()).to.equal(1);
        expect(await tab.getAttribute('html', 'lang')).to.equal(language);
        if (page.landsOn) expect(new URL(tab.url()).pathname).to.equal(page.landsOn);
        if (page.status === 422) expect(await tab.locator('.error-summary a').count()).to.be.greaterThan(0);
        await context.close();
      });
    }
  }
});
