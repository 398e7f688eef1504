// A provider's request to change practice (SPEC §3, issue 8 item 8): the form prefilled with the
// practice the record has, sent to the MyPatients team's queue in the back office, where the team
// updates the record and marks it done with a note. Every view and change is audited.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { countPracticeChanges, currentPracticeOf, findPracticeChange, insertPracticeChange, markPracticeChangeDone, practiceChangesPage, type CurrentPractice, type PracticeChange, type PracticeChangeDetails } from '../../data/practiceChanges.ts';
import { pageBounds, type Page } from '../../domain/paging.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { businessDaysOld, dueAfterBusinessDays } from '../businessCalendar.ts';

export type { CurrentPractice, PracticeChange, PracticeChangeDetails };

/** The team answers a change of practice within this many business days. */
export const PRACTICE_CHANGE_BUSINESS_DAYS = 3;
export const PRACTICE_CHANGES_PER_PAGE = 25;

type Deps = { db: Knex; config: Config; now: () => Date };

/** The provider's practice as the record has it: what the form starts with. Undefined for an account not placed in a practice. */
export function currentPractice(deps: { db: Knex }, accountId: number): Promise<CurrentPractice | undefined> {
  return currentPracticeOf(deps.db, accountId);
}

/** Whether this provider account changes its own email: providers with an NPI do; sponsored users ask their sponsor. */
export async function providerMayChangeOwnEmail(deps: { db: Knex }, accountId: number): Promise<boolean> {
  return Boolean((await currentPracticeOf(deps.db, accountId))?.npi);
}

/** Sends the request to the team's queue. */
export async function requestPracticeChange(deps: Deps, accountId: number, details: PracticeChangeDetails, origin: RequestOrigin): Promise<{ id: number; reference: string; dueAt: Date } | undefined> {
  const current = await currentPracticeOf(deps.db, accountId);
  if (!current) return undefined;
  const now = deps.now();
  const dueAt = dueAfterBusinessDays(deps.config, now, PRACTICE_CHANGE_BUSINESS_DAYS);
  return deps.db.transaction(async (trx) => {
    const id = await insertPracticeChange(trx, { ...details, providerAccountId: accountId, oldPracticeId: current.practiceId, submittedAt: now, dueAt });
    await recordAudit(trx, { actorType: 'provider', actorId: accountId, action: 'practice-change-requested', subjectType: 'practice-change', subjectId: id, outcome: 'success', reason: details.wasSponsor ? 'was sponsor' : null }, origin);
    return { id, reference: practiceChangeReference(id), dueAt };
  });
}

export function practiceChangeReference(id: number): string {
  return `PC-${id}`;
}

export interface QueuedPracticeChange extends PracticeChange {
  reference: string;
  ageBusinessDays: number;
  overdue: boolean;
}

function queued(deps: Deps, change: PracticeChange, now: Date): QueuedPracticeChange {
  return { ...change, reference: practiceChangeReference(change.id), ageBusinessDays: businessDaysOld(deps.config, change.submittedAt, change.doneAt ?? now), overdue: change.status === 'pending' && change.dueAt < now };
}

export async function practiceChangeQueue(deps: Deps, staffId: number, requestedPage: number, origin: RequestOrigin): Promise<Page<QueuedPracticeChange> & { pending: number }> {
  const now = deps.now();
  const { total, pending } = await countPracticeChanges(deps.db);
  const { page, pageCount, offset } = pageBounds(total, requestedPage, PRACTICE_CHANGES_PER_PAGE);
  const rows = await practiceChangesPage(deps.db, { limit: PRACTICE_CHANGES_PER_PAGE, offset });
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-practice-changes', outcome: 'allowed', reason: `page ${page}` }, origin);
  return { items: rows.map((row) => queued(deps, row, now)), page, pageCount, total, pending };
}

export async function openPracticeChange(deps: Deps, staffId: number, id: number, origin: RequestOrigin): Promise<QueuedPracticeChange | undefined> {
  const change = await findPracticeChange(deps.db, id);
  if (!change) return undefined;
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-practice-change', subjectType: 'practice-change', subjectId: id, outcome: 'allowed' }, origin);
  return queued(deps, change, deps.now());
}

export type DoneOutcome = 'done' | 'already-done' | 'not-found';

/** The team has updated the record (or decided not to): done, with a note saying what was done. */
export async function markPracticeChangeAsDone(deps: Deps, staffId: number, id: number, note: string, origin: RequestOrigin): Promise<DoneOutcome> {
  return deps.db.transaction(async (trx) => {
    const change = await findPracticeChange(trx, id);
    if (!change) return 'not-found';
    if (!(await markPracticeChangeDone(trx, id, { staffId, at: deps.now(), note }))) {
      await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'practice-change-done', subjectType: 'practice-change', subjectId: id, outcome: 'refused', reason: 'already-done' }, origin);
      return 'already-done';
    }
    await recordAudit(trx, { actorType: 'staff', actorId: staffId, action: 'practice-change-done', subjectType: 'practice-change', subjectId: id, outcome: 'success' }, origin);
    return 'done';
  });
}
