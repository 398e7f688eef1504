// The three kinds of account, staff roles, and when a signed-in session has run out.

export const ACCOUNT_KINDS = ['family', 'provider', 'staff'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const STAFF_ROLES = ['support', 'mypatients-team', 'care-team', 'billing', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Providers and staff see many patients' records, so a second factor is not optional for them. */
export function secondFactorRequired(kind: AccountKind): boolean {
  return kind !== 'family';
}

export interface SessionLimits {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SignedInSession {
  signedInAt: Date;
  lastSeenAt: Date;
}

export type SessionState = { active: true } | { active: false; reason: 'idle-timeout' | 'absolute-timeout' };

/**
 * Whether a session may go on at `now`: it ends after `idleMinutes` without a request, and
 * `absoluteHours` after sign-in however busy it has been. Both limits are exclusive: a request
 * exactly at the limit is already too late.
 */
export function sessionState(session: SignedInSession, limits: SessionLimits, now: Date): SessionState {
  const nowMs = now.getTime();
  if (nowMs >= session.signedInAt.getTime() + limits.absoluteHours * 3_600_000) return { active: false, reason: 'absolute-timeout' };
  if (nowMs >= session.lastSeenAt.getTime() + limits.idleMinutes * 60_000) return { active: false, reason: 'idle-timeout' };
  return { active: true };
}

/** Where a person should land after signing in to `kind`'s portal. */
export const PORTAL_PREFIX: Record<AccountKind, string> = { family: '', provider: '/provider', staff: '/staff' };

export function homePath(kind: AccountKind): string {
  return `${PORTAL_PREFIX[kind]}/home`;
}
