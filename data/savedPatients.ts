// A MyPatients provider's saved patients (saved_patients): ids and when they were saved. Whether
// the provider may still see each one is the access policy's question, asked by the service.
import type { Knex } from 'knex';

export interface SavedPatientRow {
  patientId: number;
  mrn: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  savedAt: Date;
}

/** The provider's saved patients, by family name then given names. */
export async function savedPatientRows(db: Knex, accountId: number): Promise<SavedPatientRow[]> {
  const rows = await db('saved_patients as s')
    .join('patients as p', 'p.id', 's.patient_id')
    .where('s.provider_account_id', accountId)
    .select('p.id', 'p.mrn', 'p.given_names', 'p.family_name', db.raw(`to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date`), 's.saved_at')
    .orderBy([{ column: 'p.family_name' }, { column: 'p.given_names' }, { column: 'p.id' }]);
  return rows.map((row) => ({ patientId: Number(row.id), mrn: row.mrn, givenNames: row.given_names, familyName: row.family_name, birthDate: row.birth_date, savedAt: row.saved_at }));
}

export async function isSaved(db: Knex, accountId: number, patientId: number): Promise<boolean> {
  return Boolean(await db('saved_patients').where({ provider_account_id: accountId, patient_id: patientId }).first('patient_id'));
}

/** Saves the patient; saving one already saved changes nothing. True when a row was added. */
export async function insertSavedPatient(db: Knex, accountId: number, patientId: number, savedAt: Date): Promise<boolean> {
  const rows = await db('saved_patients').insert({ provider_account_id: accountId, patient_id: patientId, saved_at: savedAt }).onConflict(['provider_account_id', 'patient_id']).ignore().returning('patient_id');
  return rows.length > 0;
}

/** True when a row was removed. */
export async function deleteSavedPatient(db: Knex, accountId: number, patientId: number): Promise<boolean> {
  return (await db('saved_patients').where({ provider_account_id: accountId, patient_id: patientId }).delete()) > 0;
}
