// MyPatients patient search (issue 8 item 3) and the access requests it leads to: what a search
// shows, given the patients that match and what the access policy says about each. Pure.
import type { AccessDecision } from './access.ts';

/** What the provider typed: a last name (and maybe a first name) with the date of birth, or an MRN. */
export type SearchTerms = { by: 'name'; familyName: string; givenName: string; birthDate: string } | { by: 'mrn'; mrn: string };

/** Searches one provider may make a minute, and one network address (a practice's shared line). */
export const SEARCHES_PER_MINUTE_PER_PROVIDER = 30;
export const SEARCHES_PER_MINUTE_PER_ADDRESS = 60;
/** Attempts to validate an invitation token in 15 minutes, per provider and per address. */
export const TOKEN_ATTEMPTS_PER_QUARTER_HOUR_PER_PROVIDER = 10;
export const TOKEN_ATTEMPTS_PER_QUARTER_HOUR_PER_ADDRESS = 30;
/** More matches than this and the provider is asked to narrow the search. */
export const SEARCH_MATCH_LIMIT = 50;

/** The MyPatients team confirms the PCP with the family by phone within this many business days. */
export const PCP_REQUEST_BUSINESS_DAYS = 3;
export const ACCESS_REQUEST_KINDS = ['pcp', 'non-pcp'] as const;
export type AccessRequestKind = (typeof ACCESS_REQUEST_KINDS)[number];
/** Why the team declines a PCP request: a fixed list, so the email to the provider holds no free text. */
export const PCP_DECLINE_REASONS = ['family-did-not-confirm', 'family-unreachable', 'different-pcp', 'other'] as const;
export type PcpDeclineReason = (typeof PCP_DECLINE_REASONS)[number];
export const PCP_REQUESTS_PER_PAGE = 25;

export interface Candidate<P> {
  patient: P;
  decision: AccessDecision;
}

export type SearchOutcome<P> =
  /** The patients the provider may see (possibly none). */
  | { kind: 'results'; shown: P[]; found: number }
  /** Exactly one patient matches and the provider may not see them: the "not authorized" page. */
  | { kind: 'not-authorized'; patient: P }
  | { kind: 'too-many'; found: number };

/**
 * What a search shows. Only patients the provider may see are listed. When the terms match
 * exactly one patient (an MRN, or a name and date of birth only one patient has) whom the
 * provider may not see, the answer is the "not authorized" page, from which they can ask for
 * access. Several matches that the provider may not see are not counted or hinted at, except that
 * more than `limit` matches of any kind ask for a narrower search (that many namesakes born the
 * same day say nothing about any one of them).
 */
export function searchOutcome<P>(candidates: readonly Candidate<P>[], limit = SEARCH_MATCH_LIMIT): SearchOutcome<P> {
  if (candidates.length > limit) return { kind: 'too-many', found: candidates.length };
  const shown = candidates.filter((candidate) => candidate.decision.allowed).map((candidate) => candidate.patient);
  if (candidates.length === 1 && shown.length === 0) return { kind: 'not-authorized', patient: candidates[0]!.patient };
  return { kind: 'results', shown, found: candidates.length };
}

/** The audit row's reason for a search: its kind and counts, never what was typed. At most 60 characters. */
export function searchAuditReason(by: SearchTerms['by'], outcome: SearchOutcome<unknown>): string {
  switch (outcome.kind) {
    case 'results':
      return `by ${by}: ${outcome.found} found, ${outcome.shown.length} shown`;
    case 'not-authorized':
      return `by ${by}: 1 found, 0 shown, not authorized`;
    case 'too-many':
      return `by ${by}: ${outcome.found} found, too many to show`;
  }
}
