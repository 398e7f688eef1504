// A back-office notice ("R-12 declined") is kept in the session until the next back-office page
// shows it. That page may belong to another queue (a second tab, a redirect not followed): the
// notice must still read right there, and never break the page.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, signIn, submitForm, totpCode } from '../support/identity.ts';
import { bornYearsAgo, createLinkRequest, createPatient, familyAccount } from '../support/family.ts';

describe('back-office notices shown on another queue’s page', () => {
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;

  async function signedInStaff(language: 'en' | 'es'): Promise<Agent> {
    const email = `both-${language}@example.com`;
    await createAccount(db(), { kind: 'staff', email, roles: ['support', 'mypatients-team'], totp: true, preferredLanguage: language });
    const agent = agentIn(context.subject.app, language);
    await signIn(agent, '/staff', email);
    await submitForm(agent, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    return agent;
  }

  for (const [language, declined] of [['en', 'declined'], ['es', 'rechaz']] as const) {
    it(`shows a support decision's notice in its own words on the changes of practice (${language})`, async () => {
      const agent = await signedInStaff(language);
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(9, context.clock.now()) });
      const requestId = await createLinkRequest(db(), { accountId: (await familyAccount(db(), `parent-${language}`)).id, patient });
      const page = `/staff/support/requests/${requestId}`;
      const form = await agent.get(page);
      const decided = await agent.post(`${page}/decline`).type('form').send({ _csrf: csrfTokenIn(form.text), reason: 'details-do-not-match' });
      expect(decided.status).to.equal(303);

      // Not the support queue the redirect names, but another queue, opened first.
      const other = await agent.get('/staff/mypatients/practice-changes');
      expect(other.status).to.equal(200);
      const banner = cheerio.load(other.text)('.banner').text();
      expect(banner).to.include(String(requestId));
      expect(banner.toLowerCase()).to.include(declined);
      // Shown once: the support queue no longer repeats it.
      expect(cheerio.load((await agent.get('/staff/support')).text)('.banner').length).to.equal(0);
    });
  }
});
