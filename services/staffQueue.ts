// What every back-office queue shares (SPEC §4: every queue shows age and due date in business
// days): one page of it, pending items first as the query orders them, the viewing audited, and
// each item's age in business days and whether it is overdue.
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { pageBounds, type Page } from '../domain/paging.ts';
import { recordAudit, type RequestOrigin } from './audit.ts';
import { businessDaysOld } from './businessCalendar.ts';

export interface QueueDeps {
  db: Knex;
  config: Config;
  now: () => Date;
}

export interface QueueTiming {
  /** Business days from arrival to now, or to the decision once decided. */
  ageBusinessDays: number;
  overdue: boolean;
}

export function queueTiming(deps: QueueDeps, item: { receivedAt: Date; decidedAt: Date | null; dueAt: Date | null; pending: boolean }, now: Date): QueueTiming {
  return { ageBusinessDays: businessDaysOld(deps.config, item.receivedAt, item.decidedAt ?? now), overdue: item.pending && item.dueAt !== null && item.dueAt < now };
}

export interface QueueSource<Row, Item> {
  /** The audit action of viewing the queue (`view-…`). */
  action: string;
  perPage: number;
  count(db: Knex): Promise<{ total: number; pending: number }>;
  rows(db: Knex, bounds: { limit: number; offset: number }): Promise<Row[]>;
  item(row: Row, now: Date): Item;
}

/** One page of a queue (a page past the end shows the last), with how many are pending; audited. */
export async function queuePage<Row, Item>(deps: QueueDeps, source: QueueSource<Row, Item>, staffId: number, requestedPage: number, origin: RequestOrigin): Promise<Page<Item> & { pending: number }> {
  const now = deps.now();
  const { total, pending } = await source.count(deps.db);
  const { page, pageCount, offset } = pageBounds(total, requestedPage, source.perPage);
  const rows = await source.rows(deps.db, { limit: source.perPage, offset });
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: source.action, outcome: 'allowed', reason: `page ${page}` }, origin);
  return { items: rows.map((row) => source.item(row, now)), page, pageCount, total, pending };
}
