// Patients, links, requests and papers made directly in the test database, for tests of
// family access and for the page gates' fixtures.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Relationship } from '../../domain/eligibility.ts';
import { insertPatientLink } from '../../data/patientLinks.ts';
import { insertLinkRequest } from '../../data/linkRequests.ts';
import { insertGuardianshipPapers } from '../../data/guardianshipPapers.ts';
import { createAccount } from './identity.ts';

let patients = 0;

export interface TestPatient {
  id: number;
  mrn: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
}

/** A patient with a unique MRN; `birthDate` 'YYYY-MM-DD'. */
export async function createPatient(db: Knex, patient: { birthDate: string; givenNames?: string; familyName?: string; email?: string; mrn?: string }): Promise<TestPatient> {
  const mrn = patient.mrn ?? `7${String(Date.now() % 1e6).padStart(6, '0')}${++patients}`;
  const row = {
    source_id: `test-${randomBytes(6).toString('hex')}`,
    mrn,
    given_names: patient.givenNames ?? 'Sam',
    family_name: patient.familyName ?? 'Rivera',
    birth_date: patient.birthDate,
    email: patient.email ?? null,
  };
  const [inserted] = await db('patients').insert(row).returning('id');
  return { id: Number(inserted.id), mrn, givenNames: row.given_names, familyName: row.family_name, birthDate: patient.birthDate };
}

/** 'YYYY-MM-DD' of the day `years` years (and `days` days) before `now`, in UTC: ages in tests stay clear of boundaries. */
export function bornYearsAgo(years: number, now = new Date(), days = 0): string {
  const date = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() - days));
  return date.toISOString().slice(0, 10);
}

export function linkHolder(db: Knex, accountId: number, patientId: number, relationship: Relationship, now = new Date()): Promise<number> {
  return insertPatientLink(db, { accountId, patientId, relationship }, now);
}

export async function familyAccount(db: Knex, label: string): Promise<{ id: number; email: string }> {
  const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
  return { id: await createAccount(db, { kind: 'family', email }), email };
}

export async function createLinkRequest(
  db: Knex,
  request: { accountId: number; patient: TestPatient | undefined; relationship?: Relationship; visitDate?: string; createdAt?: Date },
): Promise<number> {
  const createdAt = request.createdAt ?? new Date();
  return insertLinkRequest(db, {
    accountId: request.accountId,
    relationship: request.relationship ?? 'parent',
    typedPatientName: request.patient ? `${request.patient.givenNames} ${request.patient.familyName}` : 'Nobody Known',
    typedBirthDate: request.patient?.birthDate ?? '2015-01-01',
    typedMrn: request.patient?.mrn ?? '99999999',
    typedVisitDate: request.visitDate ?? '2026-01-05',
    patientId: request.patient?.id ?? null,
    createdAt,
    dueAt: new Date(createdAt.getTime() + 86_400_000),
  });
}

/** A minimal PDF: enough for a file-type check. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export function createPapers(db: Knex, papers: { patientId: number; accountId: number; uploadedBy: number }): Promise<number> {
  return insertGuardianshipPapers(db, { ...papers, fileName: 'court-order.pdf', content: TINY_PDF, uploadedAt: new Date() });
}

/** A date form field's three boxes (see the dateInput macro), filled from 'YYYY-MM-DD'. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}-month`]: String(Number(month)), [`${name}-day`]: String(Number(day)), [`${name}-year`]: year };
}
