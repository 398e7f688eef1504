// Which patients an account holder may open, checked on every patient page, and who else is
// linked. Every opening is audited, and so is every refusal: a patient id that is not the
// holder's answers exactly like one that does not exist.
import type { Knex } from 'knex';
import { currentHoldersOf, currentLink, currentlyLinkedPatients, endPatientLink, findLinkById, type LinkedPatient, type PatientHolder } from '../../data/patientLinks.ts';
import type { Relationship } from '../../domain/eligibility.ts';
import type { FamilyViewer } from '../../domain/adolescentPrivacy.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';

export type { LinkedPatient, PatientHolder };

export function patientsOnAccount(deps: { db: Knex }, accountId: number): Promise<LinkedPatient[]> {
  return currentlyLinkedPatients(deps.db, accountId);
}

/** The adolescent-privacy rules see the patient themself, or anyone else linked to them. */
export function viewerOf(relationship: Relationship): FamilyViewer {
  return relationship === 'self' ? 'patient' : 'guardian';
}

/**
 * The holder's current link to the patient, or undefined (audited as refused) when there is
 * none: never linked, unlinked by support, or ended at 18. Read on every request, so an
 * ended link closes the record in every open session at once.
 */
export async function openPatient(deps: { db: Knex }, accountId: number, patientId: number, page: string, origin: RequestOrigin): Promise<LinkedPatient | undefined> {
  const link = await currentLink(deps.db, accountId, patientId);
  await recordAudit(
    deps.db,
    { actorType: 'family', actorId: accountId, action: `view-${page}`, subjectType: 'patient', subjectId: patientId, outcome: link ? 'allowed' : 'refused', reason: link ? null : 'not-linked' },
    origin,
  );
  return link;
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
