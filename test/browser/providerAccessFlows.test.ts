import { expect } from 'chai';
import { chromiumSuite, tabsIn } from '../support/browser.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { linkProvider } from '../support/provider.ts';
import { createVisitor, signInInBrowser } from '../support/visitors.ts';

// The non-PCP request end to end in Chromium, in two browsers at once: a specialist finds a
// patient they may not see and asks the family; the parent approves in MyChildren's; the
// specialist opens the record from their requests list and reads why they may see it; the parent
// ends the access and the specialist's next visit to the record finds nothing. JavaScript on and off.
describe('MyPatients access requests across both portals in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;

      it('a specialist asks, the parent approves, the specialist reads the record, the parent ends it', async () => {
        const patient = await createPatient(db(), { birthDate: bornYearsAgo(7), givenNames: 'Iris', familyName: javaScriptEnabled ? 'Moreau' : 'Moreaux' });
        const parent = await familyAccount(db(), 'parent');
        await linkHolder(db(), parent.id, patient.id, 'parent');
        const specialist = await createVisitor(db(), 'provider');
        await linkProvider(db(), specialist.id, { familyName: 'Brandt' });

        const doctor = await newTab();
        await signInInBrowser(doctor, suite.server.origin, specialist);
        await open(doctor, '/provider/search');
        await doctor.fill('#mrn', patient.mrn);
        await Promise.all([doctor.waitForURL((url) => url.pathname.startsWith('/provider/search/no-access/')), doctor.getByRole('button', { name: 'Search by MRN' }).click()]);
        await doctor.fill('#nonPcpNote', 'Referred for a dermatology consult.');
        await Promise.all([doctor.waitForURL((url) => url.pathname === '/provider/requests'), doctor.getByRole('button', { name: 'Request non-PCP access' }).click()]);
        expect(await text(doctor, '.banner')).to.include('We sent your request to the family');

        const family = await newTab();
        await signInInBrowser(family, suite.server.origin, { ...parent, kind: 'family', totp: false, stage: 'signed-in' });
        await open(family, `/patients/${patient.id}/sharing`);
        expect(await text(family, 'main')).to.include('Referred for a dermatology consult.');
        await Promise.all([family.waitForURL((url) => url.pathname === `/patients/${patient.id}/sharing`), family.getByRole('button', { name: /^Approve/ }).click()]);
        await family.locator('.banner').first().waitFor();

        await open(doctor, '/provider/requests');
        await Promise.all([doctor.waitForURL((url) => url.pathname === `/provider/patients/${patient.id}`), doctor.locator(`#requests a[href="/provider/patients/${patient.id}"]`).click()]);
        expect(await text(doctor, 'main')).to.include("You can see this record because the patient's family shared it with you.");

        await open(family, `/patients/${patient.id}/sharing`);
        await family.locator(`a[href^="/patients/${patient.id}/sharing/grants/"][href$="/revoke"]`).first().click();
        await Promise.all([family.waitForURL((url) => url.pathname === `/patients/${patient.id}/sharing`), family.locator('main form[method="post"] button[type="submit"]').first().click()]);

        const after = await open(doctor, `/provider/patients/${patient.id}`);
        expect(after?.status(), 'access ended with the next request').to.equal(404);
      });
    });
  }
});
