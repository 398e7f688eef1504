import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { createAccount, PASSWORD, passwordResetsWorked, signIn, submitForm } from '../support/identity.ts';
import { VALID_CONTACT } from '../support/pages.ts';
import { EMAILS_PER_ACCOUNT_PER_HOUR, EMAILS_PER_NETWORK_PER_HOUR, EMAILS_PER_RECIPIENT_PER_HOUR } from '../../services/emailLimits.ts';

describe('limits on the forms that send email', () => {
  let first: TestApp;
  let second: TestApp;
  beforeEach(async () => {
    first = await buildTestApp();
    // A second instance on the same database, as behind a load balancer.
    second = await buildTestApp({ database: first.database });
  });
  afterEach(async () => {
    await second.close();
    await first.close();
  });

  const outboxTo = async (address: string) => Number((await first.database.db('email_outbox').where({ recipient: address }).count({ n: '*' }).first())!.n);
  const instance = (i: number) => (i % 2 ? second : first).app;

  it('sends at most a few emails an hour to one address from the contact form, across instances, then answers 429 in the person’s language', async () => {
    for (let i = 0; i < EMAILS_PER_RECIPIENT_PER_HOUR; i++) {
      expect((await submitForm(agentIn(instance(i), 'en'), '/contact', VALID_CONTACT)).status).to.equal(303);
    }
    const refused = await submitForm(agentIn(first.app, 'es'), '/contact', VALID_CONTACT);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 3600);
    expect(cheerio.load(refused.text)('h1').text()).to.equal('Se han pedido demasiados correos');
    expect(await outboxTo(VALID_CONTACT.email)).to.equal(EMAILS_PER_RECIPIENT_PER_HOUR);
    expect(await first.database.db('support_requests').count({ n: '*' }).first()).to.deep.equal({ n: EMAILS_PER_RECIPIENT_PER_HOUR });
  });

  it('counts forgot-password requests per recipient whether or not the address has an account, so the answer tells nothing', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    const statuses = async (email: string) => {
      const seen: number[] = [];
      for (let i = 0; i <= EMAILS_PER_RECIPIENT_PER_HOUR; i++) seen.push((await submitForm(agentIn(instance(i), 'en'), '/forgot-password', { email })).status);
      return seen;
    };
    const known = await statuses('parent@example.com');
    expect(known).to.deep.equal([...Array(EMAILS_PER_RECIPIENT_PER_HOUR).fill(303), 429]);
    expect(await statuses('nobody@example.com')).to.deep.equal(known);
    await passwordResetsWorked(first.database.db, 2 * EMAILS_PER_RECIPIENT_PER_HOUR);
    expect(await outboxTo('parent@example.com')).to.equal(EMAILS_PER_RECIPIENT_PER_HOUR);
  });

  it('limits one network address across every form and recipient, and audits the limit once, not every refusal', async () => {
    for (let i = 0; i < EMAILS_PER_NETWORK_PER_HOUR; i++) {
      const form = i % 2 ? '/contact' : '/forgot-password';
      const email = `person${i}@example.com`;
      expect((await submitForm(agentIn(instance(i), 'en'), form, form === '/contact' ? { ...VALID_CONTACT, email } : { email })).status).to.equal(303);
    }
    for (let i = 0; i < 5; i++) {
      expect((await submitForm(agentIn(first.app, 'en'), '/signup', { name: 'Ana', email: `late${i}@example.com`, password: 'Blue-Lantern-7', preferredLanguage: 'en' })).status).to.equal(429);
    }
    expect(await first.database.db('accounts').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    const refusals = await first.database.db('audit_events').where({ outcome: 'refused', reason: 'throttled' }).select('action');
    expect(refusals).to.deep.equal([{ action: 'sign-up-email' }]);
  });

  it('limits the change-of-address emails one account can ask for, whatever the new addresses', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(first.app, 'en');
    expect(await signIn(agent, '', 'parent@example.com')).to.equal('/home');
    const ask = (i: number) => submitForm(agent, '/account/email', { email: `new${i}@example.com`, currentPassword: PASSWORD });
    for (let i = 0; i < EMAILS_PER_ACCOUNT_PER_HOUR; i++) expect((await ask(i)).status).to.equal(200);
    expect((await ask(99)).status).to.equal(429);
    expect(await outboxTo('new99@example.com')).to.equal(0);
  });
});
