import { expect } from 'chai';
import { chromiumSuite, fillAndSubmit, tabsIn } from '../support/browser.ts';
import { createPatient } from '../support/family.ts';
import { linkProvider } from '../support/provider.ts';
import { createVisitor, signInInBrowser } from '../support/visitors.ts';

// A provider finds a patient they may see, then one they may not (by MRN), reads the "not
// authorized" page (the family has no MyChildren's account: the printable sign-up steps), and
// asks the MyPatients team for PCP access: in Chromium with JavaScript on (htmx swaps the search
// region) and off (plain POST forms). No name, date of birth or MRN ever appears in an address.
describe('MyPatients patient search in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;

      it('searches, reaches the not-authorized page, and requests PCP access', async () => {
        const suffix = javaScriptEnabled ? 'js' : 'nojs';
        const visitor = await createVisitor(db(), 'provider');
        const { practitionerId, practiceId } = await linkProvider(db(), visitor.id);
        const mine = await createPatient(db(), { birthDate: '2014-03-27', givenNames: 'Tomás', familyName: `Browserpcp${suffix}` });
        await db()('patients').where({ id: mine.id }).update({ pcp_practitioner_id: practitionerId, pcp_practice_id: practiceId });
        const unseen = await createPatient(db(), { birthDate: '2016-10-05', givenNames: 'Wren', familyName: `Browserunseen${suffix}` });
        const visited: string[] = [];

        const tab = await newTab();
        tab.on('framenavigated', (frame) => {
          if (frame === tab.mainFrame()) visited.push(frame.url());
        });
        await signInInBrowser(tab, suite.server.origin, visitor);
        await tab.getByRole('link', { name: 'Find a patient' }).first().click();
        expect(await text(tab, 'h1')).to.equal('Find a patient');

        expect(await fillAndSubmit(tab, { familyName: mine.familyName, 'birthDate-month': '3', 'birthDate-day': '27', 'birthDate-year': '2014' })).to.equal(200);
        await tab.locator('#search-results').waitFor();
        expect(await text(tab, '#search-results tbody th a')).to.equal(`${mine.familyName}, Tomás`);
        expect(await tab.getAttribute('#search-results tbody th a', 'href')).to.equal(`/provider/patients/${mine.id}`);
        expect(new URL(tab.url()).pathname).to.equal('/provider/search');
        if (javaScriptEnabled) {
          // The region was swapped in place; focus is on the answer and the status line says it.
          expect(await tab.evaluate(() => document.activeElement?.id)).to.equal('search-results-caption');
          await tab.waitForFunction(() => document.querySelector('[data-search-announcer]')?.textContent === 'Patients you may see: 1');
        }

        await tab.fill('#mrn', unseen.mrn);
        await Promise.all([tab.waitForURL((url) => url.pathname === '/provider/search/no-access/1'), tab.getByRole('button', { name: 'Search by MRN' }).click()]);
        expect(await text(tab, 'h1')).to.equal('You are not authorized to see this record');
        const main = await text(tab, 'main');
        expect(main).to.include(`MRN ${unseen.mrn}`).and.not.include('Wren').and.not.include(unseen.familyName);
        expect(await text(tab, '#no-family-account-title')).to.equal("This patient has no MyChildren's account");

        await tab.getByRole('link', { name: 'Printable sign-up instructions for the family' }).click();
        expect(await text(tab, 'h1')).to.equal("How to sign up for MyChildren's");
        // print.js shows the button once it runs, which may be just after the page has loaded.
        await tab.locator('[data-print-action]').waitFor({ state: javaScriptEnabled ? 'visible' : 'hidden' });
        expect(await tab.locator('[data-print-action]').isVisible()).to.equal(javaScriptEnabled);
        await tab.goBack();

        await fillAndSubmit(tab, { pcpNote: 'The family chose our practice.' }, '/provider/requests');
        expect(await text(tab, '.banner')).to.include('We sent your request to the MyPatients team');
        expect(await text(tab, '#requests tbody')).to.include(`MRN ${unseen.mrn}`);
        const [request] = await db()('provider_access_requests').where({ provider_account_id: visitor.id });
        expect(request).to.include({ kind: 'pcp', status: 'pending', note: 'The family chose our practice.' });
        expect(Number(request.patient_id)).to.equal(unseen.id);

        for (const url of visited) {
          for (const phi of [mine.familyName, unseen.familyName, unseen.mrn, mine.mrn, '2014', '2016']) expect(decodeURIComponent(url)).not.to.include(phi);
        }
      });
    });
  }
});
