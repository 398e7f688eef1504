// Secure messages between a family and the patient's care team: the subjects a family picks
// from, whom they may write to, and the state of a thread (due, overdue, unread, open or closed).
// Who on the family side may see a thread is domain/adolescentPrivacy.ts familyMaySeeThread.

/** The subject list on the compose page, in the order shown. */
export const MESSAGE_SUBJECTS = ['prescription', 'test-result', 'medical-question', 'referral', 'follow-up', 'form-request', 'photo-upload', 'other'] as const;
export type MessageSubject = (typeof MESSAGE_SUBJECTS)[number];

export function isMessageSubject(value: unknown): value is MessageSubject {
  return typeof value === 'string' && (MESSAGE_SUBJECTS as readonly string[]).includes(value);
}

/** The longest message body accepted (characters): long enough for any question, short enough to read. */
export const MESSAGE_BODY_MAX_LENGTH = 20_000;

/** A body worth sending: something besides white space, and not over the limit. */
export function isSendableBody(body: string): boolean {
  return body.trim() !== '' && body.length <= MESSAGE_BODY_MAX_LENGTH;
}

/** The care team answers within this many business days (SPEC §2 Messaging). */
export const ANSWER_WITHIN_BUSINESS_DAYS = 2;

/** A thread page shows its newest messages, this many, with a link to the ones before. */
export const MESSAGES_PER_PAGE = 50;
/** Inbox and sent lists show this many threads a page. */
export const THREADS_PER_PAGE = 25;

export type ThreadStatus = 'open' | 'closed';
export type MessageAuthorKind = 'family' | 'staff';

/** A clinic (by its department code) or one practitioner on the patient's care team. */
export type Recipient = { kind: 'clinic'; departmentCode: string } | { kind: 'practitioner'; practitionerId: number };

export interface RecipientChoice {
  recipient: Recipient;
  /** The clinic's or the practitioner's name, as the record holds it. */
  label: string;
}

export interface CareTeamPractitioner {
  practitionerId: number;
  name: string;
}

/** A visit of the patient's at one of the hospital's clinics, as far as choosing a recipient goes. */
export interface ClinicVisit {
  departmentCode: string;
  clinicName: string;
  /** The visit is marked confidential in the record. */
  confidential: boolean;
  status: string;
}

/** Visits that did not happen say nothing about where the patient is cared for. */
const VISITS_THAT_DID_NOT_HAPPEN = new Set(['cancelled', 'entered-in-error']);

/**
 * Whom the family may write to: each practitioner on the patient's care team, then each clinic
 * the patient has had a visit with. A clinic known only from confidential visits is offered to
 * the patient alone: listing it to a parent would tell them where the teen's private care is.
 * Practitioners first, then clinics, each by name; no recipient twice.
 */
export function recipientChoices(input: { careTeam: readonly CareTeamPractitioner[]; visits: readonly ClinicVisit[]; viewer: 'patient' | 'guardian' }): RecipientChoice[] {
  const byName = (a: RecipientChoice, b: RecipientChoice) => a.label.localeCompare(b.label, 'en');
  const practitioners = new Map<number, RecipientChoice>();
  for (const member of input.careTeam) {
    if (!practitioners.has(member.practitionerId)) practitioners.set(member.practitionerId, { recipient: { kind: 'practitioner', practitionerId: member.practitionerId }, label: member.name });
  }
  const clinics = new Map<string, RecipientChoice>();
  for (const visit of input.visits) {
    if (VISITS_THAT_DID_NOT_HAPPEN.has(visit.status)) continue;
    if (visit.confidential && input.viewer !== 'patient') continue;
    if (!clinics.has(visit.departmentCode)) clinics.set(visit.departmentCode, { recipient: { kind: 'clinic', departmentCode: visit.departmentCode }, label: visit.clinicName });
  }
  return [...[...practitioners.values()].sort(byName), ...[...clinics.values()].sort(byName)];
}

export function sameRecipient(a: Recipient, b: Recipient): boolean {
  return a.kind === 'clinic' ? b.kind === 'clinic' && a.departmentCode === b.departmentCode : b.kind === 'practitioner' && a.practitionerId === b.practitionerId;
}

/** Is this recipient one of the choices (what the compose form posted is checked against them)? */
export function isAllowedRecipient(choices: readonly RecipientChoice[], recipient: Recipient): boolean {
  return choices.some((choice) => sameRecipient(choice.recipient, recipient));
}

/**
 * The thread's due instant after a message: a family message starts the clock unless an earlier
 * family message is still unanswered (the oldest one sets the due time); a care-team answer
 * stops it. `dueFor` turns the family message's time into its due instant (business days).
 */
export function dueAfterMessage(current: Date | null, author: MessageAuthorKind, sentAt: Date, dueFor: (sentAt: Date) => Date): Date | null {
  if (author === 'staff') return null;
  return current ?? dueFor(sentAt);
}

/** Overdue: still waiting for the care team after the due instant. */
export function isOverdue(thread: { status: ThreadStatus; dueAt: Date | null }, now: Date): boolean {
  return thread.status === 'open' && thread.dueAt !== null && thread.dueAt.getTime() < now.getTime();
}

/** An answer the family is still waiting for after its due time, and whom to call about it. */
export type LateAnswer = { late: false } | { late: true; phone: string; viaMainLine: boolean };

/**
 * Is the family's answer late, and whom should they call? The clinic's or provider's own number
 * when the record has one; otherwise the hospital's main line, asking for them (SPEC §2: a late
 * answer is flagged to the family, with whom to call).
 */
export function lateAnswer(thread: { status: ThreadStatus; dueAt: Date | null; recipientPhone: string | null }, now: Date, mainPhone: string): LateAnswer {
  if (!isOverdue(thread, now)) return { late: false };
  const own = thread.recipientPhone?.trim();
  return own ? { late: true, phone: own, viaMainLine: false } : { late: true, phone: mainPhone, viaMainLine: true };
}

/** Who may still write in a thread: nobody once it is closed (the family starts a new one). */
export function mayReply(thread: { status: ThreadStatus }): boolean {
  return thread.status === 'open';
}

/** A recipient as a form value: "clinic:CARD" or "practitioner:12". */
export function recipientKey(recipient: Recipient): string {
  return recipient.kind === 'clinic' ? `clinic:${recipient.departmentCode}` : `practitioner:${recipient.practitionerId}`;
}

/** The recipient a form value names, or undefined for anything else (the service checks it is on the care team). */
export function recipientFromKey(key: unknown): Recipient | undefined {
  if (typeof key !== 'string') return undefined;
  const clinic = /^clinic:(\S.{0,99})$/s.exec(key);
  if (clinic) return { kind: 'clinic', departmentCode: clinic[1]! };
  const practitioner = /^practitioner:(\d{1,15})$/.exec(key);
  return practitioner ? { kind: 'practitioner', practitionerId: Number(practitioner[1]) } : undefined;
}
