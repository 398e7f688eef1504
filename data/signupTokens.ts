// Sign-up tokens: support prints one on a letter; a family types it with the patient's date of birth.
import type { Knex } from 'knex';

export interface SignupToken {
  id: number;
  patientId: number;
  patientBirthDate: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertSignupToken(
  db: Knex,
  token: { patientId: number; codeHash: string; issuedBy: number | null; issuedAt: Date; expiresAt: Date },
): Promise<number> {
  const [row] = await db('signup_tokens')
    .insert({ patient_id: token.patientId, code_hash: token.codeHash, issued_by_account_id: token.issuedBy, issued_at: token.issuedAt, expires_at: token.expiresAt })
    .returning('id');
  return Number(row.id);
}

export async function findSignupToken(db: Knex, codeHash: string): Promise<SignupToken | undefined> {
  const row = await db('signup_tokens as t')
    .join('patients as p', 'p.id', 't.patient_id')
    .where('t.code_hash', codeHash)
    .first('t.id', 't.patient_id', db.raw(`to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date`), 't.expires_at', 't.used_at');
  return row && { id: Number(row.id), patientId: Number(row.patient_id), patientBirthDate: row.birth_date, expiresAt: row.expires_at, usedAt: row.used_at };
}

/** Marks the token used; false if someone else used it first. */
export async function useSignupToken(db: Knex, id: number, accountId: number, now: Date): Promise<boolean> {
  const updated = await db('signup_tokens').where({ id }).whereNull('used_at').update({ used_at: now, used_by_account_id: accountId });
  return updated === 1;
}

export interface IssuedToken {
  id: number;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  issuedByName: string | null;
}

export async function tokensIssuedFor(db: Knex, patientId: number): Promise<IssuedToken[]> {
  const rows = await db('signup_tokens as t')
    .leftJoin('accounts as a', 'a.id', 't.issued_by_account_id')
    .where('t.patient_id', patientId)
    .orderBy('t.issued_at', 'desc')
    .select('t.id', 't.issued_at', 't.expires_at', 't.used_at', 'a.name');
  return rows.map((row) => ({ id: Number(row.id), issuedAt: row.issued_at, expiresAt: row.expires_at, usedAt: row.used_at, issuedByName: row.name }));
}
