// MyPatients patient search (issue 8 item 3): by last name (and maybe first name) with the date
// of birth, or by MRN. Throttled per provider and per network address, and every search audited
// with its kind and counts (never what was typed) plus one row per patient listed. Only patients
// the access policy lets the provider see are listed; an exact match they may not see leads to the
// "not authorized" page, from which they ask for access (services/myPatients/accessRequests.ts).
import type { Knex } from 'knex';
import { RateLimiterRes, type RateLimiterPostgres } from 'rate-limiter-flexible';
import { providerMayViewPatient, type AccessBasis } from '../../domain/access.ts';
import {
  SEARCH_MATCH_LIMIT,
  SEARCHES_PER_MINUTE_PER_ADDRESS,
  SEARCHES_PER_MINUTE_PER_PROVIDER,
  searchAuditReason,
  searchOutcome,
  type SearchTerms,
} from '../../domain/patientSearch.ts';
import { accessFactsOf, providerProfile } from '../../data/providerAccess.ts';
import { patientByMrn, patientsByNameAndBirthDate, type SearchMatch } from '../../data/providerRequests.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { postgresLimiter } from '../rateLimits.ts';
import { policyUserOf, type ProviderAccessDeps } from './providerAccess.ts';

export type { SearchMatch };

export type PatientSearchResult =
  | { outcome: 'results'; patients: (SearchMatch & { basis: AccessBasis })[] }
  | { outcome: 'too-many' }
  | { outcome: 'not-authorized'; patientId: number }
  | { outcome: 'throttled'; retryAfterSeconds: number }
  /** The account is not linked to a practitioner (should not happen for a signed-in provider). */
  | { outcome: 'no-provider' };

const limiters = new WeakMap<Knex, { provider: RateLimiterPostgres; address: RateLimiterPostgres }>();

function limitersFor(db: Knex) {
  let pair = limiters.get(db);
  if (!pair) {
    pair = {
      provider: postgresLimiter(db, 'provider-search-account', SEARCHES_PER_MINUTE_PER_PROVIDER, 60),
      address: postgresLimiter(db, 'provider-search-ip', SEARCHES_PER_MINUTE_PER_ADDRESS, 60),
    };
    limiters.set(db, pair);
  }
  return pair;
}

/** Counts one attempt against both limits; when either is spent, how long until the next may be made. */
export async function consumeBoth(limiters: RateLimiterPostgres[], keys: string[]): Promise<number | undefined> {
  let wait = 0;
  for (const [index, limiter] of limiters.entries()) {
    try {
      await limiter.consume(keys[index]!);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      wait = Math.max(wait, Math.ceil(rejection.msBeforeNext / 1000));
    }
  }
  return wait > 0 ? wait : undefined;
}

export async function searchForPatients(deps: ProviderAccessDeps, accountId: number, terms: SearchTerms, origin: RequestOrigin): Promise<PatientSearchResult> {
  const audit = (event: { outcome: 'allowed' | 'refused' | 'success'; reason: string; subjectId?: number }) =>
    recordAudit(
      deps.db,
      { actorType: 'provider', actorId: accountId, action: 'search-patients', subjectType: event.subjectId === undefined ? null : 'patient', subjectId: event.subjectId ?? null, outcome: event.outcome, reason: event.reason },
      origin,
    );
  const { provider: perProvider, address: perAddress } = limitersFor(deps.db);
  const wait = await consumeBoth([perProvider, perAddress], [String(accountId), origin.ip ?? 'unknown']);
  if (wait !== undefined) {
    await audit({ outcome: 'refused', reason: `by ${terms.by}: throttled` });
    return { outcome: 'throttled', retryAfterSeconds: Math.max(1, wait) };
  }
  const provider = await providerProfile(deps.db, accountId);
  if (!provider) {
    await audit({ outcome: 'refused', reason: `by ${terms.by}: not a provider` });
    return { outcome: 'no-provider' };
  }
  const matches =
    terms.by === 'mrn'
      ? [await patientByMrn(deps.db, terms.mrn)].filter((match): match is SearchMatch => match !== undefined)
      : await patientsByNameAndBirthDate(deps.db, terms, SEARCH_MATCH_LIMIT + 1);
  const user = policyUserOf(provider);
  const candidates = await Promise.all(
    matches.map(async (patient) => {
      const facts = await accessFactsOf(deps.db, patient.id);
      return { patient, decision: facts ? providerMayViewPatient(user, facts, deps.config.hospital.timeZone) : ({ allowed: false, reason: 'not-authorized' } as const) };
    }),
  );
  const outcome = searchOutcome(candidates);
  await audit({ outcome: 'success', reason: searchAuditReason(terms.by, outcome) });
  switch (outcome.kind) {
    case 'too-many':
      return { outcome: 'too-many' };
    case 'not-authorized':
      await audit({ outcome: 'refused', reason: 'exact match: not-authorized', subjectId: outcome.patient.id });
      return { outcome: 'not-authorized', patientId: outcome.patient.id };
    case 'results': {
      const shown = candidates.flatMap((candidate) => (candidate.decision.allowed ? [{ ...candidate.patient, basis: candidate.decision.basis }] : []));
      for (const patient of shown) await audit({ outcome: 'allowed', reason: `listed: basis ${patient.basis}`, subjectId: patient.id });
      return { outcome: 'results', patients: shown };
    }
  }
}
