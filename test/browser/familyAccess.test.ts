import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, fillAndSubmit, tabsIn } from '../support/browser.ts';
import { createAccount, emailsTo, linkInLatestEmail } from '../support/identity.ts';
import { bornYearsAgo, dateFields, createLinkRequest, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { freshEmail, signInInBrowser } from '../support/visitors.ts';
import { issueSignupToken } from '../../services/family/signupTokens.ts';
import { runTurning18 } from '../../services/family/turning18.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';

// What families click through to add a patient and move between patients, in Chromium with
// JavaScript on and off.
describe('family access in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();
  let staffId: number;
  before(async function () {
    if (!suite.subject) return this.skip();
    staffId = await createAccount(suite.subject.database.db, { kind: 'staff', email: freshEmail('support'), roles: ['support'], totp: true });
  });

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;
      const signInAsFamily = (tab: Page, account: { id: number; email: string }) =>
        signInInBrowser(tab, suite.server.origin, { ...account, kind: 'family', totp: false, stage: 'signed-in' });

      it('a 14-year-old signs up with their own email, adds themself with a token, and their parent is told', async () => {
        const teen = await createPatient(db(), { birthDate: bornYearsAgo(14, new Date(), 30), givenNames: 'Noa', familyName: 'Berg' });
        const parent = await familyAccount(db(), 'parent');
        await linkHolder(db(), parent.id, teen.id, 'parent');
        const { code } = await issueSignupToken({ db: db(), config: suite.subject.config, now: () => new Date() }, teen.id, staffId, {});

        const tab = await newTab();
        const email = freshEmail('teen');
        await open(tab, '/signup');
        await fillAndSubmit(tab, { name: 'Noa Berg', email, password: 'Green-Kayak-19', preferredLanguage: 'en' }, '/signup/check-email');
        await open(tab, await linkInLatestEmail(db(), email));
        await fillAndSubmit(tab, {}, '/signin');
        await fillAndSubmit(tab, { email, password: 'Green-Kayak-19' }, '/patients/add');
        await tab.getByRole('link', { name: 'Add with a sign-up code' }).click();
        await fillAndSubmit(tab, { code, ...dateFields('birthDate', teen.birthDate), relationship: 'self' }, `/patients/${teen.id}`);
        expect(await text(tab, '.patient-banner')).to.include('Noa Berg');
        expect(await text(tab, '.banner')).to.include('we will let the parents and guardians linked to your record know');
        expect(await text(tab, '#holders')).to.include('Parent');
        expect((await emailsTo(db(), parent.email)).map((e) => e.template)).to.deep.equal(['teenOwnAccount']);
      });

      it('a parent asks by MRN, gets a reference and a due date, and sees the request on the home page', async () => {
        const child = await createPatient(db(), { birthDate: bornYearsAgo(6), givenNames: 'Emma', familyName: 'Lind' });
        const parent = await familyAccount(db(), 'parent');
        const tab = await newTab();
        await signInAsFamily(tab, parent);
        await open(tab, '/patients/add');
        await tab.getByRole('link', { name: 'Ask with the MRN' }).click();
        // A mistake first: the form comes back with the message and everything typed.
        await fillAndSubmit(tab, { patientName: 'Emma Lind', ...dateFields('birthDate', child.birthDate), mrn: child.mrn, relationship: 'parent' });
        expect(await text(tab, '.error-summary')).to.include('Enter the date of a visit');
        expect(await tab.inputValue('#patientName')).to.equal('Emma Lind');
        await fillAndSubmit(tab, dateFields('visitDate', bornYearsAgo(1)));
        expect(new URL(tab.url()).pathname).to.match(/^\/patients\/add\/requests\/\d+$/);
        expect(await text(tab, 'h1')).to.equal('Request sent');
        expect(await text(tab, 'main')).to.include('We aim to answer by');
        await tab.getByRole('link', { name: 'Back to your home page' }).click();
        expect(await text(tab, '.request-list')).to.include('waiting for support');
      });

      it('support approves a parent’s request by MRN from the queue, and the parent then sees the child', async () => {
        const child = await createPatient(db(), { birthDate: bornYearsAgo(7), givenNames: 'Mila', familyName: 'Novak' });
        const parent = await familyAccount(db(), 'parent');
        const requestId = await createLinkRequest(db(), { accountId: parent.id, patient: child });
        const support = { id: 0, email: freshEmail('support'), kind: 'staff' as const, totp: true, stage: 'signed-in' as const };
        support.id = await createAccount(db(), { kind: 'staff', email: support.email, roles: ['support'], totp: true });

        const staffTab = await newTab();
        await signInInBrowser(staffTab, suite.server.origin, support);
        await staffTab.getByRole('link', { name: 'requests to add a patient', exact: false }).first().click();
        await staffTab.getByRole('link', { name: `Request ${requestId}` }).click();
        expect(await text(staffTab, 'main table')).to.include('Matches');
        await Promise.all([staffTab.waitForURL((url) => url.pathname === '/staff/support'), staffTab.getByRole('button', { name: 'Approve and link the patient' }).click()]);
        expect(await text(staffTab, '.banner')).to.include(`Request ${requestId} is approved`);
        expect(await staffTab.getByRole('link', { name: `Request ${requestId}` }).count()).to.equal(0);

        const familyTab = await newTab();
        await signInAsFamily(familyTab, parent);
        await familyTab.getByRole('link', { name: 'Mila Novak', exact: true }).click();
        expect(await text(familyTab, 'h1')).to.equal('Mila Novak');
        expect((await emailsTo(db(), parent.email)).map((e) => e.template)).to.deep.equal(['linkRequestApproved']);
      });

      it('at 18 the parent loses the record, and the patient sets up their own account from the emailed code', async () => {
        const patientEmail = freshEmail('ravi');
        const patient = await createPatient(db(), { birthDate: bornYearsAgo(18, new Date(), 1), givenNames: 'Ravi', familyName: 'Shah', email: patientEmail });
        const parent = await familyAccount(db(), 'parent');
        await linkHolder(db(), parent.id, patient.id, 'parent');
        const views = createViewEnvironment({ reloadTemplates: false, timeZone: suite.subject.config.hospital.timeZone });
        await runTurning18({ db: db(), config: suite.subject.config, queue: suite.subject.queue, views }, new Date());

        const parentTab = await newTab();
        await signInAsFamily(parentTab, parent);
        expect(await parentTab.getByRole('link', { name: 'Ravi Shah' }).count()).to.equal(0);
        expect((await open(parentTab, `/patients/${patient.id}`))?.status()).to.equal(404);

        const [email] = (await emailsTo(db(), patientEmail)).filter((e) => e.template === 'ownAccountAt18');
        const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(email?.text ?? '')?.[0];
        expect(code, 'sign-up code in the email').to.be.a('string');
        const tab = await newTab();
        const ownEmail = freshEmail('ravi-own');
        await open(tab, await linkInLatestEmail(db(), patientEmail));
        await fillAndSubmit(tab, { name: 'Ravi Shah', email: ownEmail, password: 'Tall-Cedar-88', preferredLanguage: 'en' }, '/signup/check-email');
        await open(tab, await linkInLatestEmail(db(), ownEmail));
        await fillAndSubmit(tab, {}, '/signin');
        await fillAndSubmit(tab, { email: ownEmail, password: 'Tall-Cedar-88' }, '/patients/add');
        await open(tab, '/patients/add/token');
        await fillAndSubmit(tab, { code: code!, ...dateFields('birthDate', patient.birthDate), relationship: 'self' }, `/patients/${patient.id}`);
        expect(await text(tab, '#holders tbody')).to.include('Ravi Shah').and.not.include('Parent');
        expect(await text(tab, 'main')).to.include('Parents cannot be given access to it again');
      });

      it('a parent of two switches between their records with the patient switcher', async () => {
        const parent = await familyAccount(db(), 'parent');
        const older = await createPatient(db(), { birthDate: bornYearsAgo(9), givenNames: 'Ana', familyName: 'Ruiz' });
        const younger = await createPatient(db(), { birthDate: bornYearsAgo(3), givenNames: 'Leo', familyName: 'Ruiz' });
        await linkHolder(db(), parent.id, older.id, 'parent');
        await linkHolder(db(), parent.id, younger.id, 'parent');
        const tab = await newTab();
        await signInAsFamily(tab, parent);
        await tab.getByRole('link', { name: 'Ana Ruiz', exact: true }).click();
        expect(await text(tab, '.patient-banner')).to.include('Ana Ruiz');
        await tab.selectOption('#switch-patient', { label: 'Leo Ruiz' });
        await Promise.all([tab.waitForURL(`**/patients/${younger.id}`), tab.getByRole('button', { name: 'Show this patient' }).click()]);
        expect(await text(tab, 'h1')).to.equal('Leo Ruiz');
      });
    });
  }
});
