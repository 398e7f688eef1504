// MyPatients registration (SPEC §3, issue 8 item 1): an outside clinician applies with their
// documents; the MyPatients team reads the application and its documents, then approves it —
// placing the provider in the record (a practice found by name or made from the application, the
// practitioner found by NPI or made) and creating the provider account, whose single-use link sets
// a password and leads to TOTP enrolment — or declines it with a reason. The applicant is emailed
// at each step; every view and decision is audited.
import type { Knex } from 'knex';
import { queuePage, queueTiming } from '../staffQueue.ts';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../config.ts';
import { findAccountByEmail } from '../../data/accounts.ts';
import {
  countRegistrations,
  documentContent,
  documentsOf,
  findPractice,
  findPractitionerByNpi,
  findRegistration,
  insertPractice,
  insertPractitioner,
  insertProviderAccount,
  insertRegistration,
  markApproved,
  markDeclined,
  providerAccountOfPractitioner,
  registrationsPage,
  searchPractices,
  type DocumentSummary,
  type PracticeMatch,
  type Registration,
  type RegistrationDetails,
  type StoredDocument,
} from '../../data/providerRegistrations.ts';
import type { Language } from '../../domain/language.ts';
import type { Page } from '../../domain/paging.ts';
import {
  mayDecide,
  REGISTRATION_REVIEW_BUSINESS_DAYS,
  REGISTRATIONS_PER_PAGE,
  type PracticeChoice,
  type RegistrationDeclineReason,
} from '../../domain/providerRegistration.ts';
import { translate } from '../../locales/index.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { dueAfterBusinessDays } from '../businessCalendar.ts';
import { queueEmail, type EmailOutboxDeps } from '../emailOutbox.ts';
import { sharedLimiter } from '../rateLimits.ts';
import { createInvitedAccount } from '../identity/invitations.ts';

export type { DocumentSummary, PracticeMatch, Registration, RegistrationDetails };

type Deps = EmailOutboxDeps & { db: Knex; now: () => Date };
type ReadDeps = { db: Knex; config: Config; now: () => Date };

/** The reference the applicant and the team quote: the application's number. */
export function registrationReference(id: number): string {
  return `PR-${id}`;
}

/** Stores the application and its documents, and emails the applicant that it arrived (in one transaction). */
export async function submitRegistration(
  deps: Deps,
  application: { details: RegistrationDetails; documents: StoredDocument[]; language: Language },
  origin: RequestOrigin,
): Promise<{ id: number; reference: string }> {
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const id = await insertRegistration(
      trx,
      { ...application.details, preferredLanguage: application.language, submittedAt: now, dueAt: dueAfterBusinessDays(deps.config, now, REGISTRATION_REVIEW_BUSINESS_DAYS) },
      application.documents,
    );
    const reference = registrationReference(id);
    await queueEmail(trx, deps, { to: application.details.email, template: 'providerRegistrationReceived', language: application.language, params: { reference, days: REGISTRATION_REVIEW_BUSINESS_DAYS } });
    await recordAudit(trx, { actorType: 'anonymous', action: 'provider-registration-submitted', subjectType: 'provider-registration', subjectId: id, outcome: 'success', reason: application.documents.map((d) => d.document).join(',') }, origin);
    return { id, reference };
  });
}

export interface QueuedRegistration extends Registration {
  reference: string;
  ageBusinessDays: number;
  overdue: boolean;
}

function queued(deps: ReadDeps, registration: Registration, now: Date): QueuedRegistration {
  return {
    ...registration,
    reference: registrationReference(registration.id),
    ...queueTiming(deps, { receivedAt: registration.submittedAt, decidedAt: registration.decidedAt, dueAt: registration.dueAt, pending: registration.status === 'pending' }, now),
  };
}

/** The team's queue, a page at a time: pending applications first, oldest first; then decided ones. */
export function registrationQueue(deps: ReadDeps, staffId: number, requestedPage: number, origin: RequestOrigin): Promise<Page<QueuedRegistration> & { pending: number }> {
  return queuePage(deps, { action: 'view-provider-registrations', perPage: REGISTRATIONS_PER_PAGE, count: countRegistrations, rows: registrationsPage, item: (row, now) => queued(deps, row, now) }, staffId, requestedPage, origin);
}

export interface RegistrationReview {
  registration: QueuedRegistration;
  documents: DocumentSummary[];
  /** The practitioner in the record with this NPI, if any, and whether they already have an account. */
  practitionerInRecord: { id: number; hasAccount: boolean } | undefined;
  /** A provider account already uses the applicant's email. */
  emailTaken: boolean;
  /** Where an approved application placed the provider. */
  practice: PracticeMatch | undefined;
}

/** One application for the team, with its documents listed; the view is audited. */
export async function openRegistration(deps: ReadDeps, staffId: number, id: number, origin: RequestOrigin): Promise<RegistrationReview | undefined> {
  const registration = await findRegistration(deps.db, id);
  if (!registration) return undefined;
  const practitioner = await findPractitionerByNpi(deps.db, registration.npi);
  const [documents, accountOfPractitioner, emailOwner, practice] = await Promise.all([
    documentsOf(deps.db, id),
    practitioner ? providerAccountOfPractitioner(deps.db, practitioner.id) : Promise.resolve(undefined),
    registration.status === 'pending' ? findAccountByEmail(deps.db, 'provider', registration.email) : Promise.resolve(undefined),
    registration.practiceId === null ? Promise.resolve(undefined) : findPractice(deps.db, registration.practiceId),
  ]);
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-provider-registration', subjectType: 'provider-registration', subjectId: id, outcome: 'allowed' }, origin);
  return {
    registration: queued(deps, registration, deps.now()),
    documents,
    practitionerInRecord: practitioner && { id: practitioner.id, hasAccount: accountOfPractitioner !== undefined },
    emailTaken: !!emailOwner,
    practice,
  };
}

/** Practices in the record whose name has every word searched for, to approve the application into. */
export function practicesNamed(deps: { db: Knex }, query: string): Promise<PracticeMatch[]> {
  return searchPractices(deps.db, query.trim().slice(0, 200), 20);
}

/** A document's bytes for the team; the view is audited. */
export async function openRegistrationDocument(deps: { db: Knex }, staffId: number, registrationId: number, documentId: number, origin: RequestOrigin) {
  const document = await documentContent(deps.db, registrationId, documentId);
  if (!document) return undefined;
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-provider-registration-document', subjectType: 'provider-registration', subjectId: registrationId, outcome: 'allowed', reason: document.document }, origin);
  return document;
}

export type ApprovalOutcome =
  | { outcome: 'approved'; accountId: number; practitionerId: number; practiceId: number }
  | { outcome: 'not-found' }
  | { outcome: 'already-decided' }
  /** A provider account already has the applicant's email, or the practitioner with this NPI already has an account. */
  | { outcome: 'email-taken' }
  | { outcome: 'practitioner-has-account' }
  | { outcome: 'no-such-practice' };

/**
 * Approves a pending application: the practice (chosen, or made from the application), the
 * practitioner (found by NPI, or made), the provider account linked to both, and an email with
 * the single-use link to set a password (then TOTP enrolment) — all in one transaction.
 */
export async function approveRegistration(deps: Deps, staffId: number, id: number, choice: PracticeChoice, origin: RequestOrigin): Promise<ApprovalOutcome> {
  const now = deps.now();
  const result = await deps.db.transaction(async (trx): Promise<ApprovalOutcome> => {
    const registration = await findRegistration(trx, id, { forUpdate: true });
    if (!registration) return { outcome: 'not-found' };
    if (!mayDecide(registration.status).allowed) return { outcome: 'already-decided' };
    const existingPractitioner = await findPractitionerByNpi(trx, registration.npi);
    if (existingPractitioner && (await providerAccountOfPractitioner(trx, existingPractitioner.id)) !== undefined) return { outcome: 'practitioner-has-account' };
    if (await findAccountByEmail(trx, 'provider', registration.email)) return { outcome: 'email-taken' };
    let practiceId: number;
    if (choice.kind === 'existing') {
      const practice = await findPractice(trx, choice.practiceId);
      if (!practice) return { outcome: 'no-such-practice' };
      practiceId = practice.id;
    } else {
      practiceId = await insertPractice(trx, id, registration);
    }
    const practitionerId = existingPractitioner?.id ?? (await insertPractitioner(trx, id, registration));
    const invitation = await createInvitedAccount(
      trx,
      deps,
      {
        kind: 'provider',
        email: registration.email,
        name: `${registration.givenNames} ${registration.familyName}`.trim(),
        roles: [],
        preferredLanguage: registration.preferredLanguage,
        invitedBy: { actorType: 'staff', actorId: staffId },
      },
      origin,
    );
    if (!invitation.ok) return { outcome: 'email-taken' };
    await insertProviderAccount(trx, { accountId: invitation.accountId, practitionerId, practiceId, registrationId: id, at: now });
    await markApproved(trx, id, { staffId, at: now, accountId: invitation.accountId, practitionerId, practiceId });
    await queueEmail(trx, deps, {
      to: registration.email,
      template: 'providerRegistrationApproved',
      language: registration.preferredLanguage,
      params: { reference: registrationReference(id), actionUrl: invitation.link, hours: deps.config.tokens.invitationLinkHours },
    });
    await recordAudit(
      trx,
      {
        actorType: 'staff',
        actorId: staffId,
        action: 'provider-registration-approved',
        subjectType: 'provider-registration',
        subjectId: id,
        outcome: 'success',
        // reason is at most 60 characters; the account made has its own 'account-invited' row.
        reason: `${choice.kind}-practice:${practiceId} ${existingPractitioner ? 'found' : 'new'}-practitioner:${practitionerId}`.slice(0, 60),
      },
      origin,
    );
    return { outcome: 'approved', accountId: invitation.accountId, practitionerId, practiceId };
  });
  if (result.outcome !== 'approved' && result.outcome !== 'not-found') {
    await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'provider-registration-approved', subjectType: 'provider-registration', subjectId: id, outcome: 'refused', reason: result.outcome }, origin);
  }
  return result;
}

export type DeclineOutcome = { outcome: 'declined' } | { outcome: 'not-found' } | { outcome: 'already-decided' };

/** Declines a pending application with a reason from the list, and emails the applicant why. */
export async function declineRegistration(deps: Deps, staffId: number, id: number, reason: RegistrationDeclineReason, origin: RequestOrigin): Promise<DeclineOutcome> {
  return deps.db.transaction(async (trx): Promise<DeclineOutcome> => {
    const registration = await findRegistration(trx, id, { forUpdate: true });
    if (!registration) return { outcome: 'not-found' };
    if (!mayDecide(registration.status).allowed || !(await markDeclined(trx, id, { staffId, reason, at: deps.now() }))) return { outcome: 'already-decided' };
    const language = registration.preferredLanguage;
    await queueEmail(trx, deps, {
      to: registration.email,
      template: 'providerRegistrationDeclined',
      language,
      params: { reference: registrationReference(id), reason: translate(language, `myPatientsTeam.declineReasons.${reason}`) },
    });
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'provider-registration-declined', subjectType: 'provider-registration', subjectId: id, outcome: 'success', reason }, origin);
    return { outcome: 'declined' };
  });
}

/** Applications (and attempts with mistakes) from one network address: enough for anyone correcting a form. */
export const REGISTRATION_ATTEMPTS_PER_HOUR = 20;


/**
 * Counts one attempt from `ip`, before the upload is read (so a flood never reaches memory);
 * when the address is over the limit, says how long until it may try again.
 */
export async function countRegistrationAttempt(deps: { db: Knex }, ip: string | undefined, origin: RequestOrigin): Promise<{ retryAfterSeconds: number } | undefined> {
  const limiter = sharedLimiter(deps.db, 'provider-registration-ip', REGISTRATION_ATTEMPTS_PER_HOUR, 3600);
  try {
    await limiter.consume(ip ?? 'unknown');
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    await recordAudit(deps.db, { actorType: 'anonymous', action: 'provider-registration-submitted', subjectType: 'provider-registration', outcome: 'refused', reason: 'throttled' }, origin);
    return { retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
}
