// "Share this record" (SPEC §2 Sharing with providers, issue 8 item 7): who can see the patient's
// record in MyPatients and why; searching the provider directory; inviting a registered provider
// (a grant and an email) or anyone else (an invitation token, kept only as a hash, and an email
// with the code); ending access at any time; and approving or declining providers' requests.
// Who may do this comes from domain/sharing.ts. Every view and change is audited; emails name
// no patient.
import type { Knex } from 'knex';
import { currentHoldersOf, currentLink, type PatientHolder } from '../../data/patientLinks.ts';
import { hasAcceptedPapers } from '../../data/guardianshipPapers.ts';
import { careTeamRows } from '../../data/record/healthRecord.ts';
import { careTeamNamedTo } from '../record/familyRecord.ts';
import type { FamilyViewer } from '../../domain/adolescentPrivacy.ts';
import { patientIdentity } from '../../data/providerAccess.ts';
import {
  decideAccessRequest,
  directoryProvider,
  findInvitation,
  findStandingGrant,
  insertGrant,
  insertInvitationToken,
  invitationsSentSince,
  lockPendingRequest,
  pcpPracticeName,
  pendingAccessRequestCounts,
  pendingAccessRequests,
  revokeGrant,
  revokeInvitation,
  searchProviderDirectory,
  standingGrants,
  standingInvitations,
  type AccessRequestRow,
  type DirectoryProvider,
  type GrantRow,
  type InvitationRow,
} from '../../data/sharing.ts';
import { tokenExpiresAt } from '../../domain/access.ts';
import type { Language } from '../../domain/language.ts';
import { isLanguage } from '../../domain/language.ts';
import { mayShareRecord, sharersOf, type SharingDecision, type Sharers } from '../../domain/sharing.ts';
import { formatDate } from '../../views/formatting.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { queueEmail, type EmailOutboxDeps } from '../emailOutbox.ts';
import { portalLink } from '../identity/deps.ts';
import { formatInvitationCode, invitationCodeHash, newInvitationCode } from '../myPatients/invitationCodes.ts';
import { eligibilityNow } from './linking.ts';
import { openPatient, type LinkedPatient, type OpenedPatient } from './patientAccess.ts';

export type { AccessRequestRow, DirectoryProvider, GrantRow, InvitationRow };

export type SharingDeps = EmailOutboxDeps & { db: Knex; now: () => Date };

/** Directory searches show at most this many providers; a longer name narrows it. */
export const DIRECTORY_RESULTS = 20;
/** Invitations by email one account may send in a day: enough for any family, too few for spam. */
export const INVITATIONS_PER_DAY = 10;

// ——— Who may share ———

async function decide(deps: SharingDeps, accountId: number, link: LinkedPatient): Promise<SharingDecision> {
  const papers = link.relationship === 'court-appointed-guardian' && (await hasAcceptedPapers(deps.db, link.patientId, accountId));
  return mayShareRecord({ relationship: link.relationship, patientBirthDate: link.birthDate, guardianshipPapersOnFile: papers, now: deps.now(), timeZone: deps.config.hospital.timeZone });
}

/** The holder's standing link, when it lets them share (for changes, which audit themselves). */
async function sharer(deps: SharingDeps, accountId: number, patientId: number): Promise<{ link: LinkedPatient; refusal?: string } | undefined> {
  const link = await currentLink(deps.db, accountId, patientId);
  if (!link) return undefined;
  const standing = await eligibilityNow(deps.db, { accountId, patientId, patientBirthDate: link.birthDate, relationship: link.relationship }, deps.now(), deps.config.hospital.timeZone);
  if (!standing.allowed) return undefined;
  const decision = await decide(deps, accountId, link);
  return decision.allowed ? { link } : { link, refusal: decision.reason };
}

/**
 * The account holders who may share this patient's record now — a standing link (eligibility, as
 * for every family read) and the sharing rule — for telling them about a provider's request.
 * `db` may be a transaction.
 */
export async function holdersWhoMayShare(db: Knex, deps: Pick<SharingDeps, 'config' | 'now'>, patient: { id: number; birthDate: string }): Promise<PatientHolder[]> {
  const now = deps.now();
  const timeZone = deps.config.hospital.timeZone;
  const sharers: PatientHolder[] = [];
  for (const holder of await currentHoldersOf(db, patient.id)) {
    const link = { accountId: holder.accountId, patientId: patient.id, patientBirthDate: patient.birthDate, relationship: holder.relationship };
    if (!(await eligibilityNow(db, link, now, timeZone)).allowed) continue;
    const papers = holder.relationship === 'court-appointed-guardian' && (await hasAcceptedPapers(db, patient.id, holder.accountId));
    if (mayShareRecord({ relationship: holder.relationship, patientBirthDate: patient.birthDate, guardianshipPapersOnFile: papers, now, timeZone }).allowed) sharers.push(holder);
  }
  return sharers;
}

/**
 * Providers' requests waiting for this holder's answer, per patient (for the home page's flag):
 * only for the patients whose record the holder may share, as only they can answer.
 * `patients` are the holder's standing links (patientsOnAccount).
 */
export async function requestsAwaitingAnswer(deps: SharingDeps, accountId: number, patients: readonly LinkedPatient[]): Promise<Map<number, number>> {
  const counts = await pendingAccessRequestCounts(deps.db, patients.map((patient) => patient.patientId));
  const waiting = new Map<number, number>();
  for (const patient of patients) {
    const count = counts.get(patient.patientId);
    if (count && (await decide(deps, accountId, patient)).allowed) waiting.set(patient.patientId, count);
  }
  return waiting;
}

export interface SharingPage extends OpenedPatient {
  decision: SharingDecision;
  /** Who may share this patient's record, for the page's words. */
  sharers: Sharers;
}

/** Opens the patient for a sharing page (audited as `view-<page>`); undefined (404) when not the holder's. */
export async function openSharing(deps: SharingDeps, accountId: number, patientId: number, page: string, origin: RequestOrigin): Promise<SharingPage | undefined> {
  const opened = await openPatient(deps, accountId, patientId, page, origin);
  if (!opened) return undefined;
  const holders = await currentHoldersOf(deps.db, patientId);
  const decision = await decide(deps, accountId, opened.patient);
  if (!decision.allowed) {
    await recordAudit(deps.db, { actorType: 'family', actorId: accountId, action: `view-${page}`, subjectType: 'patient', subjectId: patientId, outcome: 'refused', reason: decision.reason }, origin);
  }
  const sharers = sharersOf({ birthDate: opened.patient.birthDate, hasOwnAccount: holders.some((holder) => holder.relationship === 'self'), now: deps.now(), timeZone: deps.config.hospital.timeZone });
  return { ...opened, decision, sharers };
}

// ——— Who has access, and why ———

export interface PendingInvitation extends InvitationRow {
  expiresAt: Date;
}

export interface AccessList {
  pcp: { name: string; practiceName: string | null } | null;
  careTeam: { name: string; role: string | null }[];
  grants: GrantRow[];
  /** Invitations a provider has validated: access by token. */
  validated: InvitationRow[];
  /** Invitations not used yet and not expired. */
  pending: PendingInvitation[];
  requests: AccessRequestRow[];
}

/** Everyone who can see the patient's record in MyPatients, and why; and the requests waiting. */
export async function accessList(deps: SharingDeps, patientId: number, viewer: FamilyViewer): Promise<AccessList> {
  const now = deps.now();
  const [careTeam, practice, grants, invitations, requests] = await Promise.all([
    careTeamRows(deps.db, patientId),
    pcpPracticeName(deps.db, patientId),
    standingGrants(deps.db, patientId),
    standingInvitations(deps.db, patientId),
    pendingAccessRequests(deps.db, patientId),
  ]);
  const withExpiry = invitations.map((invitation) => ({ ...invitation, expiresAt: tokenExpiresAt(invitation.issuedAt, deps.config.hospital.timeZone) }));
  return {
    pcp: careTeam.pcp ? { name: careTeam.pcp.name, practiceName: practice?.name ?? careTeam.pcpPractice?.name ?? null } : null,
    careTeam: (await careTeamNamedTo(deps.db, patientId, careTeam.members, viewer, deps.config.releasePolicy)).map((member) => ({ name: member.name, role: member.role })),
    grants,
    validated: withExpiry.filter((invitation) => invitation.usedAt !== null && invitation.validatedBy !== null),
    pending: withExpiry.filter((invitation) => invitation.usedAt === null && invitation.expiresAt > now),
    requests,
  };
}

// ——— The provider directory ———

/** Registered MyPatients providers by name or practice (provider names are not health information). */
export async function searchDirectory(deps: SharingDeps, accountId: number, patientId: number, query: string, origin: RequestOrigin): Promise<DirectoryProvider[]> {
  const results = await searchProviderDirectory(deps.db, query.trim().slice(0, 100), DIRECTORY_RESULTS);
  await recordAudit(deps.db, { actorType: 'family', actorId: accountId, action: 'search-provider-directory', subjectType: 'patient', subjectId: patientId, outcome: 'success', reason: `results ${results.length}` }, origin);
  return results;
}

// ——— Inviting ———

export type ShareOutcome = { outcome: 'shared'; provider: DirectoryProvider } | { outcome: 'already-shared'; provider: DirectoryProvider } | { outcome: 'not-found' } | { outcome: 'may-not-share' };

type Audit = (db: Knex, action: string, outcome: 'success' | 'refused', reason: string | null, subject?: { type: string; id: number }) => Promise<void>;

function auditor(accountId: number, patientId: number, origin: RequestOrigin): Audit {
  return (db, action, outcome, reason, subject) =>
    recordAudit(db, { actorType: 'family', actorId: accountId, action, subjectType: subject?.type ?? 'patient', subjectId: subject?.id ?? patientId, outcome, reason }, origin);
}

/** Who may act, audited when refused; undefined for a patient not the holder's (404). */
async function mayAct(deps: SharingDeps, accountId: number, patientId: number, action: string, audit: Audit): Promise<'yes' | 'no' | 'not-found'> {
  const who = await sharer(deps, accountId, patientId);
  if (!who) {
    await audit(deps.db, action, 'refused', 'not-linked');
    return 'not-found';
  }
  if (who.refusal) {
    await audit(deps.db, action, 'refused', who.refusal);
    return 'no';
  }
  return 'yes';
}

const providerLanguage = (provider: DirectoryProvider): Language => (isLanguage(provider.preferredLanguage) ? provider.preferredLanguage : 'en');

/** Gives a registered provider access (a grant via invitation) and emails them, naming no patient. */
export async function shareWithProvider(deps: SharingDeps, accountId: number, patientId: number, providerAccountId: number, origin: RequestOrigin): Promise<ShareOutcome> {
  const audit = auditor(accountId, patientId, origin);
  const may = await mayAct(deps, accountId, patientId, 'share-with-provider', audit);
  if (may !== 'yes') return { outcome: may === 'no' ? 'may-not-share' : 'not-found' };
  const provider = await directoryProvider(deps.db, providerAccountId);
  if (!provider) {
    await audit(deps.db, 'share-with-provider', 'refused', 'unknown-provider');
    return { outcome: 'not-found' };
  }
  return deps.db.transaction(async (trx) => {
    const grantId = await insertGrant(trx, { patientId, providerAccountId, via: 'invitation', grantedBy: accountId, at: deps.now() });
    if (grantId === undefined) return { outcome: 'already-shared' as const, provider };
    await queueEmail(trx, deps, { to: provider.email, template: 'sharingRecordShared', language: providerLanguage(provider), params: { actionUrl: portalLink(deps, 'provider', '/signin') } });
    await audit(trx, 'share-with-provider', 'success', `grant ${grantId} provider ${providerAccountId}`);
    return { outcome: 'shared' as const, provider };
  });
}

export type InviteOutcome = { outcome: 'invited'; invitationId: number } | { outcome: 'too-many' } | { outcome: 'not-found' } | { outcome: 'may-not-share' };

/**
 * Invites someone without a MyPatients account: a single-use code (only its hash is kept) that
 * works with the patient's MRN for 6 months. The email carries the code and how to register; the
 * family gives the MRN themselves, so neither the email nor the MRN alone opens the record, and
 * the email says nothing about who the patient is. Nor does it repeat the name the family typed:
 * the hospital's email to an address of the family's choosing carries no free text of theirs.
 */
export async function inviteByEmail(
  deps: SharingDeps,
  accountId: number,
  patientId: number,
  invitee: { name: string; email: string; language: Language },
  origin: RequestOrigin,
): Promise<InviteOutcome> {
  const audit = auditor(accountId, patientId, origin);
  const may = await mayAct(deps, accountId, patientId, 'invite-provider', audit);
  if (may !== 'yes') return { outcome: may === 'no' ? 'may-not-share' : 'not-found' };
  const now = deps.now();
  if ((await invitationsSentSince(deps.db, accountId, new Date(now.getTime() - 86_400_000))) >= INVITATIONS_PER_DAY) {
    await audit(deps.db, 'invite-provider', 'refused', 'too-many-today');
    return { outcome: 'too-many' };
  }
  const code = newInvitationCode();
  const expires = formatDate(tokenExpiresAt(now, deps.config.hospital.timeZone), invitee.language, deps.config.hospital.timeZone);
  return deps.db.transaction(async (trx) => {
    const invitationId = await insertInvitationToken(trx, { tokenHash: invitationCodeHash(code), patientId, issuedBy: accountId, invitedName: invitee.name, invitedEmail: invitee.email, at: now });
    await queueEmail(trx, deps, {
      to: invitee.email,
      template: 'sharingInvitation',
      language: invitee.language,
      params: { code: formatInvitationCode(code), expires, signInUrl: portalLink(deps, 'provider', '/signin'), actionUrl: portalLink(deps, 'provider', '/register') },
    });
    await audit(trx, 'invite-provider', 'success', `invitation ${invitationId}`, { type: 'patient', id: patientId });
    return { outcome: 'invited' as const, invitationId };
  });
}

export interface InvitationView extends SharingPage {
  invitation: PendingInvitation;
  mrn: string;
}

/** An invitation the family sent, with the MRN they give the provider (audited as a view). */
export async function openInvitation(deps: SharingDeps, accountId: number, patientId: number, invitationId: number, origin: RequestOrigin): Promise<InvitationView | undefined> {
  const page = await openSharing(deps, accountId, patientId, 'sharing-invitation', origin);
  if (!page) return undefined;
  const [invitation, identity] = await Promise.all([findInvitation(deps.db, patientId, invitationId), patientIdentity(deps.db, patientId)]);
  if (!invitation || !identity) return undefined;
  return { ...page, invitation: { ...invitation, expiresAt: tokenExpiresAt(invitation.issuedAt, deps.config.hospital.timeZone) }, mrn: identity.mrn };
}

// ——— Ending access ———

export type RevokeOutcome = { outcome: 'revoked' } | { outcome: 'already-ended' } | { outcome: 'not-found' } | { outcome: 'may-not-share' };

/** The grant to confirm ending (on a sharing page that is already open). */
export function grantToRevoke(deps: SharingDeps, patientId: number, grantId: number): Promise<GrantRow | undefined> {
  return findStandingGrant(deps.db, patientId, grantId);
}

/** Ends a provider's grant now: the access policy reads it on the provider's next request. */
export async function revokeProviderGrant(deps: SharingDeps, accountId: number, patientId: number, grantId: number, origin: RequestOrigin): Promise<RevokeOutcome> {
  const audit = auditor(accountId, patientId, origin);
  const may = await mayAct(deps, accountId, patientId, 'revoke-provider-grant', audit);
  if (may !== 'yes') return { outcome: may === 'no' ? 'may-not-share' : 'not-found' };
  return deps.db.transaction(async (trx) => {
    if (!(await revokeGrant(trx, { patientId, grantId, by: accountId, at: deps.now() }))) {
      await audit(trx, 'revoke-provider-grant', 'refused', `grant ${grantId} not standing`);
      return { outcome: 'already-ended' as const };
    }
    await audit(trx, 'revoke-provider-grant', 'success', `grant ${grantId}`);
    return { outcome: 'revoked' as const };
  });
}

/** Withdraws an invitation: a pending code stops working, and a validated one stops giving access. */
export async function revokeProviderInvitation(deps: SharingDeps, accountId: number, patientId: number, invitationId: number, origin: RequestOrigin): Promise<RevokeOutcome> {
  const audit = auditor(accountId, patientId, origin);
  const may = await mayAct(deps, accountId, patientId, 'revoke-provider-invitation', audit);
  if (may !== 'yes') return { outcome: may === 'no' ? 'may-not-share' : 'not-found' };
  return deps.db.transaction(async (trx) => {
    if (!(await revokeInvitation(trx, { patientId, invitationId, by: accountId, at: deps.now() }))) {
      await audit(trx, 'revoke-provider-invitation', 'refused', `invitation ${invitationId} not standing`);
      return { outcome: 'already-ended' as const };
    }
    await audit(trx, 'revoke-provider-invitation', 'success', `invitation ${invitationId}`);
    return { outcome: 'revoked' as const };
  });
}

// ——— Providers' requests ———

export type DecideOutcome = { outcome: 'approved' | 'declined'; provider: DirectoryProvider } | { outcome: 'already-decided' } | { outcome: 'not-found' } | { outcome: 'may-not-share' };

/** Approves (a grant via the request) or declines a provider's pending request, and emails the provider. */
export async function decideProviderRequest(deps: SharingDeps, accountId: number, patientId: number, requestId: number, decision: 'approve' | 'decline', origin: RequestOrigin): Promise<DecideOutcome> {
  const audit = auditor(accountId, patientId, origin);
  const action = `${decision}-provider-request`;
  const may = await mayAct(deps, accountId, patientId, action, audit);
  if (may !== 'yes') return { outcome: may === 'no' ? 'may-not-share' : 'not-found' };
  const now = deps.now();
  return deps.db.transaction(async (trx): Promise<DecideOutcome> => {
    const request = await lockPendingRequest(trx, patientId, requestId);
    if (!request) {
      await audit(trx, action, 'refused', `request ${requestId} not pending`);
      return { outcome: 'already-decided' };
    }
    const status = decision === 'approve' ? 'approved' : 'declined';
    await decideAccessRequest(trx, { requestId, status, by: accountId, at: now });
    if (decision === 'approve') await insertGrant(trx, { patientId, providerAccountId: request.provider.accountId, via: 'approved-request', grantedBy: accountId, at: now });
    await queueEmail(trx, deps, {
      to: request.provider.email,
      template: decision === 'approve' ? 'sharingRequestApproved' : 'sharingRequestDeclined',
      language: providerLanguage(request.provider),
      params: { reference: `AR-${requestId}`, actionUrl: portalLink(deps, 'provider', '/signin') },
    });
    await audit(trx, action, 'success', `request ${requestId} provider ${request.provider.accountId}`);
    return { outcome: status, provider: request.provider };
  });
}
