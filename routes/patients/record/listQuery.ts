// The filter and page of a record list, read from the query string, and the links back to it.
// Anything unexpected (a made-up filter, page=-3, page=abc, a repeated key) falls back to the
// default instead of failing: these are GET links people share and edit by hand.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { RESULT_PERIODS, VISIT_FILTERS, type ResultFilter, type VisitFilter } from '../../../domain/recordLists.ts';

const page = z.coerce.number().int().min(1).catch(1);

const visitQuery = z.object({ when: z.enum(VISIT_FILTERS).catch('all'), page });
const notesQuery = z.object({ page });
const resultsQuery = z.object({
  period: z.enum(RESULT_PERIODS).catch('all'),
  // The checkbox sends flagged=1; anything else (absent included) means every result.
  flagged: z.literal('1').optional().catch(undefined).transform((value) => value === '1'),
  page,
});

export function visitsQueryOf(req: Request): { when: VisitFilter; page: number } {
  return visitQuery.parse(req.query ?? {});
}

export function notesQueryOf(req: Request): { page: number } {
  return notesQuery.parse(req.query ?? {});
}

export function resultsQueryOf(req: Request): ResultFilter & { page: number } {
  return resultsQuery.parse(req.query ?? {});
}

/** The list's address with only the values that differ from the defaults, so links stay short and neutral. */
export function listHref(path: string, values: Record<string, string | number | boolean | undefined>, defaults: Record<string, string | number | boolean>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === false || value === defaults[key]) continue;
    query.set(key, value === true ? '1' : String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * htmx asks for the list region only (HX-Request with HX-Request-Type: partial); a history
 * restore or a plain visit gets the whole page. Either way the answer depends on those headers.
 */
export function wantsListFragment(req: Request, res: Response): boolean {
  res.vary('HX-Request');
  res.vary('HX-Request-Type');
  return req.get('HX-Request') === 'true' && req.get('HX-Request-Type') === 'partial';
}
