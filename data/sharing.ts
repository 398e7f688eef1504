// Queries behind "Share this record" (issue 8 item 7): the MyPatients provider directory, and a
// patient's family grants, invitation tokens and providers' access requests.
import type { Knex } from 'knex';
import { PCP_PRACTICE_ID, patientsWithPcpPractice } from './record/patients.ts';

/** A registered MyPatients provider as the directory shows them. */
export interface DirectoryProvider {
  accountId: number;
  name: string;
  credential: string | null;
  practiceName: string;
  practiceCity: string | null;
  practiceState: string | null;
  email: string;
  preferredLanguage: string;
}

const providerColumns = [
  'pa.account_id as provider_account_id',
  'pr.given_names as provider_given_names',
  'pr.family_name as provider_family_name',
  'pr.credential as provider_credential',
  'pc.name as practice_name',
  'pc.city as practice_city',
  'pc.state as practice_state',
  'pa_account.email as provider_email',
  'pa_account.preferred_language as provider_language',
];

/** Joins a provider account (by `accountColumn`) to its practitioner and practice. */
function withProvider(query: Knex.QueryBuilder, accountColumn: string, join: 'join' | 'leftJoin' = 'join'): Knex.QueryBuilder {
  return query[join]('provider_accounts as pa', 'pa.account_id', accountColumn)
    [join]('accounts as pa_account', 'pa_account.id', 'pa.account_id')
    [join]('practitioners as pr', 'pr.id', 'pa.practitioner_id')
    [join]('practices as pc', 'pc.id', 'pa.practice_id');
}

function toProvider(row: Record<string, any>): DirectoryProvider {
  return {
    accountId: Number(row.provider_account_id),
    name: [row.provider_given_names, row.provider_family_name].filter(Boolean).join(' '),
    credential: row.provider_credential ?? null,
    practiceName: row.practice_name ?? '',
    practiceCity: row.practice_city ?? null,
    practiceState: row.practice_state ?? null,
    email: row.provider_email,
    preferredLanguage: row.provider_language,
  };
}

const likeWord = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Active MyPatients providers whose name or practice name has every word searched for. */
export async function searchProviderDirectory(db: Knex, query: string, limit: number): Promise<DirectoryProvider[]> {
  const words = query.split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return [];
  const search = withProvider(db('provider_accounts as base'), 'base.account_id').where('pa_account.status', 'active').andWhere('pa_account.kind', 'provider').select(providerColumns);
  for (const word of words) {
    search.whereRaw(`concat_ws(' ', pr.given_names, pr.family_name, pc.name) ILIKE ?`, [likeWord(word)]);
  }
  const rows = await search.orderBy('pr.family_name').orderBy('pr.given_names').orderBy('pa.account_id').limit(limit);
  return rows.map(toProvider);
}

/** One active provider of the directory, by account. */
export async function directoryProvider(db: Knex, accountId: number): Promise<DirectoryProvider | undefined> {
  const row = await withProvider(db('provider_accounts as base'), 'base.account_id')
    .where('base.account_id', accountId)
    .andWhere('pa_account.status', 'active')
    .andWhere('pa_account.kind', 'provider')
    .first(providerColumns);
  return row && toProvider(row);
}

/** The practice the access policy treats as the PCP's: the one the record names, or the PCP's MyPatients account's. */
export async function pcpPracticeName(db: Knex, patientId: number): Promise<{ name: string } | undefined> {
  const row = await patientsWithPcpPractice(db)
    .join('practices as pc', 'pc.id', db.raw(PCP_PRACTICE_ID))
    .where('p.id', patientId)
    .whereNotNull('p.pcp_practitioner_id')
    .first('pc.name');
  return row && { name: row.name };
}

export interface GrantRow {
  id: number;
  provider: DirectoryProvider;
  via: 'approved-request' | 'invitation';
  grantedAt: Date;
  grantedByName: string | null;
}

/** The family's standing grants to providers (not revoked), oldest first. */
export async function standingGrants(db: Knex, patientId: number): Promise<GrantRow[]> {
  const rows = await withProvider(db('provider_access_grants as g'), 'g.provider_account_id')
    .leftJoin('accounts as by', 'by.id', 'g.granted_by_account_id')
    .where('g.patient_id', patientId)
    .whereNull('g.revoked_at')
    .orderBy('g.granted_at')
    .orderBy('g.id')
    .select([...providerColumns, 'g.id', 'g.via', 'g.granted_at', 'by.name as granted_by_name']);
  return rows.map((row: Record<string, any>) => ({ id: Number(row.id), provider: toProvider(row), via: row.via, grantedAt: row.granted_at, grantedByName: row.granted_by_name }));
}

export async function findStandingGrant(db: Knex, patientId: number, grantId: number): Promise<GrantRow | undefined> {
  return (await standingGrants(db, patientId)).find((grant) => grant.id === grantId);
}

/** A standing grant, unless the provider already has one (then undefined). */
export async function insertGrant(db: Knex, grant: { patientId: number; providerAccountId: number; via: 'approved-request' | 'invitation'; grantedBy: number; at: Date }): Promise<number | undefined> {
  const rows = await db.raw(
    `INSERT INTO provider_access_grants (patient_id, provider_account_id, via, granted_by_account_id, granted_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (patient_id, provider_account_id) WHERE revoked_at IS NULL DO NOTHING
     RETURNING id`,
    [grant.patientId, grant.providerAccountId, grant.via, grant.grantedBy, grant.at],
  );
  const row = rows.rows[0];
  return row ? Number(row.id) : undefined;
}

/** Ends a standing grant; false when it had already ended (or is not this patient's). */
export async function revokeGrant(db: Knex, change: { patientId: number; grantId: number; by: number; at: Date }): Promise<boolean> {
  const updated = await db('provider_access_grants').where({ id: change.grantId, patient_id: change.patientId }).whereNull('revoked_at').update({ revoked_at: change.at, revoked_by_account_id: change.by });
  return updated === 1;
}

export interface InvitationRow {
  id: number;
  invitedName: string;
  invitedEmail: string;
  issuedAt: Date;
  issuedByName: string | null;
  usedAt: Date | null;
  /** The provider who validated it, once used. */
  validatedBy: DirectoryProvider | null;
  revokedAt: Date | null;
}

function invitations(db: Knex, patientId: number) {
  return withProvider(db('invitation_tokens as i'), 'i.validated_by_account_id', 'leftJoin')
    .leftJoin('accounts as by', 'by.id', 'i.issued_by_account_id')
    .where('i.patient_id', patientId)
    .select([...providerColumns, 'i.id', 'i.invited_name', 'i.invited_email', 'i.issued_at', 'i.used_at', 'i.revoked_at', 'by.name as issued_by_name']);
}

function toInvitation(row: Record<string, any>): InvitationRow {
  return {
    id: Number(row.id),
    invitedName: row.invited_name,
    invitedEmail: row.invited_email,
    issuedAt: row.issued_at,
    issuedByName: row.issued_by_name,
    usedAt: row.used_at,
    validatedBy: row.provider_account_id === null ? null : toProvider(row),
    revokedAt: row.revoked_at,
  };
}

/** Invitations not withdrawn: pending ones and those a provider validated. Expired pending ones are the caller's to drop. */
export async function standingInvitations(db: Knex, patientId: number): Promise<InvitationRow[]> {
  const rows = await invitations(db, patientId).whereNull('i.revoked_at').orderBy('i.issued_at').orderBy('i.id');
  return rows.map(toInvitation);
}

export async function findInvitation(db: Knex, patientId: number, invitationId: number): Promise<InvitationRow | undefined> {
  const row = await invitations(db, patientId).andWhere('i.id', invitationId).first();
  return row && toInvitation(row);
}

export async function insertInvitationToken(db: Knex, token: { tokenHash: string; patientId: number; issuedBy: number; invitedName: string; invitedEmail: string; at: Date }): Promise<number> {
  const [row] = await db('invitation_tokens')
    .insert({ token_hash: token.tokenHash, patient_id: token.patientId, issued_by_account_id: token.issuedBy, invited_name: token.invitedName, invited_email: token.invitedEmail, issued_at: token.at })
    .returning('id');
  return Number(row.id);
}

/** Withdraws an invitation, or the access it gave; false when it had already been withdrawn. */
export async function revokeInvitation(db: Knex, change: { patientId: number; invitationId: number; by: number; at: Date }): Promise<boolean> {
  const updated = await db('invitation_tokens').where({ id: change.invitationId, patient_id: change.patientId }).whereNull('revoked_at').update({ revoked_at: change.at, revoked_by_account_id: change.by });
  return updated === 1;
}

/** Invitations this account sent since `since`, for the limit on how many a family may send. */
export async function invitationsSentSince(db: Knex, accountId: number, since: Date): Promise<number> {
  const row = await db('invitation_tokens').where('issued_by_account_id', accountId).andWhere('issued_at', '>=', since).count<{ count: string }>('* as count').first();
  return Number(row?.count ?? 0);
}

export interface AccessRequestRow {
  id: number;
  provider: DirectoryProvider;
  note: string | null;
  requestedAt: Date;
}

function pendingRequestQuery(db: Knex, patientId: number) {
  return withProvider(db('provider_access_requests as r'), 'r.provider_account_id')
    .where('r.patient_id', patientId)
    .andWhere('r.kind', 'non-pcp')
    .andWhere('r.status', 'pending')
    .select([...providerColumns, 'r.id', 'r.note', 'r.requested_at']);
}

const toRequest = (row: Record<string, any>): AccessRequestRow => ({ id: Number(row.id), provider: toProvider(row), note: row.note, requestedAt: row.requested_at });

/** Providers' requests for access waiting for the family (non-PCP requests), oldest first. */
export async function pendingAccessRequests(db: Knex, patientId: number): Promise<AccessRequestRow[]> {
  const rows = await pendingRequestQuery(db, patientId).orderBy('r.requested_at').orderBy('r.id');
  return rows.map(toRequest);
}

/** How many of those requests wait per patient, for the family's home: one query for all their patients. */
export async function pendingAccessRequestCounts(db: Knex, patientIds: readonly number[]): Promise<Map<number, number>> {
  if (!patientIds.length) return new Map();
  const rows: { patient_id: number; count: string }[] = await withProvider(db('provider_access_requests as r'), 'r.provider_account_id')
    .whereIn('r.patient_id', patientIds)
    .andWhere('r.kind', 'non-pcp')
    .andWhere('r.status', 'pending')
    .groupBy('r.patient_id')
    .select('r.patient_id')
    .count({ count: '*' });
  return new Map(rows.map((row) => [Number(row.patient_id), Number(row.count)]));
}

/** One pending request of this patient's, locked for the decision. */
export async function lockPendingRequest(trx: Knex.Transaction, patientId: number, requestId: number): Promise<AccessRequestRow | undefined> {
  const row = await pendingRequestQuery(trx, patientId).andWhere('r.id', requestId).forUpdate('r').first();
  return row && toRequest(row);
}

export async function decideAccessRequest(db: Knex, decision: { requestId: number; status: 'approved' | 'declined'; by: number; at: Date }): Promise<boolean> {
  const updated = await db('provider_access_requests')
    .where({ id: decision.requestId, status: 'pending' })
    .update({ status: decision.status, decided_at: decision.at, decided_by_account_id: decision.by });
  return updated === 1;
}
