// A provider's request to change practice (SPEC §3, issue 8 item 8): the form prefilled with the
// practice the record has, sent to the MyPatients team's queue in the back office, where the team
// moves the provider into the new practice (found by name, or made from the request) and marks it
// done with a note. Every view and change is audited.
import type { Knex } from 'knex';
import { queuePage, queueTiming } from '../staffQueue.ts';
import type { Config } from '../../config.ts';
import {
  countPracticeChanges,
  currentPracticeOf,
  findPracticeChange,
  insertPracticeChange,
  insertPracticeFromChange,
  lockPracticeChange,
  markPracticeChangeDone,
  moveProviderToPractice,
  practiceChangesPage,
  practiceIdOfProvider,
  type CurrentPractice,
  type PracticeChange,
  type PracticeChangeDetails,
} from '../../data/practiceChanges.ts';
import { findPractice, searchPractices, type PracticeMatch } from '../../data/providerRegistrations.ts';
import type { PracticeChoice } from '../../domain/providerRegistration.ts';
import type { Page } from '../../domain/paging.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { dueAfterBusinessDays } from '../businessCalendar.ts';

export type { CurrentPractice, PracticeChange, PracticeChangeDetails, PracticeMatch };

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
  return {
    ...change,
    reference: practiceChangeReference(change.id),
    ...queueTiming(deps, { receivedAt: change.submittedAt, decidedAt: change.doneAt, dueAt: change.dueAt, pending: change.status === 'pending' }, now),
  };
}

export function practiceChangeQueue(deps: Deps, staffId: number, requestedPage: number, origin: RequestOrigin): Promise<Page<QueuedPracticeChange> & { pending: number }> {
  return queuePage(deps, { action: 'view-practice-changes', perPage: PRACTICE_CHANGES_PER_PAGE, count: countPracticeChanges, rows: practiceChangesPage, item: (row, now) => queued(deps, row, now) }, staffId, requestedPage, origin);
}

export async function openPracticeChange(deps: Deps, staffId: number, id: number, origin: RequestOrigin): Promise<QueuedPracticeChange | undefined> {
  const change = await findPracticeChange(deps.db, id);
  if (!change) return undefined;
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-practice-change', subjectType: 'practice-change', subjectId: id, outcome: 'allowed' }, origin);
  return queued(deps, change, deps.now());
}

export type DoneOutcome = 'done' | 'already-done' | 'not-found' | 'no-such-practice';

/** Practices in the record whose name has every word searched for, to move the provider into. */
export function practicesNamed(deps: { db: Knex }, query: string): Promise<PracticeMatch[]> {
  return searchPractices(deps.db, query.trim().slice(0, 200), 20);
}

/**
 * The team has checked the new practice: the provider account moves into it (a practice found in
 * the record, or one made from the request's details) and the request is done with a note — in
 * one transaction, so from then on the access policy follows the new practice. The audit row keeps
 * the old and new practice ids.
 */
export async function markPracticeChangeAsDone(deps: Deps, staffId: number, id: number, done: { choice: PracticeChoice; note: string }, origin: RequestOrigin): Promise<DoneOutcome> {
  const outcome = await deps.db.transaction(async (trx): Promise<DoneOutcome> => {
    await lockPracticeChange(trx, id);
    const change = await findPracticeChange(trx, id);
    if (!change) return 'not-found';
    if (change.status !== 'pending') return 'already-done';
    // A provider account not placed in any practice has nothing to move (the form is never offered to one).
    const oldPracticeId = await practiceIdOfProvider(trx, change.providerAccountId);
    if (oldPracticeId === undefined) return 'not-found';
    let newPracticeId: number;
    if (done.choice.kind === 'existing') {
      const practice = await findPractice(trx, done.choice.practiceId);
      if (!practice) return 'no-such-practice';
      newPracticeId = practice.id;
    } else {
      newPracticeId = await insertPracticeFromChange(trx, change);
    }
    // The row is locked and pending, so both updates happen; throwing otherwise undoes the move.
    if (!(await moveProviderToPractice(trx, change.providerAccountId, newPracticeId))) throw new Error(`provider account ${change.providerAccountId} vanished`);
    if (!(await markPracticeChangeDone(trx, id, { staffId, at: deps.now(), note: done.note }))) throw new Error(`practice change ${id} was not pending`);
    await recordAudit(
      trx,
      {
        actorType: 'staff',
        actorId: staffId,
        action: 'practice-change-done',
        subjectType: 'practice-change',
        subjectId: id,
        outcome: 'success',
        // reason is at most 60 characters.
        reason: `practice:${oldPracticeId}->${done.choice.kind}-practice:${newPracticeId}`.slice(0, 60),
      },
      origin,
    );
    return 'done';
  });
  if (outcome === 'already-done' || outcome === 'no-such-practice') {
    await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'practice-change-done', subjectType: 'practice-change', subjectId: id, outcome: 'refused', reason: outcome }, origin);
  }
  return outcome;
}
