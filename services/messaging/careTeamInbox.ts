// The care team's side of secure messaging, in the back office: the inbox of the clinics and
// practitioners a staff member works for (and threads assigned to them) by due time, opening a
// thread, replying (the family is emailed that a message is waiting, never what it says),
// assigning to a colleague on the same team, closing. Every read and change is audited.
import type { Knex } from 'knex';
import { assignThread as storeAssignee, closeThread as storeClosed, attachmentContent, findAttachment, findThread, isOnTeamOf, markRead, messagesOf, openThreadsPage, teamMembersFor, teamsOfStaff, type MessagePage, type StoredAttachment, type ThreadListRow, type ThreadRow } from '../../data/messages.ts';
import { currentHoldersOf } from '../../data/patientLinks.ts';
import type { Language } from '../../domain/language.ts';
import { isOverdue, isSendableBody, mayReply, MESSAGES_PER_PAGE, THREADS_PER_PAGE } from '../../domain/messaging.ts';
import type { Page } from '../../domain/paging.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { businessDaysOld } from '../businessCalendar.ts';
import { queueEmail } from '../emailOutbox.ts';
import { eligibilityNow } from '../family/linking.ts';
import { viewerOf } from '../family/patientAccess.ts';
import { portalLink } from '../identity/deps.ts';
import { mayFamilySee, storeMessage, type MessagingDeps } from './store.ts';
import type { ReceivedFile } from './receivedFile.ts';

const THREAD = 'message-thread';

/** Where the family reads a thread; the email links here (ids only, nothing about the patient). */
export function familyThreadPath(patientId: number, threadId: number): string {
  return `/patients/${patientId}/messages/${threadId}`;
}

export interface InboxThread extends ThreadListRow {
  overdue: boolean;
  /** Business days since the oldest unanswered family message; null when nothing waits. */
  waitingBusinessDays: number | null;
}

/** A page of the staff member's inbox, the soonest due first, overdue ones marked (audited). */
export async function inboxFor(deps: MessagingDeps, staffId: number, origin: RequestOrigin, requestedPage = 1): Promise<Page<InboxThread>> {
  const now = deps.now();
  const threads = await openThreadsPage(deps.db, staffId, await teamsOfStaff(deps.db, staffId), requestedPage, THREADS_PER_PAGE);
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-message-inbox', outcome: 'allowed', reason: `${threads.total} threads` }, origin);
  return {
    ...threads,
    items: threads.items.map((thread) => ({
      ...thread,
      overdue: isOverdue(thread, now),
      waitingBusinessDays: thread.awaitingSince ? businessDaysOld(deps.config, thread.awaitingSince, now) : null,
    })),
  };
}

/** Staff see a thread when they work its recipient's inbox or it is assigned to them. */
async function staffMaySee(db: Knex, staffId: number, thread: ThreadRow): Promise<boolean> {
  return thread.assignedStaffId === staffId || (await isOnTeamOf(db, staffId, thread.recipient));
}

/** The thread when this staff member may see it; audits the attempt either way. */
async function threadForStaff(db: Knex, staffId: number, threadId: number, action: string, origin: RequestOrigin, options: { forUpdate?: boolean } = {}): Promise<ThreadRow | undefined> {
  const thread = await findThread(db, threadId, options);
  const allowed = !!thread && (await staffMaySee(db, staffId, thread));
  if (!allowed) await recordAudit(db, { actorType: 'staff', actorId: staffId, action, subjectType: THREAD, subjectId: threadId, outcome: 'refused', reason: thread ? 'not-on-care-team' : 'not-found' }, origin);
  return allowed ? thread : undefined;
}

export interface StaffThread extends MessagePage {
  thread: ThreadRow;
  overdue: boolean;
  /** Colleagues on the recipient's team the thread may be assigned to. */
  colleagues: { accountId: number; name: string }[];
}

/** One thread for a staff member (audited): its newest messages (marked read), or those before message `before`. */
export async function staffOpenThread(deps: MessagingDeps, staffId: number, threadId: number, origin: RequestOrigin, before?: number): Promise<StaffThread | undefined> {
  const thread = await threadForStaff(deps.db, staffId, threadId, 'view-message-thread', origin);
  if (!thread) return undefined;
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-message-thread', subjectType: THREAD, subjectId: threadId, outcome: 'allowed', reason: `patient ${thread.patientId}` }, origin);
  const [page, colleagues] = await Promise.all([messagesOf(deps.db, threadId, { before, limit: MESSAGES_PER_PAGE }), teamMembersFor(deps.db, thread.recipient)]);
  const last = page.messages.at(-1);
  if (last && before === undefined) await markRead(deps.db, staffId, threadId, last.id);
  return { thread, ...page, overdue: isOverdue(thread, deps.now()), colleagues };
}

export type StaffReplyOutcome = { outcome: 'sent'; messageId: number; emailsQueued: number } | { outcome: 'not-found' } | { outcome: 'closed' } | { outcome: 'invalid'; field: 'body' };

/**
 * The care team answers: the message (and any attachments) and an email to each family member
 * who may see the thread, in one transaction. The email only says that a message is waiting.
 */
export async function staffReply(deps: MessagingDeps, staffId: number, input: { threadId: number; body: string; attachments: readonly ReceivedFile[] }, origin: RequestOrigin): Promise<StaffReplyOutcome> {
  if (!isSendableBody(input.body)) return { outcome: 'invalid', field: 'body' };
  return deps.db.transaction(async (trx) => {
    const thread = await threadForStaff(trx, staffId, input.threadId, 'reply-message-thread', origin, { forUpdate: true });
    if (!thread) return { outcome: 'not-found' as const };
    if (!mayReply(thread)) {
      await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'reply-message-thread', subjectType: THREAD, subjectId: thread.id, outcome: 'refused', reason: 'closed' }, origin);
      return { outcome: 'closed' as const };
    }
    const sentAt = deps.now();
    const stored = await storeMessage(trx, deps, thread, { authorKind: 'staff', authorAccountId: staffId, body: input.body, attachments: input.attachments }, sentAt);
    await markRead(trx, staffId, thread.id, stored.messageId);
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'reply-message-thread', subjectType: THREAD, subjectId: thread.id, outcome: 'success', reason: `patient ${thread.patientId}` }, origin);
    const emailsQueued = await tellFamily(trx, deps, thread, sentAt);
    return { outcome: 'sent' as const, messageId: stored.messageId, emailsQueued };
  });
}

/** Emails each account holder whose access stands and who may see the thread; returns how many. */
async function tellFamily(trx: Knex.Transaction, deps: MessagingDeps, thread: ThreadRow, now: Date): Promise<number> {
  const timeZone = deps.config.hospital.timeZone;
  let queued = 0;
  for (const holder of await currentHoldersOf(trx, thread.patientId)) {
    const standing = await eligibilityNow(trx, { accountId: holder.accountId, patientId: thread.patientId, patientBirthDate: thread.patientBirthDate, relationship: holder.relationship }, now, timeZone);
    if (!standing.allowed) continue;
    if (!mayFamilySee(deps, thread, thread.patientId, viewerOf(holder.relationship))) continue;
    await queueEmail(trx, deps, {
      to: holder.email,
      template: 'messageWaiting',
      language: holder.preferredLanguage as Language,
      params: { actionUrl: portalLink(deps, 'family', familyThreadPath(thread.patientId, thread.id)) },
    });
    queued += 1;
  }
  return queued;
}

export type AssignOutcome = { outcome: 'assigned' } | { outcome: 'not-found' } | { outcome: 'not-on-team' };

/** Hands the thread to a colleague who works the same clinic's or practitioner's inbox. */
export async function assignThread(deps: MessagingDeps, staffId: number, threadId: number, colleagueId: number, origin: RequestOrigin): Promise<AssignOutcome> {
  return deps.db.transaction(async (trx) => {
    const thread = await threadForStaff(trx, staffId, threadId, 'assign-message-thread', origin, { forUpdate: true });
    if (!thread) return { outcome: 'not-found' as const };
    const audit = (outcome: 'success' | 'refused', reason: string) =>
      recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'assign-message-thread', subjectType: THREAD, subjectId: threadId, outcome, reason }, origin);
    const colleagues = await teamMembersFor(trx, thread.recipient);
    if (!colleagues.some((colleague) => colleague.accountId === colleagueId)) {
      await audit('refused', `account ${colleagueId} not on the care team`);
      return { outcome: 'not-on-team' as const };
    }
    await storeAssignee(trx, threadId, colleagueId);
    await audit('success', `account ${colleagueId}`);
    return { outcome: 'assigned' as const };
  });
}

export type CloseOutcome = { outcome: 'closed' } | { outcome: 'not-found' } | { outcome: 'already-closed' };

export async function closeThread(deps: MessagingDeps, staffId: number, threadId: number, origin: RequestOrigin): Promise<CloseOutcome> {
  return deps.db.transaction(async (trx) => {
    const thread = await threadForStaff(trx, staffId, threadId, 'close-message-thread', origin, { forUpdate: true });
    if (!thread) return { outcome: 'not-found' as const };
    const closed = await storeClosed(trx, threadId, staffId, deps.now());
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'close-message-thread', subjectType: THREAD, subjectId: threadId, outcome: closed ? 'success' : 'refused', reason: closed ? null : 'already-closed' }, origin);
    return closed ? { outcome: 'closed' as const } : { outcome: 'already-closed' as const };
  });
}

/** An attachment for a staff member who may see its thread (audited). */
export async function staffAttachment(deps: MessagingDeps, staffId: number, attachmentId: number, origin: RequestOrigin): Promise<StoredAttachment | undefined> {
  const attachment = await findAttachment(deps.db, attachmentId);
  const thread = attachment && (await findThread(deps.db, attachment.threadId));
  const allowed = !!thread && (await staffMaySee(deps.db, staffId, thread));
  await recordAudit(
    deps.db,
    { actorType: 'staff', actorId: staffId, action: 'download-message-attachment', subjectType: 'message-attachment', subjectId: attachmentId, outcome: allowed ? 'allowed' : 'refused', reason: allowed ? `thread ${thread.id}` : 'not-visible' },
    origin,
  );
  return allowed ? { ...attachment, content: await attachmentContent(deps.db, attachmentId) } : undefined;
}
