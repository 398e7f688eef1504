// What the visits and test-results lists show for the filters a family chose: pure, so the
// pages, their htmx fragments and the tests all agree. The record's own decisions (release
// policy, adolescent rules) have already been applied by the time items arrive here.
import { pageOf, type Page } from './paging.ts';

export const VISIT_FILTERS = ['all', 'upcoming', 'past'] as const;
export type VisitFilter = (typeof VISIT_FILTERS)[number];

export const RESULT_PERIODS = ['all', '3m', '1y', '5y'] as const;
export type ResultPeriod = (typeof RESULT_PERIODS)[number];

export const PAST_VISITS_PER_PAGE = 20;
export const NOTES_PER_PAGE = 20;
export const PANELS_PER_PAGE = 10;

/** A page with the positions of its first and last items in the whole list (1-based; 0 and 0 when empty), for "11 to 20 of 45". */
export interface NumberedPage<T> extends Page<T> {
  from: number;
  to: number;
}

export function numberedPageOf<T>(items: readonly T[], requestedPage: number, pageSize: number): NumberedPage<T> {
  const page = pageOf(items, requestedPage, pageSize);
  const from = page.items.length ? (page.page - 1) * pageSize + 1 : 0;
  return { ...page, from, to: page.items.length ? from + page.items.length - 1 : 0 };
}

export interface VisitList<V> {
  /** Every upcoming visit, soonest first; null when the filter leaves them out. */
  upcoming: V[] | null;
  /** One page of past visits, newest first; null when the filter leaves them out. */
  past: NumberedPage<V> | null;
}

/** Upcoming visits are few and all shown; past visits are paged. */
export function visitList<V>(visits: { upcoming: readonly V[]; past: readonly V[] }, filter: VisitFilter, page: number): VisitList<V> {
  return {
    upcoming: filter === 'past' ? null : [...visits.upcoming],
    past: filter === 'upcoming' ? null : numberedPageOf(visits.past, page, PAST_VISITS_PER_PAGE),
  };
}

/** The earliest moment a period reaches back to from `now` (calendar months and years), or null for all time. */
export function periodStart(period: ResultPeriod, now: Date): Date | null {
  const start = new Date(now.getTime());
  switch (period) {
    case 'all':
      return null;
    case '3m':
      start.setUTCMonth(start.getUTCMonth() - 3);
      return start;
    case '1y':
      start.setUTCFullYear(start.getUTCFullYear() - 1);
      return start;
    case '5y':
      start.setUTCFullYear(start.getUTCFullYear() - 5);
      return start;
  }
}

export interface ResultFilter {
  period: ResultPeriod;
  /** Only results outside the normal range. */
  flagged: boolean;
}

interface FilterableResult {
  effectiveAt: Date | null;
  outOfRange: unknown;
}

/**
 * The panels the filter keeps, in the order given (newest first). Each result is judged on its
 * own: by its effective date (when the sample was taken) against the period, and, with
 * `flagged`, by whether it is out of range. A panel keeps only the results that pass and is
 * left out when none do, so "out of range only" lists just the out-of-range results, each
 * still linking to that test's full history. A result without a date is kept only for "all".
 */
export function filterPanels<P extends { results: R[] }, R extends FilterableResult>(panels: readonly P[], filter: ResultFilter, now: Date): P[] {
  const start = periodStart(filter.period, now)?.getTime();
  const keeps = (result: R) =>
    (start === undefined || (result.effectiveAt !== null && result.effectiveAt.getTime() >= start)) && (!filter.flagged || Boolean(result.outOfRange));
  return panels.flatMap((panel) => {
    const results = panel.results.filter(keeps);
    return results.length ? [{ ...panel, results }] : [];
  });
}

/** One page of the filtered panels. */
export function panelPage<P extends { results: R[] }, R extends FilterableResult>(panels: readonly P[], filter: ResultFilter, page: number, now: Date): NumberedPage<P> {
  return numberedPageOf(filterPanels(panels, filter, now), page, PANELS_PER_PAGE);
}
