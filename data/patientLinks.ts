// Queries on the links between account holders and patients.
import type { Knex } from 'knex';
import type { Relationship } from '../domain/eligibility.ts';

export interface LinkedPatient {
  patientId: number;
  givenNames: string;
  familyName: string;
  relationship: Relationship;
}

export async function insertPatientLink(db: Knex, link: { accountId: number; patientId: number; relationship: Relationship }, now: Date): Promise<void> {
  await db('patient_links').insert({ account_id: link.accountId, patient_id: link.patientId, relationship: link.relationship, created_at: now });
}

/** The patients an account holder may currently see, youngest first. */
export async function currentlyLinkedPatients(db: Knex, accountId: number): Promise<LinkedPatient[]> {
  const rows = await db('patient_links as l')
    .join('patients as p', 'p.id', 'l.patient_id')
    .where('l.account_id', accountId)
    .whereNull('l.ended_at')
    .orderBy('p.birth_date', 'desc')
    .select('p.id', 'p.given_names', 'p.family_name', 'l.relationship');
  return rows.map((row) => ({ patientId: Number(row.id), givenNames: row.given_names, familyName: row.family_name, relationship: row.relationship }));
}
