// Patient look-ups the portals make: by MRN, by name and date of birth.
import type { Knex } from 'knex';

/**
 * `patients as p` with the PCP's practice as every page and the access policy take it: the
 * practice the record names, or else the practice of the PCP's MyPatients account. Select
 * PCP_PRACTICE_ID from the result.
 */
export function patientsWithPcpPractice(db: Knex) {
  return db('patients as p').leftJoin('provider_accounts as pcp_account', 'pcp_account.practitioner_id', 'p.pcp_practitioner_id');
}
export const PCP_PRACTICE_ID = 'COALESCE(p.pcp_practice_id, pcp_account.practice_id)';

export interface PatientSummary {
  id: number;
  mrn: string;
  family_name: string;
  given_names: string;
  birth_date: string;
  sex: string | null;
}

// A date column as 'YYYY-MM-DD': read as a JavaScript Date it would shift with the server's zone.
const summaryColumns = (db: Knex) => ['id', 'mrn', 'family_name', 'given_names', db.raw(`to_char(birth_date, 'YYYY-MM-DD') AS birth_date`), 'sex'];

export async function recordIsEmpty(db: Knex): Promise<boolean> {
  return (await db('patients').first('id')) === undefined;
}

export async function patientIdsByMrn(db: Knex, mrns: string[]): Promise<Map<string, number>> {
  const rows = await db('patients').select('id', 'mrn').whereIn('mrn', mrns);
  return new Map(rows.map((row) => [row.mrn as string, Number(row.id)]));
}

export function findPatientByMrn(db: Knex, mrn: string): Promise<PatientSummary | undefined> {
  return db('patients').select(summaryColumns(db)).where({ mrn: mrn.trim() }).first();
}

/** Exact date of birth, and a family name starting with what was typed (any case). */
export function searchPatients(db: Knex, criteria: { familyName: string; birthDate: string; limit?: number }): Promise<PatientSummary[]> {
  const prefix = criteria.familyName.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return db('patients')
    .select(summaryColumns(db))
    .where('birth_date', criteria.birthDate)
    .andWhereRaw('lower(family_name) LIKE ?', [`${prefix}%`])
    .orderBy(['family_name', 'given_names'])
    .limit(criteria.limit ?? 50);
}

export function findPatientById(db: Knex, id: number): Promise<PatientSummary | undefined> {
  return db('patients').select(summaryColumns(db)).where({ id }).first();
}

/** Whether the patient had a visit (an encounter or an appointment) on this local date. */
export async function patientHadVisitOn(db: Knex, patientId: number, localDate: string, timeZone: string): Promise<boolean> {
  const onDate = (column: string) => db.raw(`(${column} AT TIME ZONE ?)::date = ?::date`, [timeZone, localDate]);
  const encounter = await db('encounters').where({ patient_id: patientId }).andWhere(onDate('period_start')).first('id');
  if (encounter) return true;
  return (await db('appointments').where({ patient_id: patientId }).andWhere(onDate('start_at')).first('id')) !== undefined;
}

/** The family's contact details the imported record holds: the patient's own, and each active related person's. */
export interface RecordContacts {
  patientPhone: string | null;
  patientEmail: string | null;
  relatedPersons: { name: string; relationshipCode: string | null; isLegalGuardian: boolean; phone: string | null; email: string | null }[];
}

export async function recordContactsOf(db: Knex, patientId: number): Promise<RecordContacts | undefined> {
  const [patient, people] = await Promise.all([
    db('patients').where('id', patientId).first('phone', 'email'),
    db('related_persons')
      .where({ patient_id: patientId, active: true })
      .orderBy([{ column: 'is_legal_guardian', order: 'desc' }, 'family_name', 'given_names', 'id'])
      .select('given_names', 'family_name', 'relationship_code', 'is_legal_guardian', 'phone', 'email'),
  ]);
  if (!patient) return undefined;
  return {
    patientPhone: patient.phone || null,
    patientEmail: patient.email || null,
    relatedPersons: people.map((row) => ({
      name: [row.given_names, row.family_name].filter(Boolean).join(' '),
      relationshipCode: row.relationship_code,
      isLegalGuardian: row.is_legal_guardian,
      phone: row.phone || null,
      email: row.email || null,
    })),
  };
}
