// Forgot password: families get an emailed link, providers and staff an emailed pass code.
// Either works once and expires; using it ends every other session of the account.
import type { Knex } from 'knex';
import type { AccountKind } from '../../domain/accounts.ts';
import { findAccountByEmail, findAccountById, updateAccount, endSessionsOf, type Account } from '../../data/accounts.ts';
import { queueEmail } from '../emailOutbox.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { hashPassword } from './passwordHashing.ts';
import { findLinkToken, findPassCode, issueLinkToken, issuePassCode, useToken, type TokenLookup, type TokenPurpose } from './accountTokens.ts';
import { emailKey } from './signIn.ts';
import { minutesFrom, portalLink, type IdentityDeps } from './deps.ts';
import { QUEUES } from '../../jobs/queue.ts';

/** Families follow a link; providers and staff type a short-lived code (the spec's pass code). */
export function resetsByCode(kind: AccountKind): boolean {
  return kind !== 'family';
}

export interface PasswordResetRequest {
  kind: AccountKind;
  email: string;
  /** When it was asked for: the link's or code's lifetime counts from then. */
  requestedAt: string;
  origin: RequestOrigin;
}

/**
 * Asks for a link or code to be sent, by queueing the request: the page's answer, and the time it
 * takes, are then the same whether or not the address has an account (the job looks it up).
 */
export async function askForPasswordReset(deps: Pick<IdentityDeps, 'queue' | 'now'>, kind: AccountKind, email: string, origin: RequestOrigin): Promise<void> {
  const request: PasswordResetRequest = { kind, email, requestedAt: deps.now().toISOString(), origin };
  await deps.queue.send(QUEUES.passwordReset, request);
}

/** The queued request's work: a link or code if the address has a usable account, else nothing. */
export async function sendPasswordReset(deps: Pick<IdentityDeps, 'db' | 'config' | 'queue' | 'views'>, request: PasswordResetRequest): Promise<void> {
  const { kind, email, origin } = request;
  const now = new Date(request.requestedAt);
  await deps.db.transaction(async (trx) => {
    const account = await findAccountByEmail(trx, kind, email);
    if (!account || account.status === 'disabled') return;
    const { tokens } = deps.config;
    if (resetsByCode(kind)) {
      const code = await issuePassCode(trx, { accountId: account.id, purpose: 'reset-password', expiresAt: minutesFrom(now, tokens.passCodeMinutes), now });
      await queueEmail(trx, deps, {
        to: account.email,
        template: 'passwordResetCode',
        language: account.preferredLanguage,
        params: { code, minutes: tokens.passCodeMinutes, actionUrl: portalLink(deps, kind, '/reset-password') },
      });
    } else {
      const token = await issueLinkToken(trx, { accountId: account.id, purpose: 'reset-password', expiresAt: minutesFrom(now, tokens.emailLinkMinutes), now });
      await queueEmail(trx, deps, {
        to: account.email,
        template: 'passwordResetLink',
        language: account.preferredLanguage,
        params: { minutes: tokens.emailLinkMinutes, actionUrl: portalLink(deps, kind, '/reset-password', { token }) },
      });
    }
    await recordAudit(trx, { actorType: 'anonymous', action: 'password-reset-requested', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
  });
}

export type ResetLinkCheck = { valid: true; email: string } | { valid: false; reason: 'unknown' | 'used' | 'expired' };

/** Whether a link still works, and for which address (the new password must not contain it). */
export async function checkResetLink(deps: IdentityDeps, purpose: TokenPurpose, token: string): Promise<ResetLinkCheck> {
  const lookup = await findLinkToken(deps.db, purpose, token, deps.now());
  if (!lookup.valid) return lookup;
  const account = await findAccountById(deps.db, lookup.token.accountId);
  return account ? { valid: true, email: account.email } : { valid: false, reason: 'unknown' };
}

export type ResetResult = { ok: true; account: Account } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Sets a new password with a link (`reset-password` or an invitation's `set-password`). */
export async function resetPasswordWithLink(deps: IdentityDeps, purpose: TokenPurpose, token: string, password: string, origin: RequestOrigin): Promise<ResetResult> {
  const passwordHash = await hashPassword(password, deps.config.passwords.argon2);
  return deps.db.transaction(async (trx) => {
    const lookup = await findLinkToken(trx, purpose, token, deps.now());
    return setPassword(trx, deps, lookup, passwordHash, origin);
  });
}

/** Sets a new password with the emailed pass code typed together with the address. */
export async function resetPasswordWithCode(deps: IdentityDeps, kind: AccountKind, email: string, code: string, password: string, origin: RequestOrigin): Promise<ResetResult> {
  const passwordHash = await hashPassword(password, deps.config.passwords.argon2);
  return deps.db.transaction(async (trx) => {
    const account = await findAccountByEmail(trx, kind, email);
    const lookup: TokenLookup = account ? await findPassCode(trx, account.id, 'reset-password', code, deps.now()) : { valid: false, reason: 'unknown' };
    return setPassword(trx, deps, lookup, passwordHash, origin);
  });
}

async function setPassword(trx: Knex.Transaction, deps: IdentityDeps, lookup: TokenLookup, passwordHash: string, origin: RequestOrigin): Promise<ResetResult> {
  const now = deps.now();
  if (!lookup.valid) return { ok: false, reason: lookup.reason };
  if (!(await useToken(trx, lookup.token.id, now))) return { ok: false, reason: 'used' };
  const account = await findAccountById(trx, lookup.token.accountId);
  if (!account) return { ok: false, reason: 'unknown' };
  // Following an emailed link or code proves the address, so an unconfirmed account becomes usable.
  await updateAccount(trx, account.id, { password_hash: passwordHash, ...(account.status === 'unconfirmed' ? { status: 'active' } : {}) }, now);
  await trx('sign_in_failures').where({ email_key: emailKey(account.kind, account.email) }).delete();
  await endSessionsOf(trx, account.id);
  // An invited account's first password changes nothing the person had: no "it was changed" email.
  const first = account.passwordHash === null;
  if (!first) await notifyPasswordChanged(trx, deps, account);
  await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: first ? 'password-set' : 'password-reset', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
  return { ok: true, account };
}

/** Tells the account's address that its password changed, with a way to take the account back. */
export async function notifyPasswordChanged(trx: Knex.Transaction, deps: IdentityDeps, account: Account): Promise<void> {
  await queueEmail(trx, deps, {
    to: account.email,
    template: 'passwordChanged',
    language: account.preferredLanguage,
    params: { actionUrl: portalLink(deps, account.kind, '/forgot-password') },
  });
}
