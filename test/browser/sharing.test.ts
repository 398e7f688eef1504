import { expect } from 'chai';
import { chromiumSuite, fillAndSubmit, tabsIn } from '../support/browser.ts';
import { bornYearsAgo, createPatient, linkHolder } from '../support/family.ts';
import { providerAccount } from '../support/provider.ts';
import { createVisitor, signInInBrowser } from '../support/visitors.ts';
import { accessTo } from '../../services/myPatients/providerAccess.ts';

// A parent shares their child's record with a registered provider found in the directory, sees
// them listed with the reason, and ends their access: in Chromium with JavaScript on and off
// (with it on, the directory's second search swaps only the results).
describe('sharing a record with a provider in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;

      it('a parent finds a provider, shares the record, sees them listed, and ends their access', async () => {
        const familyName = javaScriptEnabled ? 'Quintanilla' : 'Quintanar';
        const provider = await providerAccount(db(), 'directory', { familyName });
        const parent = await createVisitor(db(), 'family');
        const patient = await createPatient(db(), { birthDate: bornYearsAgo(7), givenNames: 'Lucía', familyName: 'Ortega' });
        await linkHolder(db(), parent.id, patient.id, 'parent');
        const sharing = `/patients/${patient.id}/sharing`;
        const decision = async () => (await accessTo({ db: db(), config: suite.subject.config }, provider.id, patient.id))?.decision;

        const tab = await newTab();
        await signInInBrowser(tab, suite.server.origin, parent);
        await open(tab, `/patients/${patient.id}`);
        await tab.getByRole('link', { name: 'Share this record with a provider, and see who can see it' }).click();
        await tab.waitForURL((url) => url.pathname === sharing);
        expect(await text(tab, '#access-heading + p')).to.equal('No provider outside the hospital can see this record yet.');

        // A first search from the sharing page (a plain GET form) finds nobody.
        await tab.fill('#name', 'Nobody Atall');
        await Promise.all([tab.waitForURL((url) => url.pathname === `${sharing}/providers`), tab.getByRole('button', { name: 'Search' }).click()]);
        expect(await text(tab, '[data-list-status]')).to.include(': 0');

        // The second search, on the directory page: htmx swaps the results when it can.
        await tab.fill('#name', familyName);
        await tab.getByRole('button', { name: 'Search' }).click();
        const shareButton = tab.getByRole('button', { name: `Share with Ren ${familyName}` });
        await shareButton.waitFor();
        expect(new URL(tab.url()).search).to.equal(`?name=${familyName}`);
        // The status line is filled a moment after the swap (emptied first, so repeats are announced).
        if (javaScriptEnabled) await tab.locator('[data-list-announcer="directory-results"]', { hasText: ': 1' }).waitFor({ state: 'attached' });

        await Promise.all([tab.waitForURL((url) => url.pathname === sharing), shareButton.click()]);
        expect(await text(tab, '.banner')).to.include(`Ren ${familyName} can now see this record`);
        const row = tab.locator('#access tbody tr', { hasText: familyName });
        expect(await row.locator('td').nth(1).innerText()).to.equal('Shared with them by Test Person');
        expect(await decision()).to.deep.equal({ allowed: true, basis: 'granted' });

        await row.getByRole('link', { name: /End access/ }).click();
        await tab.waitForURL((url) => url.pathname.endsWith('/revoke'));
        expect(await text(tab, 'h1')).to.equal(`End Ren ${familyName}'s access?`);
        await fillAndSubmit(tab, {}, sharing);
        expect(await text(tab, '.banner')).to.include('Access has ended');
        expect(await tab.locator('#access tbody tr', { hasText: familyName }).count()).to.equal(0);
        expect((await decision())?.allowed, 'refused on the provider’s next request').to.equal(false);
      });
    });
  }
});
