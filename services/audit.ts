// Writes to the append-only audit log: who did what to which subject, from where, and the outcome.
import type { Knex } from 'knex';

export interface AuditEvent {
  actorType: 'family' | 'provider' | 'staff' | 'system' | 'anonymous';
  actorId?: number | null;
  action: string;
  subjectType?: string;
  subjectId?: number | null;
  outcome: 'allowed' | 'refused' | 'success' | 'failure';
  reason?: string;
}

/** Where a request came from, for the audit row. */
export interface RequestOrigin {
  ip?: string | undefined;
  requestId?: string | undefined;
}

export async function recordAudit(db: Knex, event: AuditEvent, origin: RequestOrigin = {}): Promise<void> {
  await db('audit_events').insert({
    actor_type: event.actorType,
    actor_id: event.actorId ?? null,
    action: event.action,
    subject_type: event.subjectType ?? null,
    subject_id: event.subjectId ?? null,
    outcome: event.outcome,
    reason: event.reason ?? null,
    ip: origin.ip ?? null,
    request_id: origin.requestId ?? null,
  });
}
