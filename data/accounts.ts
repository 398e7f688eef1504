// Queries on accounts, their single-use tokens, recovery codes and sign-in failures.
import type { Knex } from 'knex';
import type { AccountKind, StaffRole } from '../domain/accounts.ts';
import type { Language } from '../domain/language.ts';

export interface Account {
  id: number;
  kind: AccountKind;
  email: string;
  name: string;
  preferredLanguage: Language;
  passwordHash: string | null;
  status: 'unconfirmed' | 'active' | 'disabled';
  roles: StaffRole[];
  /** Sealed (services/identity/sealedSecrets.ts): never the secret itself. */
  sealedTotpSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastTimeStep: number | null;
}

interface AccountRow {
  id: string;
  kind: AccountKind;
  email: string;
  name: string;
  preferred_language: Language;
  password_hash: string | null;
  status: Account['status'];
  roles: StaffRole[];
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_time_step: string | null;
}

function toAccount(row: AccountRow): Account {
  return {
    id: Number(row.id),
    kind: row.kind,
    email: row.email,
    name: row.name,
    preferredLanguage: row.preferred_language,
    passwordHash: row.password_hash,
    status: row.status,
    roles: row.roles,
    sealedTotpSecret: row.totp_secret,
    totpEnabledAt: row.totp_enabled_at,
    totpLastTimeStep: row.totp_last_time_step === null ? null : Number(row.totp_last_time_step),
  };
}

export async function findAccountByEmail(db: Knex, kind: AccountKind, email: string): Promise<Account | undefined> {
  const row = await db('accounts').where({ kind }).whereRaw('lower(email) = lower(?)', [email.trim()]).first<AccountRow | undefined>();
  return row && toAccount(row);
}

export async function findAccountById(db: Knex, id: number): Promise<Account | undefined> {
  const row = await db('accounts').where({ id }).first<AccountRow | undefined>();
  return row && toAccount(row);
}

export interface NewAccount {
  kind: AccountKind;
  email: string;
  name: string;
  preferredLanguage: Language;
  passwordHash: string | null;
  status: Account['status'];
  roles?: StaffRole[];
  sealedTotpSecret?: string | null;
}

export async function insertAccount(db: Knex, account: NewAccount, now: Date): Promise<number> {
  const [row] = await db('accounts')
    .insert({
      kind: account.kind,
      email: account.email.trim(),
      name: account.name,
      preferred_language: account.preferredLanguage,
      password_hash: account.passwordHash,
      status: account.status,
      roles: account.roles ?? [],
      totp_secret: account.sealedTotpSecret ?? null,
      totp_enabled_at: account.sealedTotpSecret ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return Number(row.id);
}

export type AccountChanges = Partial<{
  email: string;
  name: string;
  preferred_language: Language;
  password_hash: string;
  status: Account['status'];
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_time_step: number | null;
}>;

export async function updateAccount(db: Knex, id: number, changes: AccountChanges, now: Date): Promise<void> {
  await db('accounts').where({ id }).update({ ...changes, updated_at: now });
}

/** Every stored TOTP secret, for moving them under the current key (services/identity/sealedSecrets.ts). */
export function storedTotpSecrets(db: Knex): Promise<{ id: number; totp_secret: string }[]> {
  return db('accounts').whereNotNull('totp_secret').select(db.raw('id::integer AS id'), 'totp_secret');
}

/** Replaces a stored TOTP secret only if it is still `from`, so two instances starting at once agree. */
export async function replaceStoredTotpSecret(db: Knex, id: number, from: string, to: string): Promise<boolean> {
  return (await db('accounts').where({ id, totp_secret: from }).update({ totp_secret: to })) === 1;
}

/** Ends every web session of an account except `keepSessionId` (the one making the change). */
export async function endSessionsOf(db: Knex, accountId: number, keepSessionId?: string): Promise<number> {
  const query = db('session').whereRaw(`(sess::jsonb ->> 'accountId') = ?`, [String(accountId)]);
  if (keepSessionId) query.whereNot({ sid: keepSessionId });
  return query.delete();
}
