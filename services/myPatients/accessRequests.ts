// Providers' requests for access to a patient they found but may not see (issue 8 item 3):
// - PCP: to the MyPatients team's queue; the team phones the family to confirm the PCP, records
//   how they confirmed it, and updates the patient's PCP (then the access policy's PCP basis holds);
//   or declines with a reason from a fixed list. The provider is emailed either way (no PHI).
// - non-PCP: to the family in MyChildren's, who approve or decline (built on the family side); each
//   account holder who may share is emailed that a request waits (no PHI).
// Every request, view and decision is audited.
import type { Knex } from 'knex';
import { queuePage, queueTiming } from '../staffQueue.ts';
import type { Config } from '../../config.ts';
import { findAccountById } from '../../data/accounts.ts';
import { patientIdentity, providerProfile, type PatientIdentity, type ProviderProfile } from '../../data/providerAccess.ts';
import { currentHoldersOf, type PatientHolder } from '../../data/patientLinks.ts';
import { recordContactsOf, type RecordContacts } from '../../data/record/patients.ts';
import {
  countPcpRequests,
  currentPcpOf,
  findPcpRequest,
  hasMyChildrensHolder,
  insertAccessRequest,
  markRequestDecided,
  pcpRequestsPage,
  pendingRequestsOf,
  practiceDetails,
  requestsOfProvider,
  setPatientPcp,
  type AccessRequest,
  type PracticeDetails,
  type QueuedPcpRequest,
} from '../../data/providerRequests.ts';
import type { Page } from '../../domain/paging.ts';
import { PCP_REQUEST_BUSINESS_DAYS, PCP_REQUESTS_PER_PAGE, type AccessRequestKind, type PcpDeclineReason, type SearchTerms } from '../../domain/patientSearch.ts';
import type { Language } from '../../domain/language.ts';
import { translate } from '../../locales/index.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { dueAfterBusinessDays } from '../businessCalendar.ts';
import { queueEmail, type EmailOutboxDeps } from '../emailOutbox.ts';
import { holdersWhoMayShare } from '../family/sharing.ts';
import { portalLink } from '../identity/deps.ts';
import { accessTo } from './providerAccess.ts';

export type { AccessRequest, QueuedPcpRequest };

type ReadDeps = { db: Knex; config: Config; now: () => Date };
type Deps = ReadDeps & EmailOutboxDeps;

/** Most requests a provider's list shows (newest first after the pending ones). */
export const PROVIDER_REQUESTS_SHOWN = 100;

export interface NoAccessFacts {
  /** The provider may see the patient after all (access granted since the search): go to the record. */
  allowed: boolean;
  /** Someone holds the patient in MyChildren's, so the family can approve a non-PCP request. */
  hasFamilyAccount: boolean;
  pending: Partial<Record<AccessRequestKind, Date>>;
}

/**
 * What the "not authorized" page may say about a patient the provider found exactly but may not
 * see: whether the family has a MyChildren's account, and the provider's own pending requests.
 * Nothing from the record. Audited (the page tells the provider whether the family has an account).
 */
export async function noAccessFacts(deps: ReadDeps, accountId: number, patientId: number, origin: RequestOrigin): Promise<NoAccessFacts | undefined> {
  const answer = await accessTo(deps, accountId, patientId);
  if (!answer) return undefined;
  if (answer.decision.allowed) return { allowed: true, hasFamilyAccount: false, pending: {} };
  const [hasFamilyAccount, pending] = await Promise.all([hasMyChildrensHolder(deps.db, patientId), pendingRequestsOf(deps.db, accountId, patientId)]);
  await recordAudit(deps.db, { actorType: 'provider', actorId: accountId, action: 'open-access-request', subjectType: 'patient', subjectId: patientId, outcome: 'refused', reason: answer.decision.reason }, origin);
  return { allowed: false, hasFamilyAccount, pending: Object.fromEntries(pending.map((request) => [request.kind, request.requestedAt])) };
}

export type RequestOutcome = { outcome: 'requested'; id: number } | { outcome: 'already-requested' } | { outcome: 'already-allowed' } | { outcome: 'not-found' };

/** A provider asks for access to a patient they found exactly; one pending request per kind. */
export async function requestAccess(
  deps: Deps,
  accountId: number,
  request: { patientId: number; kind: AccessRequestKind; note: string; searchedAs: SearchTerms },
  origin: RequestOrigin,
): Promise<RequestOutcome> {
  const answer = await accessTo(deps, accountId, request.patientId);
  if (!answer) return { outcome: 'not-found' };
  const audit = (outcome: 'success' | 'refused', reason: string, subjectId = request.patientId) =>
    recordAudit(deps.db, { actorType: 'provider', actorId: accountId, action: `request-${request.kind}-access`, subjectType: 'patient', subjectId, outcome, reason }, origin);
  if (answer.decision.allowed) {
    await audit('refused', `already allowed: basis ${answer.decision.basis}`);
    return { outcome: 'already-allowed' };
  }
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const id = await insertAccessRequest(trx, {
      patientId: request.patientId,
      providerAccountId: accountId,
      kind: request.kind,
      note: request.note || null,
      searchedAs: request.searchedAs,
      requestedAt: now,
      // The team's target; the family's answer (non-PCP) has no due date.
      dueAt: request.kind === 'pcp' ? dueAfterBusinessDays(deps.config, now, PCP_REQUEST_BUSINESS_DAYS) : null,
    });
    if (id === undefined) {
      await recordAudit(trx, { actorType: 'provider', actorId: accountId, action: `request-${request.kind}-access`, subjectType: 'patient', subjectId: request.patientId, outcome: 'refused', reason: 'already requested' }, origin);
      return { outcome: 'already-requested' } as const;
    }
    await recordAudit(trx, { actorType: 'provider', actorId: accountId, action: `request-${request.kind}-access`, subjectType: 'patient', subjectId: request.patientId, outcome: 'success', reason: `request ${id}` }, origin);
    // The family decides a non-PCP request: tell everyone who may share (no PHI: which record is not said).
    if (request.kind === 'non-pcp') {
      for (const holder of await holdersWhoMayShare(trx, deps, answer.patient)) {
        await queueEmail(trx, deps, { to: holder.email, template: 'sharingRequestWaiting', language: holder.preferredLanguage as Language, params: { actionUrl: portalLink(deps, 'family', '/signin') } });
      }
    }
    return { outcome: 'requested', id } as const;
  });
}

/** The provider's own requests, named by what they typed to find the patient (nothing from the record). */
export function requestsOf(deps: { db: Knex }, accountId: number): Promise<AccessRequest[]> {
  return requestsOfProvider(deps.db, accountId, PROVIDER_REQUESTS_SHOWN);
}

export interface PcpQueueItem extends QueuedPcpRequest {
  ageBusinessDays: number;
  overdue: boolean;
}

function queued(deps: ReadDeps, request: QueuedPcpRequest, now: Date): PcpQueueItem {
  return { ...request, ...queueTiming(deps, { receivedAt: request.requestedAt, decidedAt: request.decidedAt, dueAt: request.dueAt, pending: request.status === 'pending' }, now) };
}

/** The MyPatients team's queue of PCP requests, a page at a time: pending oldest first, then decided. */
export function pcpRequestQueue(deps: ReadDeps, staffId: number, requestedPage: number, origin: RequestOrigin): Promise<Page<PcpQueueItem> & { pending: number }> {
  return queuePage(deps, { action: 'view-pcp-requests', perPage: PCP_REQUESTS_PER_PAGE, count: countPcpRequests, rows: pcpRequestsPage, item: (row, now) => queued(deps, row, now) }, staffId, requestedPage, origin);
}

export interface PcpRequestReview {
  request: PcpQueueItem;
  provider: ProviderProfile | undefined;
  practice: PracticeDetails | undefined;
  patient: PatientIdentity;
  currentPcp: { practitionerName: string | null; practiceName: string | null } | undefined;
  /** The provider is already the PCP or in the PCP's practice (approving changes nothing). */
  alreadyPcp: boolean;
  decidedBy: string | undefined;
  /** Whom the team may phone to confirm the PCP: what MyChildren's and the imported record already hold. */
  familyContacts: { holders: PatientHolder[]; record: RecordContacts | undefined };
}

/** One PCP request for the team, with the provider, their practice and the patient; the view is audited. */
export async function openPcpRequest(deps: ReadDeps, staffId: number, id: number, origin: RequestOrigin): Promise<PcpRequestReview | undefined> {
  const request = await findPcpRequest(deps.db, id);
  if (!request) return undefined;
  const [provider, patient, currentPcp, decider, holders, recordContacts] = await Promise.all([
    providerProfile(deps.db, request.providerAccountId),
    patientIdentity(deps.db, request.patientId),
    currentPcpOf(deps.db, request.patientId),
    request.decidedByAccountId === null ? Promise.resolve(undefined) : findAccountById(deps.db, request.decidedByAccountId),
    currentHoldersOf(deps.db, request.patientId),
    recordContactsOf(deps.db, request.patientId),
  ]);
  if (!patient) return undefined;
  const [practice, access] = await Promise.all([
    provider ? practiceDetails(deps.db, provider.practiceId) : Promise.resolve(undefined),
    accessTo(deps, request.providerAccountId, request.patientId),
  ]);
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-pcp-request', subjectType: 'patient', subjectId: request.patientId, outcome: 'allowed', reason: `request ${id}` }, origin);
  return {
    request: queued(deps, request, deps.now()),
    provider,
    practice,
    patient,
    currentPcp,
    alreadyPcp: access?.decision.allowed === true && access.decision.basis === 'pcp',
    decidedBy: decider?.name,
    familyContacts: { holders, record: recordContacts },
  };
}

export type DecisionOutcome = { outcome: 'approved' | 'declined' } | { outcome: 'not-found' } | { outcome: 'already-decided' };

/**
 * Approves a pending PCP request: records how the family confirmed the PCP, makes the provider
 * (their practitioner, in their practice) the patient's PCP, and emails the provider to sign in —
 * all in one transaction, the request locked so two decisions cannot both happen.
 */
export async function approvePcpRequest(deps: Deps, staffId: number, id: number, confirmation: string, origin: RequestOrigin): Promise<DecisionOutcome> {
  const now = deps.now();
  return deps.db.transaction(async (trx): Promise<DecisionOutcome> => {
    const request = await findPcpRequest(trx, id, { forUpdate: true });
    if (!request) return { outcome: 'not-found' };
    if (request.status !== 'pending') return { outcome: 'already-decided' };
    const [provider, account] = await Promise.all([providerProfile(trx, request.providerAccountId), findAccountById(trx, request.providerAccountId)]);
    if (!provider || !account) return { outcome: 'not-found' };
    await markRequestDecided(trx, id, { status: 'approved', by: staffId, at: now, decisionNote: confirmation, declineReason: null });
    await setPatientPcp(trx, request.patientId, { practitionerId: provider.practitionerId, practiceId: provider.practiceId });
    await queueEmail(trx, deps, { to: account.email, template: 'pcpAccessApproved', language: account.preferredLanguage, params: { actionUrl: `${deps.config.publicUrl}/provider/signin` } });
    await recordAudit(
      trx,
      { actorType: 'staff', actorId: staffId, action: 'pcp-request-approved', subjectType: 'patient', subjectId: request.patientId, outcome: 'success', reason: `request ${id}: pcp practitioner ${provider.practitionerId}`.slice(0, 60) },
      origin,
    );
    return { outcome: 'approved' };
  });
}

/** Declines a pending PCP request with a reason from the list, and emails the provider that reason. */
export async function declinePcpRequest(deps: Deps, staffId: number, id: number, reason: PcpDeclineReason, origin: RequestOrigin): Promise<DecisionOutcome> {
  return deps.db.transaction(async (trx): Promise<DecisionOutcome> => {
    const request = await findPcpRequest(trx, id, { forUpdate: true });
    if (!request) return { outcome: 'not-found' };
    if (request.status !== 'pending') return { outcome: 'already-decided' };
    const account = await findAccountById(trx, request.providerAccountId);
    if (!account) return { outcome: 'not-found' };
    await markRequestDecided(trx, id, { status: 'declined', by: staffId, at: deps.now(), decisionNote: null, declineReason: reason });
    await queueEmail(trx, deps, {
      to: account.email,
      template: 'pcpAccessDeclined',
      language: account.preferredLanguage,
      params: { reason: translateReason(account.preferredLanguage, reason), actionUrl: `${deps.config.publicUrl}/provider/signin` },
    });
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'pcp-request-declined', subjectType: 'patient', subjectId: request.patientId, outcome: 'success', reason: `request ${id}: ${reason}` }, origin);
    return { outcome: 'declined' };
  });
}

function translateReason(language: Language, reason: PcpDeclineReason): string {
  return translate(language, `pcpRequestsTeam.declineReasons.${reason}`);
}
