// "Validate a token" (issue 8 item 6): a provider types the invitation token a family sent and
// the patient's MRN. The token is found by its hash and checked by domain/access.ts; a valid one
// is used up (single use: locked FOR UPDATE in the transaction, so two validations at once cannot
// both succeed) and the provider may then see the record on the 'token' basis. Attempts are
// throttled per provider and per address, and every attempt is audited with its outcome.
import type { Knex } from 'knex';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Config } from '../../config.ts';
import { validateInvitationToken, type TokenError } from '../../domain/access.ts';
import { TOKEN_ATTEMPTS_PER_QUARTER_HOUR_PER_ADDRESS, TOKEN_ATTEMPTS_PER_QUARTER_HOUR_PER_PROVIDER } from '../../domain/patientSearch.ts';
import { invitationTokenByHash, markTokenUsed } from '../../data/providerRequests.ts';
import { providerProfile } from '../../data/providerAccess.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { postgresLimiter } from '../rateLimits.ts';
import { hashOfTypedInvitationCode } from './invitationCodes.ts';
import { consumeBoth } from './patientSearch.ts';

export type TokenValidationOutcome =
  | { outcome: 'validated'; patientId: number }
  | { outcome: 'refused'; reason: TokenError }
  | { outcome: 'throttled'; retryAfterSeconds: number };

const limiters = new WeakMap<Knex, RateLimiterPostgres[]>();

function limitersFor(db: Knex): RateLimiterPostgres[] {
  let pair = limiters.get(db);
  if (!pair) {
    pair = [
      postgresLimiter(db, 'provider-token-account', TOKEN_ATTEMPTS_PER_QUARTER_HOUR_PER_PROVIDER, 15 * 60),
      postgresLimiter(db, 'provider-token-ip', TOKEN_ATTEMPTS_PER_QUARTER_HOUR_PER_ADDRESS, 15 * 60),
    ];
    limiters.set(db, pair);
  }
  return pair;
}

export async function validateToken(
  deps: { db: Knex; config: Pick<Config, 'hospital'>; now: () => Date },
  accountId: number,
  typed: { token: string; mrn: string },
  origin: RequestOrigin,
): Promise<TokenValidationOutcome> {
  const audit = (db: Knex, outcome: 'success' | 'refused', reason: string, patientId?: number) =>
    recordAudit(db, { actorType: 'provider', actorId: accountId, action: 'validate-invitation-token', subjectType: patientId === undefined ? null : 'patient', subjectId: patientId ?? null, outcome, reason }, origin);
  const wait = await consumeBoth(limitersFor(deps.db), [String(accountId), origin.ip ?? 'unknown']);
  if (wait !== undefined) {
    await audit(deps.db, 'refused', 'throttled');
    return { outcome: 'throttled', retryAfterSeconds: Math.max(1, wait) };
  }
  const hash = hashOfTypedInvitationCode(typed.token);
  // Only providers linked to a practitioner hold access; anyone else's attempt is "not recognised".
  const provider = await providerProfile(deps.db, accountId);
  return deps.db.transaction(async (trx): Promise<TokenValidationOutcome> => {
    const stored = hash && provider ? await invitationTokenByHash(trx, hash, { forUpdate: true }) : undefined;
    const check = validateInvitationToken({
      token: stored && { mrn: stored.mrn, issuedAt: stored.issuedAt, usedAt: stored.usedAt, validatedBy: stored.validatedByAccountId === null ? null : String(stored.validatedByAccountId), revokedAt: stored.revokedAt },
      enteredMrn: typed.mrn,
      now: deps.now(),
      timeZone: deps.config.hospital.timeZone,
    });
    if (!check.valid) {
      // A token for another MRN is audited without its patient: the attempt was not about them.
      await audit(trx, 'refused', check.reason, check.reason === 'token-unknown' || check.reason === 'token-wrong-mrn' ? undefined : stored?.patientId);
      return { outcome: 'refused', reason: check.reason };
    }
    if (!(await markTokenUsed(trx, stored!.id, accountId, deps.now()))) {
      await audit(trx, 'refused', 'token-already-used', stored!.patientId);
      return { outcome: 'refused', reason: 'token-already-used' };
    }
    await audit(trx, 'success', `token ${stored!.id} validated`, stored!.patientId);
    return { outcome: 'validated', patientId: stored!.patientId };
  });
}
