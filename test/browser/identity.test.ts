import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { AXE_SOURCE, chromiumAvailable, chromiumSuite, fillAndSubmit, listen, tabsIn } from '../support/browser.ts';
import { testClock, type TestClock } from '../support/clock.ts';
import { createAccount, emailsOnceThere, linkInLatestEmail, PASSWORD, totpCode } from '../support/identity.ts';
import { freshEmail } from '../support/visitors.ts';

const NEW_PASSWORD = 'Blue-Lantern-7';

// What a person clicks through to sign up, sign in, set up a second factor and reset a
// password, in Chromium with JavaScript on and off. The app uses the real clock, so TOTP
// codes are computed for the moment they are typed.
describe('identity in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;

      it('a family signs up, confirms from the email, signs in and sees their name on the home page', async () => {
        const tab = await newTab();
        const email = freshEmail('family');
        await open(tab, '/signin');
        await tab.getByRole('link', { name: 'Create an account' }).click();
        expect(new URL(tab.url()).pathname).to.equal('/signup');
        await fillAndSubmit(tab, { name: 'Ana Díaz', email, password: NEW_PASSWORD, preferredLanguage: 'en' }, '/signup/check-email');
        expect(await text(tab, 'h1')).to.equal('Check your email');

        await open(tab, await linkInLatestEmail(db(), email));
        await fillAndSubmit(tab, {}, '/signin');
        expect(new URL(tab.url()).searchParams.get('confirmed')).to.equal('1');
        expect(await text(tab, '#notice-title')).to.equal('Email address confirmed');

        // A new account's first step: adding a patient.
        await fillAndSubmit(tab, { email, password: NEW_PASSWORD }, '/patients/add');
        expect(await text(tab, 'h1')).to.equal('Add a patient');
        await tab.getByRole('link', { name: 'Home', exact: true }).click();
        expect(await text(tab, 'main .lead')).to.equal('Welcome, Ana Díaz.');
      });

      for (const [kind, prefix] of [['provider', '/provider'], ['staff', '/staff']] as const) {
        it(`a ${kind} signs in with a password and a code from the authenticator app`, async () => {
          const email = freshEmail(kind);
          await createAccount(db(), { kind, email, totp: true, roles: kind === 'staff' ? ['care-team'] : [] });
          const tab = await newTab();
          await open(tab, `${prefix}/signin`);
          await fillAndSubmit(tab, { email, password: PASSWORD }, `${prefix}/signin/code`);

          // A wrong code first: the error is summarised and tied to the field.
          expect(await fillAndSubmit(tab, { code: '000000' })).to.equal(422);
          expect(await text(tab, '.error-summary a')).to.equal('That code is not right or has already been used. Enter the current code from your app, or one of your recovery codes.');
          expect(await tab.getAttribute('#code', 'aria-invalid')).to.equal('true');

          await fillAndSubmit(tab, { code: await totpCode(new Date()) }, `${prefix}/home`);
          expect(await text(tab, 'main .lead')).to.equal('Welcome, Test Person.');
        });
      }

      it('an invited staff member sets a password, enrols a second factor, keeps 10 recovery codes and carries on', async () => {
        const adminEmail = freshEmail('admin');
        const invitee = freshEmail('invitee');
        await createAccount(db(), { kind: 'staff', email: adminEmail, roles: ['admin'], totp: true });
        const admin = await newTab();
        await open(admin, '/staff/signin');
        await fillAndSubmit(admin, { email: adminEmail, password: PASSWORD }, '/staff/signin/code');
        await fillAndSubmit(admin, { code: await totpCode(new Date()) }, '/staff/home');
        await admin.getByRole('link', { name: 'Invite a staff member' }).click();
        expect(await fillAndSubmit(admin, { name: 'Nia Nurse', email: invitee, roles: 'care-team', preferredLanguage: 'en' }, '/staff/admin/invited')).to.equal(303);
        expect(await text(admin, 'h1')).to.equal('Invitation sent');

        const tab = await newTab();
        await open(tab, await linkInLatestEmail(db(), invitee));
        expect(new URL(tab.url()).pathname).to.equal('/staff/set-password');
        await fillAndSubmit(tab, { password: NEW_PASSWORD }, '/staff/signin');
        expect(await text(tab, '#notice-title')).to.equal('Password saved');
        await fillAndSubmit(tab, { email: invitee, password: NEW_PASSWORD }, '/staff/account/two-factor');

        // Typing the secret into the app instead of scanning the QR code.
        expect(await tab.locator('.qr-code svg').count()).to.equal(1);
        const secret = (await text(tab, '.secret code')).replace(/\s/g, '');
        expect(secret).to.match(/^[A-Z2-7]{16,}$/);
        await fillAndSubmit(tab, { code: await totpCode(new Date(), secret) }, '/staff/account/recovery-codes');
        const codes = await tab.locator('.recovery-codes li').allInnerTexts();
        expect(codes).to.have.length(10);
        for (const code of codes) expect(code).to.match(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
        expect(new Set(codes).size).to.equal(10);

        await tab.getByRole('link', { name: 'I have saved my codes' }).click();
        await tab.waitForURL((url: URL) => url.pathname === '/staff/home');
        expect(await text(tab, 'main .lead')).to.equal('Welcome, Nia Nurse.');
      });

      it('a family resets a forgotten password with the emailed link', async () => {
        const email = freshEmail('family');
        await createAccount(db(), { kind: 'family', email });
        const tab = await newTab();
        await open(tab, '/signin');
        await tab.getByRole('link', { name: 'I forgot my password' }).click();
        await fillAndSubmit(tab, { email }, '/forgot-password/sent');

        await emailsOnceThere(db(), email, 1);
        await open(tab, await linkInLatestEmail(db(), email));
        await fillAndSubmit(tab, { password: NEW_PASSWORD }, '/signin');
        expect(await text(tab, '#notice-title')).to.equal('Password saved');
        expect(await fillAndSubmit(tab, { email, password: PASSWORD })).to.equal(422);
        expect(await text(tab, '.error-summary a')).to.include('not right');
        await fillAndSubmit(tab, { email, password: NEW_PASSWORD }, '/home');
      });

      it('a provider resets a forgotten password with the emailed pass code', async () => {
        const email = freshEmail('provider');
        await createAccount(db(), { kind: 'provider', email, totp: true });
        const tab = await newTab();
        await open(tab, '/provider/signin');
        await tab.getByRole('link', { name: 'I forgot my password' }).click();
        await fillAndSubmit(tab, { email }, '/provider/reset-password');

        const emailed = (await emailsOnceThere(db(), email, 1)).at(-1)?.text ?? '';
        const code = emailed.match(/\b\d{8}\b/)?.[0];
        expect(code, 'an 8-digit pass code in the email').to.be.a('string');
        await fillAndSubmit(tab, { email, code: code!, password: NEW_PASSWORD }, '/provider/signin');
        expect(await text(tab, '#notice-title')).to.equal('Password saved');
        await fillAndSubmit(tab, { email, password: NEW_PASSWORD }, '/provider/signin/code');
        await fillAndSubmit(tab, { code: await totpCode(new Date()) }, '/provider/home');
      });
    });
  }

  // The browser's clock (page.clock) and the server's (a test clock) are moved on together.
  describe('the idle-timeout warning (JavaScript on)', () => {
    let shortIdle: TestApp;
    let shortServer: Awaited<ReturnType<typeof listen>>;
    let context: BrowserContext;
    let serverClock: TestClock;
    const email = freshEmail('family');
    before(async function () {
      if (!chromiumAvailable()) return this.skip();
      serverClock = testClock(new Date());
      shortIdle = await buildTestApp({ env: { FAMILY_IDLE_MINUTES: '1' }, now: serverClock.now });
      shortServer = await listen(shortIdle.app);
      await createAccount(shortIdle.database.db, { kind: 'family', email });
    });
    after(async () => {
      await shortServer?.close();
      await shortIdle?.close();
    });
    afterEach(() => context?.close());

    async function signedInFamily(): Promise<Page> {
      context = await suite.browser.newContext({ bypassCSP: true });
      await context.addCookies([{ name: 'lang', value: 'en', url: shortServer.origin }]);
      const tab = await context.newPage();
      await tab.clock.install();
      await tab.goto(`${shortServer.origin}/signin`);
      await fillAndSubmit(tab, { email, password: PASSWORD }, '/home');
      return tab;
    }

    async function wait(tab: Page, seconds: number): Promise<void> {
      serverClock.advance(seconds / 60);
      await tab.clock.fastForward(seconds * 1000);
    }

    const focusedInWarning = (tab: Page) => tab.evaluate(() => document.activeElement?.closest('#session-warning') !== null && document.activeElement?.tagName === 'BUTTON');

    it('warns half way through a 1-minute limit, focuses “Stay signed in”, and passes axe', async () => {
      const tab = await signedInFamily();
      const warning = tab.locator('#session-warning');
      await wait(tab, 29);
      expect(await warning.isVisible()).to.equal(false);
      await wait(tab, 2);
      expect(await warning.isVisible()).to.equal(true);
      expect(await focusedInWarning(tab)).to.equal(true);
      expect(await tab.locator('#session-warning button').innerText()).to.equal('Stay signed in');

      await tab.addScriptTag({ content: AXE_SOURCE });
      const result = (await tab.evaluate(() => (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }).axe.run('#session-warning', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } }))) as { violations: { id: string }[] };
      expect(result.violations.map((v) => v.id)).to.deep.equal([]);
    });

    it('stays signed in when asked, keeping what was typed on the page, and starts the count again', async () => {
      const tab = await signedInFamily();
      await tab.goto(`${shortServer.origin}/account/details`);
      await tab.fill('#name', 'Typed but not saved');
      await wait(tab, 31);
      const keptAlive = tab.waitForResponse((response) => response.url().endsWith('/session/keep-alive'));
      await tab.locator('#session-warning button').press('Enter');
      expect((await keptAlive).status()).to.equal(204);
      await tab.locator('#session-warning').waitFor({ state: 'hidden' });
      expect(await tab.inputValue('#name')).to.equal('Typed but not saved');
      expect(new URL(tab.url()).pathname).to.equal('/account/details');
      await wait(tab, 29);
      expect(await tab.locator('#session-warning').isVisible()).to.equal(false);
      await wait(tab, 2);
      expect(await tab.locator('#session-warning').isVisible()).to.equal(true);
    });

    it('goes to the sign-in page at the limit, saying why and coming back to the page afterwards', async () => {
      const tab = await signedInFamily();
      await wait(tab, 31);
      await Promise.all([tab.waitForURL((url) => url.pathname === '/signin'), wait(tab, 30)]);
      const url = new URL(tab.url());
      expect(url.searchParams.get('timedOut')).to.equal('1');
      expect(url.searchParams.get('returnTo')).to.equal('/home');
      expect(await tab.locator('#notice-title').innerText()).to.equal('You were signed out');
      expect(await tab.locator('nav').innerText()).not.to.include('Sign out');
      await fillAndSubmit(tab, { email, password: PASSWORD }, '/home');
    });
  });
});
