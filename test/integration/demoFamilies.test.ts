import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { signIn } from '../support/identity.ts';
import { importDemoData } from '../../services/demoData.ts';
import { createDemoAccounts, DEMO_PASSWORD, linkDemoFamilies, startDemoThreads } from '../../services/identity/demoAccounts.ts';
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
});
