// A finished change of practice moves the provider's access (SPEC §3): once the MyPatients team
// marks the request done into the new practice (found in the record or made from the request),
// a patient whose PCP is at the old practice is refused and one whose PCP is at the new practice
// is allowed; the audit row keeps both practice ids.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { bornYearsAgo, createPatient } from '../support/family.ts';
import { createAccount } from '../support/identity.ts';
import { addPractice } from '../support/record.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';
import { accessTo } from '../../services/myPatients/providerAccess.ts';
import { markPracticeChangeAsDone, requestPracticeChange } from '../../services/myPatients/practiceChanges.ts';

const ORIGIN = { ip: '198.51.100.8', requestId: 'req-practice-change-access' };

describe('a finished change of practice moves the provider’s access', function () {
  this.timeout(60000);
  let subject: TestApp;
  let db: Knex;
  let teamId: number;
  let mover: TestProvider;
  let oldPatientId: number;

  const deps = () => ({ db, config: subject.config, now: () => new Date() });
  const allowed = async (patientId: number) => (await accessTo(deps(), mover.id, patientId))?.decision.allowed;

  /** A patient whose PCP is another provider (with an account) in `practiceId`. */
  async function patientWithPcpIn(practiceId: number, label: string): Promise<number> {
    const pcp = await providerAccount(db, label, { practiceId });
    const patient = await createPatient(db, { birthDate: bornYearsAgo(8) });
    await db('patients').where({ id: patient.id }).update({ pcp_practitioner_id: pcp.practitionerId });
    return patient.id;
  }

  async function askToMove(): Promise<number> {
    const sent = await requestPracticeChange(
      deps(),
      mover.id,
      { oldPracticeName: 'Riverside Pediatrics', oldAddress: '', oldPhone: '', oldFax: '', newPracticeName: 'Harbor Kids', newAddressLine: '9 Dock St', newCity: 'Salem', newState: 'MA', newPostalCode: '01970', newPhone: '978 555 0199', newFax: '978 555 0198', wasSponsor: false },
      ORIGIN,
    );
    return sent!.id;
  }

  beforeEach(async () => {
    subject = await buildTestApp();
    db = subject.database.db;
    teamId = await createAccount(db, { kind: 'staff', email: `team-${Date.now()}@example.com`, roles: ['mypatients-team'], totp: true });
    mover = await providerAccount(db, 'mover');
    oldPatientId = await patientWithPcpIn(mover.practiceId, 'old-colleague');
  });
  afterEach(() => subject.close());

  it('into a practice found in the record: the old practice’s patients are refused, the new one’s allowed', async () => {
    const newPracticeId = await addPractice(db, { name: 'Harbor Kids' });
    const newPatientId = await patientWithPcpIn(newPracticeId, 'new-colleague');
    const changeId = await askToMove();
    expect([await allowed(oldPatientId), await allowed(newPatientId)], 'before the team acts').to.deep.equal([true, false]);

    expect(await markPracticeChangeAsDone(deps(), teamId, changeId, { choice: { kind: 'existing', practiceId: newPracticeId }, note: 'Checked with Harbor Kids.' }, ORIGIN)).to.equal('done');
    expect([await allowed(oldPatientId), await allowed(newPatientId)], 'after "done"').to.deep.equal([false, true]);
    const audit = await db('audit_events').where({ actor_id: teamId, action: 'practice-change-done' }).first();
    expect([audit.outcome, audit.reason]).to.deep.equal(['success', `practice:${mover.practiceId}->existing-practice:${newPracticeId}`]);

    expect(await markPracticeChangeAsDone(deps(), teamId, changeId, { choice: { kind: 'existing', practiceId: mover.practiceId }, note: 'Again' }, ORIGIN), 'done only once').to.equal('already-done');
    expect(await allowed(newPatientId), 'a second "done" moves nothing').to.equal(true);
  });

  it('into a new practice made from the request’s details', async () => {
    const changeId = await askToMove();
    expect(await markPracticeChangeAsDone(deps(), teamId, changeId, { choice: { kind: 'new' }, note: 'New practice added.' }, ORIGIN)).to.equal('done');
    const placed = await db('provider_accounts as pa').join('practices as pc', 'pc.id', 'pa.practice_id').where('pa.account_id', mover.id).first('pc.id', 'pc.name', 'pc.address_line', 'pc.city', 'pc.phone');
    expect([placed.name, placed.address_line, placed.city, placed.phone]).to.deep.equal(['Harbor Kids', '9 Dock St', 'Salem', '978 555 0199']);
    const newPatientId = await patientWithPcpIn(Number(placed.id), 'new-colleague');
    expect([await allowed(oldPatientId), await allowed(newPatientId)]).to.deep.equal([false, true]);
    expect((await db('audit_events').where({ actor_id: teamId, action: 'practice-change-done' }).first()).reason).to.equal(`practice:${mover.practiceId}->new-practice:${placed.id}`);
  });

  it('moves nothing into a practice that is not in the record', async () => {
    const changeId = await askToMove();
    expect(await markPracticeChangeAsDone(deps(), teamId, changeId, { choice: { kind: 'existing', practiceId: 987654321 }, note: 'Oops' }, ORIGIN)).to.equal('no-such-practice');
    expect((await db('practice_change_requests').where({ id: changeId }).first()).status).to.equal('pending');
    expect(await allowed(oldPatientId)).to.equal(true);
    expect((await db('audit_events').where({ actor_id: teamId, action: 'practice-change-done' }).first()).outcome).to.equal('refused');
  });
});
