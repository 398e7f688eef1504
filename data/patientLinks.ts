// Queries on the links between account holders and patients.
import type { Knex } from 'knex';
import type { Relationship } from '../domain/eligibility.ts';

export interface LinkedPatient {
  linkId: number;
  patientId: number;
  givenNames: string;
  familyName: string;
  birthDate: string;
  relationship: Relationship;
}

export interface PatientHolder {
  linkId: number;
  accountId: number;
  name: string;
  email: string;
  preferredLanguage: string;
  relationship: Relationship;
  since: Date;
}

export async function insertPatientLink(db: Knex, link: { accountId: number; patientId: number; relationship: Relationship }, now: Date): Promise<number> {
  const [row] = await db('patient_links').insert({ account_id: link.accountId, patient_id: link.patientId, relationship: link.relationship, created_at: now }).returning('id');
  return Number(row.id);
}

function linkedPatients(db: Knex, accountId: number) {
  return db('patient_links as l')
    .join('patients as p', 'p.id', 'l.patient_id')
    .where('l.account_id', accountId)
    .whereNull('l.ended_at')
    .select('l.id as link_id', 'p.id', 'p.given_names', 'p.family_name', db.raw(`to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date`), 'l.relationship');
}

function toLinkedPatient(row: Record<string, any>): LinkedPatient {
  return {
    linkId: Number(row.link_id),
    patientId: Number(row.id),
    givenNames: row.given_names,
    familyName: row.family_name,
    birthDate: row.birth_date,
    relationship: row.relationship,
  };
}

/** The patients an account holder may currently see, youngest first. */
export async function currentlyLinkedPatients(db: Knex, accountId: number): Promise<LinkedPatient[]> {
  const rows = await linkedPatients(db, accountId).orderBy('p.birth_date', 'desc').orderBy('p.id');
  return rows.map(toLinkedPatient);
}

/** The account holder's current link to this patient, if any: what every patient page checks. */
export async function currentLink(db: Knex, accountId: number, patientId: number): Promise<LinkedPatient | undefined> {
  const row = await linkedPatients(db, accountId).andWhere('l.patient_id', patientId).first();
  return row && toLinkedPatient(row);
}

/** Everyone currently linked to the patient, longest-standing first. */
export async function currentHoldersOf(db: Knex, patientId: number): Promise<PatientHolder[]> {
  const rows = await db('patient_links as l')
    .join('accounts as a', 'a.id', 'l.account_id')
    .where('l.patient_id', patientId)
    .whereNull('l.ended_at')
    .orderBy('l.created_at')
    .select('l.id', 'l.account_id', 'a.name', 'a.email', 'a.preferred_language', 'l.relationship', 'l.created_at');
  return rows.map((row) => ({
    linkId: Number(row.id),
    accountId: Number(row.account_id),
    name: row.name,
    email: row.email,
    preferredLanguage: row.preferred_language,
    relationship: row.relationship,
    since: row.created_at,
  }));
}

/** Ends a current link; false if it had already ended. */
export async function endPatientLink(db: Knex, linkId: number, reason: string, now: Date): Promise<boolean> {
  const updated = await db('patient_links').where({ id: linkId }).whereNull('ended_at').update({ ended_at: now, ended_reason: reason });
  return updated === 1;
}

export async function findLinkById(db: Knex, linkId: number): Promise<{ id: number; accountId: number; patientId: number; relationship: Relationship; endedAt: Date | null } | undefined> {
  const row = await db('patient_links').where({ id: linkId }).first();
  return row && { id: Number(row.id), accountId: Number(row.account_id), patientId: Number(row.patient_id), relationship: row.relationship, endedAt: row.ended_at };
}

export interface PatientNearingAdulthood {
  id: number;
  birthDate: string;
  /** The patient's own address and language from the record, if any. */
  email: string | null;
  preferredLanguage: string | null;
}

/**
 * Patients with a current link other than their own whose `age`th birthday falls on or before
 * `today` + `daysAhead` by PostgreSQL's date arithmetic (which puts 29 February birthdays on
 * 28 February), by id after `afterPatientId`. Callers add a margin and decide with domain/age.ts.
 */
export async function patientsWithFamilyNearingAge(
  db: Knex,
  query: { today: string; age: number; daysAhead: number; afterPatientId: number; limit: number },
): Promise<PatientNearingAdulthood[]> {
  const rows = await db('patients as p')
    // Born on or before this date: the birthday is at most `daysAhead` days away, or past.
    .where('p.birth_date', '<=', db.raw(`(?::date + ?::int - make_interval(years => ?))::date`, [query.today, query.daysAhead, query.age]))
    .andWhere('p.id', '>', query.afterPatientId)
    .whereExists(db('patient_links as l').whereRaw('l.patient_id = p.id').whereNull('l.ended_at').andWhereNot('l.relationship', 'self'))
    .orderBy('p.id')
    .limit(query.limit)
    .select('p.id', db.raw(`to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date`), 'p.email', 'p.preferred_language');
  return rows.map((row) => ({ id: Number(row.id), birthDate: row.birth_date, email: row.email, preferredLanguage: row.preferred_language }));
}
