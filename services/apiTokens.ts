// API tokens for integration clients of POST /fhir/import. A token is 256 random bits, shown
// once when created; only its SHA-256 is stored. (A slow password hash is for guessable secrets;
// a token this long cannot be guessed, and a plain hash lets it be looked up by index.)
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../data/database.ts';
import { insertApiToken, listApiTokenRows, revokeApiTokenRow, useApiToken, type ApiTokenRow } from '../data/apiTokens.ts';
import { recordAuditEvents } from '../data/auditEvents.ts';

const TOKEN_PREFIX = 'mcfhir_';

export interface ApiClient {
  id: number;
  name: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token; the returned `token` is the only time it can be read. */
export async function createApiToken(db: Database, name: string, createdBy: { type: 'system' | 'staff'; id?: number } = { type: 'system' }): Promise<ApiClient & { token: string }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new RangeError('A token needs a name of 1 to 100 characters');
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return db.transaction(async (trx) => {
    const id = await insertApiToken(trx, trimmed, hashToken(token));
    await recordAuditEvents(trx, [{ actorType: createdBy.type, actorId: createdBy.id, action: 'api-token.create', subjectType: 'api-token', subjectId: id, outcome: 'success' }]);
    return { id, name: trimmed, token };
  });
}

/** The client a presented token belongs to, or undefined for an unknown or revoked token. */
export async function authenticateApiToken(db: Database, token: string): Promise<ApiClient | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  return useApiToken(db, hashToken(token));
}

export async function revokeApiToken(db: Database, id: number, revokedBy: { type: 'system' | 'staff'; id?: number } = { type: 'system' }): Promise<boolean> {
  return db.transaction(async (trx) => {
    const revoked = await revokeApiTokenRow(trx, id);
    if (revoked) await recordAuditEvents(trx, [{ actorType: revokedBy.type, actorId: revokedBy.id, action: 'api-token.revoke', subjectType: 'api-token', subjectId: id, outcome: 'success' }]);
    return revoked;
  });
}

export function listApiTokens(db: Database): Promise<ApiTokenRow[]> {
  return listApiTokenRows(db);
}
