// Printing the health record, in Chromium: on paper a record page keeps only the record (no
// navigation, header, footer links, forms, buttons or patient switcher), and every printed sheet
// names the patient and the print date above the page's own text. A long page is printed to PDF
// and each sheet of it is read back (test/support/pdfText.ts).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, tabsIn } from '../support/browser.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { addMedication, fillRecordForEveryRule, type RecordMarkers } from '../support/record.ts';
import { pdfPages, type TextRun } from '../support/pdfText.ts';
import { signInInBrowser } from '../support/visitors.ts';

const DAY = 86_400_000;
/** Shown on screen, never on paper. */
const SCREEN_ONLY = ['.site-header', '.site-nav', '.site-footer .footer-links', '.language-switch', '.emergency-strip', '.record-nav', '.patient-switcher', 'main form', 'main .button'];

describe('printing the health record in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();
  let parent: { id: number; email: string };
  let patientId: number;
  let ids: RecordMarkers['ids'];
  const recordPages = () => ['record', 'reports', `reports/${ids.reportId}`, 'medications', 'allergies', 'immunizations', 'care-team', 'insurance'].map((page) => `/patients/${patientId}/${page}`);

  before(async function () {
    if (!suite.subject) return this.skip();
    const db = suite.subject.database.db;
    const teen = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    patientId = teen.id;
    ({ ids } = await fillRecordForEveryRule(db, teen.id));
    // Enough past medicines for the page to run over several sheets.
    for (let n = 1; n <= 90; n++) await addMedication(db, teen.id, { name: `Past medicine ${n}`, status: 'completed', authoredAt: new Date(Date.now() - (100 + n) * DAY) });
    parent = await familyAccount(db, 'parent');
    await linkHolder(db, parent.id, teen.id, 'parent');
    // A second child, so the patient switcher (a form) is on every page.
    const sibling = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Ivo', familyName: 'Berg' });
    await linkHolder(db, parent.id, sibling.id, 'parent');
  });

  /** "June 3, 2026" as the page writes today, in the hospital's time zone (either side of midnight). */
  const todays = () => {
    const format = (date: Date) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: suite.subject.config.hospital.timeZone }).format(date);
    return [format(new Date(Date.now() - 60_000)), format(new Date())];
  };
  const visibleCount = (tab: Page, selector: string) => tab.locator(selector).evaluateAll((elements) => elements.filter((element) => (element as HTMLElement).checkVisibility()).length);

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open } = tabsIn(suite, javaScriptEnabled);
      const signedInTab = async () => {
        const tab = await newTab();
        await signInInBrowser(tab, suite.server.origin, { ...parent, kind: 'family', totp: false, stage: 'signed-in' });
        return tab;
      };

      it('keeps only the record on paper, under a header with the patient’s name and today’s date', async () => {
        const tab = await signedInTab();
        for (const path of recordPages()) {
          expect((await open(tab, path))?.status(), path).to.equal(200);
          await tab.emulateMedia({ media: 'screen' });
          for (const selector of ['.site-header', '.record-nav', '.patient-switcher', '.site-footer .footer-links']) expect(await visibleCount(tab, selector), `${path} on screen: ${selector}`).to.be.greaterThan(0);
          expect(await visibleCount(tab, '.print-header'), `${path} on screen`).to.equal(0);

          await tab.emulateMedia({ media: 'print' });
          for (const selector of SCREEN_ONLY) expect(await visibleCount(tab, selector), `${path} printed: ${selector}`).to.equal(0);
          expect(await visibleCount(tab, '.print-header'), `${path} printed`).to.equal(1);
          const header = await tab.locator('.print-header').innerText();
          expect(header, path).to.include('Noa Berg');
          expect(todays().some((today) => header.includes(today)), `${path}: ${header}`).to.equal(true);
          expect(await visibleCount(tab, 'main h1'), path).to.equal(1);
          expect(await visibleCount(tab, '.patient-banner'), path).to.equal(1);
        }
      });

      it(javaScriptEnabled ? 'offers a Print button that prints, and leaves it off the paper' : 'offers no Print button (the browser’s own Print works)', async () => {
        const tab = await signedInTab();
        await open(tab, `/patients/${patientId}/medications`);
        const button = tab.getByRole('button', { name: 'Print this page' });
        if (!javaScriptEnabled) {
          expect(await button.count()).to.equal(0);
          return;
        }
        // print.js shows the button once it runs, which may be just after the page has loaded.
        await button.waitFor({ state: 'visible' });
        await tab.evaluate(() => {
          window.print = () => document.body.setAttribute('data-printed', 'yes');
        });
        await button.click();
        expect(await tab.getAttribute('body', 'data-printed')).to.equal('yes');
        await tab.emulateMedia({ media: 'print' });
        expect(await button.isVisible()).to.equal(false);
      });
    });
  }

  describe('a long page printed to PDF', () => {
    const { newTab, open } = tabsIn(suite, false);

    it('runs over several sheets, each naming the patient and the date above everything else on it', async () => {
      const tab = await newTab();
      await signInInBrowser(tab, suite.server.origin, { ...parent, kind: 'family', totp: false, stage: 'signed-in' });
      await open(tab, `/patients/${patientId}/medications`);
      const header = (await tab.locator('.print-header').textContent())!.replace(/\s+/g, ' ').trim();
      const sheets = pdfPages(await tab.pdf({ format: 'Letter', margin: { top: '1.5cm', bottom: '1.5cm', left: '1.5cm', right: '1.5cm' } }));
      expect(sheets.length).to.be.greaterThan(1);
      const squeezed = (text: string) => text.replace(/\s+/g, '');
      sheets.forEach((runs, index) => {
        const lines = linesOf(runs);
        // The header may wrap: its lines are the ones whose text is part of it.
        const headerLines = lines.filter((line) => squeezed(line.text) !== '' && squeezed(header).includes(squeezed(line.text)));
        expect(squeezed(headerLines.map((line) => line.text).join('')), `sheet ${index + 1}`).to.equal(squeezed(header));
        const headerBottom = Math.min(...headerLines.map((line) => line.y));
        // Everything else on the sheet sits clear below the header (PDF y grows upwards; 16 pt is the
        // header's 9 pt line and rule plus the next line's height): nothing is printed under it.
        const others = lines.filter((line) => !headerLines.includes(line));
        expect(others.length, `sheet ${index + 1}`).to.be.greaterThan(0);
        for (const line of others) expect(line.y, `sheet ${index + 1}: "${line.text}"`).to.be.below(headerBottom - 16);
      });
      const everything = squeezed(sheets.flat().map((run) => run.text).join(''));
      expect(everything).to.include('Pastmedicine90').and.include('SHOWNMEDICATION');
    });
  });
});

/** Runs drawn on the same baseline, as lines of text. */
function linesOf(runs: TextRun[]): { text: string; y: number }[] {
  const lines = new Map<number, string>();
  for (const run of runs) {
    const y = Math.round(run.y * 10) / 10;
    lines.set(y, (lines.get(y) ?? '') + run.text);
  }
  return [...lines].map(([y, text]) => ({ y, text }));
}
