// The invitation token a family sends a provider: a code in the same alphabet and shape as the
// sign-up codes on hospital letters (domain/signupCodes.ts: no look-alike characters, typed in
// groups of four). Only its hash is stored; the code itself is in the invitation email alone.
import { createHash, randomInt } from 'node:crypto';
import { isSignupCode, normaliseSignupCode, SIGNUP_CODE_ALPHABET, SIGNUP_CODE_LENGTH } from '../../domain/signupCodes.ts';

export { formatSignupCode as formatInvitationCode } from '../../domain/signupCodes.ts';

export function newInvitationCode(): string {
  return Array.from({ length: SIGNUP_CODE_LENGTH }, () => SIGNUP_CODE_ALPHABET[randomInt(SIGNUP_CODE_ALPHABET.length)]).join('');
}

export function invitationCodeHash(code: string): string {
  return createHash('sha256').update(`invitation:${code}`).digest('hex');
}

/** The hash to look up for what a provider typed; undefined when it cannot be a code at all. */
export function hashOfTypedInvitationCode(typed: string): string | undefined {
  const code = normaliseSignupCode(typed);
  return isSignupCode(code) ? invitationCodeHash(code) : undefined;
}
