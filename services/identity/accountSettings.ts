// What a signed-in person can change about their own account: password and email address,
// and what they can see: their recent sign-ins.
import type { Knex } from 'knex';
import type { Language } from '../../domain/language.ts';
import { findAccountByEmail, findAccountById, updateAccount, endSessionsOf, type Account } from '../../data/accounts.ts';
import { queueEmail } from '../emailOutbox.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { hashPassword, verifyPassword } from './passwordHashing.ts';
import { notifyPasswordChanged } from './passwordReset.ts';
import { findLinkToken, issueLinkToken, useToken, type TokenLookup } from './accountTokens.ts';
import { minutesFrom, portalLink, type IdentityDeps } from './deps.ts';

export async function changePassword(
  deps: IdentityDeps,
  account: Account,
  currentPassword: string,
  newPassword: string,
  sessionId: string,
  origin: RequestOrigin,
): Promise<{ ok: boolean }> {
  const verification = await verifyPassword(account.passwordHash, currentPassword, deps.config.passwords.argon2);
  if (!verification.matches) return { ok: false };
  const passwordHash = await hashPassword(newPassword, deps.config.passwords.argon2);
  const now = deps.now();
  await deps.db.transaction(async (trx) => {
    await updateAccount(trx, account.id, { password_hash: passwordHash }, now);
    await endSessionsOf(trx, account.id, sessionId);
    await notifyPasswordChanged(trx, deps, account);
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'password-change', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
  });
  return { ok: true };
}

/**
 * Asks the new address to confirm; nothing changes until it does. If the new address already
 * has an account, nothing is sent, and the person is told the same as everyone else.
 */
export async function requestEmailChange(deps: IdentityDeps, account: Account, newEmail: string, currentPassword: string, origin: RequestOrigin): Promise<{ ok: boolean }> {
  const verification = await verifyPassword(account.passwordHash, currentPassword, deps.config.passwords.argon2);
  if (!verification.matches) return { ok: false };
  const now = deps.now();
  await deps.db.transaction(async (trx) => {
    if (await findAccountByEmail(trx, account.kind, newEmail)) return;
    const token = await issueLinkToken(trx, { accountId: account.id, purpose: 'change-email', newEmail, expiresAt: minutesFrom(now, deps.config.tokens.emailLinkMinutes), now });
    await queueEmail(trx, deps, {
      to: newEmail,
      template: 'confirmNewEmail',
      language: account.preferredLanguage,
      params: { minutes: deps.config.tokens.emailLinkMinutes, actionUrl: portalLink(deps, account.kind, '/account/email/confirm', { token }) },
    });
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'email-change-requested', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
  });
  return { ok: true };
}

/** Whether a change-of-address link still works (the page with the button shows first). */
export function checkEmailChangeLink(deps: IdentityDeps, token: string): Promise<TokenLookup> {
  return findLinkToken(deps.db, 'change-email', token, deps.now());
}

/** Applies a confirmed change of address and tells the old address it happened. */
export async function confirmEmailChange(deps: IdentityDeps, token: string, origin: RequestOrigin): Promise<TokenLookup> {
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const lookup = await findLinkToken(trx, 'change-email', token, now);
    if (!lookup.valid) return lookup;
    const account = await findAccountById(trx, lookup.token.accountId);
    const newEmail = lookup.token.newEmail;
    // Someone may have taken the new address since the link was sent.
    if (!account || !newEmail || (await findAccountByEmail(trx, account.kind, newEmail))) return { valid: false, reason: 'used' } as const;
    if (!(await useToken(trx, lookup.token.id, now))) return { valid: false, reason: 'used' } as const;
    await updateAccount(trx, account.id, { email: newEmail }, now);
    await queueEmail(trx, deps, {
      to: account.email,
      template: 'emailChanged',
      language: account.preferredLanguage,
      params: { actionUrl: portalLink(deps, account.kind, '/forgot-password') },
    });
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'email-change', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
    return lookup;
  });
}

/** Name and language of emails: the details a person keeps up to date themself. */
export async function updateDetails(deps: IdentityDeps, account: Account, details: { name: string; preferredLanguage: Language }, origin: RequestOrigin): Promise<void> {
  await deps.db.transaction(async (trx) => {
    await updateAccount(trx, account.id, { name: details.name, preferred_language: details.preferredLanguage }, deps.now());
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'details-change', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
  });
}

/**
 * The language switch pressed while signed in: the account's language (of emails, and of the
 * pages from each sign-in on) follows it, so the two never disagree. Nothing is written when
 * it is already that language.
 */
export async function changeLanguage(deps: IdentityDeps, account: Account, language: Language, origin: RequestOrigin): Promise<void> {
  if (account.preferredLanguage === language) return;
  await deps.db.transaction(async (trx) => {
    await updateAccount(trx, account.id, { preferred_language: language }, deps.now());
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'language-change', subjectType: 'account', subjectId: account.id, outcome: 'success', reason: language }, origin);
  });
}

export interface SignInRecord {
  at: Date;
  ip: string | null;
  outcome: string;
}

/** The latest sign-ins and failed attempts on this account, newest first. */
export async function recentSignIns(db: Knex, accountId: number, limit = 10): Promise<SignInRecord[]> {
  const rows = await db('audit_events')
    .where({ subject_type: 'account', subject_id: accountId, action: 'sign-in' })
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .select('occurred_at', 'ip', 'outcome');
  return rows.map((row) => ({ at: row.occurred_at, ip: row.ip, outcome: row.outcome }));
}
