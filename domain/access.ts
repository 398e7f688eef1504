// Which patients' records a MyPatients user may view, and on what basis; and whether an
// invitation token may be validated.
import { TZDate } from '@date-fns/tz';
import { addMonths } from 'date-fns';

/** Invitation tokens may be validated for this many calendar months after issue. */
export const TOKEN_VALIDITY_MONTHS = 6;

export type MyPatientsUser =
  | {
      kind: 'provider';
      id: string;
      practiceId: string;
      /** This provider sponsors staff and has let the twice-yearly validation lapse. */
      sponsorValidationOverdue: boolean;
    }
  | {
      kind: 'sponsored-user';
      id: string;
      sponsor: { id: string; practiceId: string; validationOverdue: boolean };
    };

/** A family's approval of a provider's request, or a family's invitation to a provider with an account. */
export interface FamilyGrant {
  providerId: string;
  via: 'approved-request' | 'invitation';
  revokedAt: Date | null;
}

/** An invitation token a family sent for a provider who had no account yet. */
export interface InvitationToken {
  mrn: string;
  issuedAt: Date;
  usedAt: Date | null;
  /** The provider who validated it. */
  validatedBy: string | null;
  /** The family withdrew the invitation, or the access it gave. */
  revokedAt: Date | null;
}

export interface PatientAccessFacts {
  mrn: string;
  pcp: { providerId: string; practiceId: string } | null;
  careTeamProviderIds: readonly string[];
  familyGrants: readonly FamilyGrant[];
  invitationTokens: readonly InvitationToken[];
}

export type AccessBasis = 'pcp' | 'care-team' | 'granted' | 'token' | 'sponsor-practice-pcp';
export type AccessRefusal = 'not-authorized' | 'sponsor-locked';
export type AccessDecision = { allowed: true; basis: AccessBasis } | { allowed: false; reason: AccessRefusal };

/**
 * May this user view this patient's record? The first basis that holds is the one the screen
 * shows, in the order PCP, care team, granted, token. A sponsored user sees only patients whose
 * PCP is their sponsor or another provider of the sponsor's practice. A sponsor who let the
 * validation of their sponsored users lapse is locked out with all of them.
 */
export function providerMayViewPatient(user: MyPatientsUser, patient: PatientAccessFacts, timeZone: string): AccessDecision {
  if (user.kind === 'sponsored-user') {
    if (user.sponsor.validationOverdue) return { allowed: false, reason: 'sponsor-locked' };
    return patient.pcp && isSameProviderOrPractice(patient.pcp, user.sponsor.id, user.sponsor.practiceId)
      ? { allowed: true, basis: 'sponsor-practice-pcp' }
      : { allowed: false, reason: 'not-authorized' };
  }
  if (user.sponsorValidationOverdue) return { allowed: false, reason: 'sponsor-locked' };
  if (patient.pcp && isSameProviderOrPractice(patient.pcp, user.id, user.practiceId)) return { allowed: true, basis: 'pcp' };
  if (patient.careTeamProviderIds.includes(user.id)) return { allowed: true, basis: 'care-team' };
  if (patient.familyGrants.some((grant) => grant.providerId === user.id && grant.revokedAt === null)) {
    return { allowed: true, basis: 'granted' };
  }
  // Access from a token lasts after the token's own expiry: expiry limits when it can be validated.
  const validatedToken = patient.invitationTokens.some(
    (token) =>
      token.validatedBy === user.id &&
      token.mrn === patient.mrn &&
      token.revokedAt === null &&
      token.usedAt !== null &&
      token.usedAt < tokenExpiresAt(token.issuedAt, timeZone),
  );
  if (validatedToken) return { allowed: true, basis: 'token' };
  return { allowed: false, reason: 'not-authorized' };
}

function isSameProviderOrPractice(pcp: { providerId: string; practiceId: string }, providerId: string, practiceId: string): boolean {
  return pcp.providerId === providerId || pcp.practiceId === practiceId;
}

/**
 * The instant a token stops being valid: the same local time, 6 calendar months after issue, in
 * the hospital's time zone. A day the month lacks becomes its last day (31 August → 28 or 29
 * February); a local time skipped by a clock change becomes the instant after the gap, and a
 * local time that happens twice means its first occurrence.
 */
export function tokenExpiresAt(issuedAt: Date, timeZone: string): Date {
  return new Date(addMonths(new TZDate(issuedAt.getTime(), timeZone), TOKEN_VALIDITY_MONTHS).getTime());
}

export type TokenError = 'token-unknown' | 'token-wrong-mrn' | 'token-revoked' | 'token-already-used' | 'token-expired';
export type TokenValidation = { valid: true } | { valid: false; reason: TokenError };

export interface TokenAttempt {
  /** The stored token matching what the provider typed, if any. */
  token: InvitationToken | undefined;
  /** The MRN the provider typed with it. */
  enteredMrn: string;
  now: Date;
  timeZone: string;
}

/**
 * May a provider validate this token now? The MRN is checked before anything else, so someone
 * holding a token for another patient learns nothing about it or that patient; the answer is
 * only ever an error code.
 */
export function validateInvitationToken(attempt: TokenAttempt): TokenValidation {
  const { token } = attempt;
  if (!token) return { valid: false, reason: 'token-unknown' };
  if (token.mrn !== attempt.enteredMrn) return { valid: false, reason: 'token-wrong-mrn' };
  if (token.revokedAt !== null) return { valid: false, reason: 'token-revoked' };
  if (token.usedAt !== null) return { valid: false, reason: 'token-already-used' };
  if (attempt.now >= tokenExpiresAt(token.issuedAt, attempt.timeZone)) return { valid: false, reason: 'token-expired' };
  return { valid: true };
}
