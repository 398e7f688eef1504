// Integration clients' API tokens (stored as SHA-256 hashes only).
import type { Knex } from 'knex';

export interface ApiTokenRow {
  id: number;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertApiToken(db: Knex, name: string, tokenHash: string): Promise<number> {
  const [row] = await db('api_tokens').insert({ name, token_hash: tokenHash }).returning('id');
  return Number(row.id);
}

/** The active token with this hash, marked as used now. */
export async function useApiToken(db: Knex, tokenHash: string): Promise<{ id: number; name: string } | undefined> {
  const [row] = await db('api_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').update({ last_used_at: db.fn.now() }).returning(['id', 'name']);
  return row ? { id: Number(row.id), name: row.name } : undefined;
}

export async function revokeApiTokenRow(db: Knex, id: number): Promise<boolean> {
  return (await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() })) > 0;
}

export function listApiTokenRows(db: Knex): Promise<ApiTokenRow[]> {
  return db('api_tokens').select('id', 'name', 'created_at', 'last_used_at', 'revoked_at').orderBy('id');
}
