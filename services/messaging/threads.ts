// The family's side of secure messaging: whom they may write to, starting a thread, replying,
// the inbox and sent lists per patient with unread counts, opening a thread and downloading an
// attachment. Every read and change is audited; a thread the reader may not see (another
// patient's, or the other side's under the adolescent rules) answers exactly like one that does
// not exist, so the route answers 404.
import type { Knex } from 'knex';
import { careTeamRows } from '../../data/record/healthRecord.ts';
import { clinicVisitsOf, attachmentContent, familyThreadsPage, familyUnreadTotal, findAttachment, findThread, insertThread, markRead, messagesOf, threadsOfPatients, type MessagePage, type StoredAttachment, type ThreadListRow, type ThreadRow } from '../../data/messages.ts';
import type { FamilyViewer } from '../../domain/adolescentPrivacy.ts';
import { careTeamNamedTo } from '../record/familyRecord.ts';
import { isAllowedRecipient, isMessageSubject, isSendableBody, lateAnswer, mayReply, MESSAGES_PER_PAGE, recipientChoices, THREADS_PER_PAGE, type LateAnswer, type Recipient, type RecipientChoice } from '../../domain/messaging.ts';
import type { Page } from '../../domain/paging.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { openPatient, patientsOnAccount, viewerOf, type LinkedPatient, type OpenedPatient } from '../family/patientAccess.ts';
import { familyListVisibility, mayFamilySee, storeMessage, type MessagingDeps } from './store.ts';
import { currentLink } from '../../data/patientLinks.ts';
import { eligibilityNow } from '../family/linking.ts';
import type { ReceivedFile } from './receivedFile.ts';

export type { MessagingDeps };

/** Audit subject of thread-level rows; patient-level "view-…" rows come from openPatient. */
const THREAD = 'message-thread';

/** The holder's standing link to the patient, for changes (which audit themselves, not as views). */
async function standingLink(deps: MessagingDeps, accountId: number, patientId: number): Promise<LinkedPatient | undefined> {
  const link = await currentLink(deps.db, accountId, patientId);
  if (!link) return undefined;
  const standing = await eligibilityNow(deps.db, { accountId, patientId, patientBirthDate: link.birthDate, relationship: link.relationship }, deps.now(), deps.config.hospital.timeZone);
  return standing.allowed ? link : undefined;
}

async function choicesFor(deps: Pick<MessagingDeps, 'db' | 'config'>, patientId: number, viewer: FamilyViewer): Promise<RecipientChoice[]> {
  const [careTeam, visits] = await Promise.all([careTeamRows(deps.db, patientId), clinicVisitsOf(deps.db, patientId)]);
  // A clinician seen only in the teen's confidential care is not offered to a parent (nor named).
  const members = await careTeamNamedTo(deps.db, patientId, careTeam.members, viewer, deps.config.releasePolicy);
  return recipientChoices({ careTeam: members.map((member) => ({ practitionerId: member.id, name: member.name })), visits, viewer });
}

// ——— Compose and send ———

export interface ComposeChoices extends OpenedPatient {
  recipients: RecipientChoice[];
}

/** The compose page: whom this holder may write to about the patient (audited as a view). */
export async function composeChoices(deps: MessagingDeps, accountId: number, patientId: number, origin: RequestOrigin): Promise<ComposeChoices | undefined> {
  const opened = await openPatient(deps, accountId, patientId, 'message-compose', origin);
  if (!opened) return undefined;
  return { ...opened, recipients: await choicesFor(deps, patientId, viewerOf(opened.patient.relationship)) };
}

export interface NewThread {
  accountId: number;
  patientId: number;
  recipient: Recipient;
  subject: string;
  body: string;
  attachments: readonly ReceivedFile[];
}

export type StartOutcome =
  | { outcome: 'started'; threadId: number; dueAt: Date }
  /** Not linked (or no longer): the route answers 404. */
  | { outcome: 'not-found' }
  | { outcome: 'invalid'; field: 'recipient' | 'subject' | 'body' };

/**
 * Starts a thread: the thread, its first message and every attachment in one transaction, so a
 * failure anywhere stores nothing. The attachments' temporary files stay the caller's to remove.
 */
export async function startThread(deps: MessagingDeps, input: NewThread, origin: RequestOrigin): Promise<StartOutcome> {
  const audit = (db: Knex, outcome: 'success' | 'refused', subject: { type: string; id: number }, reason?: string) =>
    recordAudit(db, { actorType: 'family', actorId: input.accountId, action: 'start-message-thread', subjectType: subject.type, subjectId: subject.id, outcome, reason: reason ?? null }, origin);
  const link = await standingLink(deps, input.accountId, input.patientId);
  if (!link) {
    await audit(deps.db, 'refused', { type: 'patient', id: input.patientId }, 'not-linked');
    return { outcome: 'not-found' };
  }
  const viewer = viewerOf(link.relationship);
  if (!isMessageSubject(input.subject)) return { outcome: 'invalid', field: 'subject' };
  if (!isSendableBody(input.body)) return { outcome: 'invalid', field: 'body' };
  if (!isAllowedRecipient(await choicesFor(deps, input.patientId, viewer), input.recipient)) {
    await audit(deps.db, 'refused', { type: 'patient', id: input.patientId }, 'recipient-not-on-care-team');
    return { outcome: 'invalid', field: 'recipient' };
  }
  const subject = input.subject;
  return deps.db.transaction(async (trx) => {
    const sentAt = deps.now();
    const threadId = await insertThread(trx, { patientId: input.patientId, recipient: input.recipient, subject, familyParty: viewer, startedByAccountId: input.accountId, startedAt: sentAt });
    const stored = await storeMessage(trx, deps, { id: threadId, awaitingSince: null, dueAt: null }, { authorKind: 'family', authorAccountId: input.accountId, body: input.body, attachments: input.attachments }, sentAt);
    await markRead(trx, input.accountId, threadId, stored.messageId);
    await audit(trx, 'success', { type: THREAD, id: threadId }, `patient ${input.patientId}`);
    return { outcome: 'started' as const, threadId, dueAt: stored.dueAt as Date };
  });
}

export interface FamilyReply {
  accountId: number;
  patientId: number;
  threadId: number;
  body: string;
  attachments: readonly ReceivedFile[];
}

export type ReplyOutcome = { outcome: 'sent'; messageId: number; dueAt: Date | null } | { outcome: 'not-found' } | { outcome: 'closed' } | { outcome: 'invalid'; field: 'body' };

/** A reply from the family side in a thread they may see; closed threads take no more replies. */
export async function familyReply(deps: MessagingDeps, input: FamilyReply, origin: RequestOrigin): Promise<ReplyOutcome> {
  const audit = (db: Knex, outcome: 'success' | 'refused', reason: string | null) =>
    recordAudit(db, { actorType: 'family', actorId: input.accountId, action: 'reply-message-thread', subjectType: THREAD, subjectId: input.threadId, outcome, reason }, origin);
  const link = await standingLink(deps, input.accountId, input.patientId);
  if (!isSendableBody(input.body)) return { outcome: 'invalid', field: 'body' };
  return deps.db.transaction(async (trx) => {
    const thread = await findThread(trx, input.threadId, { forUpdate: true });
    if (!link || !thread || !mayFamilySee(deps, thread, input.patientId, viewerOf(link.relationship))) {
      await audit(trx, 'refused', link ? 'not-visible' : 'not-linked');
      return { outcome: 'not-found' as const };
    }
    if (!mayReply(thread)) {
      await audit(trx, 'refused', 'closed');
      return { outcome: 'closed' as const };
    }
    const stored = await storeMessage(trx, deps, thread, { authorKind: 'family', authorAccountId: input.accountId, body: input.body, attachments: input.attachments }, deps.now());
    await markRead(trx, input.accountId, thread.id, stored.messageId);
    await audit(trx, 'success', null);
    return { outcome: 'sent' as const, ...stored };
  });
}

// ——— Read ———

export type Mailbox = 'inbox' | 'sent';

/** A thread in a family's list, with whether its answer is late and whom to call. */
export interface FamilyListThread extends ThreadListRow {
  late: LateAnswer;
}

export interface FamilyMailbox extends OpenedPatient {
  /** inbox: threads with an answer from the care team, newest answer first; sent: threads the family side wrote in, newest first. */
  threads: Page<FamilyListThread>;
  /** Unread messages across every thread of the patient this holder may see (both lists). */
  unreadTotal: number;
}

/** A page of a family's inbox or sent list for one patient, with unread counts (audited as a view). */
export async function familyMailbox(deps: MessagingDeps, accountId: number, patientId: number, box: Mailbox, origin: RequestOrigin, requestedPage = 1): Promise<FamilyMailbox | undefined> {
  const opened = await openPatient(deps, accountId, patientId, box === 'inbox' ? 'messages-inbox' : 'messages-sent', origin);
  if (!opened) return undefined;
  const visibility = familyListVisibility(deps, opened.patient.birthDate, viewerOf(opened.patient.relationship));
  const [threads, unreadTotal] = await Promise.all([
    familyThreadsPage(deps.db, { patientId, readerAccountId: accountId, visibility, box }, requestedPage, THREADS_PER_PAGE),
    familyUnreadTotal(deps.db, patientId, accountId, visibility),
  ]);
  const now = deps.now();
  const mainPhone = deps.config.hospital.mainPhone;
  return { ...opened, threads: { ...threads, items: threads.items.map((thread) => ({ ...thread, late: lateAnswer(thread, now, mainPhone) })) }, unreadTotal };
}

/**
 * Unread messages per patient on the account, for a badge beside each patient's messages link.
 * Only counts, of threads the holder may see, so not audited as a view (the lists are).
 */
export async function unreadCounts(deps: MessagingDeps, accountId: number): Promise<Map<number, number>> {
  const links = await patientsOnAccount(deps, accountId);
  const threads = await threadsOfPatients(
    deps.db,
    links.map((link) => link.patientId),
    accountId,
  );
  const counts = new Map<number, number>();
  for (const link of links) {
    const viewer = viewerOf(link.relationship);
    counts.set(link.patientId, threads.filter((thread) => mayFamilySee(deps, thread, link.patientId, viewer)).reduce((sum, thread) => sum + thread.unread, 0));
  }
  return counts;
}

export interface OpenedThread extends OpenedPatient, MessagePage {
  thread: ThreadRow & { late: LateAnswer };
}

/**
 * One thread for a family member (audited): its newest messages, or those before message
 * `before`. Reading the newest marks the thread read. Undefined when the patient is not theirs or
 * the thread is not one they may see.
 */
export async function openThread(deps: MessagingDeps, accountId: number, patientId: number, threadId: number, origin: RequestOrigin, before?: number): Promise<OpenedThread | undefined> {
  const opened = await openPatient(deps, accountId, patientId, 'message-thread', origin);
  if (!opened) return undefined;
  const thread = await findThread(deps.db, threadId);
  const allowed = !!thread && mayFamilySee(deps, thread, patientId, viewerOf(opened.patient.relationship));
  await recordAudit(deps.db, { actorType: 'family', actorId: accountId, action: 'read-message-thread', subjectType: THREAD, subjectId: threadId, outcome: allowed ? 'allowed' : 'refused', reason: allowed ? null : 'not-visible' }, origin);
  if (!thread || !allowed) return undefined;
  const page = await messagesOf(deps.db, threadId, { before, limit: MESSAGES_PER_PAGE });
  const last = page.messages.at(-1);
  if (last && before === undefined) await markRead(deps.db, accountId, threadId, last.id);
  return { ...opened, thread: { ...thread, late: lateAnswer(thread, deps.now(), deps.config.hospital.mainPhone) }, ...page };
}

/** An attachment for download, only to a family member who may see its thread (audited). */
export async function familyAttachment(deps: MessagingDeps, accountId: number, patientId: number, attachmentId: number, origin: RequestOrigin): Promise<StoredAttachment | undefined> {
  const opened = await openPatient(deps, accountId, patientId, 'message-attachment', origin);
  if (!opened) return undefined;
  const attachment = await findAttachment(deps.db, attachmentId);
  const thread = attachment && (await findThread(deps.db, attachment.threadId));
  const allowed = !!thread && mayFamilySee(deps, thread, patientId, viewerOf(opened.patient.relationship));
  await recordAudit(
    deps.db,
    { actorType: 'family', actorId: accountId, action: 'download-message-attachment', subjectType: 'message-attachment', subjectId: attachmentId, outcome: allowed ? 'allowed' : 'refused', reason: allowed ? `thread ${thread.id}` : 'not-visible' },
    origin,
  );
  return allowed ? { ...attachment, content: await attachmentContent(deps.db, attachmentId) } : undefined;
}
