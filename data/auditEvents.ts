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
