// A provider's saved patients: add, remove, list. Saving names a patient, so it asks the access
// policy first and is audited (allowed with the basis, or refused with the reason); a refusal looks
// like a patient that does not exist. Removing needs no access (a patient whose access ended must
// be removable) and shows nothing: it answers the same whether a row went or not, and is audited.
// The list shows only patients the provider may see now: one whose access ended stays saved but
// hidden, the page says how many, and offers to remove them all.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { deleteSavedPatient, insertSavedPatient, isSaved, savedPatientRows, type SavedPatientRow } from '../../data/savedPatients.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { providerMayViewPatient } from '../../domain/access.ts';
import { accessFactsOf, providerProfile } from '../../data/providerAccess.ts';
import { accessTo, policyUserOf } from './providerAccess.ts';

export type SavedPatientsDeps = { db: Knex; config: Pick<Config, 'hospital'>; now: () => Date };

export type { SavedPatientRow };

export interface SavedPatients {
  patients: SavedPatientRow[];
  /** Saved patients not listed because the provider may no longer see them. */
  hiddenCount: number;
}

/** Splits the provider's saved patients into those the policy lets them see now and those it does not. */
async function sortedByAccess(deps: SavedPatientsDeps, db: Knex, accountId: number): Promise<{ visible: SavedPatientRow[]; hidden: SavedPatientRow[] }> {
  const [rows, profile] = await Promise.all([savedPatientRows(db, accountId), providerProfile(db, accountId)]);
  // The same policy as accessTo, with the provider read once rather than once per saved patient.
  const user = profile && policyUserOf(profile);
  const facts = user ? await Promise.all(rows.map((row) => accessFactsOf(db, row.patientId))) : [];
  const mayView = (index: number) => {
    const patientFacts = facts[index];
    return user !== undefined && patientFacts !== undefined && providerMayViewPatient(user, patientFacts, deps.config.hospital.timeZone).allowed;
  };
  return { visible: rows.filter((_row, index) => mayView(index)), hidden: rows.filter((_row, index) => !mayView(index)) };
}

/**
 * The saved patients the provider may see now. The policy is asked for each (not audited one by
 * one: nothing of a hidden patient is shown); the list itself is audited once, with how many it showed.
 */
export async function savedPatientsOf(deps: SavedPatientsDeps, accountId: number, origin: RequestOrigin): Promise<SavedPatients> {
  const { visible: patients, hidden } = await sortedByAccess(deps, deps.db, accountId);
  const hiddenCount = hidden.length;
  await recordAudit(
    deps.db,
    { actorType: 'provider', actorId: accountId, action: 'view-saved-patients', subjectType: 'account', subjectId: accountId, outcome: 'allowed', reason: `listed ${patients.length}, hidden ${hiddenCount}` },
    origin,
  );
  return { patients, hiddenCount };
}

export function isSavedPatient(deps: Pick<SavedPatientsDeps, 'db'>, accountId: number, patientId: number): Promise<boolean> {
  return isSaved(deps.db, accountId, patientId);
}

/** Saves the patient when the provider may see them; false (and a refused audit row) when not. */
export async function savePatient(deps: SavedPatientsDeps, accountId: number, patientId: number, origin: RequestOrigin): Promise<boolean> {
  const answer = await accessTo(deps, accountId, patientId);
  const decision = answer?.decision;
  const allowed = decision?.allowed === true;
  await deps.db.transaction(async (trx) => {
    if (allowed) await insertSavedPatient(trx, accountId, patientId, deps.now());
    await recordAudit(
      trx,
      {
        actorType: 'provider',
        actorId: accountId,
        action: 'save-patient',
        subjectType: 'patient',
        subjectId: patientId,
        outcome: allowed ? 'allowed' : 'refused',
        reason: !decision ? 'unknown-patient-or-provider' : decision.allowed ? `basis ${decision.basis}` : decision.reason,
      },
      origin,
    );
  });
  return allowed;
}

/**
 * Removes the patient from the provider's saved patients, with or without access now: taking a
 * patient off one's own list shows nothing of them. The caller answers the same either way; the
 * audit row says whether a row went.
 */
export async function removeSavedPatient(deps: SavedPatientsDeps, accountId: number, patientId: number, origin: RequestOrigin): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const removed = await deleteSavedPatient(trx, accountId, patientId);
    await recordAudit(trx, { actorType: 'provider', actorId: accountId, action: 'remove-saved-patient', subjectType: 'patient', subjectId: patientId, outcome: 'success', reason: removed ? 'removed' : 'not saved' }, origin);
  });
}

/** Removes every saved patient the provider may no longer see (one audit row each); returns how many went. */
export async function removeHiddenSavedPatients(deps: SavedPatientsDeps, accountId: number, origin: RequestOrigin): Promise<number> {
  // Sorted outside the transaction (its queries run side by side); one that regains access meanwhile
  // is only taken off the provider's own list.
  const { hidden } = await sortedByAccess(deps, deps.db, accountId);
  return deps.db.transaction(async (trx) => {
    let removed = 0;
    for (const row of hidden) {
      if (!(await deleteSavedPatient(trx, accountId, row.patientId))) continue;
      removed += 1;
      await recordAudit(trx, { actorType: 'provider', actorId: accountId, action: 'remove-saved-patient', subjectType: 'patient', subjectId: row.patientId, outcome: 'success', reason: 'removed: no access now' }, origin);
    }
    return removed;
  });
}
