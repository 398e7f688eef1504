// Issue 20 item 11: what the portal tells people, and what it stops telling them. A provider's
// request waiting for the family is flagged on the family's home; a new provider or staff
// account's first password is not "changed"; the emergency strip stays where families are.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { createAccount, emailsOnceThere, emailsTo, linkInLatestEmail, signIn, submitForm, totpCode } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { providerAccount } from '../support/provider.ts';
import { insertAccessRequest } from '../../data/providerRequests.ts';
import { createInvitedAccount } from '../../services/identity/invitations.ts';

describe('notices', () => {
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;

  async function signedInFamily(email: string, language: 'en' | 'es' = 'en'): Promise<Agent> {
    const agent = agentIn(context.subject.app, language);
    expect(await signIn(agent, '', email)).to.equal('/home');
    return agent;
  }

  describe("a provider's request on the family's home", () => {
    async function requestFor(patientId: number) {
      const provider = await providerAccount(db(), 'specialist');
      const now = context.clock.now();
      await insertAccessRequest(db(), { patientId, providerAccountId: provider.id, kind: 'non-pcp', note: null, searchedAs: { mrn: '1' } as never, requestedAt: now, dueAt: null });
    }

    it('is flagged with a link to answer it, for the patient it is about, in both languages', async () => {
      const parent = await familyAccount(db(), 'parent');
      const asked = await createPatient(db(), { birthDate: bornYearsAgo(6), givenNames: 'Lena', familyName: 'Ortiz' });
      const quiet = await createPatient(db(), { birthDate: bornYearsAgo(4), givenNames: 'Tomás', familyName: 'Ortiz' });
      await linkHolder(db(), parent.id, asked.id, 'parent');
      await linkHolder(db(), parent.id, quiet.id, 'parent');
      await requestFor(asked.id);
      await requestFor(asked.id);

      const $ = cheerio.load((await (await signedInFamily(parent.email)).get('/home')).text);
      expect($('#provider-requests-title').text()).to.equal('Providers are waiting for your answer');
      const links = $('a[href$="/sharing#requests-heading"]');
      expect(links.map((_i, link) => $(link).attr('href')).get()).to.deep.equal([`/patients/${asked.id}/sharing#requests-heading`, `/patients/${asked.id}/sharing#requests-heading`]);
      const item = (name: string) => $('.patient-list li').filter((_i, li) => $(li).text().includes(name)).text();
      expect(item('Lena Ortiz')).to.include('Requests from providers to answer: 2');
      expect(item('Tomás Ortiz')).to.not.include('Requests from providers');

      await db()('accounts').where({ id: parent.id }).update({ preferred_language: 'es' });
      const spanish = cheerio.load((await (await signedInFamily(parent.email, 'es')).get('/home')).text);
      expect(spanish('#provider-requests-title').text()).to.equal('Hay proveedores esperando su respuesta');
    });

    it('is not flagged when nothing waits', async () => {
      const parent = await familyAccount(db(), 'parent');
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(6) });
      await linkHolder(db(), parent.id, patient.id, 'parent');
      const $ = cheerio.load((await (await signedInFamily(parent.email)).get('/home')).text);
      expect($('#provider-requests-title').length).to.equal(0);
      expect($('a[href$="/sharing#requests-heading"]').length).to.equal(0);
    });
  });

  describe('the first password of an invited account', () => {
    for (const kind of ['staff', 'provider'] as const) {
      it(`sends no "your password was changed" email to a new ${kind} account`, async () => {
        const email = `new.${kind}@example.com`;
        const invitation = await createInvitedAccount(db(), { config: context.subject.config, now: context.clock.now }, {
          kind,
          email,
          name: 'New Person',
          roles: kind === 'staff' ? ['support'] : [],
          preferredLanguage: 'en',
          invitedBy: { actorType: 'system' },
        });
        if (!invitation.ok) throw new Error('not invited');
        const link = new URL(invitation.link);
        const agent = agentIn(context.subject.app, 'en');
        const set = await submitForm(agent, link.pathname + link.search, { password: 'Night-Shift-2026' });
        expect(set.headers.location).to.equal(`/${kind}/signin?passwordSet=1`);
        expect((await emailsTo(db(), email)).map((sent) => sent.template)).to.deep.equal([]);
        const audit = await db()('audit_events').where({ subject_type: 'account', subject_id: invitation.accountId }).orderBy('id').pluck('action');
        expect(audit).to.deep.equal(['account-invited', 'password-set']);

        // A later reset is a change, and says so.
        await submitForm(agent, `/${kind}/forgot-password`, { email });
        const code = (await emailsOnceThere(db(), email, 1)).at(-1)!.text.match(/\b[0-9]{6,8}\b/)?.[0];
        expect(code, 'a pass code in the email').to.be.a('string');
        const reset = await submitForm(agent, `/${kind}/reset-password`, { email, code: code!, password: 'Day-Shift-2027' });
        expect(reset.status).to.equal(303);
        expect((await emailsTo(db(), email)).map((sent) => sent.template)).to.deep.equal(['passwordResetCode', 'passwordChanged']);
      });
    }
  });

  describe('the "call 911" strip', () => {
    it('is on the pages families read, and not on clinicians’ or staff pages', async () => {
      const visitor = agentIn(context.subject.app, 'en');
      const strip = async (agent: Agent, path: string) => {
        const response = await agent.get(path);
        expect(response.status, path).to.equal(200);
        return cheerio.load(response.text)('.emergency-strip').length;
      };
      for (const path of ['/', '/help', '/contact', '/signin', '/emergency']) expect(await strip(visitor, path), path).to.equal(1);
      for (const path of ['/provider', '/provider/signin', '/provider/register', '/staff', '/staff/signin']) expect(await strip(visitor, path), path).to.equal(0);

      const parent = await familyAccount(db(), 'parent');
      expect(await strip(await signedInFamily(parent.email), '/home')).to.equal(1);
      await createAccount(db(), { kind: 'staff', email: 'support@example.com', roles: ['support'], totp: true });
      const staff = agentIn(context.subject.app, 'en');
      await signIn(staff, '/staff', 'support@example.com');
      await submitForm(staff, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
      expect(await strip(staff, '/staff/home')).to.equal(0);
    });
  });
});
