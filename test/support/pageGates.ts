// The gates every page must pass, in both languages: accessibility (axe-core), a strict CSP
// that the page never trips, reflow at 320 px, and everything working without JavaScript.
//
// Each page is opened twice per language, each time by a new visitor with its own fixture:
// - with JavaScript on, under the page's real CSP: console and CSP errors are collected, htmx
//   must be loaded, axe-core runs through `page.evaluate` (which the page's CSP does not
//   govern) at the default width, then the viewport is narrowed to 320 px to measure overflow;
// - with JavaScript off, for the page and its form.
// Visitors are signed in by posting the sign-in forms from the browser context's request client
// (the forms themselves are clicked through in test/browser/identity.test.ts).
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AXE_SOURCE, chromiumSuite, fillAndSubmit } from './browser.ts';
import { PAGES, type LANGUAGES, type PageVisit } from './pages.ts';
import { preparePage, signInContext } from './visitors.ts';
import { pageFile } from './providerRegistration.ts';
import type { Knex } from 'knex';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** The gate tests of each page in each language; test/integration/gateBudget.test.ts checks every page has each. */
export const GATE_TESTS = {
  axe: 'no axe violations',
  cspAndReflow: 'loads htmx under the CSP with no violations, and reflows at 320 px',
  javaScriptOff: 'renders and submits with JavaScript off',
  errorLinks: 'links each error-summary entry to an element on the page',
} as const;

export type Language = (typeof LANGUAGES)[number];

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}

interface JavaScriptOnVisit {
  status: number;
  violations: string[];
  problems: string[];
  htmx: string;
  overflow: number;
  /** Elements with text that sit partly behind a scroll (or are cut off) in their own box at 320 px. */
  scrolledData: string[];
  /** The error summary's links whose #target is not an element of the page. */
  brokenErrorLinks: string[];
}

interface Where {
  origin: string;
  db: Knex;
}

const DESKTOP = { width: 1280, height: 720 };

/**
 * One browser context and tab for a file's visits with JavaScript on or off. Between visits the
 * tab goes to about:blank and the context's cookies and the origin's storage are cleared, so each
 * visitor starts signed out, as in a new context, without a new renderer for every visit.
 */
class GateTab {
  /** Console errors, page errors and CSP reports since the current visit began. */
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly tab: Page,
    private readonly javaScriptEnabled: boolean,
  ) {
    context.on('console', (message) => {
      if (message.type() === 'error' && !/status of 4\d\d|status of 5\d\d/.test(message.text())) this.problems.push(message.text());
    });
    context.on('weberror', (error) => this.problems.push(error.error().message));
  }

  static async open(browser: Browser, javaScriptEnabled: boolean): Promise<GateTab> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: DESKTOP });
    return new GateTab(context, await context.newPage(), javaScriptEnabled);
  }

  /** Starts a visit as a new, signed-out visitor reading `language`. */
  async reset(where: Where, language: Language): Promise<void> {
    // Without JavaScript no page can have written to storage.
    if (this.javaScriptEnabled && this.tab.url().startsWith(where.origin)) {
      await this.tab.evaluate(() => {
        localStorage.clear();
        sessionStorage.clear();
      });
    }
    await this.tab.goto('about:blank');
    await this.tab.setViewportSize(DESKTOP);
    await this.context.clearCookies();
    await this.context.addCookies([{ name: 'lang', value: language, url: where.origin }]);
    this.problems.length = 0;
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** Prepares the page for a new visitor, signs them in, opens it and submits its form if asked; returns the status checked. */
async function open(gate: GateTab, where: Where, language: Language, page: PageVisit): Promise<number> {
  const { tab } = gate;
  const prepared = await preparePage(page, where.db, language);
  if (prepared.visitor) await signInContext(gate.context, where.origin, prepared.visitor);
  const response = await tab.goto(where.origin + prepared.path);
  let status = response?.status() ?? 0;
  if (prepared.submit) {
    for (const [name, file] of Object.entries(page.files ?? {})) await tab.setInputFiles(`input[type="file"][name="${name}"]`, pageFile(file));
    // fillAndSubmit answers the POST's status; a form that redirects is checked where it lands.
    const posted = await fillAndSubmit(tab, prepared.submit, page.landsOn);
    status = page.landsOn ? 200 : posted;
  }
  return status;
}

async function visitWithJavaScript(gate: GateTab, where: Where, language: Language, page: PageVisit): Promise<JavaScriptOnVisit> {
  await gate.reset(where, language);
  const status = await open(gate, where, language, page);
  const { tab } = gate;
  const htmx = await tab.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx);
  // Evaluated, not added as a script tag, so the page keeps its real CSP.
  await tab.evaluate(AXE_SOURCE);
  const result = (await tab.evaluate((tags) => (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS)) as AxeResult;
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  const brokenErrorLinks = await tab.evaluate(() =>
    [...document.querySelectorAll('.error-summary a')]
      .map((link) => link.getAttribute('href') ?? '')
      .filter((href) => !href.startsWith('#') || !document.getElementById(decodeURIComponent(href.slice(1)))),
  );
  await tab.setViewportSize({ width: 320, height: 640 });
  const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // A table (or anything with text) that fits the page only by scrolling inside its own box
  // still hides columns at 320 px. Form controls scroll their own text, and visually hidden
  // text is a 1 px box, so neither counts.
  const scrolledData = await tab.evaluate(() =>
    [...document.body.querySelectorAll('*')]
      .filter((element) => element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 1)
      .filter((element) => !element.matches('input, textarea, select, svg, svg *') && getComputedStyle(element).overflowX !== 'visible')
      .filter((element) => (element.textContent ?? '').trim() !== '')
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''} (${element.scrollWidth} px in ${element.clientWidth} px)`),
  );
  return { status, violations, problems: [...gate.problems], htmx, overflow, scrolledData, brokenErrorLinks };
}

/** Part `part` (from 1) of `parts` of the pages, every `parts`-th page, so the gates can run in files of about equal cost. */
export function pagesPart(part: number, parts: number): PageVisit[] {
  return PAGES.filter((_page, index) => index % parts === part - 1);
}

const suiteTitle = (language: Language) => `page gates in Chromium (${language})`;
const pageTitle = (language: Language, page: PageVisit) => `${page.name} (${language})`;

/** The full title mocha gives a gate test of `page`. */
export function gateTestTitle(language: Language, page: PageVisit, gate: string): string {
  return `${suiteTitle(language)} ${pageTitle(language, page)} ${gate}`;
}

/** Declares the gate tests for `pages` in `language`, on one app and one Chromium for the file. */
export function describePageGates(language: Language, pages: PageVisit[]): void {
  describe(suiteTitle(language), function () {
    this.timeout(120000);
    const suite = chromiumSuite();
    const where = (): Where => ({ origin: suite.server.origin, db: suite.subject.database.db });
    const tabs = {} as { on: GateTab; off: GateTab };
    before(async function () {
      if (!suite.browser) return this.skip();
      tabs.on = await GateTab.open(suite.browser, true);
      tabs.off = await GateTab.open(suite.browser, false);
    });
    after(async () => {
      await tabs.on?.close();
      await tabs.off?.close();
    });

    for (const page of pages) {
      describe(pageTitle(language, page), () => {
        let withJavaScript: JavaScriptOnVisit;
        before(async () => {
          withJavaScript = await visitWithJavaScript(tabs.on, where(), language, page);
        });

        it(GATE_TESTS.axe, () => {
          expect(withJavaScript.violations).to.deep.equal([]);
        });

        it(GATE_TESTS.cspAndReflow, () => {
          expect(withJavaScript.status).to.equal(page.status ?? 200);
          expect(withJavaScript.htmx).to.equal('object');
          expect(withJavaScript.problems).to.deep.equal([]);
          expect(withJavaScript.overflow, 'horizontal scrolling at 320 px').to.be.at.most(0);
          expect(withJavaScript.scrolledData, 'text behind a sideways scroll at 320 px').to.deep.equal([]);
        });

        it(GATE_TESTS.errorLinks, () => {
          expect(withJavaScript.brokenErrorLinks, 'error-summary links with no target').to.deep.equal([]);
        });

        it(GATE_TESTS.javaScriptOff, async () => {
          const { tab } = tabs.off;
          await tabs.off.reset(where(), language);
          const status = await open(tabs.off, where(), language, page);
          expect(status).to.equal(page.status ?? 200);
          expect(await tab.locator('h1').count()).to.equal(1);
          expect(await tab.getAttribute('html', 'lang')).to.equal(language);
          if (page.landsOn) expect(new URL(tab.url()).pathname).to.equal(page.landsOn);
          if (page.status === 422) expect(await tab.locator('.error-summary a').count()).to.be.greaterThan(0);
        });
      });
    }
  });
}

