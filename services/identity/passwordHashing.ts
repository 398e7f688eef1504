// argon2id hashing of (normalised) passwords, and upgrading hashes made with weaker parameters.
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

// The library's Algorithm enum is a const enum, which this project's module settings cannot import.
const ARGON2ID = 2;
import { normalisePassword } from '../../domain/passwordRules.ts';
import { needsRehash, type Argon2Parameters } from '../../domain/argon2Parameters.ts';

export function hashPassword(password: string, parameters: Argon2Parameters): Promise<string> {
  return argon2Hash(normalisePassword(password), { algorithm: ARGON2ID, ...parameters });
}

export type PasswordVerification = { matches: false } | { matches: true; rehashed: string | null };

/** Whether `password` matches; when it does and the hash is weaker than `parameters`, a new hash to store. */
export async function verifyPassword(storedHash: string | null, password: string, parameters: Argon2Parameters): Promise<PasswordVerification> {
  // Without a hash (unknown address, password never set) a real verification still runs, so the
  // time taken does not tell anyone whether the address has an account.
  const hash = storedHash ?? (await standInHash(parameters));
  const matches = await argon2Verify(hash, normalisePassword(password)).catch(() => false);
  if (!matches || storedHash === null) return { matches: false };
  return { matches: true, rehashed: needsRehash(storedHash, parameters) ? await hashPassword(password, parameters) : null };
}

let standIn: Promise<string> | undefined;
function standInHash(parameters: Argon2Parameters): Promise<string> {
  standIn ??= hashPassword(`stand-in ${Math.random()}`, parameters);
  return standIn;
}
