// Writes one event to the append-only audit log, with where the request came from.
import type { Knex } from 'knex';
import { recordAuditEvents, type AuditEvent as StoredAuditEvent } from '../data/auditEvents.ts';
import { sharedLimiter } from './rateLimits.ts';

export type AuditEvent = Omit<StoredAuditEvent, 'ip' | 'requestId'>;

/** Where a request came from, for the audit row. */
export interface RequestOrigin {
  ip?: string | undefined;
  requestId?: string | undefined;
}

export function recordAudit(db: Knex, event: AuditEvent, origin: RequestOrigin = {}): Promise<void> {
  return recordAuditEvents(db, [{ ...event, ip: origin.ip, requestId: origin.requestId }]);
}

/**
 * For a page that shows one item (a note, a report): its "allowed" row waits until the item has
 * been looked up, and names it; an item that is not there, or not shown, is audited as refused.
 */
export type ItemAudit = (item: { type: string; id: number | undefined; shown: boolean }) => Promise<void>;

export function itemAuditFor(db: Knex, event: Omit<AuditEvent, 'outcome'>, origin: RequestOrigin): ItemAudit {
  return (item) => {
    // An id that is not a number is no item at all: the row says what kind was asked for.
    const named = item.id === undefined ? `${item.type} (no such id)` : `${item.type} ${item.id}`;
    return recordAudit(db, { ...event, outcome: item.shown ? 'allowed' : 'refused', reason: item.shown ? [event.reason, named].filter(Boolean).join('; ') : `${named} not shown` }, origin);
  };
}

const REFUSAL_WINDOW_SECONDS = 15 * 60;

/**
 * A refusal anyone can cause without signing in (no token, a bad token): the 1st, 10th, 100th …
 * of its kind from one address within 15 minutes are audited, each saying its count, so a flood
 * is on record in a few rows instead of filling the log one row per request.
 */
export async function recordAnonymousRefusal(db: Knex, event: AuditEvent & { reason: string }, origin: RequestOrigin): Promise<void> {
  const counter = sharedLimiter(db, 'anonymous-refusals', Number.MAX_SAFE_INTEGER, REFUSAL_WINDOW_SECONDS);
  const count = (await counter.consume(`${event.action}:${event.reason}:${origin.ip ?? 'unknown'}`)).consumedPoints;
  if (!/^10*$/.test(String(count))) return;
  await recordAudit(db, count === 1 ? event : { ...event, reason: `${event.reason} (${count}th from this address in 15 minutes)` }, origin);
}
