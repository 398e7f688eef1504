// Writes one event to the append-only audit log, with where the request came from.
import type { Knex } from 'knex';
import { recordAuditEvents, type AuditEvent as StoredAuditEvent } from '../data/auditEvents.ts';

export type AuditEvent = Omit<StoredAuditEvent, 'ip' | 'requestId'>;

/** Where a request came from, for the audit row. */
export interface RequestOrigin {
  ip?: string | undefined;
  requestId?: string | undefined;
}

export function recordAudit(db: Knex, event: AuditEvent, origin: RequestOrigin = {}): Promise<void> {
  return recordAuditEvents(db, [{ ...event, ip: origin.ip, requestId: origin.requestId }]);
}
