// Which passwords an account may have: length, composition, common passwords and the account's own email.
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * `hospital` is the rule the hospital publishes to families (8+ characters, a number and a capital letter).
 * `nist` follows NIST SP 800-63B: longer, and no composition rules.
 */
export const PASSWORD_PROFILES = ['hospital', 'nist'] as const;
export type PasswordProfile = (typeof PASSWORD_PROFILES)[number];
export const DEFAULT_PASSWORD_PROFILE: PasswordProfile = 'hospital';

export type PasswordRules = {
  /** Lengths are counted in Unicode code points after NFKC normalisation. */
  minimumLength: number;
  maximumLength: number;
  requiresNumber: boolean;
  requiresCapital: boolean;
};

/**
 * 256 code points is four times the 64 that must be accepted, room for any passphrase, while
 * bounding the work (normalisation, blocklist and email checks, hashing) one request can ask for.
 * argon2id never truncates, so every character counts.
 */
const MAXIMUM_LENGTH = 256;

/** What a form needs to describe the rules of each profile. */
export const PASSWORD_RULES: Record<PasswordProfile, PasswordRules> = {
  hospital: { minimumLength: 8, maximumLength: MAXIMUM_LENGTH, requiresNumber: true, requiresCapital: true },
  nist: { minimumLength: 15, maximumLength: MAXIMUM_LENGTH, requiresNumber: false, requiresCapital: false },
};

/** In this order in the result, so a form always lists them the same way. */
export type PasswordFailure = 'too-short' | 'too-long' | 'no-number' | 'no-capital' | 'too-common' | 'contains-email';
export type PasswordCheck = { ok: true } | { ok: false; failures: PasswordFailure[] };

/** Built once: about 49,000 of the most common passwords, most common first, all lower case. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map((password) => password.normalize('NFKC').toLowerCase()),
);

/** Email local parts shorter than this would match too many passwords by chance. */
const SHORTEST_CHECKED_LOCAL_PART = 3;

/**
 * The form in which a password is checked, hashed and verified, so the same password typed on
 * another keyboard (composed "ñ" or "n" + combining tilde, full-width digits) still matches.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Every rule `password` breaks for an account with this `email`. `profile` picks the rule set.
 */
export function checkPassword(
  password: string,
  account: { email: string },
  profile: PasswordProfile = DEFAULT_PASSWORD_PROFILE,
): PasswordCheck {
  const rules = PASSWORD_RULES[profile];
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  const failures: PasswordFailure[] = [];
  if (length < rules.minimumLength) failures.push('too-short');
  if (length > rules.maximumLength) failures.push('too-long');
  if (rules.requiresNumber && !/\p{Nd}/u.test(normalised)) failures.push('no-number');
  if (rules.requiresCapital && !/\p{Lu}/u.test(normalised)) failures.push('no-capital');
  if (isCommonPassword(normalised)) failures.push('too-common');
  if (containsEmailLocalPart(normalised, account.email)) failures.push('contains-email');
  return failures.length === 0 ? { ok: true } : { ok: false, failures };
}

/**
 * People meet composition rules by capitalising a common password and adding digits or symbols
 * at either end ("Password2024!"), so the password is also looked up without those ends.
 */
function isCommonPassword(normalised: string): boolean {
  const lowered = normalised.toLowerCase();
  const withoutTrailingSymbols = lowered.replace(/[^\p{L}\p{N}]+$/u, '');
  const lettersCore = lowered.replace(/^\P{L}+|\P{L}+$/gu, '');
  return [lowered, withoutTrailingSymbols, lettersCore].some((candidate) => COMMON_PASSWORDS.has(candidate));
}

function containsEmailLocalPart(normalised: string, email: string): boolean {
  const at = email.lastIndexOf('@');
  const localPart = (at === -1 ? email : email.slice(0, at)).normalize('NFKC').toLowerCase();
  return [...localPart].length >= SHORTEST_CHECKED_LOCAL_PART && normalised.toLowerCase().includes(localPart);
}
