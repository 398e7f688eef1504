// The support queue of requests to add a patient by MRN: what the family typed beside what the
// record holds, then approve (the link is made under the usual rules) or decline with a reason.
// The family is emailed either way; the email only says to sign in.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { decideLinkRequest, findLinkRequest, linkRequestsOf, pendingLinkRequests, type LinkRequest } from '../../data/linkRequests.ts';
import { findPatientById, patientHadVisitOn, type PatientSummary } from '../../data/record/patients.ts';
import { currentHoldersOf, type PatientHolder } from '../../data/patientLinks.ts';
import { hasAcceptedPapers } from '../../data/guardianshipPapers.ts';
import type { Language } from '../../domain/language.ts';
import { queueEmail } from '../emailOutbox.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { businessDaysOld } from '../businessCalendar.ts';
import { portalLink } from '../identity/deps.ts';
import { linkPatient, type LinkingDeps, type LinkOutcome } from './linking.ts';

export type { LinkRequest };

export const DECLINE_REASONS = ['details-do-not-match', 'no-record-found', 'papers-needed', 'not-eligible'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface QueuedRequest extends LinkRequest {
  ageBusinessDays: number;
  overdue: boolean;
}

export async function supportQueue(deps: { db: Knex; config: Config; now: () => Date }): Promise<QueuedRequest[]> {
  const now = deps.now();
  return (await pendingLinkRequests(deps.db)).map((request) => ({
    ...request,
    ageBusinessDays: businessDaysOld(deps.config, request.createdAt, now),
    overdue: request.dueAt < now,
  }));
}

export interface RequestReview {
  request: QueuedRequest;
  /** The patient with the MRN typed, if there is one. */
  patient: PatientSummary | undefined;
  matches: { name: boolean; birthDate: boolean; visitDate: boolean };
  holders: PatientHolder[];
  papersAccepted: boolean;
}

/** Names match when every word typed appears in the record's name, in any order and case. */
function namesMatch(typed: string, patient: PatientSummary): boolean {
  const words = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  const recorded = new Set(words(`${patient.given_names} ${patient.family_name}`));
  const typedWords = words(typed);
  return typedWords.length > 0 && typedWords.every((word) => recorded.has(word));
}

export async function reviewRequest(deps: { db: Knex; config: Config; now: () => Date }, requestId: number): Promise<RequestReview | undefined> {
  const request = await findLinkRequest(deps.db, requestId);
  if (!request) return undefined;
  const now = deps.now();
  const queued = { ...request, ageBusinessDays: businessDaysOld(deps.config, request.createdAt, now), overdue: request.status === 'pending' && request.dueAt < now };
  const patient = request.patientId === null ? undefined : await findPatientById(deps.db, request.patientId);
  return {
    request: queued,
    patient,
    matches: {
      name: !!patient && namesMatch(request.typedPatientName, patient),
      birthDate: !!patient && patient.birth_date === request.typedBirthDate,
      visitDate: !!patient && (await patientHadVisitOn(deps.db, patient.id, request.typedVisitDate, deps.config.hospital.timeZone)),
    },
    holders: patient ? await currentHoldersOf(deps.db, patient.id) : [],
    papersAccepted: !!patient && (await hasAcceptedPapers(deps.db, patient.id, request.accountId)),
  };
}

export type DecisionOutcome = LinkOutcome | { outcome: 'declined' } | { outcome: 'not-pending' } | { outcome: 'no-patient' };

export async function approveRequest(deps: LinkingDeps & { config: Config }, staffId: number, requestId: number, origin: RequestOrigin): Promise<DecisionOutcome> {
  return deps.db.transaction(async (trx) => {
    const request = await findLinkRequest(trx, requestId);
    if (!request || request.status !== 'pending') return { outcome: 'not-pending' as const };
    const patient = request.patientId === null ? undefined : await findPatientById(trx, request.patientId);
    if (!patient) return { outcome: 'no-patient' as const };
    const linked = await linkPatient(
      trx,
      deps,
      {
        account: { id: request.accountId, kind: 'family' },
        patient: { id: patient.id, birthDate: patient.birth_date },
        relationship: request.relationship,
        via: 'support-approval',
        actor: { actorType: 'staff', actorId: staffId },
      },
      origin,
    );
    if (linked.outcome === 'ineligible') return linked;
    if (!(await decideLinkRequest(trx, requestId, { status: 'approved', decidedBy: staffId, decidedAt: deps.now() }))) return { outcome: 'not-pending' as const };
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'approve-link-request', subjectType: 'link-request', subjectId: requestId, outcome: 'success' }, origin);
    await tellFamily(trx, deps, request, 'linkRequestApproved');
    return linked;
  });
}

export async function declineRequest(deps: LinkingDeps & { config: Config }, staffId: number, requestId: number, reason: DeclineReason, origin: RequestOrigin): Promise<DecisionOutcome> {
  return deps.db.transaction(async (trx) => {
    const request = await findLinkRequest(trx, requestId);
    if (!request || !(await decideLinkRequest(trx, requestId, { status: 'declined', decidedBy: staffId, decidedAt: deps.now(), declineReason: reason }))) {
      return { outcome: 'not-pending' as const };
    }
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'decline-link-request', subjectType: 'link-request', subjectId: requestId, outcome: 'success', reason }, origin);
    await tellFamily(trx, deps, request, 'linkRequestDeclined');
    return { outcome: 'declined' as const };
  });
}

async function tellFamily(trx: Knex.Transaction, deps: LinkingDeps, request: LinkRequest, template: 'linkRequestApproved' | 'linkRequestDeclined'): Promise<void> {
  await queueEmail(trx, deps, {
    to: request.accountEmail,
    template,
    language: request.accountLanguage as Language,
    params: { actionUrl: portalLink(deps, 'family', '/home') },
  });
}

/** A family's own requests: waiting ones, and those decided in the last 90 days. */
export function requestsOfFamily(deps: { db: Knex; now: () => Date }, accountId: number): Promise<LinkRequest[]> {
  return linkRequestsOf(deps.db, accountId, new Date(deps.now().getTime() - 90 * 86_400_000));
}

/** One of the family's own requests; another family's request is not found. */
export async function findOwnRequest(deps: { db: Knex }, accountId: number, requestId: number): Promise<LinkRequest | undefined> {
  const request = await findLinkRequest(deps.db, requestId);
  return request?.accountId === accountId ? request : undefined;
}
