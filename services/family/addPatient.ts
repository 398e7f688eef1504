// A family adds a patient: a sign-up token with the date of birth links at once; an MRN with a
// visit date becomes a request for support. Wrong tokens are throttled per account and per
// network address, so neither can be guessed.
import type { Knex } from 'knex';
import { RateLimiterRes, type RateLimiterPostgres } from 'rate-limiter-flexible';
import { sharedLimiter } from '../rateLimits.ts';
import type { Config } from '../../config.ts';
import type { Account } from '../../data/accounts.ts';
import { findSignupToken, useSignupToken } from '../../data/signupTokens.ts';
import { countPendingLinkRequests, insertLinkRequest } from '../../data/linkRequests.ts';
import { findPatientByMrn } from '../../data/record/patients.ts';
import { mayLinkPatient, type LinkRefusal, type Relationship } from '../../domain/eligibility.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { dueAfterBusinessDays } from '../businessCalendar.ts';
import { hashOfTypedCode } from './signupTokens.ts';
import { linkPatient, type LinkingDeps, type LinkOutcome } from './linking.ts';

/** Wrong token and date-of-birth pairs allowed per hour, per account and per network address. */
export const TOKEN_FAILURES_PER_ACCOUNT = 10;
export const TOKEN_FAILURES_PER_NETWORK = 50;
/** Requests by MRN: at most this many waiting at once, and this many a day. */
export const PENDING_REQUESTS_ALLOWED = 3;
export const REQUESTS_PER_DAY = 10;
/** Support answers a request within this many business days. */
export const REQUEST_ANSWER_BUSINESS_DAYS = 1;

function limiters(db: Knex) {
  return {
    tokenFailuresByAccount: sharedLimiter(db, 'signup-token-failures-account', TOKEN_FAILURES_PER_ACCOUNT, 3600),
    tokenFailuresByNetwork: sharedLimiter(db, 'signup-token-failures-network', TOKEN_FAILURES_PER_NETWORK, 3600),
    requestsByAccount: sharedLimiter(db, 'link-requests-account', REQUESTS_PER_DAY, 86_400),
  };
}

export interface AddPatientDeps extends LinkingDeps {
  config: Config;
}

export type Throttled = { outcome: 'throttled'; retryAfterSeconds: number };

export type TokenOutcome = LinkOutcome | Throttled | { outcome: 'wrong-details' } | { outcome: 'token-expired' } | { outcome: 'token-used' };

export interface TokenEntry {
  code: string;
  birthDate: string;
  relationship: Relationship;
}

export async function addPatientByToken(deps: AddPatientDeps, account: Account, entry: TokenEntry, origin: RequestOrigin): Promise<TokenOutcome> {
  const now = deps.now();
  const { tokenFailuresByAccount, tokenFailuresByNetwork } = limiters(deps.db);
  const keys: [RateLimiterPostgres, string][] = [[tokenFailuresByAccount, String(account.id)], ...(origin.ip ? [[tokenFailuresByNetwork, origin.ip] as [RateLimiterPostgres, string]] : [])];
  const paused = await pausedFor(keys);
  if (paused) return paused;

  const codeHash = hashOfTypedCode(entry.code);
  const token = codeHash ? await findSignupToken(deps.db, codeHash) : undefined;
  // Only someone who has both the code and the date of birth learns that a token expired or was used.
  if (!token || token.patientBirthDate !== entry.birthDate) {
    await recordAudit(deps.db, { actorType: 'family', actorId: account.id, action: 'add-patient-by-token', outcome: 'failure', reason: 'wrong-details' }, origin);
    for (const [limiter, key] of keys) await limiter.penalty(key, 1);
    return { outcome: 'wrong-details' };
  }
  if (token.usedAt) return { outcome: 'token-used' };
  if (token.expiresAt <= now) return { outcome: 'token-expired' };

  // The token is used in the same transaction as the link, so two tabs cannot both use it.
  const result = await deps.db.transaction(async (trx) => {
    const linked = await linkPatient(
      trx,
      deps,
      { account, patient: { id: token.patientId, birthDate: token.patientBirthDate }, relationship: entry.relationship, via: 'signup-token', actor: { actorType: 'family', actorId: account.id } },
      origin,
    );
    if (linked.outcome !== 'linked') return linked;
    if (!(await useSignupToken(trx, token.id, account.id, now))) throw new TokenUsedMeanwhile();
    return linked;
  }).catch((error: unknown) => {
    if (error instanceof TokenUsedMeanwhile) return { outcome: 'token-used' as const };
    throw error;
  });
  return result;
}

class TokenUsedMeanwhile extends Error {}

async function pausedFor(keys: [RateLimiterPostgres, string][]): Promise<Throttled | undefined> {
  for (const [limiter, key] of keys) {
    const state = await limiter.get(key);
    if (state && state.remainingPoints <= 0) return { outcome: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
  }
  return undefined;
}

export interface MrnEntry {
  patientName: string;
  birthDate: string;
  mrn: string;
  visitDate: string;
  relationship: Relationship;
}

export type MrnOutcome =
  | { outcome: 'requested'; requestId: number; dueAt: Date }
  | { outcome: 'ineligible'; reason: LinkRefusal }
  | { outcome: 'too-many-pending' }
  | Throttled;

export async function requestPatientByMrn(deps: AddPatientDeps, account: Account, entry: MrnEntry, origin: RequestOrigin): Promise<MrnOutcome> {
  const now = deps.now();
  // Refuse at once what no check could allow. Papers for a guardian of an adult may still
  // reach support, so the request goes ahead and support asks for them.
  const early = mayLinkPatient({ relationship: entry.relationship, patientBirthDate: entry.birthDate, guardianshipPapersOnFile: true, now, timeZone: deps.config.hospital.timeZone });
  if (!early.allowed) {
    await recordAudit(deps.db, { actorType: 'family', actorId: account.id, action: 'request-patient-link', outcome: 'refused', reason: early.reason }, origin);
    return { outcome: 'ineligible', reason: early.reason };
  }
  if ((await countPendingLinkRequests(deps.db, account.id)) >= PENDING_REQUESTS_ALLOWED) return { outcome: 'too-many-pending' };
  try {
    await limiters(deps.db).requestsByAccount.consume(String(account.id));
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { outcome: 'throttled', retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) };
    throw rejection;
  }
  const patient = await findPatientByMrn(deps.db, entry.mrn);
  const dueAt = dueAfterBusinessDays(deps.config, now, REQUEST_ANSWER_BUSINESS_DAYS);
  return deps.db.transaction(async (trx) => {
    const requestId = await insertLinkRequest(trx, {
      accountId: account.id,
      relationship: entry.relationship,
      typedPatientName: entry.patientName,
      typedBirthDate: entry.birthDate,
      typedMrn: entry.mrn,
      typedVisitDate: entry.visitDate,
      patientId: patient?.id ?? null,
      createdAt: now,
      dueAt,
    });
    await recordAudit(trx, { actorType: 'family', actorId: account.id, action: 'request-patient-link', subjectType: 'link-request', subjectId: requestId, outcome: 'success' }, origin);
    return { outcome: 'requested' as const, requestId, dueAt };
  });
}
