// A provider's saved patients: add, remove, list. Saving and removing name a patient, so each asks
// the access policy first and is audited (allowed with the basis, or refused with the reason); a
// refusal looks like a patient that does not exist. The list shows only patients the provider may
// see now: one whose access ended stays saved but hidden, and the page says how many are hidden.
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

/**
 * The saved patients the provider may see now. The policy is asked for each (not audited one by
 * one: nothing of a hidden patient is shown); the list itself is audited once, with how many it showed.
 */
export async function savedPatientsOf(deps: SavedPatientsDeps, accountId: number, origin: RequestOrigin): Promise<SavedPatients> {
  const [rows, profile] = await Promise.all([savedPatientRows(deps.db, accountId), providerProfile(deps.db, accountId)]);
  // The same policy as accessTo, with the provider read once rather than once per saved patient.
  const user = profile && policyUserOf(profile);
  const facts = user ? await Promise.all(rows.map((row) => accessFactsOf(deps.db, row.patientId))) : [];
  const patients = rows.filter((_row, index) => {
    const patientFacts = facts[index];
    return user !== undefined && patientFacts !== undefined && providerMayViewPatient(user, patientFacts, deps.config.hospital.timeZone).allowed;
  });
  const hiddenCount = rows.length - patients.length;
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

/** Saves (or removes) the patient when the provider may see them; false (and a refused audit row) when not. */
async function change(deps: SavedPatientsDeps, accountId: number, patientId: number, action: 'save-patient' | 'remove-saved-patient', origin: RequestOrigin): Promise<boolean> {
  const answer = await accessTo(deps, accountId, patientId);
  const decision = answer?.decision;
  const allowed = decision?.allowed === true;
  await deps.db.transaction(async (trx) => {
    if (allowed) {
      if (action === 'save-patient') await insertSavedPatient(trx, accountId, patientId, deps.now());
      else await deleteSavedPatient(trx, accountId, patientId);
    }
    await recordAudit(
      trx,
      {
        actorType: 'provider',
        actorId: accountId,
        action,
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

export function savePatient(deps: SavedPatientsDeps, accountId: number, patientId: number, origin: RequestOrigin): Promise<boolean> {
  return change(deps, accountId, patientId, 'save-patient', origin);
}

export function removeSavedPatient(deps: SavedPatientsDeps, accountId: number, patientId: number, origin: RequestOrigin): Promise<boolean> {
  return change(deps, accountId, patientId, 'remove-saved-patient', origin);
}
