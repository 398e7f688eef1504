import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { signIn, submitForm, totpCode } from '../support/identity.ts';
import { importDemoData } from '../../services/demoData.ts';
import { createDemoAccounts, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, linkDemoFamilies, startDemoThreads } from '../../services/identity/demoAccounts.ts';
import { searchProviderDirectory } from '../../data/sharing.ts';
import { PROVIDER_PATIENT_PATHS, providerPatientHref } from '../../routes/provider/patientPaths.ts';
import { linkDemoProviders } from '../../services/myPatients/demoProviders.ts';
import { accessTo } from '../../services/myPatients/providerAccess.ts';
import { inboxFor } from '../../services/messaging/careTeamInbox.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';

describe('demo accounts linked to the demo record', function () {
  this.timeout(120000);
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp();
    const { db } = subject.database;
    expect(await createDemoAccounts(db, subject.config, new Date())).to.equal(12);
    await importDemoData(db, { today: '2026-11-22' });
    expect(await linkDemoFamilies(db, new Date(), 'America/New_York')).to.equal(9);
    expect(await linkDemoFamilies(db, new Date(), 'America/New_York')).to.equal(0); // a second start links nothing again
    expect(await startDemoThreads({ db, config: subject.config }, new Date())).to.equal(2);
    expect(await startDemoThreads({ db, config: subject.config }, new Date())).to.equal(0);
    expect(await linkDemoProviders(db, new Date())).to.equal(2);
    expect(await linkDemoProviders(db, new Date()), 'a second start links nothing again').to.equal(0);
  });
  after(() => subject.close());

  it('makes the demo nurse the owner of the demo patients’ clinic and practitioner inboxes', async () => {
    const { db } = subject.database;
    const nurse = await db('accounts').where({ kind: 'staff', email: 'nurse@example.com' }).first('id');
    const teen = await db('patients').where({ mrn: '90000002' }).first('id');
    const teenClinics = await db('encounters').where({ patient_id: teen.id }).whereNotNull('department_code').distinct('department_code').pluck('department_code');
    const nurseClinics = await db('care_team_staff').where({ account_id: nurse.id }).whereNotNull('department_code').pluck('department_code');
    const known = await db('clinics').whereIn('department_code', teenClinics).pluck('department_code');
    expect(known.length, 'the teen has visits at known clinics').to.be.greaterThan(0);
    expect(nurseClinics).to.include.members(known);
    expect(await db('care_team_staff').whereNot({ account_id: nurse.id }).first()).to.equal(undefined);
  });

  it('gives the demo nurse an inbox with the demo families’ questions, one of them overdue', async () => {
    const { db } = subject.database;
    const nurse = await db('accounts').where({ kind: 'staff', email: 'nurse@example.com' }).first('id');
    const deps = { db, config: subject.config, queue: subject.queue, views: createViewEnvironment({ reloadTemplates: false, timeZone: 'America/New_York' }), now: () => new Date() };
    const inbox = await inboxFor(deps, Number(nurse.id), { ip: '127.0.0.1', requestId: 'demo-test' });
    expect(inbox.total).to.equal(2);
    expect(inbox.items.map((thread) => thread.overdue)).to.deep.equal([true, false]);
  });

  it('shows a demo parent the demo children on their home page, and only theirs', async () => {
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '', 'alex.morgan@example.com', DEMO_PASSWORD)).to.equal('/home');
    const $ = cheerio.load((await agent.get('/home')).text);
    const names = $('main .patient-list li a.patient-list__name').map((_i, a) => $(a).text()).get();
    const expected = await subject.database.db('patients').whereIn('mrn', ['90000001', '90000002']).orderBy('birth_date', 'desc').select('given_names', 'family_name');
    expect(names).to.deep.equal(expected.map((p) => `${p.given_names} ${p.family_name}`));
  });

  it('gives the 14-year-old their own account, the adult’s guardian accepted papers, and support one request to check', async () => {
    const { db } = subject.database;
    const teen = await db('patient_links as l').join('accounts as a', 'a.id', 'l.account_id').join('patients as p', 'p.id', 'l.patient_id').where('a.email', 'riley.morgan@example.com').first('p.mrn', 'l.relationship');
    expect(teen).to.deep.equal({ mrn: '90000002', relationship: 'self' });
    const guardian = await db('guardianship_papers as g').join('accounts as a', 'a.id', 'g.account_id').join('patients as p', 'p.id', 'g.patient_id').first('a.email', 'p.mrn', 'g.status');
    expect(guardian).to.deep.equal({ email: 'chris.baker@example.com', mrn: '90000006', status: 'accepted' });
    const request = await db('link_requests').first();
    const patient = await db('patients').where({ id: request.patient_id }).first();
    expect(request.status).to.equal('pending');
    expect(request.typed_mrn).to.equal(patient.mrn);
    expect(request.typed_patient_name).to.equal(`${patient.given_names} ${patient.family_name}`);
    const visits = await db('encounters').where({ patient_id: patient.id }).select(db.raw(`to_char(period_start AT TIME ZONE 'America/New_York', 'YYYY-MM-DD') AS day`));
    const typed = await db('link_requests').where({ id: request.id }).first(db.raw(`to_char(typed_visit_date, 'YYYY-MM-DD') AS day`));
    expect(visits.map((visit) => visit.day)).to.include(typed.day);
  });

  it('links the demo providers: Dr. Patel is the PCP of family 1’s children, Dr. Ortiz is on the toddler’s care team', async () => {
    const { db } = subject.database;
    const basis = async (email: string, mrn: string) => {
      const provider = await db('accounts').where({ kind: 'provider', email }).first('id');
      const patient = await db('patients').where({ mrn }).first('id');
      const answer = await accessTo({ db, config: subject.config }, Number(provider.id), Number(patient.id));
      const decision = answer?.decision;
      return decision === undefined ? 'unknown' : decision.allowed ? decision.basis : decision.reason;
    };
    expect(await basis('dr.patel@example.com', '90000001')).to.equal('pcp');
    expect(await basis('dr.ortiz@example.com', '90000007')).to.equal('care-team');
  });

  it('makes the demo providers practitioners of the record, under the names their accounts and the README use', async () => {
    const { db } = subject.database;
    for (const email of ['dr.patel@example.com', 'dr.ortiz@example.com']) {
      const linked = await db('provider_accounts as pa').join('accounts as a', 'a.id', 'pa.account_id').join('practitioners as p', 'p.id', 'pa.practitioner_id').where('a.email', email).first('p.given_names', 'p.family_name', 'p.credential');
      const accountName = DEMO_ACCOUNTS.find((account) => account.email === email)!.name;
      expect(`Dr. ${linked.given_names} ${linked.family_name}`, email).to.equal(accountName);
      expect(linked.credential).to.equal('MD');
    }
    // A family looking for Dr. Patel in the directory finds her, with her practice.
    const found = await searchProviderDirectory(db, 'Patel', 10);
    expect(found.map((provider) => provider.name)).to.include('Priya Patel');
  });

  it('gives Dr. Ortiz the care teams of only the patients he saw, so most records are not his to open', async () => {
    const { db } = subject.database;
    const patients = Number((await db('patients').count({ n: '*' }).first())!.n);
    const ortiz = await db('provider_accounts as pa').join('accounts as a', 'a.id', 'pa.account_id').where('a.email', 'dr.ortiz@example.com').first('pa.practitioner_id');
    const teams = await db('care_team_members as m').join('care_teams as t', 't.id', 'm.care_team_id').where('m.practitioner_id', ortiz.practitioner_id).countDistinct({ n: 't.patient_id' }).first();
    expect(Number(teams!.n)).to.be.greaterThan(0).and.lessThan(patients / 5);
    // No clinician is on every care team: the care-team basis hides no "not authorized" path.
    const busiest = await db('care_team_members as m').join('care_teams as t', 't.id', 'm.care_team_id').groupBy('m.practitioner_id').select(db.raw('count(DISTINCT t.patient_id)::int AS n')).orderBy('n', 'desc').first();
    expect(busiest.n).to.be.lessThan(patients / 4);
    const provider = await db('accounts').where({ kind: 'provider', email: 'dr.ortiz@example.com' }).first('id');
    const sixYearOld = await db('patients').where({ mrn: '90000001' }).first('id');
    const answer = await accessTo({ db, config: subject.config }, Number(provider.id), Number(sixYearOld.id));
    expect(answer?.decision.allowed).to.equal(false);
  });

  it('puts on each care team the PCP and clinicians the patient was seen by, several per clinic', async () => {
    const { db } = subject.database;
    const strangers = await db('care_team_members as m')
      .join('care_teams as t', 't.id', 'm.care_team_id')
      .join('patients as p', 'p.id', 't.patient_id')
      .whereNot('m.practitioner_id', db.ref('p.pcp_practitioner_id'))
      .whereNotExists(db('encounter_participants as ep').join('encounters as e', 'e.id', 'ep.encounter_id').where('e.patient_id', db.ref('p.id')).andWhere('ep.practitioner_id', db.ref('m.practitioner_id')))
      .count({ n: '*' })
      .first();
    expect(Number(strangers!.n), 'care-team members the patient never saw').to.equal(0);
    const perClinic = await db('encounters as e').join('encounter_participants as ep', 'ep.encounter_id', 'e.id').where('e.department_code', 'general-pediatrics').countDistinct({ n: 'ep.practitioner_id' }).first();
    expect(Number(perClinic!.n)).to.be.greaterThan(2);
  });

  it('names Dr. Patel’s practice on the MyPatients summary, as the family’s sharing page does', async () => {
    const { db } = subject.database;
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '/provider', 'dr.patel@example.com', DEMO_PASSWORD)).to.equal('/provider/signin/code');
    expect((await submitForm(agent, '/provider/signin/code', { code: await totpCode(new Date(), DEMO_TOTP_SECRET) })).status).to.equal(303);
    const patient = await db('patients').where({ mrn: '90000001' }).first('id');
    const practice = await db('provider_accounts as pa').join('accounts as a', 'a.id', 'pa.account_id').join('practices as pc', 'pc.id', 'pa.practice_id').where('a.email', 'dr.patel@example.com').first('pc.name');
    const $ = cheerio.load((await agent.get(providerPatientHref(PROVIDER_PATIENT_PATHS.summary.path, { patientId: Number(patient.id) }))).text);
    const rows = $('.summary-list__row').map((_i, row) => `${$(row).find('dt').text().trim()}: ${$(row).find('dd').text().trim()}`).get();
    expect(rows.find((row) => row.startsWith('Practice:'))).to.match(new RegExp(`^Practice: ${practice.name}`));
    expect(rows.find((row) => row.startsWith('Primary care provider:'))).to.include('Priya Patel, MD');
    // A record that names the PCP but not the practice: the summary, like sharing and the access
    // policy, takes the PCP's MyPatients practice.
    const recorded = await db('patients').where({ id: patient.id }).first('pcp_practice_id');
    await db('patients').where({ id: patient.id }).update({ pcp_practice_id: null });
    try {
      const again = cheerio.load((await agent.get(providerPatientHref(PROVIDER_PATIENT_PATHS.summary.path, { patientId: Number(patient.id) }))).text);
      expect(again('.summary-list__row').filter((_i, row) => again(row).find('dt').text().trim() === 'Practice').find('dd').text()).to.match(new RegExp(`^${practice.name}`));
    } finally {
      await db('patients').where({ id: patient.id }).update(recorded);
    }
  });
});
