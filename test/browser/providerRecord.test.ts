// A MyPatients provider in Chromium, with JavaScript on and off: signs in with a TOTP code, goes
// from the home page to "My patients", opens a record, adds it to their patients, opens it from the
// list, removes it there; and on paper every record page keeps only the record under a header that
// names the patient, their birth date and MRN, and the print date.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, tabsIn } from '../support/browser.ts';
import { bornYearsAgo, createPatient } from '../support/family.ts';
import { addCareTeam, addMedication, fillRecordForEveryRule } from '../support/record.ts';
import { pdfPages } from '../support/pdfText.ts';
import { providerAccount } from '../support/provider.ts';
import { signInInBrowser } from '../support/visitors.ts';

const SCREEN_ONLY = ['.site-header', '.site-nav', '.record-nav', 'main form', 'main .button', '.withheld'];

describe('a MyPatients provider with the record viewer in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();
  let patientId: number;
  let mrn: string;

  before(async function () {
    if (!suite.subject) return this.skip();
    const db = suite.subject.database.db;
    const patient = await createPatient(db, { birthDate: '2011-04-09', givenNames: 'Noa', familyName: 'Berg' });
    patientId = patient.id;
    mrn = patient.mrn;
    await fillRecordForEveryRule(db, patient.id);
    // Enough medicines for the medications page to run over several sheets.
    for (let n = 1; n <= 90; n++) await addMedication(db, patient.id, { name: `Past medicine ${n}`, status: 'completed', authoredAt: new Date(Date.now() - (100 + n) * 86_400_000) });
  });

  const todays = () => {
    const format = (date: Date) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: suite.subject.config.hospital.timeZone }).format(date);
    return [format(new Date(Date.now() - 60_000)), format(new Date())];
  };
  const visibleCount = (tab: Page, selector: string) => tab.locator(selector).evaluateAll((elements) => elements.filter((element) => (element as HTMLElement).checkVisibility()).length);
  /** Clicks and waits until the browser has loaded `path` (a form posts and is redirected there, too). */
  const clickAndLoad = async (tab: Page, target: ReturnType<Page['getByRole']>, path: string) => {
    await Promise.all([tab.waitForURL((url) => url.pathname === path, { waitUntil: 'load' }), target.click()]);
  };

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open } = tabsIn(suite, javaScriptEnabled);

      const signedInTab = async () => {
        const db = suite.subject.database.db;
        const account = await providerAccount(db, `browser-${javaScriptEnabled ? 'js' : 'nojs'}`);
        await addCareTeam(db, patientId, [{ practitionerId: account.practitionerId, role: 'Cardiologist' }]);
        const tab = await newTab();
        await signInInBrowser(tab, suite.server.origin, { id: account.id, email: account.email, kind: 'provider', totp: true, stage: 'signed-in' });
        return tab;
      };

      it('goes from home to My patients, saves a record, opens it from the list and removes it; prints the header', async () => {
        const tab = await signedInTab();
        expect(new URL(tab.url()).pathname).to.equal('/provider/home');
        expect(await tab.getByRole('link', { name: 'Find a patient' }).getAttribute('href')).to.equal('/provider/search');
        expect(await tab.getByRole('link', { name: 'Validate an invitation code' }).getAttribute('href')).to.equal('/provider/tokens');
        await clickAndLoad(tab, tab.getByRole('link', { name: 'My patients' }), '/provider/patients');
        expect(new URL(tab.url()).pathname).to.equal('/provider/patients');
        expect(await tab.locator('main').innerText()).to.include('You have not saved any patients yet');

        // No search page yet (another piece of work): open the record by its address.
        expect((await open(tab, `/provider/patients/${patientId}`))?.status()).to.equal(200);
        expect(await tab.locator('.access-basis').innerText()).to.include("because you are on the patient's care team");
        await clickAndLoad(tab, tab.getByRole('button', { name: 'Add to my patients' }), `/provider/patients/${patientId}`);
        expect(new URL(tab.url()).pathname).to.equal(`/provider/patients/${patientId}`);
        expect(await tab.getByRole('status').innerText()).to.include('The patient was added to your patients.');
        expect(await tab.getByRole('button', { name: 'Remove from my patients' }).count()).to.equal(1);

        await open(tab, '/provider/patients');
        await clickAndLoad(tab, tab.getByRole('link', { name: 'Berg, Noa' }), `/provider/patients/${patientId}`);
        expect(new URL(tab.url()).pathname).to.equal(`/provider/patients/${patientId}`);

        await open(tab, '/provider/patients');
        await clickAndLoad(tab, tab.getByRole('button', { name: /^Remove from my patients\s*:\s*Noa Berg$/ }), '/provider/patients');
        expect(new URL(tab.url()).pathname).to.equal('/provider/patients');
        expect(await tab.getByRole('status').innerText()).to.include('The patient was removed from your patients.');
        expect(await tab.locator('#saved-patients').count()).to.equal(0);

        for (const section of ['', '/admissions', '/notes', '/results', '/reports']) {
          const path = `/provider/patients/${patientId}${section}`;
          await open(tab, path);
          await tab.emulateMedia({ media: 'screen' });
          expect(await visibleCount(tab, '.print-header'), `${path} on screen`).to.equal(0);
          expect(await visibleCount(tab, '.record-nav'), `${path} on screen`).to.equal(1);
          await tab.emulateMedia({ media: 'print' });
          for (const selector of SCREEN_ONLY) expect(await visibleCount(tab, selector), `${path} printed: ${selector}`).to.equal(0);
          const header = await tab.locator('.print-header').innerText();
          expect(header, path).to.include('Noa Berg').and.include('April 9, 2011').and.include(`MRN ${mrn}`);
          expect(todays().some((today) => header.includes(today)), `${path}: ${header}`).to.equal(true);
          expect(await visibleCount(tab, '.access-basis'), `${path}: the basis is printed too`).to.equal(1);
        }
      });

      it(javaScriptEnabled ? 'offers a Print button on record pages' : 'offers no Print button (the browser’s own Print works)', async () => {
        const tab = await signedInTab();
        await open(tab, `/provider/patients/${patientId}/medications`);
        expect(await tab.getByRole('button', { name: 'Print this page' }).count()).to.equal(javaScriptEnabled ? 1 : 0);
      });
    });
  }

  describe('a long record page printed to PDF', () => {
    const { newTab, open } = tabsIn(suite, false);

    it('names the patient, birth date, MRN and print date on every sheet', async () => {
      const db = suite.subject.database.db;
      const account = await providerAccount(db, 'printer');
      await addCareTeam(db, patientId, [{ practitionerId: account.practitionerId, role: 'Cardiologist' }]);
      const tab = await newTab();
      await signInInBrowser(tab, suite.server.origin, { id: account.id, email: account.email, kind: 'provider', totp: true, stage: 'signed-in' });
      await open(tab, `/provider/patients/${patientId}/medications`);
      const squeezed = (text: string) => text.replace(/\s+/g, '');
      const header = squeezed((await tab.locator('.print-header').textContent())!);
      expect(header).to.include(`MRN${mrn}`);
      const sheets = pdfPages(await tab.pdf({ format: 'Letter', margin: { top: '1.5cm', bottom: '1.5cm', left: '1.5cm', right: '1.5cm' } }));
      expect(sheets.length).to.be.greaterThan(1);
      sheets.forEach((runs, index) => expect(squeezed(runs.map((run) => run.text).join('')), `sheet ${index + 1}`).to.include(header));
    });
  });
});
