import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, tabsIn } from '../support/browser.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { fillLongRecord } from '../support/record.ts';
import { signInInBrowser } from '../support/visitors.ts';

// Filtering and paging the visits and test results lists in Chromium. With JavaScript on, htmx
// swaps only the list region: the address changes, the page does not reload (a marker set on
// window survives), the change is announced and focus stays sensible. With JavaScript off the
// same form and links load whole pages.
describe('record lists in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();
  let patientId: number;
  let parent: { id: number; email: string };
  before(async function () {
    if (!suite.subject) return this.skip();
    const db = suite.subject.database.db;
    parent = await familyAccount(db, 'parent');
    const child = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Lucía', familyName: 'Ortega' });
    patientId = child.id;
    await linkHolder(db, parent.id, child.id, 'parent');
    await fillLongRecord(db, child.id);
  });

  // Each panel's full names (the fixture's carry the panel's marker), one disclosure per panel.
  const captions = (tab: Page) => tab.locator('#result-list details.full-names').allTextContents();
  const pastVisitReasons = (tab: Page) => tab.locator('#past-visits tbody tr td:last-child').allInnerTexts();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);

      async function signedInAt(path: string): Promise<Page> {
        const tab = await newTab();
        await signInInBrowser(tab, suite.server.origin, { ...parent, kind: 'family', totp: false, stage: 'signed-in' });
        await open(tab, path);
        if (javaScriptEnabled) {
          // Wait for htmx to be ready, then mark this document: a full navigation would lose the mark.
          await tab.waitForFunction(() => 'htmx' in window && 'recordListsReady' in window);
          await tab.evaluate(() => Object.assign(window, { listMarker: 'still here' }));
        }
        return tab;
      }

      const markerSurvived = (tab: Page) => tab.evaluate(() => (window as unknown as { listMarker?: string }).listMarker);
      const focused = (tab: Page) => tab.evaluate(() => `${document.activeElement?.tagName.toLowerCase()}.${document.activeElement?.className}`);

      it('filters test results by period and out of range, and the address says so', async () => {
        const results = `/patients/${patientId}/results`;
        const tab = await signedInAt(results);
        expect(await captions(tab)).to.have.length(10);
        await tab.selectOption('#period', '1y');
        await tab.check('#flagged');
        await tab.getByRole('button', { name: 'Show results' }).click();
        await tab.waitForURL((url) => url.pathname === results && url.search === '?period=1y&flagged=1');
        await tab.locator('#result-list .list-count', { hasText: '1 to 2 of 2' }).waitFor();
        const shown = await captions(tab);
        expect(shown.map((caption) => caption.match(/LONGPANEL\d\d/)![0])).to.deep.equal(['LONGPANEL01', 'LONGPANEL04']);
        expect(await text(tab, '#result-list')).not.to.include('Hemoglobin');
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab)).to.equal('still here');
          await tab.locator('[data-list-announcer="result-list"]', { hasText: '1 to 2 of 2' }).waitFor({ state: 'attached' });
          expect(await focused(tab)).to.equal('button.button button--secondary');
        }
        // The filter form still shows what was chosen.
        expect(await tab.inputValue('#period')).to.equal('1y');
        expect(await tab.isChecked('#flagged')).to.equal(true);
      });

      it('shows the laboratory’s full test names one click from the plain ones', async () => {
        const tab = await signedInAt(`/patients/${patientId}/results`);
        expect(await tab.locator('#result-list table.lab-panel caption').first().innerText()).to.match(/^Complete blood count \(CBC\), /);
        const names = tab.locator('#result-list details.full-names').first();
        const fullName = names.locator('dd', { hasText: 'Blood count LONGPANEL01' });
        expect(await fullName.isVisible()).to.equal(false);
        await names.locator('summary').click();
        await fullName.waitFor({ state: 'visible' });
      });

      it('pages through test results, moving focus to the top of the new list', async () => {
        const results = `/patients/${patientId}/results`;
        const tab = await signedInAt(`${results}?period=5y`);
        await tab.locator('#result-list .pagination').getByRole('link', { name: 'Next page' }).click();
        await tab.waitForURL((url) => url.search === '?period=5y&page=2');
        await tab.locator('#result-list .list-count', { hasText: '11 to 20 of 23' }).waitFor();
        expect((await captions(tab))[0]).to.include('LONGPANEL11');
        await tab.locator('#result-list .pagination').getByRole('link', { name: 'Page 3' }).click();
        await tab.waitForURL((url) => url.search === '?period=5y&page=3');
        await tab.locator('#result-list .list-count', { hasText: '21 to 23 of 23' }).waitFor();
        if (javaScriptEnabled) {
          expect(await markerSurvived(tab)).to.equal('still here');
          expect(await focused(tab)).to.equal('p.list-count');
        }
      });

      it('filters visits to past ones, pages them, and goes back', async () => {
        const visits = `/patients/${patientId}/visits`;
        const tab = await signedInAt(visits);
        expect(await text(tab, '#upcoming-visits')).to.include('LONGSOON1');
        await tab.getByLabel('Past visits only').check();
        await tab.getByRole('button', { name: 'Show visits' }).click();
        await tab.waitForURL((url) => url.search === '?when=past');
        await tab.locator('#visit-list .list-count', { hasText: 'Past visits: 1 to 20 of 45.' }).waitFor();
        expect(await tab.locator('#upcoming-visits').count()).to.equal(0);
        await tab.locator('#visit-list .pagination').getByRole('link', { name: 'Next page' }).click();
        await tab.waitForURL((url) => url.search === '?when=past&page=2');
        await tab.locator('#visit-list .list-count', { hasText: '21 to 40 of 45' }).waitFor();
        expect((await pastVisitReasons(tab))[0]).to.equal('LONGVISIT21');
        if (javaScriptEnabled) expect(await markerSurvived(tab)).to.equal('still here');
        await tab.goBack();
        await tab.waitForURL((url) => url.search === '?when=past');
        await tab.locator('#visit-list .list-count', { hasText: '1 to 20 of 45' }).waitFor();
        expect((await pastVisitReasons(tab))[0]).to.equal('LONGVISIT01');
      });
    });
  }
});
