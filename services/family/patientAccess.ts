// Which patients an account holder may open, checked on every patient page, and who else is
// linked. Every opening is audited, and so is every refusal: a patient id that is not the
// holder's answers exactly like one that does not exist.
import type { Knex } from 'knex';
import { currentHoldersOf, currentlyLinkedPatients, endPatientLink, findLinkById, type LinkedPatient, type PatientHolder } from '../../data/patientLinks.ts';
import type { Config } from '../../config.ts';
import type { Relationship } from '../../domain/eligibility.ts';
import { eligibilityNow } from './linking.ts';
import type { FamilyViewer } from '../../domain/adolescentPrivacy.ts';
import { itemAuditFor, recordAudit, type ItemAudit, type RequestOrigin } from '../audit.ts';

export type { LinkedPatient, PatientHolder };

/** The adolescent-privacy rules see the patient themself, or anyone else linked to them. */
export function viewerOf(relationship: Relationship): FamilyViewer {
  return relationship === 'self' ? 'patient' : 'guardian';
}

type AccessDeps = { db: Knex; config: Config; now: () => Date };

/**
 * The holder's links that still give access now. The turning-18 job ends parents' links within
 * the hour after the birthday; until it has run, this check closes the record at 00:00 exactly.
 */
async function standingLinks(deps: AccessDeps, accountId: number, links: LinkedPatient[]): Promise<LinkedPatient[]> {
  const decisions = await Promise.all(
    links.map((link) => eligibilityNow(deps.db, { accountId, patientId: link.patientId, patientBirthDate: link.birthDate, relationship: link.relationship }, deps.now(), deps.config.hospital.timeZone)),
  );
  return links.filter((_link, index) => decisions[index]?.allowed);
}

export async function patientsOnAccount(deps: AccessDeps, accountId: number): Promise<LinkedPatient[]> {
  return standingLinks(deps, accountId, await currentlyLinkedPatients(deps.db, accountId));
}

export interface OpenedPatient {
  patient: LinkedPatient;
  /** Every patient the holder may open, for the switcher. */
  patientsOnAccount: LinkedPatient[];
  /** Opened for one item (`oneItem`): the caller writes the audit row once it knows the item. */
  auditItem?: ItemAudit;
}

/**
 * The holder's current link to the patient, or undefined (audited as refused) when there is
 * none: never linked, unlinked by support, or ended at 18. Read on every request, so an
 * ended link closes the record in every open session at once.
 */
export async function openPatient(deps: AccessDeps, accountId: number, patientId: number, page: string, origin: RequestOrigin, options: { oneItem?: boolean } = {}): Promise<OpenedPatient | undefined> {
  const linked = await currentlyLinkedPatients(deps.db, accountId);
  const standing = await standingLinks(deps, accountId, linked);
  const patient = standing.find((link) => link.patientId === patientId);
  const refusal = patient ? null : linked.some((link) => link.patientId === patientId) ? 'turned-18' : 'not-linked';
  const event = { actorType: 'family', actorId: accountId, action: `view-${page}`, subjectType: 'patient', subjectId: patientId } as const;
  if (patient && options.oneItem) return { patient, patientsOnAccount: standing, auditItem: itemAuditFor(deps.db, event, origin) };
  await recordAudit(deps.db, { ...event, outcome: patient ? 'allowed' : 'refused', reason: refusal }, origin);
  return patient && { patient, patientsOnAccount: standing };
}

/** Everyone linked to the patient: shown to the patient themself, and to support. */
export function holdersOf(deps: { db: Knex }, patientId: number): Promise<PatientHolder[]> {
  return currentHoldersOf(deps.db, patientId);
}

export type EndAccessOutcome = { ended: true; patientId: number } | { ended: false };

/** Support ends a holder's access to a patient. */
export async function endHolderAccess(deps: { db: Knex; now: () => Date }, staffId: number, linkId: number, origin: RequestOrigin): Promise<EndAccessOutcome> {
  return deps.db.transaction(async (trx) => {
    const link = await findLinkById(trx, linkId);
    if (!link || !(await endPatientLink(trx, linkId, 'ended-by-support', deps.now()))) return { ended: false as const };
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'unlink-patient', subjectType: 'patient', subjectId: link.patientId, outcome: 'success', reason: `account ${link.accountId}` }, origin);
    return { ended: true as const, patientId: link.patientId };
  });
}
