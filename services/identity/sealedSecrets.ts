// Secrets the portal must keep readable (TOTP secrets in accounts; a pending TOTP secret and fresh
// recovery codes in the session store) are sealed with AES-256-GCM and a key from configuration,
// so that a copy of the database alone yields no one's second factor. Each sealed value names its
// key, so a new key can be added in front of the old ones and stored secrets moved over at start-up.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { replaceStoredTotpSecret, storedTotpSecrets } from '../../data/accounts.ts';

/** The keys from ENCRYPTION_KEYS: the first seals, every one of them opens. */
export interface EncryptionKeys {
  currentId: string;
  byId: ReadonlyMap<string, Buffer>;
}

const FORMAT = 'v1';
const IV_BYTES = 12; // GCM's standard nonce length

export function sealSecret(keys: EncryptionKeys, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.byId.get(keys.currentId)!, iv);
  // The key id is authenticated too, so a value cannot be relabelled to another key.
  cipher.setAAD(Buffer.from(keys.currentId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, keys.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The secret inside a sealed value; throws if it is not one, its key is unknown, or it was altered. */
export function openSecret(keys: EncryptionKeys, stored: string): string {
  const [format, keyId, iv, tag, sealed, ...rest] = stored.split('.');
  const key = keyId === undefined ? undefined : keys.byId.get(keyId);
  if (format !== FORMAT || !key || !iv || !tag || sealed === undefined || rest.length) throw new Error('not a secret sealed with a configured key');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(keyId!));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/** Whether a stored value is sealed with the current key (else it is plain, or under an older key). */
export function sealedWithCurrentKey(keys: EncryptionKeys, stored: string): boolean {
  return stored.startsWith(`${FORMAT}.${keys.currentId}.`);
}

/** A plain secret (stored before sealing existed) or one under an older key, sealed with the current key. */
export function resealSecret(keys: EncryptionKeys, stored: string): string {
  return sealSecret(keys, stored.startsWith(`${FORMAT}.`) ? openSecret(keys, stored) : stored);
}

/**
 * Run at start-up: seals secrets stored before sealing existed, and moves those under an older key
 * to the current one. Safe on several instances at once: each row changes only from what was read.
 */
export async function resealStoredTotpSecrets(db: Knex, keys: EncryptionKeys): Promise<number> {
  let resealed = 0;
  for (const row of await storedTotpSecrets(db)) {
    if (sealedWithCurrentKey(keys, row.totp_secret)) continue;
    if (await replaceStoredTotpSecret(db, row.id, row.totp_secret, resealSecret(keys, row.totp_secret))) resealed++;
  }
  return resealed;
}
