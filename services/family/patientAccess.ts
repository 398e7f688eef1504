// Which patients an account holder may open, checked on every patient page, and who else is
// linked. Every opening is audited, and so is every refusal: a patient id that is not the
// holder's answers exactly like one that does not exist.
import type { Knex } from 'knex';
import { currentHoldersOf, currentLink, currentlyLinkedPatients, endPatientLink, findLinkById, type LinkedPatient, type PatientHolder } from '../../data/patientLinks.ts';
import type { Config } from '../../config.ts';
import { mayLinkPatient, type Relationship } from '../../domain/eligibility.ts';
import { hasAcceptedPapers } from '../../data/guardianshipPapers.ts';
import type { FamilyViewer } from '../../domain/adolescentPrivacy.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';

export type { LinkedPatient, PatientHolder };

/** The adolescent-privacy rules see the patient themself, or anyone else linked to them. */
export function viewerOf(relationship: Relationship): FamilyViewer {
  return relationship === 'self' ? 'patient' : 'guardian';
}

type AccessDeps = { db: Knex; config: Config; now: () => Date };

/**
 * Whether a link still gives access now. The turning-18 job ends parents' links within the hour
 * after the birthday; until it has run, this check closes the record at 00:00 exactly.
 */
async function linkStands(deps: AccessDeps, accountId: number, link: LinkedPatient): Promise<boolean> {
  const papersOnFile = () => hasAcceptedPapers(deps.db, link.patientId, accountId);
  const decision = mayLinkPatient({
    relationship: link.relationship,
    patientBirthDate: link.birthDate,
    guardianshipPapersOnFile: link.relationship === 'court-appointed-guardian' && (await papersOnFile()),
    now: deps.now(),
    timeZone: deps.config.hospital.timeZone,
  });
  return decision.allowed;
}

export async function patientsOnAccount(deps: AccessDeps, accountId: number): Promise<LinkedPatient[]> {
  const links = await currentlyLinkedPatients(deps.db, accountId);
  const standing = await Promise.all(links.map((link) => linkStands(deps, accountId, link)));
  return links.filter((_link, index) => standing[index]);
}

/**
 * The holder's current link to the patient, or undefined (audited as refused) when there is
 * none: never linked, unlinked by support, or ended at 18. Read on every request, so an
 * ended link closes the record in every open session at once.
 */
export async function openPatient(deps: AccessDeps, accountId: number, patientId: number, page: string, origin: RequestOrigin): Promise<LinkedPatient | undefined> {
  const found = await currentLink(deps.db, accountId, patientId);
  const refusal = !found ? 'not-linked' : (await linkStands(deps, accountId, found)) ? null : 'turned-18';
  await recordAudit(
    deps.db,
    { actorType: 'family', actorId: accountId, action: `view-${page}`, subjectType: 'patient', subjectId: patientId, outcome: refusal ? 'refused' : 'allowed', reason: refusal },
    origin,
  );
  return refusal ? undefined : found;
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
