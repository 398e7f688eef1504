// Support issues sign-up tokens for a patient; the code is shown once, for the letter.
import { createHash, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { formatSignupCode, isSignupCode, normaliseSignupCode, SIGNUP_CODE_ALPHABET, SIGNUP_CODE_LENGTH } from '../../domain/signupCodes.ts';
import { insertSignupToken } from '../../data/signupTokens.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';

export function signupCodeHash(code: string): string {
  return createHash('sha256').update(`signup:${code}`).digest('hex');
}

/** The hash to look up for what a family typed, or undefined if it cannot be a code at all. */
export function hashOfTypedCode(typed: string): string | undefined {
  const code = normaliseSignupCode(typed);
  return isSignupCode(code) ? signupCodeHash(code) : undefined;
}

export interface IssuedSignupToken {
  id: number;
  /** Formatted for print, e.g. ABCD-EFGH-JKMN. */
  code: string;
  expiresAt: Date;
}

export async function issueSignupToken(
  deps: { db: Knex; config: Config; now: () => Date },
  patientId: number,
  /** The support worker, or null when the system issues it (to a patient turning 18). */
  issuedBy: number | null,
  origin: RequestOrigin,
): Promise<IssuedSignupToken> {
  const now = deps.now();
  const code = Array.from({ length: SIGNUP_CODE_LENGTH }, () => SIGNUP_CODE_ALPHABET[randomInt(SIGNUP_CODE_ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + deps.config.familyAccess.signupTokenDays * 86_400_000);
  return deps.db.transaction(async (trx) => {
    const id = await insertSignupToken(trx, { patientId, codeHash: signupCodeHash(code), issuedBy, issuedAt: now, expiresAt });
    const actorType = issuedBy === null ? 'system' : 'staff';
    await recordAudit(trx, { actorType, actorId: issuedBy, action: 'issue-signup-token', subjectType: 'patient', subjectId: patientId, outcome: 'success' }, origin);
    return { id, code: formatSignupCode(code), expiresAt };
  });
}
