// "Share this record" in MyChildren's over HTTP and the database: everyone with access and why,
// the provider directory, inviting a registered provider (a grant) or anyone else (a token kept
// as a hash), ending access (refused on the provider's next check), approving and declining
// providers' requests, who may share under the adolescent rules, emails without the patient's
// name, and the audit rows.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, signIn, submitForm } from '../support/identity.ts';
import { bornYearsAgo, createPapers, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { addCareTeam, addPractitioner, setPcp } from '../support/record.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';
import { accessTo } from '../../services/myPatients/providerAccess.ts';
import { hashOfTypedInvitationCode } from '../../services/myPatients/invitationCodes.ts';

const DAY = 86_400_000;

describe('sharing a record with providers', function () {
  this.timeout(120000);
  let subject: TestApp;
  let db: Knex;
  let patient: TestPatient;
  let parent: { id: number; email: string };
  let agent: Agent;

  before(async () => {
    subject = await buildTestApp();
    db = subject.database.db;
  });
  after(() => subject.close());

  async function signedIn(account: { email: string }): Promise<Agent> {
    const signedInAgent = agentIn(subject.app, 'en');
    expect(await signIn(signedInAgent, '', account.email)).to.equal('/home');
    return signedInAgent;
  }

  async function named(accountId: number, name: string): Promise<void> {
    await db('accounts').where({ id: accountId }).update({ name });
  }

  /** A registered provider with a name and practice of its own. */
  async function provider(label: string, familyName: string, practiceName?: string): Promise<TestProvider> {
    const made = await providerAccount(db, label, { familyName });
    if (practiceName) await db('practices').where({ id: made.practiceId }).update({ name: practiceName, city: 'Chicago', state: 'IL' });
    return made;
  }

  /** Posts to `action` with the CSRF token of the page at `pagePath`. */
  async function postFrom(as: Agent, pagePath: string, action: string, fields: Record<string, string> = {}) {
    const page = await as.get(pagePath);
    return as.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
  }

  const sharingPath = () => `/patients/${patient.id}/sharing`;
  const decisionOf = async (made: TestProvider) => (await accessTo({ db, config: subject.config }, made.id, patient.id))?.decision;
  const auditsOf = async (actorId: number) => (await db('audit_events').where({ actor_id: actorId }).orderBy('id').select('action', 'outcome')).map((row) => `${row.action}:${row.outcome}`);

  function tableRows(html: string, id: string): string[][] {
    const $ = cheerio.load(html);
    return $(`#${id} tbody tr`)
      .map((_i, row) => [
        $(row)
          .children('th, td')
          .map((_j, cell) => {
            $(cell).find('br').replaceWith(' ');
            return $(cell).text().replace(/\s+/g, ' ').trim();
          })
          .get(),
      ])
      .get();
  }

  beforeEach(async () => {
    patient = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Lucía', familyName: 'Ortega' });
    parent = await familyAccount(db, 'parent');
    await named(parent.id, 'Marta Ortega');
    await linkHolder(db, parent.id, patient.id, 'parent');
    agent = await signedIn(parent);
  });

  it('links to sharing from the overview, and lists everyone with access with the basis and since when', async () => {
    expect(cheerio.load((await agent.get(`/patients/${patient.id}`)).text)(`a[href="${sharingPath()}"]`).length).to.equal(1);
    const pcp = await provider('pcp', 'Adeyemi');
    await setPcp(db, patient.id, pcp.practitionerId, 'Harbor Pediatrics');
    await addCareTeam(db, patient.id, [{ practitionerId: await addPractitioner(db, { familyName: 'Okafor', givenNames: 'Ada', credential: 'MD' }), role: 'Cardiologist' }]);
    const invited = await provider('invited', 'Reyes', 'Lakeside Pediatrics');
    const asked = await provider('asked', 'Brandt');
    const revoked = await provider('revoked', 'Gone');
    const tokenHolder = await provider('holder', 'Holt');
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    await db('provider_access_grants').insert([
      { patient_id: patient.id, provider_account_id: invited.id, via: 'invitation', granted_by_account_id: parent.id, granted_at: at(10) },
      { patient_id: patient.id, provider_account_id: asked.id, via: 'approved-request', granted_by_account_id: parent.id, granted_at: at(5) },
      { patient_id: patient.id, provider_account_id: revoked.id, via: 'invitation', granted_by_account_id: parent.id, granted_at: at(20), revoked_at: at(1), revoked_by_account_id: parent.id },
    ]);
    const token = (n: string) => hashOfTypedInvitationCode(`ABCD EFGH JK${n}`) ?? n.padEnd(64, '0');
    await db('invitation_tokens').insert([
      { token_hash: token('MN'), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Holt', invited_email: 'holt@clinic.example', issued_at: at(30), used_at: at(3), validated_by_account_id: tokenHolder.id },
      { token_hash: token('MP'), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Pending', invited_email: 'pending@clinic.example', issued_at: at(2) },
      { token_hash: token('MQ'), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Expired', invited_email: 'expired@clinic.example', issued_at: at(200) },
      { token_hash: token('MR'), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Withdrawn', invited_email: 'withdrawn@clinic.example', issued_at: at(2), revoked_at: at(1) },
    ]);

    const page = await agent.get(sharingPath());
    expect(page.status).to.equal(200);
    const rows = tableRows(page.text, 'access');
    const whyOf = (name: string) => rows.find((row) => row[0]!.startsWith(name))?.slice(1, 4);
    expect(whyOf('Ren Adeyemi')).to.deep.equal(['Harbor Pediatrics', 'Primary care provider (PCP)', 'From the hospital record']);
    expect(whyOf('Other providers at Harbor Pediatrics')?.[1]).to.equal('Same practice as the PCP');
    expect(whyOf('Ada Okafor')?.[1]).to.equal('On the hospital care team (Cardiologist)');
    expect(whyOf('Ren Reyes, MD')?.slice(0, 2)).to.deep.equal(['Lakeside Pediatrics', 'Shared with them by Marta Ortega']);
    expect(whyOf('Ren Reyes, MD')?.[2]).to.match(/\d{4}/);
    expect(whyOf('Ren Brandt, MD')?.[1]).to.equal('They asked, and Marta Ortega approved');
    expect(whyOf('Ren Holt, MD')?.[1]).to.equal('Used the invitation Marta Ortega sent to holt@clinic.example');
    expect(whyOf('Ren Gone'), 'a revoked grant is not listed').to.equal(undefined);
    const pending = tableRows(page.text, 'pending').map((row) => row[0]);
    expect(pending).to.deep.equal(['Dr Pending pending@clinic.example']);
    expect(await auditsOf(parent.id)).to.include('view-sharing:allowed');
  });

  it('searches the directory of registered providers by name or practice, with credential and practice, and the fragment alone for htmx', async () => {
    await provider('quintero', 'Quintero', 'Bayside Kids Clinic');
    await provider('bay', 'Aalto', 'Bayside Kids Clinic');
    const disabled = await provider('disabled', 'Quinterodisabled', 'Elsewhere');
    await db('accounts').where({ id: disabled.id }).update({ status: 'disabled' });
    const byName = await agent.get(`${sharingPath()}/providers?name=quintero`);
    expect(byName.status).to.equal(200);
    expect(tableRows(byName.text, 'directory')).to.deep.equal([['Ren Quintero', 'MD', 'Bayside Kids Clinic Chicago, IL', 'Share with Ren Quintero']]);
    const byPractice = await agent.get(`${sharingPath()}/providers?name=${encodeURIComponent('bayside kids')}`);
    expect(tableRows(byPractice.text, 'directory').map((row) => row[0])).to.deep.equal(['Ren Aalto', 'Ren Quintero']);
    const wildcard = await agent.get(`${sharingPath()}/providers?name=${encodeURIComponent('%')}`);
    expect(tableRows(wildcard.text, 'directory'), 'a % is a character, not a wildcard').to.deep.equal([]);
    const none = await agent.get(`${sharingPath()}/providers?name=zzz`);
    expect(cheerio.load(none.text)('[data-list-status]').text()).to.include('0');
    const fragment = await agent.get(`${sharingPath()}/providers?name=quintero`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(fragment.text).not.to.include('<html');
    expect(tableRows(fragment.text, 'directory')).to.have.length(1);
    expect(String(fragment.headers.vary)).to.include('HX-Request-Type');
    expect(await auditsOf(parent.id)).to.include('search-provider-directory:success');
  });

  it('shares with a registered provider: a grant by invitation, an email without the patient’s name, and access on the next check', async () => {
    const reyes = await provider('reyes', 'Reyes', 'Lakeside Pediatrics');
    expect((await decisionOf(reyes))?.allowed).to.equal(false);
    const searchPage = `${sharingPath()}/providers?name=reyes`;
    const shared = await postFrom(agent, searchPage, `${sharingPath()}/providers/${reyes.id}`);
    expect(shared.status).to.equal(303);
    expect(shared.headers.location).to.equal(sharingPath());
    const grant = await db('provider_access_grants').where({ patient_id: patient.id, provider_account_id: reyes.id }).first();
    expect([grant.via, Number(grant.granted_by_account_id), grant.revoked_at]).to.deep.equal(['invitation', parent.id, null]);
    expect(await decisionOf(reyes)).to.deep.equal({ allowed: true, basis: 'granted' });
    const [email, ...more] = await emailsTo(db, reyes.email);
    expect(more).to.have.length(0);
    expect(email!.template).to.equal('sharingRecordShared');
    expect(email!.text).to.include('/provider/signin');
    for (const phi of ['Lucía', 'Ortega', patient.mrn, patient.birthDate]) expect(email!.text).not.to.include(phi);
    const after = await agent.get(sharingPath());
    expect(cheerio.load(after.text)('.banner').text()).to.include('Ren Reyes can now see this record');
    // Sharing again adds nothing and sends nothing.
    const again = await postFrom(agent, searchPage, `${sharingPath()}/providers/${reyes.id}`);
    expect(again.status).to.equal(303);
    expect(await db('provider_access_grants').where({ patient_id: patient.id }).count('* as n').first()).to.deep.equal({ n: 1 });
    expect(await emailsTo(db, reyes.email)).to.have.length(1);
    expect(await auditsOf(parent.id)).to.include('share-with-provider:success');
  });

  it('invites someone without an account: a token kept only as a hash, an email with the code and how to register, and the MRN shown to the family', async () => {
    const missing = await submitForm(agent, `${sharingPath()}/invite`, { name: '', email: 'not-an-email' });
    expect(missing.status).to.equal(422);
    const $missing = cheerio.load(missing.text);
    expect($missing('#name-error').text()).to.include('Enter the provider');
    expect($missing('#email').attr('value')).to.equal('not-an-email');

    const sent = await submitForm(agent, `${sharingPath()}/invite`, { name: 'Dr Ines Vidal', email: 'ines.vidal@clinic.example' });
    expect(sent.status).to.equal(303);
    const token = await db('invitation_tokens').where({ patient_id: patient.id }).first();
    expect(sent.headers.location).to.equal(`${sharingPath()}/invitations/${token.id}`);
    expect([token.invited_name, token.invited_email, Number(token.issued_by_account_id), token.used_at]).to.deep.equal(['Dr Ines Vidal', 'ines.vidal@clinic.example', parent.id, null]);
    expect(token.token_hash).to.match(/^[0-9a-f]{64}$/);
    const [email] = await emailsTo(db, 'ines.vidal@clinic.example');
    expect(email!.template).to.equal('sharingInvitation');
    const code = email!.text.match(/code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/)?.[1];
    expect(code, 'the formatted code is in the email').to.be.a('string');
    expect(hashOfTypedInvitationCode(code!), 'only the hash of the emailed code is stored').to.equal(token.token_hash);
    expect(JSON.stringify(token)).not.to.include(code!.replace(/-/g, ''));
    expect(email!.text).to.include('/provider/register');
    for (const phi of ['Lucía', 'Ortega', patient.mrn, patient.birthDate]) expect(email!.text).not.to.include(phi);
    // What the family typed never goes out under the hospital's name to an address they chose.
    expect(email!.text).not.to.include('Ines Vidal');
    expect(email!.html).not.to.include('Ines Vidal');

    const confirmation = await agent.get(sent.headers.location!);
    const $ = cheerio.load(confirmation.text);
    expect($('.banner').text()).to.include('We have emailed the invitation to Dr Ines Vidal');
    expect($('#mrn').text()).to.equal(patient.mrn);
    expect(confirmation.text).not.to.include(code!);
    expect(tableRows((await agent.get(sharingPath())).text, 'pending').map((row) => row[0])).to.deep.equal(['Dr Ines Vidal ines.vidal@clinic.example']);
    expect(await auditsOf(parent.id)).to.include.members(['invite-provider:success', 'view-sharing-invitation:allowed']);
  });

  it('limits invitations by email to ten a day per account, keeping what was typed', async () => {
    const earlier = Array.from({ length: 10 }, (_v, index) => ({
      token_hash: `${index}`.padEnd(63, 'c') + `${patient.id % 10}`,
      patient_id: patient.id,
      issued_by_account_id: parent.id,
      invited_name: `Dr ${index}`,
      invited_email: `dr${index}@clinic.example`,
      issued_at: new Date(Date.now() - 3_600_000),
    }));
    await db('invitation_tokens').insert(earlier);
    const refused = await submitForm(agent, `${sharingPath()}/invite`, { name: 'Dr Eleven', email: 'eleven@clinic.example' });
    expect(refused.status).to.equal(422);
    expect(cheerio.load(refused.text)('#email-error').text()).to.include('10 invitations today');
    expect(cheerio.load(refused.text)('#name').attr('value')).to.equal('Dr Eleven');
    expect(await emailsTo(db, 'eleven@clinic.example')).to.have.length(0);
    expect(await auditsOf(parent.id)).to.include('invite-provider:refused');
  });

  it('ends a grant and a validated token at once: the provider is refused on the next check', async () => {
    const reyes = await provider('reyes', 'Reyes');
    const holt = await provider('holt', 'Holt');
    const [grant] = await db('provider_access_grants').insert({ patient_id: patient.id, provider_account_id: reyes.id, via: 'invitation', granted_by_account_id: parent.id, granted_at: new Date() }).returning('id');
    const [token] = await db('invitation_tokens')
      .insert({ token_hash: 'a'.repeat(64), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Holt', invited_email: 'holt@clinic.example', issued_at: new Date(Date.now() - DAY), used_at: new Date(), validated_by_account_id: holt.id })
      .returning('id');
    const [pending] = await db('invitation_tokens')
      .insert({ token_hash: 'b'.repeat(64), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Later', invited_email: 'later@clinic.example', issued_at: new Date() })
      .returning('id');
    expect(await decisionOf(reyes)).to.deep.equal({ allowed: true, basis: 'granted' });
    expect(await decisionOf(holt)).to.deep.equal({ allowed: true, basis: 'token' });

    const confirmPath = `${sharingPath()}/grants/${grant.id}/revoke`;
    const confirmPage = await agent.get(confirmPath);
    expect(confirmPage.status).to.equal(200);
    expect(cheerio.load(confirmPage.text)('h1').text()).to.equal("End Ren Reyes's access?");
    const ended = await postFrom(agent, confirmPath, confirmPath);
    expect(ended.headers.location).to.equal(sharingPath());
    const row = await db('provider_access_grants').where({ id: grant.id }).first();
    expect(row.revoked_at).to.be.instanceOf(Date);
    expect(Number(row.revoked_by_account_id)).to.equal(parent.id);
    expect((await decisionOf(reyes))?.allowed, 'the grant no longer counts').to.equal(false);

    const tokenPath = `${sharingPath()}/invitations/${token.id}/revoke`;
    await postFrom(agent, tokenPath, tokenPath);
    expect((await db('invitation_tokens').where({ id: token.id }).first()).revoked_at).to.be.instanceOf(Date);
    expect((await decisionOf(holt))?.allowed, 'the token no longer counts').to.equal(false);

    const pendingPath = `${sharingPath()}/invitations/${pending.id}/revoke`;
    await postFrom(agent, pendingPath, pendingPath);
    expect((await db('invitation_tokens').where({ id: pending.id }).first()).revoked_at).to.be.instanceOf(Date);

    // Ending again changes nothing, and says so.
    const again = await postFrom(agent, sharingPath(), confirmPath);
    expect(again.status).to.equal(303);
    expect(cheerio.load((await agent.get(sharingPath())).text)('.banner').text()).to.include('already ended');
    expect(await auditsOf(parent.id)).to.include.members(['revoke-provider-grant:success', 'revoke-provider-invitation:success', 'revoke-provider-grant:refused']);
  });

  it('approves and declines providers’ pending requests, emailing each provider without the patient’s name', async () => {
    const brandt = await provider('brandt', 'Brandt', 'North Clinic');
    const moss = await provider('moss', 'Moss');
    const request = (made: TestProvider, note: string) =>
      db('provider_access_requests').insert({ patient_id: patient.id, provider_account_id: made.id, kind: 'non-pcp', status: 'pending', note, requested_at: new Date() }).returning('id').then(([row]) => Number(row.id));
    const approveId = await request(brandt, 'Referred for an orthopedic consult');
    const declineId = await request(moss, 'Second opinion');
    // A PCP request goes to the MyPatients team, not the family.
    await db('provider_access_requests').insert({ patient_id: patient.id, provider_account_id: moss.id, kind: 'pcp', status: 'pending', requested_at: new Date() });

    const page = await agent.get(sharingPath());
    expect(tableRows(page.text, 'requests').map((row) => [row[0], row[2]])).to.deep.equal([
      ['Ren Brandt, MD', 'Referred for an orthopedic consult'],
      ['Ren Moss, MD', 'Second opinion'],
    ]);
    expect(tableRows(page.text, 'requests')[0]![1]).to.equal('North Clinic');

    const approved = await postFrom(agent, sharingPath(), `${sharingPath()}/requests/${approveId}/approve`);
    expect(approved.headers.location).to.equal(sharingPath());
    const approvedRow = await db('provider_access_requests').where({ id: approveId }).first();
    expect([approvedRow.status, Number(approvedRow.decided_by_account_id)]).to.deep.equal(['approved', parent.id]);
    expect(approvedRow.decided_at).to.be.instanceOf(Date);
    expect((await db('provider_access_grants').where({ patient_id: patient.id, provider_account_id: brandt.id }).first()).via).to.equal('approved-request');
    expect(await decisionOf(brandt)).to.deep.equal({ allowed: true, basis: 'granted' });
    const [approvedEmail] = await emailsTo(db, brandt.email);
    expect(approvedEmail!.template).to.equal('sharingRequestApproved');
    expect(approvedEmail!.text).to.include(`AR-${approveId}`);

    await postFrom(agent, sharingPath(), `${sharingPath()}/requests/${declineId}/decline`);
    expect((await db('provider_access_requests').where({ id: declineId }).first()).status).to.equal('declined');
    expect(await db('provider_access_grants').where({ provider_account_id: moss.id }).first()).to.equal(undefined);
    expect((await decisionOf(moss))?.allowed).to.equal(false);
    const [declinedEmail] = await emailsTo(db, moss.email);
    expect(declinedEmail!.template).to.equal('sharingRequestDeclined');
    for (const email of [approvedEmail!, declinedEmail!]) for (const phi of ['Lucía', 'Ortega', patient.mrn]) expect(email.text).not.to.include(phi);

    // Answering twice changes nothing.
    await postFrom(agent, sharingPath(), `${sharingPath()}/requests/${declineId}/approve`);
    expect((await db('provider_access_requests').where({ id: declineId }).first()).status).to.equal('declined');
    expect(await db('provider_access_grants').where({ provider_account_id: moss.id }).first()).to.equal(undefined);
    expect(tableRows((await agent.get(sharingPath())).text, 'requests')).to.deep.equal([]);
    expect(await auditsOf(parent.id)).to.include.members(['approve-provider-request:success', 'decline-provider-request:success', 'approve-provider-request:refused']);
  });

  it('lets a parent of a teen with their own account share, and the teen; each sees the same list and is told so', async () => {
    const teenPatient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    const teen = await familyAccount(db, 'teen');
    await linkHolder(db, parent.id, teenPatient.id, 'parent');
    await linkHolder(db, teen.id, teenPatient.id, 'self');
    const reyes = await provider('reyes', 'Reyes');
    const moss = await provider('moss', 'Moss');
    const path = `/patients/${teenPatient.id}/sharing`;
    const asParent = await agent.get(path);
    expect(asParent.status).to.equal(200);
    expect(asParent.text).to.include('Noa has their own account');
    expect(asParent.text).to.include('Noa sees this same list');
    await postFrom(agent, path, `${path}/providers/${reyes.id}`);
    const teenAgent = await signedIn(teen);
    const asTeen = await teenAgent.get(path);
    expect(asTeen.text).to.include('Your parents or guardians see this same list');
    expect(tableRows(asTeen.text, 'access').map((row) => row[0])).to.deep.equal(['Ren Reyes, MD']);
    await postFrom(teenAgent, path, `${path}/providers/${moss.id}`);
    expect((await accessTo({ db, config: subject.config }, moss.id, teenPatient.id))?.decision.allowed).to.equal(true);
    // The teen may end what the parent started.
    const grant = await db('provider_access_grants').where({ patient_id: teenPatient.id, provider_account_id: reyes.id }).first();
    await postFrom(teenAgent, path, `${path}/grants/${grant.id}/revoke`);
    expect((await accessTo({ db, config: subject.config }, reyes.id, teenPatient.id))?.decision.allowed).to.equal(false);
  });

  it('lets an adult patient and a court-appointed guardian with papers share, and answers a parent of an adult 404', async () => {
    const adult = await createPatient(db, { birthDate: bornYearsAgo(19), givenNames: 'Ravi', familyName: 'Shah' });
    const self = await familyAccount(db, 'self');
    const guardian = await familyAccount(db, 'guardian');
    await linkHolder(db, self.id, adult.id, 'self');
    await linkHolder(db, guardian.id, adult.id, 'court-appointed-guardian');
    const staff = await createAccount(db, { kind: 'staff', email: `support-${adult.id}@example.com`, roles: ['support'] });
    const papers = await createPapers(db, { patientId: adult.id, accountId: guardian.id, uploadedBy: staff });
    await db('guardianship_papers').where({ id: papers }).update({ status: 'accepted', reviewed_by_account_id: staff, reviewed_at: new Date() });
    // The parent's link from childhood has not been ended by the job yet: it still gives nothing from 18.
    await linkHolder(db, parent.id, adult.id, 'parent');
    const reyes = await provider('reyes', 'Reyes');
    const path = `/patients/${adult.id}/sharing`;

    const selfAgent = await signedIn(self);
    const asSelf = await selfAgent.get(path);
    expect(asSelf.status).to.equal(200);
    expect(asSelf.text).to.include('Ravi is 18 or older, so Ravi decides who can see this record');
    expect((await (await signedIn(guardian)).get(path)).status).to.equal(200);

    expect((await agent.get(path)).status).to.equal(404);
    expect((await agent.get(`${path}/providers?name=reyes`)).status).to.equal(404);
    const refused = await postFrom(agent, sharingPath(), `${path}/providers/${reyes.id}`);
    expect(refused.status).to.equal(404);
    expect(await db('provider_access_grants').where({ patient_id: adult.id }).first()).to.equal(undefined);
    const refusals = await db('audit_events').where({ actor_id: parent.id, subject_id: adult.id, outcome: 'refused' }).pluck('action');
    expect(refusals).to.include.members(['view-sharing', 'share-with-provider']);

    await postFrom(selfAgent, path, `${path}/providers/${reyes.id}`);
    expect((await accessTo({ db, config: subject.config }, reyes.id, adult.id))?.decision.allowed).to.equal(true);
  });

  it('answers another family’s patient, grant or invitation 404, and changes nothing', async () => {
    const other = await createPatient(db, { birthDate: bornYearsAgo(6), givenNames: 'Iris', familyName: 'Moreau' });
    const otherParent = await familyAccount(db, 'other');
    await linkHolder(db, otherParent.id, other.id, 'parent');
    const reyes = await provider('reyes', 'Reyes');
    const [grant] = await db('provider_access_grants').insert({ patient_id: other.id, provider_account_id: reyes.id, via: 'invitation', granted_by_account_id: otherParent.id, granted_at: new Date() }).returning('id');
    expect((await agent.get(`/patients/${other.id}/sharing`)).status).to.equal(404);
    expect((await agent.get(`/patients/${other.id}/sharing/invite`)).status).to.equal(404);
    // The grant of another patient, through this patient's path: nothing to end.
    await postFrom(agent, sharingPath(), `${sharingPath()}/grants/${grant.id}/revoke`);
    expect((await db('provider_access_grants').where({ id: grant.id }).first()).revoked_at).to.equal(null);
    expect((await postFrom(agent, sharingPath(), `/patients/${other.id}/sharing/grants/${grant.id}/revoke`)).status).to.equal(404);
    expect((await db('provider_access_grants').where({ id: grant.id }).first()).revoked_at).to.equal(null);
    expect((await agent.get(`${sharingPath()}/invitations/999999`)).status).to.equal(404);
  });
});
