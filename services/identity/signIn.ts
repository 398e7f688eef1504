// Checking a password and then a second factor, with throttling per portal and email address and per
// network address. Unknown addresses and wrong passwords get the same answer in about the same time.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AccountKind } from '../../domain/accounts.ts';
import { secondFactorRequired } from '../../domain/accounts.ts';
import { afterFailedSignIn, currentPause } from '../../domain/signInThrottle.ts';
import { findAccountByEmail, updateAccount, type Account } from '../../data/accounts.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { verifyPassword } from './passwordHashing.ts';
import { sendConfirmation } from './signUp.ts';
import { checkSecondFactorCode } from './secondFactor.ts';
import type { IdentityDeps } from './deps.ts';

export type SignInResult =
  | { outcome: 'signed-in' | 'second-factor' | 'enrol-second-factor'; account: Account }
  | { outcome: 'unconfirmed' | 'failed' }
  | { outcome: 'locked'; until: Date | 'password-reset' }
  | { outcome: 'network-limited'; retryAfterSeconds: number };

/** Failures are counted per portal: guesses at the family sign-in must not lock out staff. */
export function emailKey(kind: AccountKind, email: string): string {
  return createHash('sha256').update(`${kind}:${email.trim().toLowerCase()}`).digest('hex');
}

export async function attemptSignIn(deps: IdentityDeps, kind: AccountKind, email: string, password: string, origin: RequestOrigin): Promise<SignInResult> {
  const now = deps.now();
  const networkKey = origin.ip ?? 'unknown';
  const network = await deps.signInLimiter.get(networkKey);
  if (network && network.remainingPoints <= 0) {
    await recordAudit(deps.db, { actorType: 'anonymous', action: 'sign-in', outcome: 'refused', reason: 'network-limited' }, origin);
    return { outcome: 'network-limited', retryAfterSeconds: Math.ceil(network.msBeforeNext / 1000) };
  }
  const key = emailKey(kind, email);
  const pause = currentPause(await failureState(deps.db, key), now);
  if (pause.locked) {
    await recordAudit(deps.db, { actorType: 'anonymous', action: 'sign-in', outcome: 'refused', reason: 'locked' }, origin);
    return { outcome: 'locked', until: pause.until };
  }

  const account = await findAccountByEmail(deps.db, kind, email);
  const usable = account && account.status !== 'disabled' ? account : undefined;
  const verification = await verifyPassword(usable?.passwordHash ?? null, password, deps.config.passwords.argon2);
  if (!usable || !verification.matches) {
    await deps.signInLimiter.penalty(networkKey, 1).catch(() => undefined);
    return recordFailure(deps, key, kind, account?.id ?? null, account ? 'wrong-password' : 'unknown-email', origin);
  }
  if (verification.rehashed) await updateAccount(deps.db, usable.id, { password_hash: verification.rehashed }, now);

  if (usable.status === 'unconfirmed') {
    await deps.db.transaction((trx) => sendConfirmation(trx, deps, usable.id, usable.email, usable.preferredLanguage));
    return { outcome: 'unconfirmed' };
  }
  if (usable.totpEnabledAt) return { outcome: 'second-factor', account: usable };
  if (secondFactorRequired(kind)) return { outcome: 'enrol-second-factor', account: usable };
  await completeSignIn(deps, usable, origin);
  return { outcome: 'signed-in', account: usable };
}

export type SecondFactorResult = { outcome: 'signed-in'; account: Account } | { outcome: 'failed' } | { outcome: 'locked'; until: Date | 'password-reset' };

/** The second step: a code from the authenticator app or one of the recovery codes. */
export async function attemptSecondFactor(deps: IdentityDeps, account: Account, code: string, origin: RequestOrigin): Promise<SecondFactorResult> {
  if (account.status === 'disabled') return { outcome: 'failed' };
  const key = emailKey(account.kind, account.email);
  const pause = currentPause(await failureState(deps.db, key), deps.now());
  if (pause.locked) return { outcome: 'locked', until: pause.until };
  const check = await checkSecondFactorCode(deps, account, code);
  if (!check.ok) {
    const failed = await recordFailure(deps, key, account.kind, account.id, 'wrong-code', origin);
    return failed.outcome === 'locked' ? failed : { outcome: 'failed' };
  }
  await completeSignIn(deps, account, origin, check.method);
  return { outcome: 'signed-in', account };
}

/** After every factor has been checked: clear the failure count and record the sign-in. */
export async function completeSignIn(deps: IdentityDeps, account: Account, origin: RequestOrigin, method = 'password'): Promise<void> {
  await deps.db('sign_in_failures').where({ email_key: emailKey(account.kind, account.email) }).delete();
  await recordAudit(deps.db, { actorType: account.kind, actorId: account.id, action: 'sign-in', subjectType: 'account', subjectId: account.id, outcome: 'success', reason: method }, origin);
}

interface FailureState {
  consecutiveFailures: number;
  lockedUntil: Date | null;
}

async function failureState(db: Knex, key: string): Promise<FailureState> {
  const row = await db('sign_in_failures').where({ email_key: key }).first();
  return { consecutiveFailures: row?.consecutive ?? 0, lockedUntil: row?.locked_until ?? null };
}

async function recordFailure(
  deps: IdentityDeps,
  key: string,
  kind: AccountKind,
  accountId: number | null,
  reason: string,
  origin: RequestOrigin,
): Promise<{ outcome: 'failed' } | { outcome: 'locked'; until: Date | 'password-reset' }> {
  const now = deps.now();
  // One statement, so failures from several instances at once are all counted.
  const [row] = await deps.db('sign_in_failures')
    .insert({ email_key: key, consecutive: 1, updated_at: now })
    .onConflict('email_key')
    .merge({ consecutive: deps.db.raw('sign_in_failures.consecutive + 1'), updated_at: now })
    .returning('consecutive');
  const decision = afterFailedSignIn(row.consecutive, now);
  const actor = accountId === null ? { actorType: 'anonymous' as const } : { actorType: kind, actorId: accountId };
  await recordAudit(deps.db, { ...actor, action: 'sign-in', subjectType: accountId === null ? undefined : 'account', subjectId: accountId, outcome: 'failure', reason }, origin);
  if (!decision.locked) return { outcome: 'failed' };
  const lockedUntil = decision.until === 'password-reset' ? null : decision.until;
  await deps.db('sign_in_failures').where({ email_key: key }).update({ locked_until: lockedUntil });
  await recordAudit(deps.db, { ...actor, action: 'lock-out', subjectType: accountId === null ? undefined : 'account', subjectId: accountId, outcome: 'success', reason: String(row.consecutive) }, origin);
  return { outcome: 'locked', until: decision.until };
}
