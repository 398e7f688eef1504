// MyPatients applications, their documents, practices and practitioners found or made on approval,
// and the link from a provider account to its place in the record.
import type { Knex } from 'knex';
import type { Language } from '../domain/language.ts';
import type { ProviderCredential, RegistrationDeclineReason, RegistrationDocument, RegistrationStatus } from '../domain/providerRegistration.ts';

export interface RegistrationDetails {
  givenNames: string;
  familyName: string;
  credential: ProviderCredential;
  npi: string;
  practiceName: string;
  addressLine: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
  fax: string;
  email: string;
}

export interface NewRegistration extends RegistrationDetails {
  preferredLanguage: Language;
  submittedAt: Date;
  dueAt: Date;
}

export interface StoredDocument {
  document: RegistrationDocument;
  displayName: string;
  contentType: string;
  content: Buffer;
}

export interface DocumentSummary {
  id: number;
  document: RegistrationDocument;
  displayName: string;
  contentType: string;
  sizeBytes: number;
}

export interface Registration extends RegistrationDetails {
  id: number;
  preferredLanguage: Language;
  submittedAt: Date;
  dueAt: Date;
  status: RegistrationStatus;
  declineReason: RegistrationDeclineReason | null;
  decidedAt: Date | null;
  decidedByName: string | null;
  providerAccountId: number | null;
  practiceId: number | null;
  practitionerId: number | null;
}

export async function insertRegistration(trx: Knex, registration: NewRegistration, documents: readonly StoredDocument[]): Promise<number> {
  const [row] = await trx('provider_registrations')
    .insert({
      given_names: registration.givenNames,
      family_name: registration.familyName,
      credential: registration.credential,
      npi: registration.npi,
      practice_name: registration.practiceName,
      address_line: registration.addressLine,
      city: registration.city,
      state: registration.state,
      postal_code: registration.postalCode,
      phone: registration.phone,
      fax: registration.fax,
      email: registration.email,
      preferred_language: registration.preferredLanguage,
      submitted_at: registration.submittedAt,
      due_at: registration.dueAt,
    })
    .returning('id');
  const id = Number(row.id);
  for (const document of documents) {
    await trx('provider_registration_documents').insert({
      registration_id: id,
      document: document.document,
      display_name: document.displayName,
      content_type: document.contentType,
      size_bytes: document.content.length,
      content: document.content,
    });
  }
  return id;
}

interface RegistrationRow {
  id: string;
  given_names: string;
  family_name: string;
  credential: ProviderCredential;
  npi: string;
  practice_name: string;
  address_line: string;
  city: string;
  state: string;
  postal_code: string;
  phone: string;
  fax: string;
  email: string;
  preferred_language: Language;
  submitted_at: Date;
  due_at: Date;
  status: RegistrationStatus;
  decline_reason: RegistrationDeclineReason | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  provider_account_id: string | null;
  practice_id: string | null;
  practitioner_id: string | null;
}

const idOrNull = (value: string | null) => (value === null ? null : Number(value));

function toRegistration(row: RegistrationRow): Registration {
  return {
    id: Number(row.id),
    givenNames: row.given_names,
    familyName: row.family_name,
    credential: row.credential,
    npi: row.npi,
    practiceName: row.practice_name,
    addressLine: row.address_line,
    city: row.city,
    state: row.state,
    postalCode: row.postal_code,
    phone: row.phone,
    fax: row.fax,
    email: row.email,
    preferredLanguage: row.preferred_language,
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
    status: row.status,
    declineReason: row.decline_reason,
    decidedAt: row.decided_at,
    decidedByName: row.decided_by_name,
    providerAccountId: idOrNull(row.provider_account_id),
    practiceId: idOrNull(row.practice_id),
    practitionerId: idOrNull(row.practitioner_id),
  };
}

function selectRegistrations(db: Knex) {
  return db('provider_registrations as r').leftJoin('accounts as d', 'd.id', 'r.decided_by_account_id').select('r.*', 'd.name as decided_by_name');
}

export async function findRegistration(db: Knex, id: number, options: { forUpdate?: boolean } = {}): Promise<Registration | undefined> {
  if (options.forUpdate) await db('provider_registrations').where({ id }).forUpdate().first('id');
  const row = await selectRegistrations(db).where('r.id', id).first<RegistrationRow | undefined>();
  return row && toRegistration(row);
}

export async function countRegistrations(db: Knex): Promise<{ total: number; pending: number }> {
  const row = await db('provider_registrations').select(db.raw('count(*)::int AS total'), db.raw("count(*) FILTER (WHERE status = 'pending')::int AS pending")).first();
  return { total: Number(row?.total ?? 0), pending: Number(row?.pending ?? 0) };
}

/** One page of the queue: pending applications first (oldest first), then decided ones (newest decision first). */
export async function registrationsPage(db: Knex, page: { limit: number; offset: number }): Promise<Registration[]> {
  const rows = await selectRegistrations(db)
    .orderByRaw("(r.status = 'pending') DESC, CASE WHEN r.status = 'pending' THEN r.submitted_at END ASC, r.decided_at DESC, r.id DESC")
    .limit(page.limit)
    .offset(page.offset);
  return (rows as RegistrationRow[]).map(toRegistration);
}

export async function documentsOf(db: Knex, registrationId: number): Promise<DocumentSummary[]> {
  const rows = await db('provider_registration_documents')
    .where({ registration_id: registrationId })
    .select('id', 'document', 'display_name', 'content_type', 'size_bytes')
    .orderByRaw("array_position(ARRAY['certification', 'identity', 'sponsorship']::text[], document::text)");
  return rows.map((row) => ({ id: Number(row.id), document: row.document, displayName: row.display_name, contentType: row.content_type, sizeBytes: Number(row.size_bytes) }));
}

/** One document of one application, with its bytes. */
export async function documentContent(db: Knex, registrationId: number, documentId: number): Promise<(DocumentSummary & { content: Buffer }) | undefined> {
  const row = await db('provider_registration_documents').where({ id: documentId, registration_id: registrationId }).first();
  return row && { id: Number(row.id), document: row.document, displayName: row.display_name, contentType: row.content_type, sizeBytes: Number(row.size_bytes), content: row.content };
}

export async function markDeclined(trx: Knex, id: number, decision: { staffId: number; reason: RegistrationDeclineReason; at: Date }): Promise<boolean> {
  const updated = await trx('provider_registrations')
    .where({ id, status: 'pending' })
    .update({ status: 'declined', decline_reason: decision.reason, decided_by_account_id: decision.staffId, decided_at: decision.at });
  return updated === 1;
}

export async function markApproved(trx: Knex, id: number, decision: { staffId: number; at: Date; accountId: number; practitionerId: number; practiceId: number }): Promise<boolean> {
  const updated = await trx('provider_registrations').where({ id, status: 'pending' }).update({
    status: 'approved',
    decided_by_account_id: decision.staffId,
    decided_at: decision.at,
    provider_account_id: decision.accountId,
    practitioner_id: decision.practitionerId,
    practice_id: decision.practiceId,
  });
  return updated === 1;
}

// ---- The record's directory: practices and practitioners ----

export interface PracticeMatch {
  id: number;
  name: string;
  addressLine: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  phone: string | null;
}

/** Practices whose name contains every word of `query` (any case), best-known names first. */
export async function searchPractices(db: Knex, query: string, limit: number): Promise<PracticeMatch[]> {
  const words = query.split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return [];
  const search = db('practices').select('id', 'name', 'address_line', 'city', 'state', 'postal_code', 'phone');
  for (const word of words) search.whereRaw('name ILIKE ?', [`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
  const rows = await search.orderBy('name').orderBy('id').limit(limit);
  return rows.map(toPractice);
}

export async function findPractice(db: Knex, id: number): Promise<PracticeMatch | undefined> {
  const row = await db('practices').where({ id }).first();
  return row && toPractice(row);
}

function toPractice(row: Record<string, string | null>): PracticeMatch {
  return {
    id: Number(row.id),
    name: row.name ?? '',
    addressLine: row.address_line ?? null,
    city: row.city ?? null,
    state: row.state ?? null,
    postalCode: row.postal_code ?? null,
    phone: row.phone ?? null,
  };
}

/**
 * Rows made in the portal rather than imported still need a `source_id` unique per table; these
 * cannot collide with a FHIR id (which never contains ':').
 */
export function portalSourceId(what: string, registrationId: number): string {
  return `portal:provider-registration:${registrationId}:${what}`;
}

export async function insertPractice(trx: Knex, registrationId: number, details: RegistrationDetails): Promise<number> {
  const [row] = await trx('practices')
    .insert({
      source_id: portalSourceId('practice', registrationId),
      name: details.practiceName,
      phone: details.phone,
      fax: details.fax,
      address_line: details.addressLine,
      city: details.city,
      state: details.state,
      postal_code: details.postalCode,
    })
    .returning('id');
  return Number(row.id);
}

export async function findPractitionerByNpi(trx: Knex, npi: string): Promise<{ id: number } | undefined> {
  const row = await trx('practitioners').where({ npi }).first('id');
  return row && { id: Number(row.id) };
}

export async function insertPractitioner(trx: Knex, registrationId: number, details: RegistrationDetails): Promise<number> {
  const [row] = await trx('practitioners')
    .insert({
      source_id: portalSourceId('practitioner', registrationId),
      npi: details.npi,
      family_name: details.familyName,
      given_names: details.givenNames,
      credential: details.credential,
      phone: details.phone,
      email: details.email,
    })
    .returning('id');
  return Number(row.id);
}

export async function providerAccountOfPractitioner(db: Knex, practitionerId: number): Promise<number | undefined> {
  const row = await db('provider_accounts').where({ practitioner_id: practitionerId }).first('account_id');
  return row ? Number(row.account_id) : undefined;
}

export async function insertProviderAccount(trx: Knex, link: { accountId: number; practitionerId: number; practiceId: number; registrationId: number; at: Date }): Promise<void> {
  await trx('provider_accounts').insert({
    account_id: link.accountId,
    practitioner_id: link.practitionerId,
    practice_id: link.practiceId,
    registration_id: link.registrationId,
    created_at: link.at,
  });
}

export interface ProviderPlacement {
  accountId: number;
  practitionerId: number;
  practiceId: number;
}

export async function findProviderPlacement(db: Knex, accountId: number): Promise<ProviderPlacement | undefined> {
  const row = await db('provider_accounts').where({ account_id: accountId }).first();
  return row && { accountId: Number(row.account_id), practitionerId: Number(row.practitioner_id), practiceId: Number(row.practice_id) };
}
