import { spawn } from 'node:child_process';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, linkInLatestEmail, PASSWORD, signIn, submitForm, totpCode } from '../support/identity.ts';

describe('account settings, staff accounts and audit', () => {
  const context = eachTestWithClockedApp();

  async function signedInFamily(): Promise<Agent> {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    return agent;
  }

  it('changes the password only with the current one, and signs out other sessions but not this one', async () => {
    const agent = await signedInFamily();
    const other = agentIn(context.subject.app, 'en');
    await signIn(other, '', 'parent@example.com');
    const wrong = await submitForm(agent, '/account/password', { currentPassword: 'Not-It-123', password: 'Quiet-River-2031' });
    expect(wrong.status).to.equal(422);
    expect(cheerio.load(wrong.text)('#currentPassword-error').text()).to.include('not right');
    const done = await submitForm(agent, '/account/password', { currentPassword: PASSWORD, password: 'Quiet-River-2031' });
    expect(done.headers.location).to.equal('/account');
    expect((await agent.get('/account')).text).to.include('Your password has been changed');
    expect((await other.get('/home')).status).to.equal(303);
    expect((await emailsTo(context.subject.database.db, 'parent@example.com')).map((e) => e.template)).to.deep.equal(['passwordChanged']);
  });

  it('changes the email address once the new address confirms it, and tells the old one', async () => {
    const agent = await signedInFamily();
    const asked = await submitForm(agent, '/account/email', { email: 'new.parent@example.com', currentPassword: PASSWORD });
    expect(asked.status).to.equal(200);
    expect(asked.text).to.include('We have sent an email to the new address');
    expect(await context.subject.database.db('accounts').first().then((a) => a.email)).to.equal('parent@example.com');
    const link = await linkInLatestEmail(context.subject.database.db, 'new.parent@example.com');
    expect(link).to.match(/^\/account\/email\/confirm\?token=/);
    const confirmed = await submitForm(agentIn(context.subject.app, 'en'), link, {});
    expect(confirmed.status).to.equal(200);
    expect(await context.subject.database.db('accounts').first().then((a) => a.email)).to.equal('new.parent@example.com');
    expect((await emailsTo(context.subject.database.db, 'parent@example.com')).map((e) => e.template)).to.deep.equal(['emailChanged']);
    expect(await signIn(agentIn(context.subject.app, 'en'), '', 'new.parent@example.com')).to.equal('/home');
  });

  it('updates the name and the language of emails, keeping what was typed when something is missing', async () => {
    const agent = await signedInFamily();
    const missing = await submitForm(agent, '/account/details', { name: ' ', preferredLanguage: 'es' });
    expect(missing.status).to.equal(422);
    expect(cheerio.load(missing.text)('#preferredLanguage-2').attr('checked')).to.equal('checked');
    const saved = await submitForm(agent, '/account/details', { name: 'Ana María Díaz', preferredLanguage: 'es' });
    expect(saved.headers.location).to.equal('/account');
    expect(await context.subject.database.db('accounts').first()).to.include({ name: 'Ana María Díaz', preferred_language: 'es' });
    await submitForm(agent, '/account/password', { currentPassword: PASSWORD, password: 'Quiet-River-2031' });
    expect((await emailsTo(context.subject.database.db, 'parent@example.com'))[0]?.subject).to.equal('Su contraseña cambió');
  });

  it('keeps a session alive from the idle warning: back to the page as a form, or 204 from its script', async () => {
    const agent = await signedInFamily();
    const csrf = csrfTokenIn((await agent.get('/account')).text);
    const plain = await agent.post('/session/keep-alive').type('form').send({ _csrf: csrf, back: '/account/details' });
    expect(plain.status).to.equal(303);
    expect(plain.headers.location).to.equal('/account/details');
    const offsite = await agent.post('/session/keep-alive').type('form').send({ _csrf: csrf, back: '//evil.example/' });
    expect(offsite.headers.location).to.equal('/home');
    const background = await agent.post('/session/keep-alive').set('X-Requested-With', 'fetch').type('form').send({ _csrf: csrf });
    expect(background.status).to.equal(204);
  });

  it('shows recent sign-ins, failed ones included', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    await submitForm(agentIn(context.subject.app, 'en'), '/signin', { email: 'parent@example.com', password: 'Wrong-Guess-1' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    const $ = cheerio.load((await agent.get('/account')).text);
    const results = $('#sign-ins tbody tr').map((_i, row) => $(row).find('td').eq(1).text()).get();
    expect(results).to.deep.equal(['Signed in', 'Failed']);
  });

  it('audits sign-in, failure, sign-out, reset, factor changes and lock-outs in the append-only table', async () => {
    await createAccount(context.subject.database.db, { kind: 'family', email: 'parent@example.com' });
    for (let i = 0; i < 5; i++) await submitForm(agentIn(context.subject.app, 'en'), '/signin', { email: 'parent@example.com', password: 'Wrong-Guess-1' });
    const rows = await context.subject.database.db('audit_events').orderBy('id').select('action', 'outcome', 'reason', 'ip');
    expect(rows.map((row) => `${row.action}:${row.outcome}`)).to.deep.equal([...Array(5).fill('sign-in:failure'), 'lock-out:success']);
    expect(rows[0].ip).to.match(/127\.0\.0\.1|::1|::ffff:127\.0\.0\.1/);
    let refused: unknown;
    await context.subject.database.db('audit_events').delete().catch((error: unknown) => (refused = error));
    expect(String(refused)).to.include('append-only');
  });

  it('lets an admin invite staff, who set a password from the email and must enrol a factor', async () => {
    await createAccount(context.subject.database.db, { kind: 'staff', email: 'admin@example.com', roles: ['admin'], totp: true });
    const admin = agentIn(context.subject.app, 'en');
    await signIn(admin, '/staff', 'admin@example.com');
    await submitForm(admin, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    const missing = await submitForm(admin, '/staff/admin/invite', { name: 'New Nurse', email: 'new.nurse@example.com', preferredLanguage: 'en' });
    expect(missing.status).to.equal(422);
    expect(cheerio.load(missing.text)('#roles-error').text()).to.include('at least one role');
    const invited = await submitForm(admin, '/staff/admin/invite', { name: 'New Nurse', email: 'new.nurse@example.com', roles: ['care-team', 'support'], preferredLanguage: 'es' });
    expect(invited.headers.location).to.equal('/staff/admin/invited');
    expect(cheerio.load((await admin.get('/staff/admin/invited')).text)('main').text()).to.include('new.nurse@example.com');
    expect((await admin.get('/staff/admin/invited')).headers.location).to.equal('/staff/admin/invite'); // shown once
    const [invitation] = await emailsTo(context.subject.database.db, 'new.nurse@example.com');
    expect(invitation?.subject).to.equal("Su cuenta en Example Children's Hospital");

    const nurse = agentIn(context.subject.app, 'es');
    const link = await linkInLatestEmail(context.subject.database.db, 'new.nurse@example.com');
    expect((await submitForm(nurse, link, { password: 'Night-Shift-2026' })).headers.location).to.equal('/staff/signin?passwordSet=1');
    expect(await signIn(nurse, '/staff', 'new.nurse@example.com', 'Night-Shift-2026')).to.equal('/staff/account/two-factor');
    const account = await context.subject.database.db('accounts').where({ email: 'new.nurse@example.com' }).first();
    expect(account.roles).to.deep.equal(['care-team', 'support']);
  });

  it('refuses the invitation page to staff who are not admins', async () => {
    await createAccount(context.subject.database.db, { kind: 'staff', email: 'support@example.com', roles: ['support'], totp: true });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '/staff', 'support@example.com');
    await submitForm(agent, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    expect((await agent.get('/staff/admin/invite')).status).to.equal(403);
    // A family account is not a staff account at all.
    const family = await signedInFamily();
    expect((await family.get('/staff/admin/invite')).headers.location).to.equal('/staff/signin?returnTo=%2Fstaff%2Fadmin%2Finvite');
  });

  it('creates a staff account from the command line and prints a working set-password link', async () => {
    const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/staff.ts', 'create', '--email', 'cli.admin@example.com', '--role', 'admin', '--name', 'Cli Admin'], {
        env: { ...process.env, DATABASE_URL: context.subject.database.url, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(output.stderr).to.equal('');
    expect(output.code).to.equal(0);
    const link = new URL(output.stdout.match(/http\S+/)![0]);
    expect(link.pathname).to.equal('/staff/set-password');
    const agent = agentIn(context.subject.app, 'en');
    expect((await submitForm(agent, link.pathname + link.search, { password: 'Night-Shift-2026' })).headers.location).to.equal('/staff/signin?passwordSet=1');
    const account = await context.subject.database.db('accounts').where({ email: 'cli.admin@example.com' }).first();
    expect(account).to.include({ kind: 'staff', name: 'Cli Admin' });
    expect(account.roles).to.deep.equal(['admin']);
  });

  it('explains a wrong command-line role instead of failing obscurely', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/staff.ts', 'create', '--email', 'x@example.com', '--role', 'boss'], {
        env: { ...process.env, DATABASE_URL: context.subject.database.url },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--role must be one of support, mypatients-team, care-team, billing, admin');
  });
});
