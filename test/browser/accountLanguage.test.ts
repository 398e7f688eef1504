// Issue 20 items 1 and 7 as a person clicks them: a Spanish account signs in from an English
// browser and reads Spanish; the language switch in the header saves English to the account,
// which the next sign-in keeps; the portal's name leads home. JavaScript on and off.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { chromiumSuite, fillAndSubmit, tabsIn } from '../support/browser.ts';
import { createAccount, PASSWORD } from '../support/identity.ts';
import { freshEmail } from '../support/visitors.ts';

describe('the account language in Chromium', function () {
  this.timeout(120000);
  const suite = chromiumSuite();

  for (const javaScriptEnabled of [true, false]) {
    describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      const { newTab, open, text } = tabsIn(suite, javaScriptEnabled);
      const db = () => suite.subject.database.db;
      // Waits for the page to be in `language` (the locator waits for the new document).
      const inLanguage = (tab: Page, language: string) => tab.locator(`html[lang="${language}"]`).waitFor({ state: 'attached' });

      it('signs a Spanish account in to Spanish pages, and the switch saves English for next time', async () => {
        const email = freshEmail('maria');
        await createAccount(db(), { kind: 'family', email, preferredLanguage: 'es' });
        const tab = await newTab();
        await open(tab, '/signin');
        expect(await tab.getAttribute('html', 'lang')).to.equal('en');
        await fillAndSubmit(tab, { email, password: PASSWORD }, '/home');
        expect(await tab.getAttribute('html', 'lang')).to.equal('es');
        expect(await text(tab, 'h1')).to.equal("Su inicio en MyChildren's");

        await tab.locator('header').getByRole('button', { name: 'English' }).click();
        await inLanguage(tab, 'en');
        expect(new URL(tab.url()).pathname).to.equal('/home');
        expect(await text(tab, 'h1')).to.equal("Your MyChildren's home");
        expect((await db()('accounts').where({ email }).first()).preferred_language).to.equal('en');

        // The portal's name leads back to the home page, not the public one.
        await tab.locator('.site-header__name a').click();
        await tab.waitForURL((url) => url.pathname === '/home');

        await tab.getByRole('button', { name: 'Sign out' }).click();
        await tab.waitForURL((url) => url.pathname === '/signin');
        await tab.context().addCookies([{ name: 'lang', value: 'es', url: suite.server.origin }]);
        await open(tab, '/signin');
        await inLanguage(tab, 'es');
        await fillAndSubmit(tab, { email, password: PASSWORD }, '/home');
        expect(await tab.getAttribute('html', 'lang')).to.equal('en');
      });
    });
  }
});
