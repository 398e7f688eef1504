import { expect } from 'chai';
import * as cheerio from 'cheerio';
import supertest from 'supertest';
import { buildTestApp, eachTestWithClockedApp } from '../support/app.ts';
import { ANONYMOUS_SESSION_HOURS } from '../../middleware/setUpWebSession.ts';
import { agentIn, csrfTokenIn } from '../support/http.ts';
import { createAccount, emailsTo, linkInLatestEmail, PASSWORD, signIn, submitForm } from '../support/identity.ts';

const SIGN_UP = { name: 'Ana Díaz', email: 'ana.diaz@example.com', password: 'Blue-Lantern-7', preferredLanguage: 'es' };

describe('family sign-up and sign-in', () => {
  const context = eachTestWithClockedApp();

  it('names every password rule broken, keeps what was typed except the password, and creates nothing', async () => {
    const response = await submitForm(agentIn(context.subject.app, 'en'), '/signup', { ...SIGN_UP, email: 'ana@example.com', password: 'xana' });
    expect(response.status).to.equal(422);
    const $ = cheerio.load(response.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('#password-error').text()).to.include('at least 8 characters').and.include('one number').and.include('capital letter').and.include('before the @');
    expect($('#name').attr('value')).to.equal('Ana Díaz');
    expect($('#email').attr('value')).to.equal('ana@example.com');
    expect($('#password').attr('value')).to.equal(undefined);
    expect($('#preferredLanguage-2').attr('checked')).to.equal('checked');
    expect(await context.subject.database.db('accounts').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('answers a hand-made request with no fields at all with the form and its messages, not an error page', async () => {
    const agent = agentIn(context.subject.app, 'en');
    const csrf = csrfTokenIn((await agent.get('/signup')).text);
    const response = await agent.post('/signup').type('form').send({ _csrf: csrf });
    expect(response.status).to.equal(422);
    expect(cheerio.load(response.text)('#email-error').text()).to.include('Check this answer');
  });

  it('rejects a common password even with a capital and a number, in Spanish too', async () => {
    const response = await submitForm(agentIn(context.subject.app, 'es'), '/signup', { ...SIGN_UP, password: 'Password1' });
    expect(response.status).to.equal(422);
    expect(cheerio.load(response.text)('#password-error').text()).to.include('muy común');
  });

  it('accepts a 64-character Unicode passphrase and signs in with it exactly', async () => {
    const passphrase = 'Mi perro Ñandú come 3 empanadas y bebe café con leche en Bogotá!!';
    expect([...passphrase].length).to.be.at.least(64);
    const agent = agentIn(context.subject.app, 'en');
    expect((await submitForm(agent, '/signup', { ...SIGN_UP, password: passphrase })).status).to.equal(303);
    await agent.post('/signup/confirm').type('form').send({ token: new URLSearchParams((await linkInLatestEmail(context.subject.database.db, SIGN_UP.email)).split('?')[1]).get('token')!, _csrf: csrfTokenIn((await agent.get('/signup').then((r) => r.text))) });
    expect(await signIn(agent, '', SIGN_UP.email, passphrase)).to.equal('/home');
    expect(await signIn(agentIn(context.subject.app, 'en'), '', SIGN_UP.email, passphrase.slice(0, 63))).to.equal('status 422');
  });

  it('confirms the address with a single-use link before the account can be used', async () => {
    const agent = agentIn(context.subject.app, 'en');
    const response = await submitForm(agent, '/signup', SIGN_UP);
    expect(response.status).to.equal(303);
    expect(response.headers.location).to.equal('/signup/check-email');
    const [confirmation] = await emailsTo(context.subject.database.db, SIGN_UP.email);
    expect(confirmation?.template).to.equal('confirmEmail');
    expect(confirmation?.subject).to.equal('Confirme su correo electrónico para MyChildren\'s');
    expect(confirmation?.text).to.include("Example Children's Hospital").and.not.include('{hospitalName}');

    // Not usable yet: signing in says to confirm first and sends a fresh link.
    const early = await submitForm(agentIn(context.subject.app, 'en'), '/signin', { email: SIGN_UP.email, password: SIGN_UP.password });
    expect(early.status).to.equal(200);
    expect(early.text).to.include('confirm your email address before you can sign in');
    expect(await emailsTo(context.subject.database.db, SIGN_UP.email)).to.have.length(2);

    const link = await linkInLatestEmail(context.subject.database.db, SIGN_UP.email);
    expect(link).to.match(/^\/signup\/confirm\?token=[A-Za-z0-9_-]{43}$/);
    // Opening the link only shows a button: mail scanners following links do not use it up.
    const opened = await agent.get(link);
    expect(opened.status).to.equal(200);
    const confirmed = await submitForm(agent, link, {});
    expect(confirmed.headers.location).to.equal('/signin?confirmed=1&returnTo=%2Fpatients%2Fadd');
    expect((await agent.get(link)).status).to.equal(410);
    expect(await signIn(agent, '', SIGN_UP.email, SIGN_UP.password)).to.equal('/home');
    const account = await context.subject.database.db('accounts').first();
    expect(account).to.include({ kind: 'family', email: SIGN_UP.email, name: 'Ana Díaz', preferred_language: 'es', status: 'active' });
    expect(account.password_hash).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('keeps the first password and name when someone signs up again for an unconfirmed address', async () => {
    const app = context.subject.app;
    expect((await submitForm(agentIn(app, 'en'), '/signup', SIGN_UP)).status).to.equal(303);
    const again = await submitForm(agentIn(app, 'en'), '/signup', { ...SIGN_UP, name: 'Attacker', password: 'Other-Lantern-8', preferredLanguage: 'en' });
    // The same answer as any sign-up, so it tells nothing; the owner gets the confirmation again.
    expect(again.status).to.equal(303);
    expect(again.headers.location).to.equal('/signup/check-email');
    const confirmations = (await emailsTo(context.subject.database.db, SIGN_UP.email)).filter((email) => email.template === 'confirmEmail');
    expect(confirmations).to.have.length(2);
    expect(confirmations[1]?.subject).to.equal('Confirme su correo electrónico para MyChildren\'s'); // the first sign-up's language

    const agent = agentIn(app, 'en');
    expect((await submitForm(agent, await linkInLatestEmail(context.subject.database.db, SIGN_UP.email), {})).status).to.equal(303);
    expect(await signIn(agentIn(app, 'en'), '', SIGN_UP.email, 'Other-Lantern-8')).to.equal('status 422');
    expect(await signIn(agent, '', SIGN_UP.email, SIGN_UP.password)).to.equal('/home');
    expect(await context.subject.database.db('accounts').first()).to.include({ name: 'Ana Díaz', preferred_language: 'es' });
  });

  it('answers a sign-up for a taken address exactly like a new one, and emails the owner instead', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'taken@example.com' });
    const taken = await submitForm(agentIn(context.subject.app, 'en'), '/signup', { ...SIGN_UP, email: 'TAKEN@example.com' });
    const fresh = await submitForm(agentIn(context.subject.app, 'en'), '/signup', { ...SIGN_UP, email: 'fresh@example.com' });
    expect([taken.status, taken.headers.location]).to.deep.equal([fresh.status, fresh.headers.location]);
    expect((await emailsTo(context.subject.database.db, 'taken@example.com')).map((email) => email.template)).to.deep.equal(['accountAlreadyExists']);
    expect((await emailsTo(context.subject.database.db, 'fresh@example.com')).map((email) => email.template)).to.deep.equal(['confirmEmail']);
    expect(await context.subject.database.db('accounts').count({ n: '*' }).first()).to.deep.equal({ n: 2 });
  });

  it('gives the same answer for an unknown address and a wrong password', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'known@example.com' });
    const wrongPassword = await submitForm(agentIn(context.subject.app, 'en'), '/signin', { email: 'known@example.com', password: 'Not-The-One-1' });
    const unknown = await submitForm(agentIn(context.subject.app, 'en'), '/signin', { email: 'nobody@example.com', password: 'Not-The-One-1' });
    const withoutVariableParts = (html: string, email: string) =>
      html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '').replaceAll(email, 'EMAIL');
    expect(wrongPassword.status).to.equal(422);
    expect(withoutVariableParts(wrongPassword.text, 'known@example.com')).to.equal(withoutVariableParts(unknown.text, 'nobody@example.com'));
    expect(cheerio.load(unknown.text)('.error-summary a').text()).to.equal('The email address or password is not right. Check them and try again.');
  });

  it('gives a new session id at sign-in and refuses the old one', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const page = await supertest(context.subject.app).get('/signin');
    const before = String(page.headers['set-cookie']).split(';')[0]!;
    const response = await supertest(context.subject.app)
      .post('/signin')
      .set('Cookie', before)
      .type('form')
      .send({ email: 'parent@example.com', password: PASSWORD, _csrf: csrfTokenIn(page.text) });
    expect(response.headers.location).to.equal('/home');
    // The session cookie, beside the language cookie that sign-in sets to the account's language.
    const after = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]!).find((cookie) => cookie.startsWith('portal.sid=')) ?? '';
    expect(after).to.match(/^portal\.sid=/);
    expect(after).not.to.equal(before);
    expect((await supertest(context.subject.app).get('/home').set('Cookie', after)).status).to.equal(200);
    const withOld = await supertest(context.subject.app).get('/home').set('Cookie', before);
    expect(withOld.status).to.equal(303);
    expect(withOld.headers.location).to.equal('/signin?returnTo=%2Fhome');
  });

  it('keeps an anonymous form’s session for two hours at most, and a signed-in one for the longest sign-in', async () => {
    const db = context.subject.database.db;
    await createAccount(db, { kind: 'family', email: 'parent@example.com' });
    const hoursLeft = async () => {
      const rows = await db('session').select('expire');
      return rows.map((row) => Math.round((new Date(row.expire).getTime() - Date.now()) / 3_600_000));
    };
    const agent = agentIn(context.subject.app, 'en');
    await agent.get('/contact'); // the form's CSRF token makes a session
    expect(await hoursLeft()).to.deep.equal([ANONYMOUS_SESSION_HOURS]);
    await signIn(agent, '', 'parent@example.com');
    expect(await hoursLeft()).to.deep.equal([context.subject.config.sessionLimits.family.absoluteHours]);
  });

  it('signs out with a POST that deletes the session row', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    expect(await context.subject.database.db('session').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    const home = await agent.get('/home');
    const out = await agent.post('/signout').type('form').send({ _csrf: csrfTokenIn(home.text) });
    expect(out.headers.location).to.equal('/signin?signedOut=1');
    expect(await context.subject.database.db('session').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect((await agent.get('/home')).status).to.equal(303);
    const actions = await context.subject.database.db('audit_events').orderBy('id').pluck('action');
    expect(actions).to.deep.equal(['sign-in', 'sign-out']);
  });

  it('ends an idle session after 30 minutes and an active one after 12 hours, then returns to the page', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    context.clock.advance(29);
    expect((await agent.get('/account')).status).to.equal(200);
    context.clock.advance(30);
    const idle = await agent.get('/account');
    expect(idle.status).to.equal(303);
    expect(idle.headers.location).to.equal('/signin?timedOut=1&returnTo=%2Faccount');
    const page = await agent.get(String(idle.headers.location));
    expect(page.text).to.include('You were signed out');
    expect(await signIn(agent, '', 'parent@example.com', PASSWORD, '/account')).to.equal('/account');

    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      context.clock.advance(20);
      expect((await agent.get('/home')).status, `after ${minutes + 20} minutes`).to.equal(200);
    }
    context.clock.advance(20);
    expect((await agent.get('/home')).headers.location).to.equal('/signin?timedOut=1&returnTo=%2Fhome');
    const reasons = await context.subject.database.db('audit_events').where({ action: 'session-timeout' }).orderBy('id').pluck('reason');
    expect(reasons).to.deep.equal(['idle-timeout', 'absolute-timeout']);
  });

  it('uses the shorter provider and staff limits: 15 minutes idle', async () => {
    await createAccount(context.subject.database.db, { kind: 'staff', email: 'nurse@example.com', roles: ['care-team'], totp: true });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '/staff', 'nurse@example.com')).to.equal('/staff/signin/code');
    context.clock.advance(16);
    expect((await agent.get('/staff/signin/code')).headers.location).to.equal('/staff/signin?timedOut=1&returnTo=%2Fstaff%2Fsignin%2Fcode');
  });

  it('follows the NIST profile when configured: 15 characters, no composition rules', async () => {
    const nist = await buildTestApp({ env: { PASSWORD_PROFILE: 'nist' }, database: context.subject.database });
    try {
      const short = await submitForm(agentIn(nist.app, 'en'), '/signup', { ...SIGN_UP, password: 'Blue-Lantern-7' });
      expect(short.status).to.equal(422);
      expect(cheerio.load(short.text)('#password-error').text()).to.equal('Error: Your password must have at least 15 characters.');
      expect(cheerio.load(short.text)('#password-hint').text()).to.include('at least 15 characters');
      const long = await submitForm(agentIn(nist.app, 'en'), '/signup', { ...SIGN_UP, password: 'lantern blue harbour' });
      expect(long.headers.location).to.equal('/signup/check-email');
    } finally {
      await nist.close();
    }
  });

  it('returns only to a page of the portal just signed in to', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com', PASSWORD, '/provider/home')).to.equal('/home');
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com', PASSWORD, '//evil.example/home')).to.equal('/home');
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com', PASSWORD, '/account?tab=1')).to.equal('/account?tab=1');
  });
});
