// Requests to link a patient by MRN and a visit date, which support checks against the record.
import type { Knex } from 'knex';
import type { Relationship } from '../domain/eligibility.ts';

export type LinkRequestStatus = 'pending' | 'approved' | 'declined';

export interface LinkRequest {
  id: number;
  accountId: number;
  accountName: string;
  accountEmail: string;
  accountLanguage: string;
  relationship: Relationship;
  typedPatientName: string;
  typedBirthDate: string;
  typedMrn: string;
  typedVisitDate: string;
  patientId: number | null;
  status: LinkRequestStatus;
  createdAt: Date;
  dueAt: Date;
  decidedAt: Date | null;
  declineReason: string | null;
}

export interface NewLinkRequest {
  accountId: number;
  relationship: Relationship;
  typedPatientName: string;
  typedBirthDate: string;
  typedMrn: string;
  typedVisitDate: string;
  patientId: number | null;
  createdAt: Date;
  dueAt: Date;
}

export async function insertLinkRequest(db: Knex, request: NewLinkRequest): Promise<number> {
  const [row] = await db('link_requests')
    .insert({
      account_id: request.accountId,
      relationship: request.relationship,
      typed_patient_name: request.typedPatientName,
      typed_birth_date: request.typedBirthDate,
      typed_mrn: request.typedMrn,
      typed_visit_date: request.typedVisitDate,
      patient_id: request.patientId,
      created_at: request.createdAt,
      due_at: request.dueAt,
    })
    .returning('id');
  return Number(row.id);
}

function selectRequests(db: Knex) {
  return db('link_requests as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .select(
      'r.*',
      'a.name as account_name',
      'a.email as account_email',
      'a.preferred_language as account_language',
      db.raw(`to_char(r.typed_birth_date, 'YYYY-MM-DD') AS birth_date`),
      db.raw(`to_char(r.typed_visit_date, 'YYYY-MM-DD') AS visit_date`),
    );
}

function toLinkRequest(row: Record<string, any>): LinkRequest {
  return {
    id: Number(row.id),
    accountId: Number(row.account_id),
    accountName: row.account_name,
    accountEmail: row.account_email,
    accountLanguage: row.account_language,
    relationship: row.relationship,
    typedPatientName: row.typed_patient_name,
    typedBirthDate: row.birth_date,
    typedMrn: row.typed_mrn,
    typedVisitDate: row.visit_date,
    patientId: row.patient_id === null ? null : Number(row.patient_id),
    status: row.status,
    createdAt: row.created_at,
    dueAt: row.due_at,
    decidedAt: row.decided_at,
    declineReason: row.decline_reason,
  };
}

export async function findLinkRequest(db: Knex, id: number): Promise<LinkRequest | undefined> {
  const row = await selectRequests(db).where('r.id', id).first();
  return row && toLinkRequest(row);
}

/** The support queue: pending requests, the one due soonest first. */
export async function pendingLinkRequests(db: Knex, limit = 200): Promise<LinkRequest[]> {
  const rows = await selectRequests(db).where('r.status', 'pending').orderBy('r.due_at').orderBy('r.id').limit(limit);
  return rows.map(toLinkRequest);
}

/** A family's own requests, newest first (pending and decided in the last 90 days). */
export async function linkRequestsOf(db: Knex, accountId: number, since: Date): Promise<LinkRequest[]> {
  const rows = await selectRequests(db)
    .where('r.account_id', accountId)
    .andWhere((query) => query.where('r.status', 'pending').orWhere('r.created_at', '>=', since))
    .orderBy('r.created_at', 'desc');
  return rows.map(toLinkRequest);
}

export async function countPendingLinkRequests(db: Knex, accountId: number): Promise<number> {
  const row = await db('link_requests').where({ account_id: accountId, status: 'pending' }).count<{ count: string }>('id as count').first();
  return Number(row?.count ?? 0);
}

/** Records the decision; false if the request was no longer pending (decided by someone else). */
export async function decideLinkRequest(
  db: Knex,
  id: number,
  decision: { status: 'approved' | 'declined'; decidedBy: number; decidedAt: Date; declineReason?: string },
): Promise<boolean> {
  const updated = await db('link_requests')
    .where({ id, status: 'pending' })
    .update({ status: decision.status, decided_by_account_id: decision.decidedBy, decided_at: decision.decidedAt, decline_reason: decision.declineReason ?? null });
  return updated === 1;
}
