import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, eachTestWithClockedApp, startPasswordResets } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { createAccount, emailsOnceThere, emailsTo, linkInLatestEmail, passwordResetsWorked, PASSWORD, signIn, submitForm, totpCode } from '../support/identity.ts';

const NEW_PASSWORD = 'Quiet-River-2031';

describe('forgot password', () => {
  const context = eachTestWithClockedApp();

  it('answers the same for known and unknown addresses and only emails the known one', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const known = await submitForm(agentIn(context.subject.app, 'en'), '/forgot-password', { email: 'parent@example.com' });
    const unknown = await submitForm(agentIn(context.subject.app, 'en'), '/forgot-password', { email: 'nobody@example.com' });
    expect([known.status, known.headers.location]).to.deep.equal([303, '/forgot-password/sent']);
    expect([unknown.status, unknown.headers.location]).to.deep.equal([303, '/forgot-password/sent']);
    await passwordResetsWorked(context.subject.database.db, 2);
    expect(await context.subject.database.db('email_outbox').pluck('recipient')).to.deep.equal(['parent@example.com']);
  });

  it('resets a family password with a link that works once, ends other sessions and sends a notice', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const elsewhere = agentIn(context.subject.app, 'en');
    await signIn(elsewhere, '', 'parent@example.com');
    expect((await elsewhere.get('/home')).status).to.equal(200);

    const agent = agentIn(context.subject.app, 'en');
    await submitForm(agent, '/forgot-password', { email: 'parent@example.com' });
    await emailsOnceThere(context.subject.database.db, 'parent@example.com', 1);
    const link = await linkInLatestEmail(context.subject.database.db, 'parent@example.com');
    expect(link).to.match(/^\/reset-password\?token=[A-Za-z0-9_-]{43}$/); // 256 bits
    const weak = await submitForm(agent, link, { password: 'short' });
    expect(weak.status).to.equal(422);
    expect(cheerio.load(weak.text)('#password-error').text()).to.include('at least 8 characters');

    const done = await submitForm(agent, link, { password: NEW_PASSWORD });
    expect(done.headers.location).to.equal('/signin?passwordSet=1');
    expect((await agent.get(link)).status).to.equal(410);
    expect((await elsewhere.get('/home')).status).to.equal(303);
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com', PASSWORD)).to.equal('status 422');
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com', NEW_PASSWORD)).to.equal('/home');
    const templates = (await emailsTo(context.subject.database.db, 'parent@example.com')).map((email) => email.template);
    expect(templates).to.deep.equal(['passwordResetLink', 'passwordChanged']);
    expect(await context.subject.database.db('audit_events').where({ action: 'password-reset' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });

  it('expires a link after 60 minutes and lets the person ask for another', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'es');
    await submitForm(agent, '/forgot-password', { email: 'parent@example.com' });
    await emailsOnceThere(context.subject.database.db, 'parent@example.com', 1);
    const link = await linkInLatestEmail(context.subject.database.db, 'parent@example.com');
    context.clock.advance(60);
    const expired = await agent.get(link);
    expect(expired.status).to.equal(410);
    expect(cheerio.load(expired.text)('h1').text()).to.equal('Este enlace venció');
    expect(cheerio.load(expired.text)('main a').attr('href')).to.equal('/forgot-password');
    await submitForm(agent, '/forgot-password', { email: 'parent@example.com' });
    await emailsOnceThere(context.subject.database.db, 'parent@example.com', 2);
    const fresh = await linkInLatestEmail(context.subject.database.db, 'parent@example.com');
    expect((await submitForm(agent, fresh, { password: NEW_PASSWORD })).headers.location).to.equal('/signin?passwordSet=1');
  });

  it('clears a lock-out when the password is reset', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    for (let i = 0; i < 5; i++) await submitForm(agentIn(context.subject.app, 'en'), '/signin', { email: 'parent@example.com', password: 'Wrong-Guess-1' });
    const agent = agentIn(context.subject.app, 'en');
    await submitForm(agent, '/forgot-password', { email: 'parent@example.com' });
    await emailsOnceThere(context.subject.database.db, 'parent@example.com', 1);
    await submitForm(agent, await linkInLatestEmail(context.subject.database.db, 'parent@example.com'), { password: NEW_PASSWORD });
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com', NEW_PASSWORD)).to.equal('/home');
  });

  it('resets a provider password with an emailed pass code that expires after 15 minutes', async () => {
    await createAccount(context.subject.database.db, { kind: 'provider', email: 'dr.lee@example.com', totp: true });
    const agent = agentIn(context.subject.app, 'en');
    const asked = await submitForm(agent, '/provider/forgot-password', { email: 'dr.lee@example.com' });
    expect(asked.headers.location).to.equal('/provider/reset-password');
    const [email] = await emailsOnceThere(context.subject.database.db, 'dr.lee@example.com', 1);
    const code = email!.text.match(/\b(\d{8})\b/)![1]!;
    context.clock.advance(15);
    const late = await submitForm(agent, '/provider/reset-password', { email: 'dr.lee@example.com', code, password: NEW_PASSWORD });
    expect(late.status).to.equal(422);
    expect(cheerio.load(late.text)('#code-error').text()).to.include('has expired');
    expect(cheerio.load(late.text)('#email').attr('value')).to.equal('dr.lee@example.com');

    await submitForm(agent, '/provider/forgot-password', { email: 'dr.lee@example.com' });
    const newCode = (await emailsOnceThere(context.subject.database.db, 'dr.lee@example.com', 2)).at(-1)!.text.match(/\b(\d{8})\b/)![1]!;
    const done = await submitForm(agent, '/provider/reset-password', { email: 'dr.lee@example.com', code: newCode, password: NEW_PASSWORD });
    expect(done.headers.location).to.equal('/provider/signin?passwordSet=1');
    expect(await signIn(agent, '/provider', 'dr.lee@example.com', NEW_PASSWORD)).to.equal('/provider/signin/code');
    expect((await submitForm(agent, '/provider/signin/code', { code: await totpCode(context.clock.now()) })).headers.location).to.equal('/provider/home');
  });

  it('stops a pass code after five wrong tries', async () => {
    await createAccount(context.subject.database.db, { kind: 'staff', email: 'nurse@example.com', totp: true });
    const agent = agentIn(context.subject.app, 'en');
    await submitForm(agent, '/staff/forgot-password', { email: 'nurse@example.com' });
    const code = (await emailsOnceThere(context.subject.database.db, 'nurse@example.com', 1))[0]!.text.match(/\b(\d{8})\b/)![1]!;
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i++) {
      expect((await submitForm(agent, '/staff/reset-password', { email: 'nurse@example.com', code: wrong, password: NEW_PASSWORD })).status).to.equal(422);
    }
    expect((await submitForm(agent, '/staff/reset-password', { email: 'nurse@example.com', code, password: NEW_PASSWORD })).status).to.equal(422);
  });
});

describe('forgot password, before its queued request is worked', () => {
  it('does the same work for a known and an unknown address: it only queues the request', async () => {
    const subject = await buildTestApp({ passwordResets: false });
    try {
      const db = subject.database.db;
      await createAccount(db, { kind: 'family', email: 'parent@example.com' });
      for (const email of ['parent@example.com', 'nobody@example.com']) {
        expect((await submitForm(agentIn(subject.app, 'en'), '/forgot-password', { email })).headers.location).to.equal('/forgot-password/sent');
      }
      // Nothing looked the address up yet: no token, no email, no audit row for either.
      expect(await db('account_tokens').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect(await db('email_outbox').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect(await db('audit_events').where({ action: 'password-reset-requested' }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      const queued = await db('pgboss.job').where({ name: 'password-reset' }).orderBy('created_on').select('data');
      expect(queued.map((job) => Object.keys(job.data).sort())).to.deep.equal([
        ['email', 'kind', 'origin', 'requestedAt'],
        ['email', 'kind', 'origin', 'requestedAt'],
      ]);

      await startPasswordResets(subject.database, subject.config, subject.queue);
      await passwordResetsWorked(db, 2);
      expect(await db('email_outbox').pluck('recipient')).to.deep.equal(['parent@example.com']);
    } finally {
      await subject.close();
    }
  });
});
