// Family sign-up and email confirmation. The response never tells anyone whether an address
// already has an account: that address is emailed instead.
import type { Knex } from 'knex';
import type { Language } from '../../domain/language.ts';
import { findAccountByEmail, insertAccount, updateAccount } from '../../data/accounts.ts';
import { queueEmail } from '../emailOutbox.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { hashPassword } from './passwordHashing.ts';
import { findLinkToken, issueLinkToken, useToken, type TokenLookup } from './accountTokens.ts';
import { minutesFrom, portalLink, type IdentityDeps } from './deps.ts';

export interface FamilySignUp {
  email: string;
  name: string;
  password: string;
  preferredLanguage: Language;
}

export async function signUpFamily(deps: IdentityDeps, input: FamilySignUp, origin: RequestOrigin): Promise<void> {
  const now = deps.now();
  // Hashing first, whether or not the address is taken, keeps both paths equally slow.
  const passwordHash = await hashPassword(input.password, deps.config.passwords.argon2);
  await deps.db.transaction(async (trx) => {
    const existing = await findAccountByEmail(trx, 'family', input.email);
    if (existing && existing.status !== 'unconfirmed') {
      await queueEmail(trx, deps, {
        to: existing.email,
        template: 'accountAlreadyExists',
        language: existing.preferredLanguage,
        params: { actionUrl: portalLink(deps, 'family', '/signin'), resetUrl: portalLink(deps, 'family', '/forgot-password') },
      });
      return;
    }
    if (existing) {
      // Anyone may type any address, so a second sign-up never replaces the first one's password
      // or name: the owner of the address gets the first one's confirmation again.
      await sendConfirmation(trx, deps, existing.id, existing.email, existing.preferredLanguage);
      await recordAudit(trx, { actorType: 'family', actorId: existing.id, action: 'sign-up', subjectType: 'account', subjectId: existing.id, outcome: 'failure', reason: 'unconfirmed-account-exists' }, origin);
      return;
    }
    const accountId = await insertAccount(trx, { kind: 'family', email: input.email, name: input.name, preferredLanguage: input.preferredLanguage, passwordHash, status: 'unconfirmed' }, now);
    await sendConfirmation(trx, deps, accountId, input.email, input.preferredLanguage);
    await recordAudit(trx, { actorType: 'family', actorId: accountId, action: 'sign-up', subjectType: 'account', subjectId: accountId, outcome: 'success' }, origin);
  });
}

export async function sendConfirmation(trx: Knex.Transaction, deps: IdentityDeps, accountId: number, email: string, language: Language): Promise<void> {
  const now = deps.now();
  const token = await issueLinkToken(trx, { accountId, purpose: 'confirm-email', expiresAt: minutesFrom(now, deps.config.tokens.confirmLinkHours * 60), now });
  await queueEmail(trx, deps, {
    to: email,
    template: 'confirmEmail',
    language,
    params: { actionUrl: portalLink(deps, 'family', '/signup/confirm', { token }), hours: deps.config.tokens.confirmLinkHours },
  });
}

export function checkConfirmationLink(deps: IdentityDeps, token: string): Promise<TokenLookup> {
  return findLinkToken(deps.db, 'confirm-email', token, deps.now());
}

/** Confirms the address behind a confirmation link; the account can then be used. */
export async function confirmEmail(deps: IdentityDeps, token: string, origin: RequestOrigin): Promise<TokenLookup> {
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const lookup = await findLinkToken(trx, 'confirm-email', token, now);
    if (!lookup.valid) return lookup;
    if (!(await useToken(trx, lookup.token.id, now))) return { valid: false, reason: 'used' };
    await updateAccount(trx, lookup.token.accountId, { status: 'active' }, now);
    await recordAudit(trx, { actorType: 'family', actorId: lookup.token.accountId, action: 'confirm-email', subjectType: 'account', subjectId: lookup.token.accountId, outcome: 'success' }, origin);
    return lookup;
  });
}
