import { expect } from 'chai';
import { chromiumSuite, fillAndSubmit, tabsIn } from '../support/browser.ts';
import { linkInLatestEmail, PASSWORD } from '../support/identity.ts';
import { pageFile, registrationFields, validNpi, withWrongCheckDigit } from '../support/providerRegistration.ts';
import { REGISTRATION_FILES } from '../support/pages.ts';
import { createVisitor, signInInBrowser } from '../support/visitors.ts';
import type { Page } from 'playwright-core';

// An outside clinician registers for MyPatients (a mistake first, then the form again with the
// files attached again), the MyPatients team approves, and the emailed link leads to a password
// and TOTP enrolment: in Chromium with JavaScript on and off.
describe('MyPatients registration in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;
      const attachFiles = async (tab: Page) => {
        for (const [name, file] of Object.entries(REGISTRATION_FILES)) await tab.setInputFiles(`input[type="file"][name="${name}"]`, pageFile(file));
      };

      it('a clinician fixes a mistyped NPI, attaches the files again, sends the application, and the approved account leads to TOTP enrolment', async () => {
        const npi = validNpi();
        const fields = registrationFields({ npi: withWrongCheckDigit(npi) });
        const tab = await newTab();
        await open(tab, '/provider');
        await tab.getByRole('link', { name: 'Register for MyPatients' }).click();
        await attachFiles(tab);
        expect(await fillAndSubmit(tab, fields)).to.equal(422);
        expect(await text(tab, '.error-summary')).to.include('This is not a valid NPI');
        expect(await tab.inputValue('#practiceName')).to.equal('Lakeside Pediatrics');
        expect(await tab.inputValue('#email')).to.equal(fields.email);
        expect(await tab.isChecked('input[name="credential"][value="MD"]')).to.equal(true);
        expect(await text(tab, '#reattach-title')).to.equal('Attach your files again');

        await attachFiles(tab);
        await fillAndSubmit(tab, { npi }, '/provider/register/sent');
        const reference = await text(tab, '.reference');
        expect(reference).to.match(/^PR-\d+$/);
        const registration = await db()('provider_registrations').where({ npi }).first();
        expect(registration).to.include({ email: fields.email, status: 'pending' });
        expect(await db()('provider_registration_documents').where({ registration_id: registration.id })).to.have.length(2);

        const staff = await createVisitor(db(), 'staff-mypatients');
        const staffTab = await newTab();
        await signInInBrowser(staffTab, suite.server.origin, staff);
        await staffTab.getByRole('link', { name: 'Provider registrations' }).click();
        await staffTab.getByRole('link', { name: reference }).click();
        await fillAndSubmit(staffTab, { practice: 'new' }, '/staff/mypatients/registrations');
        expect(await text(staffTab, '.banner')).to.include(`Registration ${reference} is approved`);

        const provider = await newTab();
        await open(provider, await linkInLatestEmail(db(), fields.email!));
        await fillAndSubmit(provider, { password: PASSWORD }, '/provider/signin');
        await fillAndSubmit(provider, { email: fields.email!, password: PASSWORD }, '/provider/account/two-factor');
        expect(await text(provider, 'h1')).to.not.equal('');
      });
    });
  }
});
