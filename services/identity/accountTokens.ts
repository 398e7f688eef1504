// Single-use secrets sent by email: links (256 random bits) and short pass codes. Only a hash
// is stored, so a copy of the database cannot be used to take over accounts.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Knex } from 'knex';

export type TokenPurpose = 'confirm-email' | 'reset-password' | 'set-password' | 'change-email';

/** A pass code is typed from an email, so it is short; it is tied to one account and tried at most this often. */
export const PASS_CODE_DIGITS = 8;
export const PASS_CODE_ATTEMPTS = 5;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function codeHash(accountId: number, code: string): string {
  return sha256(`${accountId}:${code}`);
}

interface IssueOptions {
  accountId: number;
  purpose: TokenPurpose;
  expiresAt: Date;
  newEmail?: string;
  now: Date;
}

/** Issues a link secret; earlier unused tokens for the same purpose stop working. */
export async function issueLinkToken(trx: Knex, options: IssueOptions): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await replaceTokens(trx, options, sha256(secret));
  return secret;
}

export async function issuePassCode(trx: Knex, options: IssueOptions): Promise<string> {
  const code = String(randomInt(10 ** PASS_CODE_DIGITS)).padStart(PASS_CODE_DIGITS, '0');
  await replaceTokens(trx, options, codeHash(options.accountId, code));
  return code;
}

async function replaceTokens(trx: Knex, options: IssueOptions, tokenHash: string): Promise<void> {
  await trx('account_tokens').where({ account_id: options.accountId, purpose: options.purpose }).whereNull('used_at').update({ used_at: options.now });
  await trx('account_tokens').insert({
    account_id: options.accountId,
    purpose: options.purpose,
    token_hash: tokenHash,
    new_email: options.newEmail ?? null,
    expires_at: options.expiresAt,
    created_at: options.now,
  });
}

export interface ValidToken {
  id: number;
  accountId: number;
  newEmail: string | null;
}

export type TokenLookup = { valid: true; token: ValidToken } | { valid: false; reason: 'unknown' | 'used' | 'expired' };

/** Looks a link secret up without using it (the page that asks for a new password shows first). */
export async function findLinkToken(db: Knex, purpose: TokenPurpose, secret: string, now: Date): Promise<TokenLookup> {
  const row = await db('account_tokens').where({ purpose, token_hash: sha256(secret) }).first();
  return judge(row, now);
}

function judge(row: { id: string; account_id: string; new_email: string | null; used_at: Date | null; expires_at: Date } | undefined, now: Date): TokenLookup {
  if (!row) return { valid: false, reason: 'unknown' };
  if (row.used_at) return { valid: false, reason: 'used' };
  if (row.expires_at.getTime() <= now.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, token: { id: Number(row.id), accountId: Number(row.account_id), newEmail: row.new_email } };
}

/**
 * Checks a pass code typed for `accountId`. Each wrong try counts against the newest code; after
 * PASS_CODE_ATTEMPTS it stops working and a new one must be requested.
 */
export async function findPassCode(trx: Knex, accountId: number, purpose: TokenPurpose, code: string, now: Date): Promise<TokenLookup> {
  const newest = await trx('account_tokens').where({ account_id: accountId, purpose }).orderBy('id', 'desc').forUpdate().first();
  if (!newest || newest.used_at) return { valid: false, reason: 'unknown' };
  if (newest.token_hash !== codeHash(accountId, code.trim())) {
    const attempts = newest.attempts + 1;
    await trx('account_tokens')
      .where({ id: newest.id })
      .update({ attempts, ...(attempts >= PASS_CODE_ATTEMPTS ? { used_at: now } : {}) });
    return { valid: false, reason: 'unknown' };
  }
  return judge(newest, now);
}

/** Marks a token used; false when another request used it first. */
export async function useToken(trx: Knex, tokenId: number, now: Date): Promise<boolean> {
  const updated = await trx('account_tokens').where({ id: tokenId }).whereNull('used_at').update({ used_at: now });
  return updated === 1;
}
