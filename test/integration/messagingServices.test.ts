// Secure messaging below the routes, against real PostgreSQL: starting threads with 0, 1 and 10
// attachments in one transaction, due dates from the business calendar, who on the family side
// sees which thread (adolescent rules, and after 18), unread counts, the care team's inbox,
// assigning and closing, the reply email, and the audit trail.
import { randomBytes } from 'node:crypto';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { temporaryDirectory } from '../support/database.ts';
import { bornYearsAgo, createPapers, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { createAccount, emailsTo } from '../support/identity.ts';
import { addCareTeam, addEncounter, addPractitioner, ensureClinic } from '../support/record.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';
import type { ReceivedFile } from '../../services/messaging/receivedFile.ts';
import { composeChoices, familyAttachment, familyMailbox, familyReply, openThread, startThread, unreadCounts, type MessagingDeps } from '../../services/messaging/threads.ts';
import { assignThread, closeThread, inboxFor, staffAttachment, staffOpenThread, staffReply } from '../../services/messaging/careTeamInbox.ts';
import { birthdayInstant } from '../../domain/age.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../data/migrate.ts';
import { insertMessage } from '../../data/messages.ts';
import { MESSAGE_BODY_MAX_LENGTH, MESSAGES_PER_PAGE, type Recipient } from '../../domain/messaging.ts';

const ORIGIN = { ip: '203.0.113.7', requestId: 'req-messaging' };
// Friday 4 December 2026, 18:00 in New York (after business hours).
const FRIDAY_1800 = new Date('2026-12-04T23:00:00Z');
// Wednesday 9 December 2026, 17:00 in New York.
const WEDNESDAY_1700 = new Date('2026-12-09T22:00:00Z');
const CARDIOLOGY: Recipient = { kind: 'clinic', departmentCode: 'CARD' };

describe('messaging services', function () {
  this.timeout(60000);
  let subject: TestApp;
  let deps: MessagingDeps;
  let current: Date;
  let files: { path: string; remove(): Promise<void> };
  const db = () => subject.database.db;
  const advanceHours = (hours: number) => (current = new Date(current.getTime() + hours * 3600_000));

  beforeEach(async () => {
    current = FRIDAY_1800;
    subject = await buildTestApp();
    deps = { db: subject.database.db, config: subject.config, queue: subject.queue, views: createViewEnvironment({ reloadTemplates: false, timeZone: 'America/New_York' }), now: () => current };
    files = await temporaryDirectory('messaging-test-');
  });
  afterEach(async () => {
    await files.remove();
    await subject.close();
  });

  let fileCount = 0;
  async function receivedFile(size = 2000, contentType = 'application/pdf', displayName = `scan ${++fileCount}.pdf`): Promise<ReceivedFile & { content: Buffer }> {
    const content = randomBytes(size);
    const filePath = path.join(files.path, `upload-${++fileCount}`);
    await writeFile(filePath, content);
    return { displayName, contentType, size, path: filePath, content };
  }

  interface World {
    patient: TestPatient;
    parent: { id: number; email: string };
    otherParent: { id: number; email: string };
    teen: { id: number; email: string };
    nurse: number;
    colleague: number;
    outsider: number;
    doctorId: number;
    doctorNurse: number;
  }

  /** A 15-year-old with their own account, two parents, a cardiology visit and a doctor on the care team. */
  async function world(birthDate = bornYearsAgo(15, current)): Promise<World> {
    const patient = await createPatient(db(), { birthDate, givenNames: 'Quinby', familyName: 'Marchetti' });
    const parent = await familyAccount(db(), 'parent');
    const otherParent = await familyAccount(db(), 'other-parent');
    const teen = await familyAccount(db(), 'teen');
    const linkedAt = new Date(current.getTime() - 86_400_000);
    await linkHolder(db(), parent.id, patient.id, 'parent', linkedAt);
    await linkHolder(db(), otherParent.id, patient.id, 'parent', linkedAt);
    await linkHolder(db(), teen.id, patient.id, 'self', linkedAt);
    await ensureClinic(db(), 'CARD', 'Cardiology');
    await ensureClinic(db(), 'DERM', 'Dermatology');
    await addEncounter(db(), patient.id, { start: new Date('2026-06-01T14:00:00Z'), reason: 'Check-up', department: 'CARD' });
    const doctorId = await addPractitioner(db(), { familyName: 'Okafor', givenNames: 'Ada' });
    await addCareTeam(db(), patient.id, [{ practitionerId: doctorId, role: 'attending' }]);
    const staff = async (label: string) => createAccount(db(), { kind: 'staff', email: `${label}-${randomBytes(3).toString('hex')}@example.com`, roles: ['care-team'] });
    const nurse = await staff('nurse');
    const colleague = await staff('colleague');
    const outsider = await staff('outsider');
    const doctorNurse = await staff('doctor-nurse');
    await db()('care_team_staff').insert([
      { account_id: nurse, department_code: 'CARD' },
      { account_id: colleague, department_code: 'CARD' },
      { account_id: outsider, department_code: 'DERM' },
      { account_id: doctorNurse, practitioner_id: doctorId },
    ]);
    return { patient, parent, otherParent, teen, nurse, colleague, outsider, doctorId, doctorNurse };
  }

  const start = (accountId: number, patientId: number, more: { attachments?: ReceivedFile[]; body?: string; recipient?: Recipient; subject?: string } = {}) =>
    startThread(deps, { accountId, patientId, recipient: more.recipient ?? CARDIOLOGY, subject: more.subject ?? 'medical-question', body: more.body ?? 'A question for the clinic.', attachments: more.attachments ?? [] }, ORIGIN);
  async function started(accountId: number, patientId: number, more: Parameters<typeof start>[2] = {}): Promise<number> {
    const outcome = await start(accountId, patientId, more);
    if (outcome.outcome !== 'started') throw new Error(`not started: ${JSON.stringify(outcome)}`);
    return outcome.threadId;
  }
  const counts = async () => {
    const count = async (table: string) => Number((await db()(table).count<{ count: string }>('* as count').first())?.count);
    return { threads: await count('message_threads'), messages: await count('messages'), attachments: await count('message_attachments') };
  };

  describe('starting a thread', () => {
    for (const attachmentCount of [0, 1, 10]) {
      it(`stores the thread, the first message and ${attachmentCount} attachment(s) byte for byte, and leaves the temporary files to the caller`, async () => {
        const { patient, parent } = await world();
        const uploads = await Promise.all(Array.from({ length: attachmentCount }, (_, index) => receivedFile(1000 + index * 517, index % 2 ? 'image/png' : 'application/pdf')));
        const threadId = await started(parent.id, patient.id, { attachments: uploads, subject: 'photo-upload' });

        const opened = await openThread(deps, parent.id, patient.id, threadId, ORIGIN);
        expect(opened?.thread.subject).to.equal('photo-upload');
        expect(opened?.thread.familyParty).to.equal('guardian');
        expect(opened?.thread.recipientName).to.equal('Cardiology');
        expect(opened?.messages).to.have.length(1);
        const stored = opened!.messages[0]!.attachments;
        expect(stored.map((file) => [file.displayName, file.contentType, file.size])).to.deep.equal(uploads.map((file) => [file.displayName, file.contentType, file.size]));
        for (const [index, summary] of stored.entries()) {
          const download = await familyAttachment(deps, parent.id, patient.id, summary.id, ORIGIN);
          expect(Buffer.compare(download!.content, uploads[index]!.content), summary.displayName).to.equal(0);
        }
        for (const upload of uploads) await access(upload.path); // still there: the caller removes them
        expect(await counts()).to.deep.equal({ threads: 1, messages: 1, attachments: attachmentCount });
      });
    }

    it('offers the care-team practitioner and the clinics of visits, and refuses any other recipient', async () => {
      const { patient, parent, doctorId } = await world();
      const choices = await composeChoices(deps, parent.id, patient.id, ORIGIN);
      expect(choices?.recipients.map((choice) => choice.recipient)).to.deep.equal([{ kind: 'practitioner', practitionerId: doctorId }, CARDIOLOGY]);
      expect(await start(parent.id, patient.id, { recipient: { kind: 'clinic', departmentCode: 'DERM' } })).to.deep.equal({ outcome: 'invalid', field: 'recipient' });
      expect(await start(parent.id, patient.id, { recipient: { kind: 'practitioner', practitionerId: doctorId + 1000 } })).to.deep.equal({ outcome: 'invalid', field: 'recipient' });
      expect(await start(parent.id, patient.id, { subject: 'gossip' })).to.deep.equal({ outcome: 'invalid', field: 'subject' });
      expect(await start(parent.id, patient.id, { body: '  \n ' })).to.deep.equal({ outcome: 'invalid', field: 'body' });
      expect((await start(parent.id, patient.id, { recipient: { kind: 'practitioner', practitionerId: doctorId } })).outcome).to.equal('started');
      expect((await counts()).threads).to.equal(1);
    });

    it('answers not-found for a patient the account is not linked to, and stores nothing', async () => {
      const { patient } = await world();
      const stranger = await familyAccount(db(), 'stranger');
      expect(await start(stranger.id, patient.id)).to.deep.equal({ outcome: 'not-found' });
      expect(await composeChoices(deps, stranger.id, patient.id, ORIGIN)).to.equal(undefined);
      expect((await counts()).threads).to.equal(0);
    });

    it('stores nothing when an attachment cannot be read from its temporary file', async () => {
      const { patient, parent } = await world();
      const good = await receivedFile();
      const missing = { ...(await receivedFile()), path: path.join(files.path, 'gone') };
      let failure: unknown;
      await start(parent.id, patient.id, { attachments: [good, missing] }).catch((error) => (failure = error));
      expect(failure, 'the failure reaches the caller').to.be.instanceOf(Error);
      expect(await counts()).to.deep.equal({ threads: 0, messages: 0, attachments: 0 });
    });

    it('rolls back the thread and its message when the database refuses an attachment, and a reply too', async () => {
      const { patient, parent } = await world();
      const threadId = await started(parent.id, patient.id);
      const before = await db()('message_threads').where({ id: threadId }).first('due_at', 'last_message_at');
      // The second attachment of any message fails inside PostgreSQL.
      await db().raw(`
        CREATE FUNCTION refuse_second_attachment() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM message_attachments WHERE message_id = NEW.message_id) THEN RAISE EXCEPTION 'disk full (test)'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_second_attachment BEFORE INSERT ON message_attachments FOR EACH ROW EXECUTE FUNCTION refuse_second_attachment();`);
      const uploads = [await receivedFile(), await receivedFile()];
      await start(parent.id, patient.id, { attachments: uploads }).then(
        () => expect.fail('the start should fail'),
        (error: Error) => expect(error.message).to.include('disk full'),
      );
      advanceHours(1);
      await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'More', attachments: uploads }, ORIGIN).then(
        () => expect.fail('the reply should fail'),
        (error: Error) => expect(error.message).to.include('disk full'),
      );
      expect(await counts()).to.deep.equal({ threads: 1, messages: 1, attachments: 0 });
      expect(await db()('message_threads').where({ id: threadId }).first('due_at', 'last_message_at')).to.deep.equal(before);
      // One attachment still goes through: the trigger is what failed, not the store.
      expect((await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'One file', attachments: [uploads[0]!] }, ORIGIN)).outcome).to.equal('sent');
    });
  });

  describe('due dates', () => {
    it('Friday 18:00 → due Wednesday 17:00; a second family message keeps it; an answer clears it; the next question starts again', async () => {
      const { patient, parent, nurse } = await world();
      const outcome = await start(parent.id, patient.id);
      expect(outcome).to.deep.include({ outcome: 'started', dueAt: WEDNESDAY_1700 });
      const threadId = (outcome as { threadId: number }).threadId;
      const dueAt = async () => (await db()('message_threads').where({ id: threadId }).first('due_at', 'awaiting_since')) as { due_at: Date | null; awaiting_since: Date | null };
      expect(await dueAt()).to.deep.equal({ due_at: WEDNESDAY_1700, awaiting_since: FRIDAY_1800 });

      advanceHours(62); // Monday 08:00
      await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'Also…', attachments: [] }, ORIGIN);
      expect(await dueAt()).to.deep.equal({ due_at: WEDNESDAY_1700, awaiting_since: FRIDAY_1800 });

      advanceHours(2); // Monday 10:00
      expect((await staffReply(deps, nurse, { threadId, body: 'Answer', attachments: [] }, ORIGIN)).outcome).to.equal('sent');
      expect(await dueAt()).to.deep.equal({ due_at: null, awaiting_since: null });

      advanceHours(1); // Monday 11:00 (in business hours: counts from Monday → due Wednesday 17:00)
      await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'Thanks, one more thing', attachments: [] }, ORIGIN);
      expect((await dueAt()).due_at).to.deep.equal(WEDNESDAY_1700);
      expect((await dueAt()).awaiting_since).to.deep.equal(current);
      const opened = await openThread(deps, parent.id, patient.id, threadId, ORIGIN);
      expect(opened?.thread.dueAt, 'the thread shows the date to expect an answer by').to.deep.equal(WEDNESDAY_1700);
    });
  });

  describe('who on the family side sees a thread', () => {
    it("hides a teen's thread from the parents and a parent's thread from the teen, everywhere", async () => {
      const { patient, parent, otherParent, teen } = await world();
      const teenFile = await receivedFile();
      const parentFile = await receivedFile();
      const teenThread = await started(teen.id, patient.id, { attachments: [teenFile], body: 'Teen private question' });
      const parentThread = await started(parent.id, patient.id, { attachments: [parentFile], body: 'Parent question' });
      const attachmentOf = async (threadId: number) => Number((await db()('message_attachments as f').join('messages as m', 'm.id', 'f.message_id').where('m.thread_id', threadId).first('f.id')).id);

      const sentIds = async (accountId: number) => (await familyMailbox(deps, accountId, patient.id, 'sent', ORIGIN))!.threads.items.map((thread) => thread.id);
      expect(await sentIds(teen.id)).to.deep.equal([teenThread]);
      expect(await sentIds(parent.id)).to.deep.equal([parentThread]);
      expect(await sentIds(otherParent.id), 'the other parent sees the parents’ thread').to.deep.equal([parentThread]);

      expect(await openThread(deps, parent.id, patient.id, teenThread, ORIGIN)).to.equal(undefined);
      expect(await openThread(deps, teen.id, patient.id, parentThread, ORIGIN)).to.equal(undefined);
      expect(await openThread(deps, otherParent.id, patient.id, parentThread, ORIGIN)).to.not.equal(undefined);
      expect(await familyAttachment(deps, parent.id, patient.id, await attachmentOf(teenThread), ORIGIN)).to.equal(undefined);
      expect(await familyAttachment(deps, teen.id, patient.id, await attachmentOf(parentThread), ORIGIN)).to.equal(undefined);
      expect(await familyAttachment(deps, teen.id, patient.id, await attachmentOf(teenThread), ORIGIN)).to.not.equal(undefined);
      expect(await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId: teenThread, body: 'Let me in', attachments: [] }, ORIGIN)).to.deep.equal({ outcome: 'not-found' });
      expect((await counts()).messages).to.equal(2);

      // A thread of another patient, asked for under this patient's id, is not there either.
      const sibling = await createPatient(db(), { birthDate: bornYearsAgo(8, current) });
      await linkHolder(db(), parent.id, sibling.id, 'parent');
      await addEncounter(db(), sibling.id, { start: new Date('2026-05-01T14:00:00Z'), reason: 'Visit', department: 'CARD' });
      const siblingThread = await started(parent.id, sibling.id);
      expect(await openThread(deps, parent.id, patient.id, siblingThread, ORIGIN)).to.equal(undefined);
      expect(await openThread(deps, parent.id, sibling.id, siblingThread, ORIGIN)).to.not.equal(undefined);
    });

    it('keeps threads begun before 18 with the side that wrote them; threads begun after 18 are seen by every account holder', async () => {
      // Turns 18 ten days from now; the court-appointed guardian with papers keeps access.
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(18, current, -10) });
      const adult = await familyAccount(db(), 'adult');
      const guardian = await familyAccount(db(), 'guardian');
      await linkHolder(db(), adult.id, patient.id, 'self');
      await linkHolder(db(), guardian.id, patient.id, 'court-appointed-guardian');
      const papers = await createPapers(db(), { patientId: patient.id, accountId: guardian.id, uploadedBy: guardian.id });
      await db()('guardianship_papers').where({ id: papers }).update({ status: 'accepted', reviewed_at: current });
      await ensureClinic(db(), 'CARD', 'Cardiology');
      await addEncounter(db(), patient.id, { start: new Date('2026-06-01T14:00:00Z'), reason: 'Check-up', department: 'CARD' });

      const patientBefore = await started(adult.id, patient.id);
      const guardianBefore = await started(guardian.id, patient.id);
      advanceHours(24 * 20);
      const patientAfter = await started(adult.id, patient.id);
      const guardianAfter = await started(guardian.id, patient.id);

      const visible = async (accountId: number) => (await familyMailbox(deps, accountId, patient.id, 'sent', ORIGIN))!.threads.items.map((thread) => thread.id).sort((a, b) => a - b);
      expect(await visible(adult.id)).to.deep.equal([patientBefore, patientAfter, guardianAfter]);
      expect(await visible(guardian.id)).to.deep.equal([guardianBefore, patientAfter, guardianAfter]);
    });
  });

  describe('lists read a page at a time in SQL', () => {
    it('hides and shows threads begun a millisecond before and exactly at the 18th birthday as the one rule does', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(18, current, -10) });
      const adult = await familyAccount(db(), 'adult');
      const guardian = await familyAccount(db(), 'guardian');
      await linkHolder(db(), adult.id, patient.id, 'self');
      await linkHolder(db(), guardian.id, patient.id, 'court-appointed-guardian');
      const papers = await createPapers(db(), { patientId: patient.id, accountId: guardian.id, uploadedBy: guardian.id });
      await db()('guardianship_papers').where({ id: papers }).update({ status: 'accepted', reviewed_at: current });
      await ensureClinic(db(), 'CARD', 'Cardiology');
      await addEncounter(db(), patient.id, { start: new Date('2026-06-01T14:00:00Z'), reason: 'Check-up', department: 'CARD' });
      const eighteen = birthdayInstant(patient.birthDate, 18, subject.config.hospital.timeZone);

      current = new Date(eighteen.getTime() - 1);
      const justBefore = await started(guardian.id, patient.id);
      current = eighteen;
      const atEighteen = await started(guardian.id, patient.id);
      advanceHours(1);
      // The care team answers both: only the answer in the thread the adult may see is unread news to them.
      const nurse = await createAccount(db(), { kind: 'staff', email: `nurse-${randomBytes(3).toString('hex')}@example.com`, roles: ['care-team'] });
      for (const threadId of [justBefore, atEighteen]) await insertMessage(db(), { threadId, authorKind: 'staff', authorAccountId: nurse, body: 'An answer.', sentAt: current });

      const sent = async (accountId: number) => (await familyMailbox(deps, accountId, patient.id, 'sent', ORIGIN))!;
      expect((await sent(adult.id)).threads.items.map((thread) => thread.id)).to.deep.equal([atEighteen]);
      expect((await sent(guardian.id)).threads.items.map((thread) => thread.id)).to.deep.equal([atEighteen, justBefore]);
      expect((await sent(adult.id)).unreadTotal, 'the hidden thread is not counted either').to.equal(1);
      expect(await unreadCounts(deps, adult.id)).to.deep.equal(new Map([[patient.id, 1]]));
      expect(await openThread(deps, adult.id, patient.id, justBefore, ORIGIN)).to.equal(undefined);
    });

    it('pages the care team inbox: 25 a page in due order, the total counted, a page past the end shows the last', async () => {
      const { patient, parent, nurse } = await world();
      const threads: number[] = [];
      for (let n = 0; n < 30; n += 1) {
        advanceHours(1);
        threads.push(await started(parent.id, patient.id, { body: `question ${n}` }));
      }
      // Same due time (Wednesday 17:00): the longest waiting first.
      const first = await inboxFor(deps, nurse, ORIGIN, 1);
      expect([first.page, first.pageCount, first.total]).to.deep.equal([1, 2, 30]);
      expect(first.items.map((thread) => thread.id)).to.deep.equal(threads.slice(0, 25));
      expect(first.items.every((thread) => thread.unread === 1 && thread.lastFamilyMessageAt !== null && thread.lastStaffMessageAt === null)).to.equal(true);
      const second = await inboxFor(deps, nurse, ORIGIN, 2);
      expect(second.items.map((thread) => thread.id)).to.deep.equal(threads.slice(25));
      const beyond = await inboxFor(deps, nurse, ORIGIN, 9);
      expect([beyond.page, beyond.items.map((thread) => thread.id)]).to.deep.equal([2, threads.slice(25)]);
      // Answered threads have nothing waiting: after every thread still waiting.
      await staffReply(deps, nurse, { threadId: threads[0]!, body: 'Answer', attachments: [] }, ORIGIN);
      expect((await inboxFor(deps, nurse, ORIGIN, 2)).items.map((thread) => thread.id)).to.deep.equal([...threads.slice(26), threads[0]]);
    });

    it('orders the family inbox by the care team’s newest answer and the sent list by the family’s newest message, across pages', async () => {
      const { patient, parent, nurse } = await world();
      const threads: number[] = [];
      for (let n = 0; n < 27; n += 1) {
        advanceHours(1);
        threads.push(await started(parent.id, patient.id, { body: `question ${n}` }));
      }
      // Answered newest thread first; then the family writes again in the first one answered.
      for (const threadId of [...threads].reverse()) {
        advanceHours(1);
        await staffReply(deps, nurse, { threadId, body: 'Answer', attachments: [] }, ORIGIN);
      }
      advanceHours(1);
      await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId: threads[26]!, body: 'Thanks', attachments: [] }, ORIGIN);
      const list = async (box: 'inbox' | 'sent', page: number) => (await familyMailbox(deps, parent.id, patient.id, box, ORIGIN, page))!.threads;

      const inbox1 = await list('inbox', 1);
      expect([inbox1.page, inbox1.pageCount, inbox1.total]).to.deep.equal([1, 2, 27]);
      expect([...inbox1.items, ...(await list('inbox', 2)).items].map((thread) => thread.id), 'by the answer: the first thread was answered last').to.deep.equal(threads);
      const sent = [...(await list('sent', 1)).items, ...(await list('sent', 2)).items].map((thread) => thread.id);
      expect(sent, 'by the family’s newest message').to.deep.equal([threads[26], ...threads.slice(0, 26).reverse()]);
      expect((await familyMailbox(deps, parent.id, patient.id, 'inbox', ORIGIN))!.unreadTotal, 'one answer each, less the one the parent replied after').to.equal(26);
    });

    it('fills in when each side last wrote for threads that existed before the columns (the migration)', async () => {
      const { patient, parent, nurse } = await world();
      const asked = await started(parent.id, patient.id);
      const answered = await started(parent.id, patient.id);
      advanceHours(2);
      await staffReply(deps, nurse, { threadId: answered, body: 'Answer', attachments: [] }, ORIGIN);
      const latest = () => db()('message_threads').orderBy('id').select('id', 'last_staff_message_at', 'last_family_message_at');
      const before = await latest();
      expect(before).to.deep.equal([
        { id: asked, last_staff_message_at: null, last_family_message_at: FRIDAY_1800 },
        { id: answered, last_staff_message_at: current, last_family_message_at: FRIDAY_1800 },
      ]);
      await db().migrate.down({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name: '20261212090000_message_thread_latest.ts' });
      expect(await db().schema.hasColumn('message_threads', 'last_staff_message_at')).to.equal(false);
      await migrateToLatest(db());
      expect(await latest()).to.deep.equal(before);

      // Kept by insertMessage itself (page fixtures insert messages directly), never moved back.
      const older = new Date(FRIDAY_1800.getTime() - 3_600_000);
      await insertMessage(db(), { threadId: asked, authorKind: 'staff', authorAccountId: nurse, body: 'Late copy', sentAt: current });
      await insertMessage(db(), { threadId: asked, authorKind: 'family', authorAccountId: parent.id, body: 'Imported, older', sentAt: older });
      expect((await latest())[0]).to.deep.equal({ id: asked, last_staff_message_at: current, last_family_message_at: FRIDAY_1800 });
    });
  });

  describe('unread counts', () => {
    it('counts the care team’s messages since the reader last opened the thread, per reader; another holder’s are not unread news', async () => {
      const { patient, parent, otherParent, teen, nurse } = await world();
      const threadId = await started(parent.id, patient.id);
      const inbox = async (accountId: number) => (await familyMailbox(deps, accountId, patient.id, 'inbox', ORIGIN))!;

      expect((await inbox(parent.id)).threads.items, 'no answer yet: nothing in the inbox').to.deep.equal([]);
      expect((await inbox(parent.id)).unreadTotal, 'their own message is not unread to them').to.equal(0);
      expect((await inbox(otherParent.id)).unreadTotal, 'the other parent’s question is not an unread answer').to.equal(0);
      expect(await unreadCounts(deps, otherParent.id)).to.deep.equal(new Map([[patient.id, 0]]));

      advanceHours(1);
      await staffReply(deps, nurse, { threadId, body: 'First answer', attachments: [] }, ORIGIN);
      advanceHours(1);
      await staffReply(deps, nurse, { threadId, body: 'Second answer', attachments: [] }, ORIGIN);
      expect((await inbox(parent.id)).threads.items.map((thread) => [thread.id, thread.unread])).to.deep.equal([[threadId, 2]]);
      expect((await inbox(otherParent.id)).unreadTotal).to.equal(2);
      expect(await unreadCounts(deps, teen.id), 'the parents’ thread never counts for the teen').to.deep.equal(new Map([[patient.id, 0]]));

      expect(await unreadCounts(deps, parent.id)).to.deep.equal(new Map([[patient.id, 2]]));
      await openThread(deps, parent.id, patient.id, threadId, ORIGIN);
      expect((await inbox(parent.id)).unreadTotal).to.equal(0);
      expect(await unreadCounts(deps, parent.id)).to.deep.equal(new Map([[patient.id, 0]]));
      expect((await inbox(otherParent.id)).unreadTotal, 'reading is per account').to.equal(2);

      advanceHours(1);
      await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'Thanks', attachments: [] }, ORIGIN);
      expect((await inbox(parent.id)).unreadTotal).to.equal(0);
      expect((await inbox(otherParent.id)).unreadTotal, 'the other parent’s reply is not counted either').to.equal(2);
      const staffView = (await inboxFor(deps, nurse, ORIGIN)).items.find((thread) => thread.id === threadId);
      expect(staffView?.unread, 'the nurse has not read the family’s latest').to.equal(1);
    });
  });

  describe('the care team’s inbox', () => {
    it('lists the threads of the staff member’s clinics and practitioners by due time, overdue marked, and nothing else', async () => {
      const { patient, parent, teen, nurse, outsider, doctorId, doctorNurse } = await world();
      const first = await started(parent.id, patient.id); // Friday 18:00 → due Wednesday 17:00
      advanceHours(15); // Saturday 09:00 → also counts from Monday
      const second = await started(teen.id, patient.id);
      advanceHours(48); // Monday 09:00 → due Wednesday 17:00 too; later id
      const third = await started(parent.id, patient.id);
      advanceHours(24); // Tuesday 09:00 → due Thursday 17:00
      const toDoctor = await started(parent.id, patient.id, { recipient: { kind: 'practitioner', practitionerId: doctorId } });
      advanceHours(1);
      const answered = await started(parent.id, patient.id);
      await staffReply(deps, nurse, { threadId: answered, body: 'Done', attachments: [] }, ORIGIN);

      advanceHours(24 * 1 + 9); // Wednesday 19:00: the three due Wednesday are overdue
      const inbox = (await inboxFor(deps, nurse, ORIGIN)).items;
      expect(inbox.map((thread) => [thread.id, thread.overdue])).to.deep.equal([
        [first, true],
        [second, true],
        [third, true],
        [answered, false],
      ]);
      expect(inbox[0]!.dueAt).to.deep.equal(WEDNESDAY_1700);
      expect(inbox[0]!.waitingBusinessDays, 'Friday evening to Wednesday: Monday, Tuesday, Wednesday').to.equal(3);
      expect(inbox.at(-1)!.waitingBusinessDays, 'nothing waits on an answered thread').to.equal(null);

      const doctorInbox = (await inboxFor(deps, doctorNurse, ORIGIN)).items;
      expect(doctorInbox.map((thread) => [thread.id, thread.overdue, thread.recipientName])).to.deep.equal([[toDoctor, false, 'Ada Okafor, MD']]);
      expect((await inboxFor(deps, outsider, ORIGIN)).items).to.deep.equal([]);
      expect(await staffOpenThread(deps, outsider, first, ORIGIN)).to.equal(undefined);
      expect(await staffReply(deps, outsider, { threadId: first, body: 'Not mine', attachments: [] }, ORIGIN)).to.deep.equal({ outcome: 'not-found' });
    });

    it('assigns to a colleague on the same team only, and closes: the thread leaves the inbox and takes no more replies', async () => {
      const { patient, parent, nurse, colleague, outsider } = await world();
      const threadId = await started(parent.id, patient.id);
      expect(await staffReply(deps, nurse, { threadId, body: ' \n ', attachments: [] }, ORIGIN)).to.deep.equal({ outcome: 'invalid', field: 'body' });
      const tooLong = 'x'.repeat(MESSAGE_BODY_MAX_LENGTH + 1);
      expect(await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: tooLong, attachments: [] }, ORIGIN)).to.deep.equal({ outcome: 'invalid', field: 'body' });
      const opened = await staffOpenThread(deps, nurse, threadId, ORIGIN);
      expect(opened?.colleagues.map((member) => member.accountId).sort((a, b) => a - b)).to.deep.equal([nurse, colleague].sort((a, b) => a - b));

      expect(await assignThread(deps, nurse, threadId, outsider, ORIGIN)).to.deep.equal({ outcome: 'not-on-team' });
      expect(await assignThread(deps, outsider, threadId, outsider, ORIGIN)).to.deep.equal({ outcome: 'not-found' });
      expect(await assignThread(deps, nurse, threadId, colleague, ORIGIN)).to.deep.equal({ outcome: 'assigned' });
      expect((await inboxFor(deps, colleague, ORIGIN)).items.map((thread) => [thread.id, thread.assignedStaffId])).to.deep.equal([[threadId, colleague]]);
      expect((await inboxFor(deps, nurse, ORIGIN)).items.map((thread) => thread.id), 'still in the team inbox').to.deep.equal([threadId]);

      expect(await closeThread(deps, outsider, threadId, ORIGIN)).to.deep.equal({ outcome: 'not-found' });
      expect(await closeThread(deps, colleague, threadId, ORIGIN)).to.deep.equal({ outcome: 'closed' });
      expect(await closeThread(deps, colleague, threadId, ORIGIN)).to.deep.equal({ outcome: 'already-closed' });
      expect((await inboxFor(deps, colleague, ORIGIN)).items).to.deep.equal([]);
      expect(await staffReply(deps, nurse, { threadId, body: 'Late', attachments: [] }, ORIGIN)).to.deep.equal({ outcome: 'closed' });
      expect(await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'Hello?', attachments: [] }, ORIGIN)).to.deep.equal({ outcome: 'closed' });
      expect((await openThread(deps, parent.id, patient.id, threadId, ORIGIN))?.thread.status, 'the family can still read it').to.equal('closed');
      expect((await counts()).messages).to.equal(1);
    });

    it('pages a long thread: the newest messages first, then the ones before, and only reading the newest marks it read', async () => {
      const { patient, parent, nurse } = await world();
      const threadId = await started(parent.id, patient.id, { body: 'message 1' });
      const total = MESSAGES_PER_PAGE * 2 + 3;
      for (let n = 2; n <= total; n += 1) await staffReply(deps, nurse, { threadId, body: `message ${n}`, attachments: [] }, ORIGIN);
      const bodies = (page: { messages: { body: string }[] }) => page.messages.map((message) => Number(message.body.split(' ')[1]));
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

      const older = await openThread(deps, parent.id, patient.id, threadId, ORIGIN, Number.MAX_SAFE_INTEGER);
      expect((await familyMailbox(deps, parent.id, patient.id, 'inbox', ORIGIN))!.unreadTotal, 'an earlier page does not mark the thread read').to.equal(total - 1);
      expect(bodies(older!)).to.deep.equal(range(total - MESSAGES_PER_PAGE + 1, total));

      const newest = (await openThread(deps, parent.id, patient.id, threadId, ORIGIN))!;
      expect(bodies(newest)).to.deep.equal(range(total - MESSAGES_PER_PAGE + 1, total));
      expect((await familyMailbox(deps, parent.id, patient.id, 'inbox', ORIGIN))!.unreadTotal).to.equal(0);
      const middle = (await staffOpenThread(deps, nurse, threadId, ORIGIN, newest.earlierBefore!))!;
      expect(bodies(middle)).to.deep.equal(range(total - 2 * MESSAGES_PER_PAGE + 1, total - MESSAGES_PER_PAGE));
      const first = (await openThread(deps, parent.id, patient.id, threadId, ORIGIN, middle.earlierBefore!))!;
      expect(bodies(first)).to.deep.equal(range(1, 3));
      expect(first.earlierBefore, 'nothing before the first message').to.equal(null);
    });

    it('lets the care team download an attachment of their own threads only', async () => {
      const { patient, parent, nurse, outsider } = await world();
      const upload = await receivedFile();
      const threadId = await started(parent.id, patient.id, { attachments: [upload] });
      const attachmentId = (await staffOpenThread(deps, nurse, threadId, ORIGIN))!.messages[0]!.attachments[0]!.id;
      expect(Buffer.compare((await staffAttachment(deps, nurse, attachmentId, ORIGIN))!.content, upload.content)).to.equal(0);
      expect(await staffAttachment(deps, outsider, attachmentId, ORIGIN)).to.equal(undefined);
    });
  });

  describe('the reply email', () => {
    it('goes to each family member who may see the thread, in their language, and says nothing of the message or the patient', async () => {
      const { patient, parent, otherParent, teen, nurse } = await world();
      await db()('accounts').where({ id: otherParent.id }).update({ preferred_language: 'es' });
      const threadId = await started(parent.id, patient.id);
      const body = 'Your potassium result was 5.9 — please repeat the test';
      const outcome = await staffReply(deps, nurse, { threadId, body, attachments: [await receivedFile(500, 'application/pdf', 'potassium-result.pdf')] }, ORIGIN);
      expect(outcome).to.deep.include({ outcome: 'sent', emailsQueued: 2 });

      const [toParent] = await emailsTo(db(), parent.email);
      const [toOtherParent] = await emailsTo(db(), otherParent.email);
      expect(toParent?.template).to.equal('messageWaiting');
      expect(toParent?.subject).to.equal("You have a new message in MyChildren's");
      expect(toOtherParent?.subject).to.equal("Tiene un mensaje nuevo en MyChildren's");
      expect(toParent?.text).to.include(`/patients/${patient.id}/messages/${threadId}`);
      for (const email of [toParent!, toOtherParent!]) {
        for (const secret of ['potassium', '5.9', 'repeat', patient.givenNames, patient.familyName, patient.mrn, 'Cardiology', 'medical']) {
          expect(`${email.subject}\n${email.text}`.toLowerCase(), secret).not.to.include(secret.toLowerCase());
        }
      }
      expect(await emailsTo(db(), teen.email), 'the teen may not see the parents’ thread').to.deep.equal([]);
      const html = await db()('email_outbox').pluck('html_body');
      for (const page of html) expect(page).not.to.include('potassium');
    });

    it('goes to the teen alone for the teen’s thread, and to no parent whose access has ended', async () => {
      const { patient, parent, otherParent, teen, nurse } = await world();
      await db()('patient_links').where({ account_id: otherParent.id }).update({ ended_at: current, ended_reason: 'ended-by-support' });
      const teenThread = await started(teen.id, patient.id);
      expect(await staffReply(deps, nurse, { threadId: teenThread, body: 'Answer', attachments: [] }, ORIGIN)).to.deep.include({ emailsQueued: 1 });
      expect(await emailsTo(db(), teen.email)).to.have.length(1);
      const parentThread = await started(parent.id, patient.id);
      expect(await staffReply(deps, nurse, { threadId: parentThread, body: 'Answer', attachments: [] }, ORIGIN)).to.deep.include({ emailsQueued: 1 });
      expect(await emailsTo(db(), parent.email)).to.have.length(1);
      expect(await emailsTo(db(), otherParent.email)).to.deep.equal([]);
    });
    it('goes to no parent of a patient who has turned 18, even before the turning-18 job has ended their link', async () => {
      const { patient, parent, otherParent, teen, nurse } = await world(bornYearsAgo(18, current, 1));
      // Begun after 18, the thread is for every holder whose access stands: the parents' does not.
      const threadId = await started(teen.id, patient.id);
      expect(await staffReply(deps, nurse, { threadId, body: 'Answer', attachments: [] }, ORIGIN)).to.deep.include({ emailsQueued: 1 });
      expect(await emailsTo(db(), teen.email)).to.have.length(1);
      expect(await emailsTo(db(), parent.email)).to.deep.equal([]);
      expect(await emailsTo(db(), otherParent.email)).to.deep.equal([]);
    });
  });

  describe('the audit trail', () => {
    it('records every read and change, allowed or refused, with where it came from', async () => {
      const { patient, parent, teen, nurse, colleague, outsider } = await world();
      const upload = await receivedFile();
      const threadId = await started(parent.id, patient.id, { attachments: [upload] });
      await familyMailbox(deps, parent.id, patient.id, 'inbox', ORIGIN);
      await familyMailbox(deps, parent.id, patient.id, 'sent', ORIGIN);
      await openThread(deps, parent.id, patient.id, threadId, ORIGIN);
      await openThread(deps, teen.id, patient.id, threadId, ORIGIN);
      const attachmentId = Number((await db()('message_attachments').first('id')).id);
      await familyAttachment(deps, parent.id, patient.id, attachmentId, ORIGIN);
      await familyAttachment(deps, teen.id, patient.id, attachmentId, ORIGIN);
      await familyReply(deps, { accountId: parent.id, patientId: patient.id, threadId, body: 'More', attachments: [] }, ORIGIN);
      await inboxFor(deps, nurse, ORIGIN);
      await staffOpenThread(deps, nurse, threadId, ORIGIN);
      await staffOpenThread(deps, outsider, threadId, ORIGIN);
      await staffReply(deps, nurse, { threadId, body: 'Answer', attachments: [] }, ORIGIN);
      await staffAttachment(deps, nurse, attachmentId, ORIGIN);
      await assignThread(deps, nurse, threadId, colleague, ORIGIN);
      await closeThread(deps, colleague, threadId, ORIGIN);

      const rows = await db()('audit_events').where({ request_id: ORIGIN.requestId }).orderBy('id').select('actor_type', 'actor_id', 'action', 'subject_type', 'subject_id', 'outcome', 'ip');
      const brief = rows.map((row) => [row.actor_type, Number(row.actor_id), row.action, row.subject_type, row.subject_id === null ? null : Number(row.subject_id), row.outcome]);
      expect(rows.every((row) => row.ip === ORIGIN.ip)).to.equal(true);
      expect(brief).to.deep.equal([
        ['family', parent.id, 'start-message-thread', 'message-thread', threadId, 'success'],
        ['family', parent.id, 'view-messages-inbox', 'patient', patient.id, 'allowed'],
        ['family', parent.id, 'view-messages-sent', 'patient', patient.id, 'allowed'],
        ['family', parent.id, 'view-message-thread', 'patient', patient.id, 'allowed'],
        ['family', parent.id, 'read-message-thread', 'message-thread', threadId, 'allowed'],
        ['family', teen.id, 'view-message-thread', 'patient', patient.id, 'allowed'],
        ['family', teen.id, 'read-message-thread', 'message-thread', threadId, 'refused'],
        ['family', parent.id, 'view-message-attachment', 'patient', patient.id, 'allowed'],
        ['family', parent.id, 'download-message-attachment', 'message-attachment', attachmentId, 'allowed'],
        ['family', teen.id, 'view-message-attachment', 'patient', patient.id, 'allowed'],
        ['family', teen.id, 'download-message-attachment', 'message-attachment', attachmentId, 'refused'],
        ['family', parent.id, 'reply-message-thread', 'message-thread', threadId, 'success'],
        ['staff', nurse, 'view-message-inbox', null, null, 'allowed'],
        ['staff', nurse, 'view-message-thread', 'message-thread', threadId, 'allowed'],
        ['staff', outsider, 'view-message-thread', 'message-thread', threadId, 'refused'],
        ['staff', nurse, 'reply-message-thread', 'message-thread', threadId, 'success'],
        ['staff', nurse, 'download-message-attachment', 'message-attachment', attachmentId, 'allowed'],
        ['staff', nurse, 'assign-message-thread', 'message-thread', threadId, 'success'],
        ['staff', colleague, 'close-message-thread', 'message-thread', threadId, 'success'],
      ]);
    });
  });
});
