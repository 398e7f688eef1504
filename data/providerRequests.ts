// Queries for MyPatients patient search, providers' access requests (PCP and non-PCP) and the
// validation of invitation tokens (issue 8 items 3 and 6).
import type { Knex } from 'knex';
import type { AccessRequestKind, PcpDeclineReason, SearchTerms } from '../domain/patientSearch.ts';

export interface SearchMatch {
  id: number;
  mrn: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
}

const matchColumns = (db: Knex) => ['id', 'mrn', 'given_names', 'family_name', db.raw(`to_char(birth_date, 'YYYY-MM-DD') AS birth_date`)];
const toMatch = (row: Record<string, any>): SearchMatch => ({ id: Number(row.id), mrn: row.mrn, givenNames: row.given_names, familyName: row.family_name, birthDate: row.birth_date });

/**
 * Patients with exactly this last name (any case) and date of birth, and, when a first name is
 * given, whose given names are it or start with it as a whole word ("Ana" finds "Ana María").
 * At most `limit` rows (the caller asks for one more than it shows, to know there are more).
 */
export async function patientsByNameAndBirthDate(db: Knex, terms: { familyName: string; givenName: string; birthDate: string }, limit: number): Promise<SearchMatch[]> {
  const query = db('patients').select(matchColumns(db)).where('birth_date', terms.birthDate).andWhereRaw('lower(family_name) = lower(?)', [terms.familyName]);
  if (terms.givenName) {
    const escaped = terms.givenName.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    query.andWhere((inner) => inner.whereRaw('lower(given_names) = ?', [terms.givenName.toLowerCase()]).orWhereRaw('lower(given_names) LIKE ?', [`${escaped} %`]));
  }
  const rows = await query.orderBy(['family_name', 'given_names', 'id']).limit(limit);
  return rows.map(toMatch);
}

export async function patientByMrn(db: Knex, mrn: string): Promise<SearchMatch | undefined> {
  const row = await db('patients').select(matchColumns(db)).where('mrn', mrn).first();
  return row && toMatch(row);
}

/** Whether anyone holds the patient in MyChildren's now (a current patient link). */
export async function hasMyChildrensHolder(db: Knex, patientId: number): Promise<boolean> {
  return (await db('patient_links').where({ patient_id: patientId }).whereNull('ended_at').first('id')) !== undefined;
}

export interface AccessRequest {
  id: number;
  patientId: number;
  providerAccountId: number;
  kind: AccessRequestKind;
  status: 'pending' | 'approved' | 'declined';
  note: string | null;
  searchedAs: SearchTerms | null;
  requestedAt: Date;
  dueAt: Date | null;
  decidedAt: Date | null;
  decidedByAccountId: number | null;
  decisionNote: string | null;
  declineReason: PcpDeclineReason | null;
}

const toRequest = (row: Record<string, any>): AccessRequest => ({
  id: Number(row.id),
  patientId: Number(row.patient_id),
  providerAccountId: Number(row.provider_account_id),
  kind: row.kind,
  status: row.status,
  note: row.note,
  searchedAs: row.searched_as,
  requestedAt: row.requested_at,
  dueAt: row.due_at,
  decidedAt: row.decided_at,
  decidedByAccountId: row.decided_by_account_id === null ? null : Number(row.decided_by_account_id),
  decisionNote: row.decision_note,
  declineReason: row.decline_reason,
});

/** Adds a pending request; undefined when the same provider already has one pending of this kind for this patient. */
export async function insertAccessRequest(
  db: Knex,
  request: { patientId: number; providerAccountId: number; kind: AccessRequestKind; note: string | null; searchedAs: SearchTerms; requestedAt: Date; dueAt: Date | null },
): Promise<number | undefined> {
  const rows = await db('provider_access_requests')
    .insert({
      patient_id: request.patientId,
      provider_account_id: request.providerAccountId,
      kind: request.kind,
      note: request.note,
      searched_as: JSON.stringify(request.searchedAs),
      requested_at: request.requestedAt,
      due_at: request.dueAt,
    })
    // The partial unique index (one pending request per pair and kind) decides, even for two at once.
    .onConflict(db.raw(`(patient_id, provider_account_id, kind) WHERE status = 'pending'`))
    .ignore()
    .returning('id');
  return rows[0] ? Number(rows[0].id) : undefined;
}

export async function pendingRequestsOf(db: Knex, providerAccountId: number, patientId: number): Promise<AccessRequest[]> {
  const rows = await db('provider_access_requests').where({ provider_account_id: providerAccountId, patient_id: patientId, status: 'pending' }).orderBy('id');
  return rows.map(toRequest);
}

/** A provider's own requests: pending ones first, then decided, newest first in each. */
export async function requestsOfProvider(db: Knex, providerAccountId: number, limit: number): Promise<AccessRequest[]> {
  const rows = await db('provider_access_requests')
    .where({ provider_account_id: providerAccountId })
    .orderByRaw(`(status = 'pending') DESC, requested_at DESC, id DESC`)
    .limit(limit);
  return rows.map(toRequest);
}

export interface QueuedPcpRequest extends AccessRequest {
  providerName: string;
  practiceName: string;
}

function pcpRequestsWithProvider(db: Knex) {
  return db('provider_access_requests as r')
    .join('accounts as a', 'a.id', 'r.provider_account_id')
    .leftJoin('provider_accounts as pa', 'pa.account_id', 'r.provider_account_id')
    .leftJoin('practices as pr', 'pr.id', 'pa.practice_id')
    .where('r.kind', 'pcp')
    .select('r.*', 'a.name as provider_name', 'pr.name as practice_name');
}

export async function countPcpRequests(db: Knex): Promise<{ total: number; pending: number }> {
  const row = await db('provider_access_requests').where({ kind: 'pcp' }).select(db.raw('count(*)::int AS total'), db.raw("count(*) FILTER (WHERE status = 'pending')::int AS pending")).first();
  return { total: Number(row.total), pending: Number(row.pending) };
}

/** The team's queue: pending PCP requests oldest first, then decided ones newest first. */
export async function pcpRequestsPage(db: Knex, page: { limit: number; offset: number }): Promise<QueuedPcpRequest[]> {
  const rows = await pcpRequestsWithProvider(db)
    .orderByRaw(`(r.status = 'pending') DESC, CASE WHEN r.status = 'pending' THEN r.requested_at END ASC, r.decided_at DESC, r.id`)
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((row) => ({ ...toRequest(row), providerName: row.provider_name, practiceName: row.practice_name ?? '' }));
}

export async function findPcpRequest(db: Knex, id: number, options: { forUpdate?: boolean } = {}): Promise<QueuedPcpRequest | undefined> {
  if (options.forUpdate) await db('provider_access_requests').where({ id, kind: 'pcp' }).forUpdate().first('id');
  const row = await pcpRequestsWithProvider(db).where('r.id', id).first();
  return row && { ...toRequest(row), providerName: row.provider_name, practiceName: row.practice_name ?? '' };
}

export async function markRequestDecided(
  db: Knex,
  id: number,
  decision: { status: 'approved' | 'declined'; by: number; at: Date; decisionNote: string | null; declineReason: PcpDeclineReason | null },
): Promise<boolean> {
  const updated = await db('provider_access_requests')
    .where({ id, status: 'pending' })
    .update({ status: decision.status, decided_by_account_id: decision.by, decided_at: decision.at, decision_note: decision.decisionNote, decline_reason: decision.declineReason });
  return updated === 1;
}

export async function setPatientPcp(db: Knex, patientId: number, pcp: { practitionerId: number; practiceId: number }): Promise<void> {
  await db('patients').where({ id: patientId }).update({ pcp_practitioner_id: pcp.practitionerId, pcp_practice_id: pcp.practiceId });
}

export interface PracticeDetails {
  name: string;
  addressLine: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  phone: string | null;
}

export async function practiceDetails(db: Knex, practiceId: number): Promise<PracticeDetails | undefined> {
  const row = await db('practices').where({ id: practiceId }).first();
  return row && { name: row.name, addressLine: row.address_line ?? null, city: row.city ?? null, state: row.state ?? null, postalCode: row.postal_code ?? null, phone: row.phone ?? null };
}

/** The PCP the record names for a patient now: the practitioner's name and the practice's. */
export async function currentPcpOf(db: Knex, patientId: number): Promise<{ practitionerName: string | null; practiceName: string | null } | undefined> {
  const row = await db('patients as p')
    .leftJoin('practitioners as d', 'd.id', 'p.pcp_practitioner_id')
    .leftJoin('practices as pr', 'pr.id', 'p.pcp_practice_id')
    .where('p.id', patientId)
    .first('p.pcp_practitioner_id', 'd.given_names', 'd.family_name', 'pr.name as practice_name');
  if (!row || row.pcp_practitioner_id === null) return undefined;
  return { practitionerName: [row.given_names, row.family_name].filter(Boolean).join(' ') || null, practiceName: row.practice_name ?? null };
}

export interface StoredInvitationToken {
  id: number;
  patientId: number;
  mrn: string;
  issuedAt: Date;
  usedAt: Date | null;
  validatedByAccountId: number | null;
  revokedAt: Date | null;
}

/** The token with this hash (locked for the rest of the transaction when asked), with its patient's MRN. */
export async function invitationTokenByHash(db: Knex, tokenHash: string, options: { forUpdate?: boolean } = {}): Promise<StoredInvitationToken | undefined> {
  const query = db('invitation_tokens as i').join('patients as p', 'p.id', 'i.patient_id').where('i.token_hash', tokenHash).first('i.*', 'p.mrn');
  if (options.forUpdate) query.forUpdate('i');
  const row = await query;
  return (
    row && {
      id: Number(row.id),
      patientId: Number(row.patient_id),
      mrn: row.mrn,
      issuedAt: row.issued_at,
      usedAt: row.used_at,
      validatedByAccountId: row.validated_by_account_id === null ? null : Number(row.validated_by_account_id),
      revokedAt: row.revoked_at,
    }
  );
}

export async function markTokenUsed(db: Knex, id: number, accountId: number, at: Date): Promise<boolean> {
  const updated = await db('invitation_tokens').where({ id }).whereNull('used_at').update({ used_at: at, validated_by_account_id: accountId });
  return updated === 1;
}
