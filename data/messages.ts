// Queries on message threads, their messages and attachments, what each reader has read, and
// which staff work which inbox. Who may see what is decided in services/messaging/, never here.
import type { Knex } from 'knex';
import type { FamilyViewer, ThreadListVisibility } from '../domain/adolescentPrivacy.ts';
import { pageBounds, type Page } from '../domain/paging.ts';
import type { ClinicVisit, MessageAuthorKind, MessageSubject, Recipient, ThreadStatus } from '../domain/messaging.ts';

export interface ThreadRow {
  id: number;
  patientId: number;
  patientBirthDate: string;
  patientName: string;
  /** For the care team, to find the patient in the hospital's systems; never shown to families. */
  patientMrn: string;
  recipient: Recipient;
  /** The clinic's or the practitioner's name. */
  recipientName: string;
  /** The clinic's or the practitioner's phone number in the record, if it has one. */
  recipientPhone: string | null;
  subject: MessageSubject;
  familyParty: FamilyViewer;
  startedByAccountId: number;
  /** The account holder who began the thread, so another holder's thread is never shown as the reader's. */
  startedByName: string;
  startedAt: Date;
  status: ThreadStatus;
  assignedStaffId: number | null;
  assignedStaffName: string | null;
  awaitingSince: Date | null;
  dueAt: Date | null;
  lastMessageAt: Date;
  closedAt: Date | null;
}

/** A thread in a list, with how many messages in it the reader has not read. */
export interface ThreadListRow extends ThreadRow {
  unread: number;
  /** The newest message from the care team, if any (a family's inbox lists those threads). */
  lastStaffMessageAt: Date | null;
  /** The newest message from the family side, if any (their sent list). */
  lastFamilyMessageAt: Date | null;
}

export interface AttachmentSummary {
  id: number;
  displayName: string;
  contentType: string;
  size: number;
}

export interface MessageRow {
  id: number;
  threadId: number;
  authorKind: MessageAuthorKind;
  authorAccountId: number;
  authorName: string;
  body: string;
  sentAt: Date;
  attachments: AttachmentSummary[];
}

export interface StoredAttachment extends AttachmentSummary {
  messageId: number;
  threadId: number;
  content: Buffer;
}

const PRACTITIONER_NAME = `concat_ws(', ', NULLIF(concat_ws(' ', NULLIF(pr.given_names, ''), pr.family_name), ''), NULLIF(pr.credential, ''))`;

/**
 * Threads with their patient's, recipient's and assignee's names. `source` is the table, or a
 * subquery of its rows aliased `t` (a page already chosen, so names are read for that page only).
 */
function threadQuery(db: Knex, source: string | Knex.QueryBuilder = 'message_threads as t') {
  return db
    .from(source)
    .join('patients as p', 'p.id', 't.patient_id')
    .leftJoin('clinics as c', 'c.department_code', 't.recipient_department_code')
    .leftJoin('practitioners as pr', 'pr.id', 't.recipient_practitioner_id')
    .leftJoin('accounts as assignee', 'assignee.id', 't.assigned_staff_id')
    .join('accounts as starter', 'starter.id', 't.started_by_account_id')
    .select(
      't.*',
      db.raw(`to_char(p.birth_date, 'YYYY-MM-DD') AS patient_birth_date`),
      db.raw(`concat_ws(' ', NULLIF(p.given_names, ''), p.family_name) AS patient_name`),
      'p.mrn as patient_mrn',
      db.raw(`COALESCE(c.name, ${PRACTITIONER_NAME}) AS recipient_name`),
      db.raw(`CASE WHEN c.id IS NOT NULL THEN NULLIF(c.phone, '') ELSE NULLIF(pr.phone, '') END AS recipient_phone`),
      'assignee.name as assigned_staff_name',
      'starter.name as started_by_name',
    );
}

function toThread(row: Record<string, any>): ThreadRow {
  return {
    id: Number(row.id),
    patientId: Number(row.patient_id),
    patientBirthDate: row.patient_birth_date,
    patientName: row.patient_name,
    patientMrn: row.patient_mrn,
    recipient: row.recipient_department_code !== null ? { kind: 'clinic', departmentCode: row.recipient_department_code } : { kind: 'practitioner', practitionerId: Number(row.recipient_practitioner_id) },
    recipientName: row.recipient_name,
    recipientPhone: row.recipient_phone ?? null,
    subject: row.subject,
    familyParty: row.family_party,
    startedByAccountId: Number(row.started_by_account_id),
    startedByName: row.started_by_name,
    startedAt: row.started_at,
    status: row.status,
    assignedStaffId: row.assigned_staff_id === null ? null : Number(row.assigned_staff_id),
    assignedStaffName: row.assigned_staff_name ?? null,
    awaitingSince: row.awaiting_since,
    dueAt: row.due_at,
    lastMessageAt: row.last_message_at,
    closedAt: row.closed_at,
  };
}

/** Whose unread count: a family member's or a staff member's. */
export type ReaderSide = 'family' | 'staff';

/**
 * Messages after the reader's mark that are news to them: for a family member, the care team's
 * messages (another holder of the same patient writing is not an answer); for staff, anyone
 * else's. A count over the index (thread_id, id) INCLUDE (author_account_id, author_kind), read
 * from the index alone however many messages are unread. Takes the reader's id twice.
 */
function unreadSql(side: ReaderSide): string {
  const news = side === 'family' ? `m.author_kind = 'staff'` : `m.author_account_id <> ?`;
  return `(SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND ${news}
            AND m.id > COALESCE((SELECT r.last_read_message_id FROM message_reads r WHERE r.thread_id = t.id AND r.account_id = ?), 0))::int`;
}

function unreadBindings(side: ReaderSide, readerAccountId: number): number[] {
  return side === 'family' ? [readerAccountId] : [readerAccountId, readerAccountId];
}

/**
 * Adds the reader's unread count to a thread query. When each side last wrote is on the thread
 * itself (last_staff_message_at, last_family_message_at), kept by insertMessage.
 */
function withReaderColumns(db: Knex, query: Knex.QueryBuilder, side: ReaderSide, readerAccountId: number): Knex.QueryBuilder {
  return query.select(db.raw(`${unreadSql(side)} AS unread`, unreadBindings(side, readerAccountId)));
}

function toListRow(row: Record<string, any>): ThreadListRow {
  return { ...toThread(row), unread: Number(row.unread), lastStaffMessageAt: row.last_staff_message_at, lastFamilyMessageAt: row.last_family_message_at };
}

export async function insertThread(
  db: Knex,
  thread: { patientId: number; recipient: Recipient; subject: MessageSubject; familyParty: FamilyViewer; startedByAccountId: number; startedAt: Date },
): Promise<number> {
  const [row] = await db('message_threads')
    .insert({
      patient_id: thread.patientId,
      recipient_department_code: thread.recipient.kind === 'clinic' ? thread.recipient.departmentCode : null,
      recipient_practitioner_id: thread.recipient.kind === 'practitioner' ? thread.recipient.practitionerId : null,
      subject: thread.subject,
      family_party: thread.familyParty,
      started_by_account_id: thread.startedByAccountId,
      started_at: thread.startedAt,
      last_message_at: thread.startedAt,
    })
    .returning('id');
  return Number(row.id);
}

/** Stores a message, and when its side last wrote on the thread (the lists order by it). */
export async function insertMessage(db: Knex, message: { threadId: number; authorKind: MessageAuthorKind; authorAccountId: number; body: string; sentAt: Date }): Promise<number> {
  const [row] = await db('messages')
    .insert({ thread_id: message.threadId, author_kind: message.authorKind, author_account_id: message.authorAccountId, body: message.body, sent_at: message.sentAt })
    .returning('id');
  const column = message.authorKind === 'staff' ? 'last_staff_message_at' : 'last_family_message_at';
  await db('message_threads')
    .where({ id: message.threadId })
    .update({ [column]: db.raw(`GREATEST(??, ?::timestamptz)`, [column, message.sentAt]) });
  return Number(row.id);
}

export async function insertAttachment(db: Knex, attachment: { messageId: number; displayName: string; contentType: string; content: Buffer }): Promise<number> {
  const [row] = await db('message_attachments')
    .insert({ message_id: attachment.messageId, display_name: attachment.displayName, content_type: attachment.contentType, size_bytes: attachment.content.length, content: attachment.content })
    .returning('id');
  return Number(row.id);
}

/** After a message: when it was, and what (if anything) now waits for the care team. */
export async function updateThreadAfterMessage(db: Knex, threadId: number, state: { lastMessageAt: Date; awaitingSince: Date | null; dueAt: Date | null }): Promise<void> {
  await db('message_threads').where({ id: threadId }).update({ last_message_at: state.lastMessageAt, awaiting_since: state.awaitingSince, due_at: state.dueAt });
}

/** The thread, locked for the rest of the transaction when `forUpdate` (two replies at once). */
export async function findThread(db: Knex, threadId: number, options: { forUpdate?: boolean } = {}): Promise<ThreadRow | undefined> {
  const query = threadQuery(db).where('t.id', threadId);
  if (options.forUpdate) query.forUpdate('t');
  const row = await query.first();
  return row && toThread(row);
}

/** Every thread of these patients with a family reader's unread counts, newest first: one query. */
export async function threadsOfPatients(db: Knex, patientIds: readonly number[], readerAccountId: number): Promise<ThreadListRow[]> {
  if (patientIds.length === 0) return [];
  const rows = await withReaderColumns(db, threadQuery(db).whereIn('t.patient_id', patientIds), 'family', readerAccountId).orderBy([
    { column: 't.last_message_at', order: 'desc' },
    { column: 't.id', order: 'desc' },
  ]);
  return rows.map(toListRow);
}

export type FamilyList = 'inbox' | 'sent';

/**
 * One page of a family's inbox (threads the care team has written in, by their newest answer)
 * or sent list (threads the family side has written in, by their newest message) for one
 * patient, of the threads `visibility` lets the reader see (domain/adolescentPrivacy.ts
 * familyThreadListVisibility), with the reader's unread counts; and the total of the list.
 */
export async function familyThreadsPage(
  db: Knex,
  list: { patientId: number; readerAccountId: number; visibility: ThreadListVisibility; box: FamilyList },
  requestedPage: number,
  pageSize: number,
): Promise<Page<ThreadListRow>> {
  const column = list.box === 'inbox' ? 't.last_staff_message_at' : 't.last_family_message_at';
  const visible = () => familyVisible(db('message_threads as t'), list.patientId, list.visibility).whereNotNull(column);
  const total = Number((await visible().count<{ n: string }[]>({ n: '*' }))[0]!.n);
  const { page, pageCount, offset } = pageBounds(total, requestedPage, pageSize);
  const chosen = visible().select('t.*').orderBy([
    { column, order: 'desc' },
    { column: 't.id', order: 'desc' },
  ]).offset(offset).limit(pageSize);
  const rows = await withReaderColumns(db, threadQuery(db, chosen.as('t')), 'family', list.readerAccountId).orderBy([
    { column, order: 'desc' },
    { column: 't.id', order: 'desc' },
  ]);
  return { items: rows.map(toListRow), page, pageCount, total };
}

/** Unread messages for the reader across every thread of the patient that `visibility` lets them see. */
export async function familyUnreadTotal(db: Knex, patientId: number, readerAccountId: number, visibility: ThreadListVisibility): Promise<number> {
  const row = await familyVisible(db('message_threads as t'), patientId, visibility)
    .select(db.raw(`COALESCE(sum(${unreadSql('family')}), 0)::int AS unread`, unreadBindings('family', readerAccountId)))
    .first();
  return Number(row.unread);
}

function familyVisible(query: Knex.QueryBuilder, patientId: number, visibility: ThreadListVisibility): Knex.QueryBuilder {
  return query.where('t.patient_id', patientId).andWhere((seen) => seen.where('t.family_party', visibility.ownParty).orWhere('t.started_at', '>=', visibility.everyThreadFrom));
}

export interface MessagePage {
  /** Oldest first. */
  messages: MessageRow[];
  /** When older messages exist: the id to pass as `before` to read them; otherwise null. */
  earlierBefore: number | null;
}

/**
 * The newest `limit` messages of a thread (or those before message `before`), oldest first, each
 * with its attachments (without their content).
 */
export async function messagesOf(db: Knex, threadId: number, options: { before?: number; limit: number }): Promise<MessagePage> {
  const query = db('messages as m').join('accounts as a', 'a.id', 'm.author_account_id').where('m.thread_id', threadId);
  if (options.before !== undefined) query.andWhere('m.id', '<', options.before);
  const newestFirst = await query.orderBy('m.id', 'desc').limit(options.limit + 1).select('m.*', 'a.name as author_name');
  const hasEarlier = newestFirst.length > options.limit;
  const rows = newestFirst.slice(0, options.limit).reverse();
  const attachments = rows.length
    ? await db('message_attachments as f')
        .whereIn(
          'f.message_id',
          rows.map((row) => row.id),
        )
        .orderBy('f.id')
        .select('f.id', 'f.message_id', 'f.display_name', 'f.content_type', 'f.size_bytes')
    : [];
  const byMessage = new Map<number, AttachmentSummary[]>();
  for (const file of attachments) {
    const list = byMessage.get(Number(file.message_id)) ?? [];
    list.push({ id: Number(file.id), displayName: file.display_name, contentType: file.content_type, size: Number(file.size_bytes) });
    byMessage.set(Number(file.message_id), list);
  }
  const messages = rows.map((row) => ({
    id: Number(row.id),
    threadId: Number(row.thread_id),
    authorKind: row.author_kind,
    authorAccountId: Number(row.author_account_id),
    authorName: row.author_name,
    body: row.body,
    sentAt: row.sent_at,
    attachments: byMessage.get(Number(row.id)) ?? [],
  }));
  return { messages, earlierBefore: hasEarlier ? messages[0]!.id : null };
}

/** Records that the reader has read the thread up to `messageId` (never backwards). */
export async function markRead(db: Knex, accountId: number, threadId: number, messageId: number): Promise<void> {
  await db.raw(
    `INSERT INTO message_reads (account_id, thread_id, last_read_message_id) VALUES (?, ?, ?)
     ON CONFLICT (account_id, thread_id) DO UPDATE
       SET last_read_message_id = GREATEST(message_reads.last_read_message_id, EXCLUDED.last_read_message_id)`,
    [accountId, threadId, messageId],
  );
}

/** An attachment's details and thread, without its content: who may have it is checked first. */
export async function findAttachment(db: Knex, attachmentId: number): Promise<Omit<StoredAttachment, 'content'> | undefined> {
  const row = await db('message_attachments as f')
    .join('messages as m', 'm.id', 'f.message_id')
    .where('f.id', attachmentId)
    .first('f.id', 'f.message_id', 'm.thread_id', 'f.display_name', 'f.content_type', 'f.size_bytes');
  return (
    row && {
      id: Number(row.id),
      messageId: Number(row.message_id),
      threadId: Number(row.thread_id),
      displayName: row.display_name,
      contentType: row.content_type,
      size: Number(row.size_bytes),
    }
  );
}

/** The stored bytes of an attachment, read once the reader may have it. */
export async function attachmentContent(db: Knex, attachmentId: number): Promise<Buffer> {
  const row = await db('message_attachments').where('id', attachmentId).first('content');
  return row.content;
}

// ——— Choosing a recipient ———

/** The hospital clinics the patient has visits with (the domain decides which may be offered). */
export async function clinicVisitsOf(db: Knex, patientId: number): Promise<ClinicVisit[]> {
  const rows = await db('encounters as e')
    .join('clinics as c', 'c.department_code', 'e.department_code')
    .where('e.patient_id', patientId)
    .distinct('e.department_code', 'c.name', 'e.confidential', 'e.status');
  return rows.map((row) => ({ departmentCode: row.department_code, clinicName: row.name, confidential: row.confidential, status: row.status }));
}

// ——— The care team's side ———

export interface StaffTeams {
  departmentCodes: string[];
  practitionerIds: number[];
}

export async function teamsOfStaff(db: Knex, staffId: number): Promise<StaffTeams> {
  const rows = await db('care_team_staff').where('account_id', staffId).select('department_code', 'practitioner_id');
  return {
    departmentCodes: rows.filter((row) => row.department_code !== null).map((row) => row.department_code),
    practitionerIds: rows.filter((row) => row.practitioner_id !== null).map((row) => Number(row.practitioner_id)),
  };
}

/** Is this staff account on the team that receives messages for `recipient`? */
export async function isOnTeamOf(db: Knex, staffId: number, recipient: Recipient): Promise<boolean> {
  const query = db('care_team_staff').where('account_id', staffId);
  if (recipient.kind === 'clinic') query.andWhere('department_code', recipient.departmentCode);
  else query.andWhere('practitioner_id', recipient.practitionerId);
  return !!(await query.first('id'));
}

/** The staff accounts working the inbox for `recipient`, by name. */
export async function teamMembersFor(db: Knex, recipient: Recipient): Promise<{ accountId: number; name: string }[]> {
  const query = db('care_team_staff as s').join('accounts as a', 'a.id', 's.account_id').where('a.status', 'active');
  if (recipient.kind === 'clinic') query.andWhere('s.department_code', recipient.departmentCode);
  else query.andWhere('s.practitioner_id', recipient.practitionerId);
  const rows = await query.select('a.id', 'a.name').orderBy('a.name').orderBy('a.id');
  return rows.map((row) => ({ accountId: Number(row.id), name: row.name }));
}

/**
 * A page of the open threads for the staff member's clinics and practitioners, and those
 * assigned to them: the soonest due first (the longest waiting first among equals), then those
 * with nothing waiting, most recent first. Paged in SQL, so a busy inbox of thousands of open
 * threads reads (and counts unread messages of) one page of them.
 */
export async function openThreadsPage(db: Knex, staffId: number, teams: StaffTeams, requestedPage: number, pageSize: number): Promise<Page<ThreadListRow>> {
  const open = () =>
    db('message_threads as t')
      .where('t.status', 'open')
      .andWhere((inbox) => {
        inbox.where('t.assigned_staff_id', staffId);
        if (teams.departmentCodes.length > 0) inbox.orWhereIn('t.recipient_department_code', teams.departmentCodes);
        if (teams.practitionerIds.length > 0) inbox.orWhereIn('t.recipient_practitioner_id', teams.practitionerIds);
      });
  const order = [
    { column: 't.due_at', order: 'asc', nulls: 'last' },
    // Same due time: whoever has waited longest first.
    { column: 't.awaiting_since', order: 'asc', nulls: 'last' },
    { column: 't.last_message_at', order: 'desc' },
    { column: 't.id', order: 'desc' },
  ] as const;
  const total = Number((await open().count<{ n: string }[]>({ n: '*' }))[0]!.n);
  const { page, pageCount, offset } = pageBounds(total, requestedPage, pageSize);
  const chosen = open().select('t.*').orderBy([...order]).offset(offset).limit(pageSize);
  const rows = await withReaderColumns(db, threadQuery(db, chosen.as('t')), 'staff', staffId).orderBy([...order]);
  return { items: rows.map(toListRow), page, pageCount, total };
}

/** Every thread of the patient's, by whom it is addressed to and assigned to (who is on the care team). */
export async function threadRecipientsOf(db: Knex, patientId: number): Promise<{ recipient: Recipient; assignedStaffId: number | null }[]> {
  const rows = await db('message_threads').where('patient_id', patientId).distinct('recipient_department_code', 'recipient_practitioner_id', 'assigned_staff_id');
  return rows.map((row) => ({
    recipient: row.recipient_department_code !== null ? { kind: 'clinic', departmentCode: row.recipient_department_code } : { kind: 'practitioner', practitionerId: Number(row.recipient_practitioner_id) },
    assignedStaffId: row.assigned_staff_id === null ? null : Number(row.assigned_staff_id),
  }));
}

export async function assignThread(db: Knex, threadId: number, staffId: number): Promise<void> {
  await db('message_threads').where({ id: threadId }).update({ assigned_staff_id: staffId });
}

/** Closes an open thread; false if it was already closed. */
export async function closeThread(db: Knex, threadId: number, staffId: number, now: Date): Promise<boolean> {
  const changed = await db('message_threads')
    .where({ id: threadId, status: 'open' })
    .update({ status: 'closed', closed_at: now, closed_by_account_id: staffId, awaiting_since: null, due_at: null });
  return changed > 0;
}
