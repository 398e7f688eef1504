// A MyPatients provider's own account (issue 8 item 8): changing the email address (providers with
// an NPI, confirmed from the new address), and asking for a change of practice, which the
// MyPatients team sees in its queue and marks done, moving the provider into the new practice;
// each step audited.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, linkInLatestEmail, PASSWORD, signIn, submitForm, totpCode } from '../support/identity.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';

describe('a MyPatients provider’s account: email and change of practice', function () {
  this.timeout(120000);
  let subject: TestApp;
  let db: Knex;

  before(async () => {
    subject = await buildTestApp();
    db = subject.database.db;
  });
  after(() => subject.close());

  async function signedIn(prefix: '/provider' | '/staff', email: string): Promise<Agent> {
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, prefix, email)).to.equal(`${prefix}/signin/code`);
    const coded = await submitForm(agent, `${prefix}/signin/code`, { code: await totpCode(new Date()) });
    expect(coded.headers.location).to.equal(`${prefix}/home`);
    return agent;
  }

  async function placedProvider(label: string): Promise<TestProvider> {
    const made = await providerAccount(db, label);
    await db('practices').where({ id: made.practiceId }).update({ name: 'Riverside Pediatrics', address_line: '12 River Rd', city: 'Boston', state: 'MA', postal_code: '02115', phone: '617 555 0100', fax: '617 555 0101' });
    return made;
  }

  it('lets a provider with an NPI change their email, confirmed from the new address', async () => {
    const provider = await placedProvider('dr');
    const agent = await signedIn('/provider', provider.email);
    const account = cheerio.load((await agent.get('/provider/account')).text);
    expect(account('a[href="/provider/account/email"]').length).to.equal(1);
    const newEmail = `new-${provider.email}`;
    const asked = await submitForm(agent, '/provider/account/email', { email: newEmail, currentPassword: PASSWORD });
    expect(asked.status).to.equal(200);
    expect((await db('accounts').where({ id: provider.id }).first()).email).to.equal(provider.email);
    const link = await linkInLatestEmail(db, newEmail);
    expect(link).to.match(/^\/provider\/account\/email\/confirm\?token=/);
    expect((await submitForm(agentIn(subject.app, 'en'), link, {})).status).to.equal(200);
    expect((await db('accounts').where({ id: provider.id }).first()).email).to.equal(newEmail);
    expect((await emailsTo(db, provider.email)).map((email) => email.template)).to.deep.equal(['emailChanged']);
    const actions = await db('audit_events').where({ actor_id: provider.id, actor_type: 'provider' }).pluck('action');
    expect(actions).to.include.members(['email-change-requested', 'email-change']);
  });

  it('refuses an email change to a provider account without an NPI (a sponsored user asks the sponsor)', async () => {
    const email = `sponsored-${Date.now()}@example.com`;
    await createAccount(db, { kind: 'provider', email, totp: true });
    const agent = await signedIn('/provider', email);
    expect(cheerio.load((await agent.get('/provider/account')).text)('a[href="/provider/account/email"]').length).to.equal(0);
    const page = await agent.get('/provider/account/email');
    expect(page.status).to.equal(403);
    expect(page.text).to.include('ask your sponsor');
    const csrf = csrfTokenIn((await agent.get('/provider/account')).text);
    const posted = await agent.post('/provider/account/email').type('form').send({ _csrf: csrf, email: 'elsewhere@example.com', currentPassword: PASSWORD });
    expect(posted.status).to.equal(403);
    expect(await emailsTo(db, 'elsewhere@example.com')).to.have.length(0);
    expect((await agent.get('/provider/account/practice')).status, 'no practice to change').to.equal(404);
  });

  it('sends a change of practice, prefilled from the record, to the MyPatients team, who mark it done with a note', async () => {
    const provider = await placedProvider('mover');
    const agent = await signedIn('/provider', provider.email);
    expect(cheerio.load((await agent.get('/provider/account')).text)('a[href="/provider/account/practice"]').length).to.equal(1);
    const form = cheerio.load((await agent.get('/provider/account/practice')).text);
    expect(form('#oldPracticeName').attr('value')).to.equal('Riverside Pediatrics');
    expect(form('#oldAddress').attr('value')).to.equal('12 River Rd, Boston, MA 02115');
    expect(form('#oldFax').attr('value')).to.equal('617 555 0101');

    const missing = await submitForm(agent, '/provider/account/practice', { newPracticeName: 'Harbor Kids', newPostalCode: 'nope' });
    expect(missing.status).to.equal(422);
    const $missing = cheerio.load(missing.text);
    expect($missing('#newPracticeName').attr('value')).to.equal('Harbor Kids');
    expect($missing('#wasSponsor-error').length).to.equal(1);
    expect($missing('#newPostalCode-error').length).to.equal(1);

    // As a browser sends it: the prefilled fields as they were.
    const prefilled = Object.fromEntries(['oldPracticeName', 'oldAddress', 'oldPhone', 'oldFax'].map((name) => [name, form(`#${name}`).attr('value') ?? '']));
    const sent = await submitForm(agent, '/provider/account/practice', {
      ...prefilled,
      newPracticeName: 'Harbor Kids',
      newAddressLine: '9 Dock St',
      newCity: 'Salem',
      newState: 'MA',
      newPostalCode: '01970',
      newPhone: '978 555 0199',
      newFax: '978 555 0198',
      wasSponsor: 'yes',
    });
    expect(sent.headers.location).to.equal('/provider/account/practice/sent');
    const row = await db('practice_change_requests').where({ provider_account_id: provider.id }).first();
    expect([row.old_practice_name, Number(row.old_practice_id), row.new_practice_name, row.new_city, row.was_sponsor, row.status]).to.deep.equal(['Riverside Pediatrics', provider.practiceId, 'Harbor Kids', 'Salem', true, 'pending']);
    expect(row.due_at.getTime()).to.be.greaterThan(row.submitted_at.getTime());
    expect((await agent.get('/provider/account/practice/sent')).text).to.include(`PC-${row.id}`);

    const teamEmail = `team-${Date.now()}@example.com`;
    const teamId = await createAccount(db, { kind: 'staff', email: teamEmail, roles: ['mypatients-team'], totp: true });
    const team = await signedIn('/staff', teamEmail);
    expect(cheerio.load((await team.get('/staff/home')).text)('a[href="/staff/mypatients/practice-changes"]').length).to.equal(1);
    const queue = cheerio.load((await team.get('/staff/mypatients/practice-changes')).text);
    expect(queue('#practice-changes tbody tr').first().text()).to.include('From Riverside Pediatrics to Harbor Kids');
    const one = await team.get(`/staff/mypatients/practice-changes/${row.id}`);
    expect(one.status).to.equal(200);
    expect(one.text).to.include('9 Dock St, Salem, MA 01970');
    // The team reads about the provider: no heading or label of the review speaks to the provider as "you".
    const review = cheerio.load(one.text)('main');
    expect(review.find('h2').map((_i, heading) => cheerio.load(heading).text()).get()).to.include.members(['The practice the provider is leaving', 'The provider’s new practice']);
    expect(review.text()).to.include('Sponsored staff accounts at the old practice');
    const aboutTheProvider = review.find('h2, .summary-list__key').map((_i, element) => cheerio.load(element).text()).get().join(' | ');
    expect(aboutTheProvider).to.not.match(/\b(you|your)\b/i);

    expect(cheerio.load(one.text)('input[name="practice"][value="new"]').length, 'a new practice from the request is offered').to.equal(1);

    const noNote = await submitForm(team, `/staff/mypatients/practice-changes/${row.id}`, { practice: 'new', note: ' ' });
    expect(noNote.status).to.equal(422);
    expect(cheerio.load(noNote.text)('input[name="practice"][value="new"]').attr('checked'), 'the choice is kept').to.not.equal(undefined);
    const noPractice = await submitForm(team, `/staff/mypatients/practice-changes/${row.id}`, { note: 'Practice updated after calling Harbor Kids.' });
    expect(noPractice.status).to.equal(422);
    const $noPractice = cheerio.load(noPractice.text);
    expect($noPractice('#practice-error').length).to.equal(1);
    expect($noPractice('#note').text()).to.equal('Practice updated after calling Harbor Kids.');
    expect((await db('practice_change_requests').where({ id: row.id }).first()).status).to.equal('pending');
    const done = await submitForm(team, `/staff/mypatients/practice-changes/${row.id}`, { practice: 'new', note: 'Practice updated after calling Harbor Kids.' });
    expect(done.headers.location).to.equal('/staff/mypatients/practice-changes');
    const after = await db('practice_change_requests').where({ id: row.id }).first();
    expect([after.status, Number(after.done_by_account_id), after.done_note]).to.deep.equal(['done', teamId, 'Practice updated after calling Harbor Kids.']);
    const placed = await db('provider_accounts as pa').join('practices as pc', 'pc.id', 'pa.practice_id').where('pa.account_id', provider.id).first('pc.id', 'pc.name', 'pc.city');
    expect([placed.name, placed.city]).to.deep.equal(['Harbor Kids', 'Salem']);
    expect(Number(placed.id)).to.not.equal(provider.practiceId);
    const again = await submitForm(team, `/staff/mypatients/practice-changes/${row.id}`, { note: 'Twice' });
    expect(again.status, 'the form is gone once done').to.not.equal(303);

    const audit = await db('audit_events').whereIn('actor_id', [provider.id, teamId]).andWhere('action', 'like', '%practice-change%').orderBy('id').select('action', 'outcome');
    const trail = audit.map((event) => `${event.action}:${event.outcome}`);
    expect((await db('audit_events').where({ actor_id: teamId, action: 'practice-change-done', outcome: 'success' }).first()).reason).to.equal(`practice:${provider.practiceId}->new-practice:${placed.id}`);
    expect(trail[0]).to.equal('practice-change-requested:success');
    expect(trail).to.include.members(['view-practice-changes:allowed', 'view-practice-change:allowed']);
    expect(trail.filter((entry) => entry.startsWith('practice-change-done'))).to.deep.equal(['practice-change-done:success']);

    // Only the MyPatients team opens the queue.
    const supportEmail = `support-${Date.now()}@example.com`;
    await createAccount(db, { kind: 'staff', email: supportEmail, roles: ['support'], totp: true });
    expect((await (await signedIn('/staff', supportEmail)).get('/staff/mypatients/practice-changes')).status).to.equal(403);
  });
});
