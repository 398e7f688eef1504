// The age-18 job: reminders before the birthday, links ending at 00:00 hospital time on it, the
// patient's own invitation, and nothing sent twice. The clock is passed to each run.
import { expect } from 'chai';
import { eventually } from '../support/eventually.ts';
import type nunjucks from 'nunjucks';
import pino from 'pino';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { createPapers, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { createAccount, emailsTo } from '../support/identity.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';
import { runTurning18, TURNING_18_BATCH_SIZE, type Turning18Deps } from '../../services/family/turning18.ts';
import { addPatientByToken } from '../../services/family/addPatient.ts';
import { findAccountById } from '../../data/accounts.ts';
import { startTurning18Job, TURNING_18_SCHEDULE } from '../../jobs/turning18.ts';
import { QUEUES } from '../../jobs/queue.ts';

// Hospital time is America/New_York (the test configuration's default).
const BORN = '2009-03-10'; // turns 18 at 2027-03-10T00:00:00-05:00
const at = (localWithOffset: string) => new Date(localWithOffset);

describe('the turning-18 job', function () {
  this.timeout(60000);
  let subject: TestApp;
  let deps: Turning18Deps;
  let views: nunjucks.Environment;
  before(() => {
    views = createViewEnvironment({ reloadTemplates: false, timeZone: 'America/New_York' });
  });
  beforeEach(async () => {
    subject = await buildTestApp();
    deps = { db: subject.database.db, config: subject.config, queue: subject.queue, views };
  });
  afterEach(() => subject.close());

  const db = () => subject.database.db;
  const run = (now: string) => runTurning18(deps, at(now));
  const currentLinks = async (patientId: number) =>
    (await db()('patient_links').where({ patient_id: patientId }).whereNull('ended_at').select('account_id')).map((row) => Number(row.account_id)).sort((a, b) => a - b);
  const endedReasons = async (patientId: number) =>
    (await db()('patient_links').where({ patient_id: patientId }).whereNotNull('ended_at').orderBy('account_id').select('account_id', 'ended_reason')).map((row) => [Number(row.account_id), row.ended_reason]);
  const acceptPapers = (papersId: number) => db()('guardianship_papers').where({ id: papersId }).update({ status: 'accepted', reviewed_at: new Date() });
  let uploads = 0;
  const supportWorker = () => createAccount(db(), { kind: 'staff', email: `support-${++uploads}@example.com`, roles: ['support'] });
  function expectNoPatientDetails(texts: string[], patient: TestPatient) {
    for (const text of texts) {
      expect(text).not.to.include(patient.givenNames);
      expect(text).not.to.include(patient.familyName);
      expect(text).not.to.include(patient.mrn);
    }
  }

  describe('before the 18th birthday', () => {
    it('reminds a parent 90, 30 and 7 days before, once each, and never the patient themself', async () => {
      const patient = await createPatient(db(), { birthDate: BORN, givenNames: 'Ines', familyName: 'Quarterman' });
      const parent = await familyAccount(db(), 'parent');
      const teen = await familyAccount(db(), 'teen');
      await linkHolder(db(), parent.id, patient.id, 'parent');
      await linkHolder(db(), teen.id, patient.id, 'self');

      expect((await run('2026-12-09T23:59:59-05:00')).remindersSent, '91 days before').to.equal(0);
      expect((await run('2026-12-10T00:00:00-05:00')).remindersSent, '90 days before').to.equal(1);
      expect((await run('2026-12-11T00:00:00-05:00')).remindersSent, '89 days before').to.equal(0);
      expect((await run('2027-02-07T23:00:00-05:00')).remindersSent, '31 days before').to.equal(0);
      expect((await run('2027-02-08T00:00:00-05:00')).remindersSent, '30 days before').to.equal(1);
      expect((await run('2027-03-03T00:00:00-05:00')).remindersSent, '7 days before').to.equal(1);
      expect((await run('2027-03-09T23:59:59-05:00')).remindersSent, 'the last second before').to.equal(0);

      const emails = await emailsTo(db(), parent.email);
      expect(emails.map((email) => email.template)).to.deep.equal(['turning18Reminder', 'turning18Reminder', 'turning18Reminder']);
      expect(emails.map((email) => /turns 18 (in \d+ days)/.exec(email.text)?.[1])).to.deep.equal(['in 90 days', 'in 30 days', 'in 7 days']);
      expectNoPatientDetails(emails.map((email) => `${email.subject}\n${email.text}`), patient);
      expect(await emailsTo(db(), teen.email)).to.deep.equal([]);
      const notices = await db()('family_notices').where({ patient_id: patient.id }).orderBy('id').pluck('notice');
      expect(notices).to.deep.equal(['turning18-reminder-90', 'turning18-reminder-30', 'turning18-reminder-7']);
      expect(await currentLinks(patient.id)).to.have.length(2);
    });

    it('after missed runs sends only the latest reminder due, with the days really left', async () => {
      const patient = await createPatient(db(), { birthDate: BORN });
      const parent = await familyAccount(db(), 'parent');
      await linkHolder(db(), parent.id, patient.id, 'parent');
      // Nothing ran for the 90- and 30-day reminders: 8 days left, the 30-day one is the latest due.
      expect((await run('2027-03-02T12:00:00-05:00')).remindersSent).to.equal(1);
      expect((await run('2027-03-03T00:00:00-05:00')).remindersSent).to.equal(1);
      const emails = await emailsTo(db(), parent.email);
      expect(emails).to.have.length(2);
      expect(emails[0]?.text).to.include('turns 18 in 8 days');
      expect(emails[1]?.text).to.include('turns 18 in 7 days');
      expect(await db()('family_notices').where({ patient_id: patient.id }).orderBy('id').pluck('notice')).to.deep.equal(['turning18-reminder-30', 'turning18-reminder-7']);
    });

    it('says "tomorrow" the day before, and writes in the holder\'s language', async () => {
      const patient = await createPatient(db(), { birthDate: BORN });
      const parent = await familyAccount(db(), 'padre');
      await db()('accounts').where({ id: parent.id }).update({ preferred_language: 'es' });
      await linkHolder(db(), parent.id, patient.id, 'parent');
      expect((await run('2027-03-09T08:00:00-05:00')).remindersSent).to.equal(1);
      const [email] = await emailsTo(db(), parent.email);
      expect(email?.subject).to.equal('Un paciente de su cuenta cumplirá 18 años pronto');
      expect(email?.text).to.include('cumplirá 18 años mañana');
    });

    it('reminds those who will lose access, not a court-appointed guardian with accepted papers', async () => {
      const patient = await createPatient(db(), { birthDate: BORN });
      const parent = await familyAccount(db(), 'parent');
      const papered = await familyAccount(db(), 'papered');
      const unpapered = await familyAccount(db(), 'unpapered');
      await linkHolder(db(), parent.id, patient.id, 'parent');
      await linkHolder(db(), papered.id, patient.id, 'court-appointed-guardian');
      await linkHolder(db(), unpapered.id, patient.id, 'court-appointed-guardian');
      await acceptPapers(await createPapers(db(), { patientId: patient.id, accountId: papered.id, uploadedBy: await supportWorker() }));
      await createPapers(db(), { patientId: patient.id, accountId: unpapered.id, uploadedBy: await supportWorker() }); // still pending

      expect((await run('2026-12-10T09:00:00-05:00')).remindersSent).to.equal(2);
      expect(await emailsTo(db(), parent.email)).to.have.length(1);
      expect(await emailsTo(db(), unpapered.email)).to.have.length(1);
      expect(await emailsTo(db(), papered.email)).to.deep.equal([]);
    });
  });

  describe('on the 18th birthday', () => {
    const JUNE_BORN = '2008-06-15'; // turns 18 at 2026-06-15T00:00:00-04:00 = 04:00 UTC

    it('ends links at 00:00 in New York, not a second before', async () => {
      const patient = await createPatient(db(), { birthDate: JUNE_BORN });
      const parent = await familyAccount(db(), 'parent');
      await linkHolder(db(), parent.id, patient.id, 'parent');

      expect((await run('2026-06-15T03:59:59Z')).linksEnded, '23:59:59 the day before').to.equal(0);
      expect(await currentLinks(patient.id)).to.deep.equal([parent.id]);
      expect((await run('2026-06-15T04:00:00Z')).linksEnded, '00:00 on the birthday').to.equal(1);
      expect(await currentLinks(patient.id)).to.deep.equal([]);
      expect(await endedReasons(patient.id)).to.deep.equal([[parent.id, 'turned-18']]);
    });

    it('for someone born on 29 February, counts the birthday as 1 March in other years', async () => {
      const patient = await createPatient(db(), { birthDate: '2008-02-29' });
      const parent = await familyAccount(db(), 'parent');
      await linkHolder(db(), parent.id, patient.id, 'parent');

      expect((await run('2025-11-30T23:59:59-05:00')).remindersSent, '91 days before 1 March').to.equal(0);
      expect((await run('2025-12-01T00:00:00-05:00')).remindersSent, '90 days before 1 March').to.equal(1);
      expect((await run('2026-02-22T00:00:00-05:00')).remindersSent, '7 days before 1 March').to.equal(1);
      expect((await run('2026-02-28T23:59:59-05:00')).linksEnded, 'the end of 28 February').to.equal(0);
      expect(await currentLinks(patient.id)).to.deep.equal([parent.id]);
      expect((await run('2026-03-01T00:00:00-05:00')).linksEnded, '00:00 on 1 March').to.equal(1);
      const emails = await emailsTo(db(), parent.email);
      expect(emails.map((email) => email.template)).to.deep.equal(['turning18Reminder', 'turning18Reminder', 'accessEndedAt18']);
      expect(emails.slice(0, 2).map((email) => /turns 18 (in \d+ days)/.exec(email.text)?.[1])).to.deep.equal(['in 90 days', 'in 7 days']);
    });

    it('keeps the patient\'s own link and a court-appointed guardian with accepted papers; ends, audits and tells the others', async () => {
      const patient = await createPatient(db(), { birthDate: JUNE_BORN, email: `patient-${Date.now()}@example.com` });
      const parent = await familyAccount(db(), 'parent');
      const papered = await familyAccount(db(), 'papered');
      const unpapered = await familyAccount(db(), 'unpapered');
      const self = await familyAccount(db(), 'self');
      await linkHolder(db(), parent.id, patient.id, 'parent');
      await linkHolder(db(), papered.id, patient.id, 'court-appointed-guardian');
      await linkHolder(db(), unpapered.id, patient.id, 'court-appointed-guardian');
      await linkHolder(db(), self.id, patient.id, 'self');
      await acceptPapers(await createPapers(db(), { patientId: patient.id, accountId: papered.id, uploadedBy: await supportWorker() }));
      await createPapers(db(), { patientId: patient.id, accountId: unpapered.id, uploadedBy: await supportWorker() }); // still pending

      const summary = await run('2026-06-15T00:30:00-04:00');
      expect(summary).to.deep.equal({ remindersSent: 0, linksEnded: 2, ownAccountEmailsSent: 0 });
      expect(await currentLinks(patient.id)).to.deep.equal([papered.id, self.id].sort((a, b) => a - b));
      expect(await endedReasons(patient.id)).to.deep.equal([[parent.id, 'turned-18'], [unpapered.id, 'turned-18']].sort((a, b) => Number(a[0]) - Number(b[0])));

      const audits = await db()('audit_events').where({ action: 'end-access-at-18' }).orderBy('id').select('actor_type', 'actor_id', 'subject_type', 'subject_id', 'outcome', 'reason');
      expect(audits).to.have.deep.members([
        { actor_type: 'system', actor_id: null, subject_type: 'patient', subject_id: patient.id, outcome: 'success', reason: `account ${parent.id}` },
        { actor_type: 'system', actor_id: null, subject_type: 'patient', subject_id: patient.id, outcome: 'success', reason: `account ${unpapered.id}` },
      ]);

      for (const ended of [parent, unpapered]) {
        const emails = await emailsTo(db(), ended.email);
        expect(emails.map((email) => email.template)).to.deep.equal(['accessEndedAt18']);
        expect(emails[0]?.subject).to.equal("Your access to a patient's record has ended");
        expectNoPatientDetails([emails[0]?.text ?? ''], patient);
      }
      expect(await emailsTo(db(), papered.email)).to.deep.equal([]);
      expect(await emailsTo(db(), self.email)).to.deep.equal([]);
      // The patient already has their own account: no invitation to set one up.
      expect(await db()('signup_tokens').where({ patient_id: patient.id })).to.deep.equal([]);
    });

    it('sends nothing twice, however often it runs, even on two instances at once', async () => {
      const patient = await createPatient(db(), { birthDate: JUNE_BORN, email: `patient-${Date.now()}@example.com` });
      const parents = [await familyAccount(db(), 'mother'), await familyAccount(db(), 'father')];
      for (const parent of parents) await linkHolder(db(), parent.id, patient.id, 'parent');

      const [first, second] = await Promise.all([run('2026-06-15T01:00:00-04:00'), run('2026-06-15T01:00:00-04:00')]);
      expect((first?.linksEnded ?? 0) + (second?.linksEnded ?? 0)).to.equal(2);
      expect((first?.ownAccountEmailsSent ?? 0) + (second?.ownAccountEmailsSent ?? 0)).to.equal(1);
      expect(await run('2026-06-15T02:00:00-04:00')).to.deep.equal({ remindersSent: 0, linksEnded: 0, ownAccountEmailsSent: 0 });
      expect(await run('2026-07-01T00:00:00-04:00')).to.deep.equal({ remindersSent: 0, linksEnded: 0, ownAccountEmailsSent: 0 });

      for (const parent of parents) expect(await emailsTo(db(), parent.email)).to.have.length(1);
      expect(await db()('email_outbox').count({ count: '*' }).first()).to.deep.equal({ count: 3 });
      expect(await db()('audit_events').where({ action: 'end-access-at-18' }).count({ count: '*' }).first()).to.deep.equal({ count: 2 });
      expect(await db()('signup_tokens').where({ patient_id: patient.id }).count({ count: '*' }).first()).to.deep.equal({ count: 1 });
      expect(await db()('family_notices').where({ patient_id: patient.id }).orderBy('notice').pluck('notice')).to.deep.equal(['access-ended-at-18', 'access-ended-at-18', 'own-account-at-18']);
    });

    it('emails the patient, in their language, a sign-up link and a token that links their own account', async () => {
      const address = `patient-${Date.now()}@example.com`;
      const patient = await createPatient(db(), { birthDate: JUNE_BORN, email: address, givenNames: 'Valentina', familyName: 'Zubiaurre' });
      await db()('patients').where({ id: patient.id }).update({ preferred_language: 'es' });
      const parent = await familyAccount(db(), 'parent');
      await linkHolder(db(), parent.id, patient.id, 'parent');

      const birthday = '2026-06-15T00:00:00-04:00';
      expect((await run(birthday)).ownAccountEmailsSent).to.equal(1);
      const [email, ...others] = await emailsTo(db(), address);
      expect(others).to.deep.equal([]);
      expect(email?.template).to.equal('ownAccountAt18');
      expect(email?.subject).to.equal("Cree su propia cuenta de MyChildren's");
      expect(email?.text).to.include(`${subject.config.publicUrl}/signup`);
      expect(email?.text).to.include('Ya no es posible dar acceso a su expediente a sus padres');
      expectNoPatientDetails([email?.text ?? ''], patient);
      const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(email?.text ?? '')?.[0];
      expect(code, 'a sign-up code in the email').to.be.a('string');
      const [token] = await db()('signup_tokens').where({ patient_id: patient.id }).select('issued_by_account_id');
      expect(token).to.deep.equal({ issued_by_account_id: null });
      expect(await db()('audit_events').where({ action: 'issue-signup-token', subject_id: patient.id }).pluck('actor_type')).to.deep.equal(['system']);

      // The patient signs up with their own address and adds themself with the code.
      const ownAccount = await findAccountById(db(), (await familyAccount(db(), 'now-adult')).id);
      const later = at('2026-06-20T10:00:00-04:00');
      const outcome = await addPatientByToken({ ...deps, now: () => later }, ownAccount!, { code: code!, birthDate: JUNE_BORN, relationship: 'self' }, {});
      expect(outcome).to.deep.equal({ outcome: 'linked', patientId: patient.id });
      expect(await currentLinks(patient.id)).to.deep.equal([ownAccount!.id]);
    });

    it('writes to the patient in English when the record\'s language is neither English nor Spanish', async () => {
      const address = `patient-${Date.now()}@example.com`;
      const patient = await createPatient(db(), { birthDate: JUNE_BORN, email: address });
      await db()('patients').where({ id: patient.id }).update({ preferred_language: 'fr' });
      await linkHolder(db(), (await familyAccount(db(), 'parent')).id, patient.id, 'parent');
      await run('2026-06-15T00:00:00-04:00');
      expect((await emailsTo(db(), address)).map((email) => email.subject)).to.deep.equal(["Set up your own MyChildren's account"]);
    });

    it('skips the patient\'s email when the record has no address, and records no notice for it', async () => {
      const patient = await createPatient(db(), { birthDate: JUNE_BORN });
      const parent = await familyAccount(db(), 'parent');
      await linkHolder(db(), parent.id, patient.id, 'parent');
      expect(await run('2026-06-15T00:00:00-04:00')).to.deep.equal({ remindersSent: 0, linksEnded: 1, ownAccountEmailsSent: 0 });
      expect(await db()('family_notices').where({ patient_id: patient.id }).pluck('notice')).to.deep.equal(['access-ended-at-18']);
      expect(await db()('signup_tokens').where({ patient_id: patient.id })).to.deep.equal([]);
      expect(await emailsTo(db(), parent.email)).to.have.length(1);
    });

    it('works through more patients than one batch holds', async () => {
      const parent = await familyAccount(db(), 'big-family');
      const count = TURNING_18_BATCH_SIZE + 5;
      for (let i = 0; i < count; i++) await linkHolder(db(), parent.id, (await createPatient(db(), { birthDate: JUNE_BORN })).id, 'parent');
      expect((await run('2026-06-15T00:00:00-04:00')).linksEnded).to.equal(count);
      expect(await db()('patient_links').whereNull('ended_at').count({ count: '*' }).first()).to.deep.equal({ count: 0 });
    });
  });

  describe('the schedule', () => {
    it('registers an hourly schedule in hospital time, and its worker runs with the real clock', async () => {
      await startTurning18Job({ ...deps, logger: pino({ level: 'silent' }) });
      const schedules = await subject.queue.getSchedules();
      expect(schedules.map((schedule) => [schedule.name, schedule.cron, schedule.options?.tz])).to.deep.equal([[QUEUES.turning18, TURNING_18_SCHEDULE, 'America/New_York']]);

      // Someone who turned 18 a year ago, still linked to a parent: the next run ends it.
      const patient = await createPatient(db(), { birthDate: `${new Date().getUTCFullYear() - 19}-01-15` });
      await linkHolder(db(), (await familyAccount(db(), 'parent')).id, patient.id, 'parent');
      await subject.queue.send(QUEUES.turning18, {});
      await eventually('the worker to end the link', async () => ((await currentLinks(patient.id)).length ? undefined : true));
      expect(await endedReasons(patient.id)).to.have.length(1);
    });
  });
});
