import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, eachTestWithClockedApp } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { createAccount, signIn, submitForm, totpCode, TOTP_SECRET } from '../support/identity.ts';
import { openSecret, resealStoredTotpSecrets } from '../../services/identity/sealedSecrets.ts';

describe('second factor: TOTP and recovery codes', () => {
  const context = eachTestWithClockedApp();

  it('asks a provider for the app code after the password, and accepts each code only once', async () => {
    await createAccount(context.subject.database.db, { kind: 'provider', email: 'dr.lee@example.com', totp: true });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '/provider', 'dr.lee@example.com', undefined, '/provider/account')).to.equal('/provider/signin/code');
    // Half-way through, no signed-in page is open yet.
    expect((await agent.get('/provider/home')).headers.location).to.equal('/provider/signin/code');

    const wrong = await submitForm(agent, '/provider/signin/code', { code: '000000' });
    expect(wrong.status).to.equal(422);
    expect(cheerio.load(wrong.text)('#code-error').text()).to.include('not right or has already been used');

    const code = await totpCode(context.clock.now());
    const right = await submitForm(agent, '/provider/signin/code', { code });
    expect(right.headers.location).to.equal('/provider/account');

    // The same code, replayed in another session within its 30 seconds, is refused.
    const other = agentIn(context.subject.app, 'en');
    await signIn(other, '/provider', 'dr.lee@example.com');
    expect((await submitForm(other, '/provider/signin/code', { code })).status).to.equal(422);
    context.clock.advance(0.5);
    expect((await submitForm(other, '/provider/signin/code', { code: await totpCode(context.clock.now()) })).headers.location).to.equal('/provider/home');
    const methods = await context.subject.database.db('audit_events').where({ action: 'sign-in', outcome: 'success' }).orderBy('id').pluck('reason');
    expect(methods).to.deep.equal(['totp', 'totp']);
  });

  it('makes staff without a factor enrol one before anything else, then shows ten recovery codes once', async () => {
    await createAccount(context.subject.database.db, { kind: 'staff', email: 'support@example.com', roles: ['support'] });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '/staff', 'support@example.com')).to.equal('/staff/account/two-factor');
    expect((await agent.get('/staff/home')).headers.location).to.equal('/staff/account/two-factor');

    const enrolment = await agent.get('/staff/account/two-factor');
    const $ = cheerio.load(enrolment.text);
    expect($('.qr-code svg')).to.have.length(1);
    const secret = $('.secret code').text().replace(/\s/g, '');
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    // The secret shown is the one the QR code carries, so the text is a real alternative.
    expect(await context.subject.database.db('accounts').where({ email: 'support@example.com' }).first().then((a) => a.totp_secret)).to.equal(null);

    const wrong = await submitForm(agent, '/staff/account/two-factor', { code: '123456' });
    expect(wrong.status).to.equal(422);
    expect(cheerio.load(wrong.text)('.secret code').text().replace(/\s/g, '')).to.equal(secret);

    const done = await submitForm(agent, '/staff/account/two-factor', { code: await totpCode(context.clock.now(), secret) });
    expect(done.headers.location).to.equal('/staff/account/recovery-codes');
    const codesPage = await agent.get('/staff/account/recovery-codes');
    const codes = cheerio.load(codesPage.text)('.recovery-codes code').map((_i, el) => cheerio.load(el).text()).get();
    expect(codes).to.have.length(10);
    for (const code of codes) expect(code).to.match(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(new Set(codes).size).to.equal(10);
    expect((await agent.get('/staff/account/recovery-codes')).status).to.equal(303); // shown once
    expect((await agent.get('/staff/home')).status).to.equal(200);

    // A recovery code signs in once.
    const later = agentIn(context.subject.app, 'en');
    await signIn(later, '/staff', 'support@example.com');
    expect((await submitForm(later, '/staff/signin/code', { code: codes[3]!.toLowerCase() })).headers.location).to.equal('/staff/home');
    const again = agentIn(context.subject.app, 'en');
    await signIn(again, '/staff', 'support@example.com');
    expect((await submitForm(again, '/staff/signin/code', { code: codes[3]! })).status).to.equal(422);
    const account = await context.subject.database.db('accounts').where({ email: 'support@example.com' }).first();
    // Sealed at rest: a copy of the database alone gives no one the second factor.
    expect(account.totp_secret).to.match(/^v1\.dev\./).and.not.include(secret);
    expect(openSecret(context.subject.config.encryptionKeys, account.totp_secret)).to.equal(secret);
    const actions = await context.subject.database.db('audit_events').where({ actor_id: account.id }).orderBy('id').pluck('action');
    expect(actions).to.include('second-factor-on');
  });

  it('seals secrets stored plain or under an older key at start-up, and they still sign in', async () => {
    const db = context.subject.database.db;
    const plain = await createAccount(db, { kind: 'provider', email: 'plain@example.com' });
    await db('accounts').where({ id: plain }).update({ totp_secret: TOTP_SECRET, totp_enabled_at: new Date() });
    const rotated = await createAccount(db, { kind: 'provider', email: 'rotated@example.com', totp: true });
    const newKeys = { currentId: 'new', byId: new Map([['new', Buffer.alloc(32, 9)], ...context.subject.config.encryptionKeys.byId]) };

    expect(await resealStoredTotpSecrets(db, newKeys)).to.equal(2);
    expect(await resealStoredTotpSecrets(db, newKeys), 'a second start changes nothing').to.equal(0);
    for (const id of [plain, rotated]) {
      const stored = (await db('accounts').where({ id }).first()).totp_secret;
      expect(stored).to.match(/^v1\.new\./);
      expect(openSecret(newKeys, stored)).to.equal(TOTP_SECRET);
    }
    const app = await buildTestApp({ database: context.subject.database, now: context.clock.now, env: { ENCRYPTION_KEYS: `new:${Buffer.alloc(32, 9).toString('base64')}` } });
    try {
      const agent = agentIn(app.app, 'en');
      expect(await signIn(agent, '/provider', 'rotated@example.com')).to.equal('/provider/signin/code');
      expect((await submitForm(agent, '/provider/signin/code', { code: await totpCode(context.clock.now()) })).headers.location).to.equal('/provider/home');
    } finally {
      await app.close();
    }
  });

  it('keeps the secret being enrolled and the fresh recovery codes out of the session store', async () => {
    const db = context.subject.database.db;
    await createAccount(db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    const sessions = async () => JSON.stringify(await db('session').select('sess'));
    const secret = cheerio.load((await agent.get('/account/two-factor')).text)('.secret code').text().replace(/\s/g, '');
    expect(await sessions()).not.to.include(secret);
    await submitForm(agent, '/account/two-factor', { code: await totpCode(context.clock.now(), secret) });
    const whileWaiting = await sessions();
    const codes = cheerio.load((await agent.get('/account/recovery-codes')).text)('.recovery-codes code').map((_i, el) => cheerio.load(el).text().replace(/-/g, '')).get();
    expect(codes).to.have.length(10);
    for (const code of codes) expect(whileWaiting).not.to.include(code);
  });

  it('lets a family turn the factor on and off, with the password', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '', 'parent@example.com')).to.equal('/home');
    const secret = cheerio.load((await agent.get('/account/two-factor')).text)('.secret code').text().replace(/\s/g, '');
    await submitForm(agent, '/account/two-factor', { code: await totpCode(context.clock.now(), secret) });
    const onPage = await agent.get('/account/two-factor');
    expect(onPage.text).to.include('Two-step sign-in is on');
    const refused = await agent.post('/account/two-factor/off').type('form').send({ _csrf: cheerio.load(onPage.text)('input[name=_csrf]').attr('value'), currentPassword: 'wrong' });
    expect(refused.status).to.equal(422);
    const off = await agent.post('/account/two-factor/off').type('form').send({ _csrf: cheerio.load(onPage.text)('input[name=_csrf]').attr('value'), currentPassword: 'Correct-Horse-42' });
    expect(off.headers.location).to.equal('/account');
    expect(await context.subject.database.db('accounts').where({ email: 'parent@example.com' }).first().then((a) => a.totp_enabled_at)).to.equal(null);
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'parent@example.com')).to.equal('/home');
  });

  it('does not let providers or staff turn the factor off', async () => {
    await createAccount(context.subject.database.db, { kind: 'provider', email: 'dr.lee@example.com', totp: true });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '/provider', 'dr.lee@example.com');
    await submitForm(agent, '/provider/signin/code', { code: await totpCode(context.clock.now()) });
    const page = await agent.get('/provider/account/two-factor');
    expect(page.text).not.to.include('/provider/account/two-factor/off');
    const attempt = await agent.post('/provider/account/two-factor/off').type('form').send({ _csrf: cheerio.load(page.text)('input[name=_csrf]').attr('value'), currentPassword: 'Correct-Horse-42' });
    expect(attempt.headers.location).to.equal('/provider/account/two-factor');
    expect(await context.subject.database.db('accounts').first().then((a) => a.totp_secret)).to.not.equal(null);
  });
});
