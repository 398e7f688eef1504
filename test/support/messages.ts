// Message threads made directly in the test database (for the page gates' fixtures, which have
// only the database): a clinic's care team, and a family's thread to it with its first message.
// Tests of the messaging pages themselves start threads through the real services instead.
import type { Knex } from 'knex';
import { insertAttachment, insertMessage, insertThread, updateThreadAfterMessage } from '../../data/messages.ts';
import type { MessageSubject } from '../../domain/messaging.ts';
import { ensureClinic } from './record.ts';

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
