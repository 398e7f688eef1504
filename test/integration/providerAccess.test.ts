// The MyPatients access policy over the database: each basis (PCP, same-practice PCP, care team,
// family grant, validated token) and each refusal, revocation taking effect at once, and the
// audit row of every decision.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { addCareTeam } from '../support/record.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';
import { openPatientForProvider } from '../../services/myPatients/providerAccess.ts';

const ORIGIN = { ip: '198.51.100.4', requestId: 'req-provider-access' };

describe('MyPatients access over the database', function () {
  this.timeout(60000);
  let subject: TestApp;
  let patient: TestPatient;
  let parentId: number;
  const db = () => subject.database.db;
  const open = (provider: TestProvider, page = 'provider-record') => openPatientForProvider({ db: db(), config: subject.config }, provider.id, patient.id, page, ORIGIN);

  beforeEach(async () => {
    subject = await buildTestApp();
    patient = await createPatient(db(), { birthDate: bornYearsAgo(10), givenNames: 'Lucía', familyName: 'Ortega' });
    parentId = (await familyAccount(db(), 'parent')).id;
    await linkHolder(db(), parentId, patient.id, 'parent');
  });
  afterEach(() => subject.close());

  it('refuses a provider with no basis, and audits the refusal', async () => {
    const stranger = await providerAccount(db(), 'stranger');
    expect(await open(stranger)).to.equal(undefined);
    const row = await db()('audit_events').where({ actor_id: stranger.id }).first();
    expect([row.actor_type, row.action, row.subject_type, Number(row.subject_id), row.outcome, row.reason]).to.deep.equal(['provider', 'view-provider-record', 'patient', patient.id, 'refused', 'not-authorized']);
  });

  it('lets the PCP in, and another provider of the PCP’s practice, saying so', async () => {
    const pcp = await providerAccount(db(), 'pcp');
    const colleague = await providerAccount(db(), 'colleague', { practiceId: pcp.practiceId });
    await db()('patients').where({ id: patient.id }).update({ pcp_practitioner_id: pcp.practitionerId });
    expect((await open(pcp))?.basis).to.equal('pcp');
    expect((await open(colleague))?.basis, 'the practice comes from the PCP’s MyPatients account').to.equal('pcp');
    const row = await db()('audit_events').where({ actor_id: colleague.id }).first();
    expect([row.outcome, row.reason]).to.deep.equal(['allowed', 'basis pcp']);
  });

  it('lets a care-team member in', async () => {
    const specialist = await providerAccount(db(), 'specialist');
    await addCareTeam(db(), patient.id, [{ practitionerId: specialist.practitionerId, role: 'Cardiologist' }]);
    expect((await open(specialist))?.basis).to.equal('care-team');
  });

  it('lets a provider in on a family grant, and not once it is revoked', async () => {
    const invited = await providerAccount(db(), 'invited');
    const [grant] = await db()('provider_access_grants').insert({ patient_id: patient.id, provider_account_id: invited.id, via: 'invitation', granted_by_account_id: parentId, granted_at: new Date() }).returning('id');
    expect((await open(invited))?.basis).to.equal('granted');
    await db()('provider_access_grants').where({ id: grant.id }).update({ revoked_at: new Date(), revoked_by_account_id: parentId });
    expect(await open(invited), 'the next request after revoking').to.equal(undefined);
  });

  it('lets a provider in after validating a token, and not when it was revoked', async () => {
    const holder = await providerAccount(db(), 'holder');
    const [token] = await db()('invitation_tokens')
      .insert({ token_hash: createHash('sha256').update('t-1').digest('hex'), patient_id: patient.id, issued_by_account_id: parentId, invited_name: 'Dr Ren', invited_email: 'ren@example.com', issued_at: new Date(), used_at: new Date(), validated_by_account_id: holder.id })
      .returning('id');
    expect((await open(holder))?.basis).to.equal('token');
    await db()('invitation_tokens').where({ id: token.id }).update({ revoked_at: new Date() });
    expect(await open(holder)).to.equal(undefined);
  });

  it('refuses an account not linked to a practitioner, and a patient that does not exist', async () => {
    const pcp = await providerAccount(db(), 'pcp');
    await db()('provider_accounts').where({ account_id: pcp.id }).delete();
    expect(await open(pcp)).to.equal(undefined);
    const other = await providerAccount(db(), 'other');
    expect(await openPatientForProvider({ db: db(), config: subject.config }, other.id, 99_999_999, 'provider-record', ORIGIN)).to.equal(undefined);
    const reasons = await db()('audit_events').whereIn('actor_id', [pcp.id, other.id]).orderBy('id').pluck('reason');
    expect(reasons).to.deep.equal(['unknown-patient-or-provider', 'unknown-patient-or-provider']);
  });
});
