// The append-only audit log: who did what to which record, when, from where, and the outcome.
import type { Knex } from 'knex';

export interface AuditEvent {
  actorType: 'family' | 'provider' | 'staff' | 'system' | 'integration' | 'anonymous';
  actorId?: number | null | undefined;
  action: string;
  subjectType?: string | null | undefined;
  subjectId?: number | null | undefined;
  outcome: 'allowed' | 'refused' | 'success' | 'failure';
  reason?: string | null | undefined;
  ip?: string | null | undefined;
  requestId?: string | null | undefined;
}

export async function recordAuditEvents(db: Knex | Knex.Transaction, events: AuditEvent[]): Promise<void> {
  const rows = events.map((event) => ({
    actor_type: event.actorType,
    actor_id: event.actorId ?? null,
    action: event.action,
    subject_type: event.subjectType ?? null,
    subject_id: event.subjectId ?? null,
    outcome: event.outcome,
    reason: event.reason ?? null,
    ip: event.ip ?? null,
    request_id: event.requestId ?? null,
  }));
  for (let start = 0; start < rows.length; start += 1000) await db('audit_events').insert(rows.slice(start, start + 1000));
}

/** One view of a patient's record through a portal, with who looked (never where from). */
export interface RecordViewRow {
  id: number;
  occurredAt: Date;
  actorType: 'family' | 'provider';
  actorId: number | null;
  action: string;
  name: string | null;
  /** Family accounts: their relationship to the patient (from patient_links). */
  relationship: string | null;
  /** Providers: their credential and practice (null for an account not linked to a practitioner). */
  credential: string | null;
  practiceName: string | null;
}

/** Allowed views of the patient's record by a family member or a provider. */
function recordViewsOf(db: Knex, patientId: number) {
  return db('audit_events as e')
    .where('e.subject_type', 'patient')
    .andWhere('e.subject_id', patientId)
    .andWhere('e.outcome', 'allowed')
    .andWhere('e.action', 'like', 'view-%')
    // Reading messages is not looking at the record, and listing it would tell a parent when
    // their teen reads their private messages.
    .andWhere('e.action', 'not like', 'view-message%')
    .whereIn('e.actor_type', ['family', 'provider']);
}

export async function countRecordViews(db: Knex, patientId: number): Promise<number> {
  const row = await recordViewsOf(db, patientId).count<{ count: string | number }>('* as count').first();
  return Number(row?.count ?? 0);
}

/** One page of the views, newest first. */
export async function recordViews(db: Knex, patientId: number, page: { limit: number; offset: number }): Promise<RecordViewRow[]> {
  const rows = await recordViewsOf(db, patientId)
    .leftJoin('accounts as a', 'a.id', 'e.actor_id')
    // The family member's link to this patient at the time of the view (else their latest one).
    .joinRaw(
      `LEFT JOIN LATERAL (
         SELECT pl.relationship FROM patient_links pl
          WHERE e.actor_type = 'family' AND pl.account_id = e.actor_id AND pl.patient_id = e.subject_id
          ORDER BY (pl.created_at <= e.occurred_at) DESC, pl.created_at DESC LIMIT 1
       ) AS link ON true`,
    )
    // A provider's credential and practice, from the practitioner and practice their account is linked to.
    .leftJoin('provider_accounts as pa', (join) => join.on('pa.account_id', 'e.actor_id').andOn('e.actor_type', db.raw('?', ['provider'])))
    .leftJoin('practitioners as pr', 'pr.id', 'pa.practitioner_id')
    .leftJoin('practices as pc', 'pc.id', 'pa.practice_id')
    .select('e.id', 'e.occurred_at', 'e.actor_type', 'e.actor_id', 'e.action', 'a.name', 'link.relationship', db.raw(`NULLIF(pr.credential, '') AS credential`), 'pc.name as practice_name')
    .orderBy([{ column: 'e.occurred_at', order: 'desc' }, { column: 'e.id', order: 'desc' }])
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((row) => ({
    id: Number(row.id),
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    action: row.action,
    name: row.name,
    relationship: row.relationship,
    credential: row.credential,
    practiceName: row.practice_name,
  }));
}
