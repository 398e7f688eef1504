// Stores one message, its attachments and the thread's new due state, inside the caller's
// transaction: if any part fails, the transaction (and with it the message) is rolled back.
import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type nunjucks from 'nunjucks';
import { insertAttachment, insertMessage, updateThreadAfterMessage } from '../../data/messages.ts';
import { ANSWER_WITHIN_BUSINESS_DAYS, dueAfterMessage, type MessageAuthorKind } from '../../domain/messaging.ts';
import { dueAfterBusinessDays } from '../businessCalendar.ts';
import type { ReceivedFile } from './receivedFile.ts';
import type { ThreadRow } from '../../data/messages.ts';
import { familyMaySeeThread, familyThreadListVisibility, type FamilyViewer, type ThreadListVisibility } from '../../domain/adolescentPrivacy.ts';

export interface MessagingDeps {
  db: Knex;
  config: Config;
  now: () => Date;
  queue: JobQueue;
  views: nunjucks.Environment;
}

export interface NewMessage {
  authorKind: MessageAuthorKind;
  authorAccountId: number;
  body: string;
  /** Checked uploads waiting on disk; the caller removes the files afterwards, stored or not. */
  attachments: readonly ReceivedFile[];
}

/** When the answer to a family message sent at `sentAt` is due. */
export function answerDueFor(config: Pick<Config, 'businessCalendar' | 'hospital'>, sentAt: Date): Date {
  return dueAfterBusinessDays(config, sentAt, ANSWER_WITHIN_BUSINESS_DAYS);
}

export async function storeMessage(
  trx: Knex.Transaction,
  deps: Pick<MessagingDeps, 'config'>,
  thread: { id: number; awaitingSince: Date | null; dueAt: Date | null },
  message: NewMessage,
  sentAt: Date,
): Promise<{ messageId: number; dueAt: Date | null }> {
  const messageId = await insertMessage(trx, { threadId: thread.id, authorKind: message.authorKind, authorAccountId: message.authorAccountId, body: message.body, sentAt });
  // One file at a time, so a message at the size limit holds one file in memory, not all of them.
  for (const file of message.attachments) {
    await insertAttachment(trx, { messageId, displayName: file.displayName, contentType: file.contentType, content: await readFile(file.path) });
  }
  const dueAt = dueAfterMessage(thread.dueAt, message.authorKind, sentAt, (at) => answerDueFor(deps.config, at));
  const awaitingSince = message.authorKind === 'staff' ? null : (thread.awaitingSince ?? sentAt);
  await updateThreadAfterMessage(trx, thread.id, { lastMessageAt: sentAt, awaitingSince, dueAt });
  return { messageId, dueAt };
}

/**
 * May this family member see the thread, opened under this patient? The one check the family's
 * pages and the care team's reply emails share, so they never disagree about who sees a thread.
 */
export function mayFamilySee(deps: Pick<MessagingDeps, 'config'>, thread: ThreadRow, patientId: number, viewer: FamilyViewer): boolean {
  return (
    thread.patientId === patientId &&
    familyMaySeeThread({ viewer, familyParty: thread.familyParty, startedAt: thread.startedAt, patientBirthDate: thread.patientBirthDate, timeZone: deps.config.hospital.timeZone }).allowed
  );
}

/** mayFamilySee for a list of one patient's threads read in SQL (data/messages.ts familyThreadsPage). */
export function familyListVisibility(deps: Pick<MessagingDeps, 'config'>, patientBirthDate: string, viewer: FamilyViewer): ThreadListVisibility {
  return familyThreadListVisibility({ viewer, patientBirthDate, timeZone: deps.config.hospital.timeZone });
}
