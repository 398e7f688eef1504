// A family and a care team to message each other, for the messaging page tests, the browser tests
// and the page gates: a 15-year-old with their own account and a parent, a cardiology visit, a
// doctor on the care team, and a nurse who works the cardiology inbox.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createViewEnvironment } from '../../views/nunjucks.ts';
import type { Config } from '../../config.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { staffReply, type StaffReplyOutcome } from '../../services/messaging/careTeamInbox.ts';
import type { MessagingDeps } from '../../services/messaging/store.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder, type TestPatient } from './family.ts';
import { createAccount } from './identity.ts';
import { addCareTeam, addEncounter, addPractitioner, ensureClinic } from './record.ts';
import { insertAttachment, insertMessage, insertThread, updateThreadAfterMessage } from '../../data/messages.ts';
import type { MessageSubject } from '../../domain/messaging.ts';

export interface MessagingWorld {
  patient: TestPatient;
  parent: { id: number; email: string };
  teen: { id: number; email: string };
  nurse: number;
  doctorId: number;
}

export async function messagingWorld(db: Knex, now = new Date()): Promise<MessagingWorld> {
  const patient = await createPatient(db, { birthDate: bornYearsAgo(15, now), givenNames: 'Quinby', familyName: 'Marchetti' });
  const parent = await familyAccount(db, 'parent');
  const teen = await familyAccount(db, 'teen');
  const linkedAt = new Date(now.getTime() - 86_400_000);
  await linkHolder(db, parent.id, patient.id, 'parent', linkedAt);
  await linkHolder(db, teen.id, patient.id, 'self', linkedAt);
  await ensureClinic(db, 'CARD', 'Cardiology');
  await addEncounter(db, patient.id, { start: new Date(now.getTime() - 30 * 86_400_000), reason: 'Check-up', department: 'CARD' });
  const doctorId = await addPractitioner(db, { familyName: 'Okafor', givenNames: 'Ada', credential: 'MD' });
  await addCareTeam(db, patient.id, [{ practitionerId: doctorId, role: 'attending' }]);
  const nurse = await createAccount(db, { kind: 'staff', email: `nurse-${randomBytes(4).toString('hex')}@example.com`, roles: ['care-team'] });
  await db('care_team_staff').insert({ account_id: nurse, department_code: 'CARD' });
  return { patient, parent, teen, nurse, doctorId };
}

/** The care team's answer in a thread, as the back office would send it (emails the family). */
export async function careTeamAnswers(subject: { config: Config; queue: JobQueue; database: { db: Knex } }, nurse: number, threadId: number, body: string, now = () => new Date()): Promise<StaffReplyOutcome> {
  const deps: MessagingDeps = { db: subject.database.db, config: subject.config, queue: subject.queue, views: createViewEnvironment({ reloadTemplates: false, timeZone: subject.config.hospital.timeZone }), now };
  return staffReply(deps, nurse, { threadId, body, attachments: [] }, { ip: '203.0.113.9', requestId: 'test-care-team' });
}

// Made directly in the database, for fixtures that have only the database: a clinic's care team,
// and a family's thread to it with its first message (the due time given, not worked out).

/** Puts these staff accounts on the clinic's care team (the clinic is made if need be). */
export async function joinClinicTeam(db: Knex, departmentCode: string, clinicName: string, staffIds: number[]): Promise<void> {
  await ensureClinic(db, departmentCode, clinicName);
  await db('care_team_staff').insert(staffIds.map((accountId) => ({ account_id: accountId, department_code: departmentCode })));
}

export interface FamilyThread {
  patientId: number;
  accountId: number;
  departmentCode: string;
  subject?: MessageSubject;
  body: string;
  sentAt: Date;
  /** When the answer is due (the services work it out from the business calendar; fixtures say it). */
  dueAt: Date;
  attachments?: { displayName: string; contentType: string; content: Buffer }[];
}

/** A thread a parent started, waiting for the care team; returns its id and its message's. */
export async function createFamilyThread(db: Knex, thread: FamilyThread): Promise<{ threadId: number; messageId: number }> {
  return db.transaction(async (trx) => {
    const threadId = await insertThread(trx, {
      patientId: thread.patientId,
      recipient: { kind: 'clinic', departmentCode: thread.departmentCode },
      subject: thread.subject ?? 'medical-question',
      familyParty: 'guardian',
      startedByAccountId: thread.accountId,
      startedAt: thread.sentAt,
    });
    const messageId = await insertMessage(trx, { threadId, authorKind: 'family', authorAccountId: thread.accountId, body: thread.body, sentAt: thread.sentAt });
    for (const file of thread.attachments ?? []) await insertAttachment(trx, { messageId, ...file });
    await updateThreadAfterMessage(trx, threadId, { lastMessageAt: thread.sentAt, awaitingSince: thread.sentAt, dueAt: thread.dueAt });
    return { threadId, messageId };
  });
}
