// How strongly passwords are hashed with argon2id, and whether a stored hash falls short of that.
// The hashing itself is I/O-heavy and lives in a service; this module only describes and compares.

/** Named as the argon2 libraries name their options. `memoryCost` is in KiB. */
export type Argon2Parameters = { memoryCost: number; timeCost: number; parallelism: number };

/**
 * The floor, and the default: OWASP's Password Storage Cheat Sheet's argon2id setting of
 * 19 MiB of memory, 2 passes and 1 lane. A hospital may configure more, never less.
 */
export const MINIMUM_ARGON2_PARAMETERS: Readonly<Argon2Parameters> = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export type Argon2ParameterProblem = 'invalid-memory-cost' | 'invalid-time-cost' | 'invalid-parallelism';
export type Argon2ParameterCheck = { ok: true } | { ok: false; problems: Argon2ParameterProblem[] };

/** Whether configured parameters are whole numbers at or above the floor (checked at start-up). */
export function checkArgon2Parameters(parameters: Argon2Parameters): Argon2ParameterCheck {
  const problems: Argon2ParameterProblem[] = [];
  if (!isAtLeast(parameters.memoryCost, MINIMUM_ARGON2_PARAMETERS.memoryCost)) problems.push('invalid-memory-cost');
  if (!isAtLeast(parameters.timeCost, MINIMUM_ARGON2_PARAMETERS.timeCost)) problems.push('invalid-time-cost');
  if (!isAtLeast(parameters.parallelism, MINIMUM_ARGON2_PARAMETERS.parallelism)) problems.push('invalid-parallelism');
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

function isAtLeast(value: number, minimum: number): boolean {
  return Number.isSafeInteger(value) && value >= minimum;
}

/** Version 1.3 of the algorithm (0x13); version 1.0 had a weakness in how memory was overwritten. */
const CURRENT_VERSION = 19;

/**
 * An argon2id PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, salt and hash in
 * unpadded base64. The parameters may come in any order (some libraries write m, p, t).
 * Anything else (bcrypt, argon2i or argon2d, a truncated value) does not match.
 */
const PHC_ARGON2ID = /^\$argon2id\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * Whether a stored hash should be replaced (after the next successful sign-in, when the password
 * is at hand): it is not argon2id version 1.3 (another variant or algorithm, or unreadable), or it
 * used less memory or fewer passes than `wanted`. The number of lanes does not change how much
 * work a guess costs an attacker, so parallelism alone never asks for a rehash.
 */
export function needsRehash(encodedHash: string, wanted: Argon2Parameters): boolean {
  const match = PHC_ARGON2ID.exec(encodedHash);
  if (!match) return true;
  const [, version, parameterList] = match;
  const parameters = new Map(parameterList!.split(',').map((pair) => [pair[0], Number(pair.slice(2))] as const));
  const memoryCost = parameters.get('m');
  const timeCost = parameters.get('t');
  if (memoryCost === undefined || timeCost === undefined || !parameters.has('p')) return true;
  return Number(version) !== CURRENT_VERSION || memoryCost < wanted.memoryCost || timeCost < wanted.timeCost;
}
