// How long guessing is paused after consecutive failed sign-ins for one email address.
// Kept per address, known or not, so a locked-out response never reveals whether an account exists.

/** The first few mistakes are free: people mistype. */
export const FREE_FAILURES = 4;
/** Never pause an address for longer than this at a time, so an attacker cannot lock a family out for long. */
export const LONGEST_PAUSE_MINUTES = 15;
/** NIST SP 800-63B: no more than 100 consecutive failures; after that only a password reset unlocks. */
export const MOST_CONSECUTIVE_FAILURES = 100;

export type ThrottleDecision = { locked: false } | { locked: true; until: Date } | { locked: true; until: 'password-reset' };

/**
 * What follows the `consecutiveFailures`-th failure in a row (counting it), at `now`: nothing for
 * the first four, then pauses doubling from 1 minute up to 15, and after the 100th, a reset.
 */
export function afterFailedSignIn(consecutiveFailures: number, now: Date): ThrottleDecision {
  if (consecutiveFailures >= MOST_CONSECUTIVE_FAILURES) return { locked: true, until: 'password-reset' };
  if (consecutiveFailures <= FREE_FAILURES) return { locked: false };
  const doublings = consecutiveFailures - FREE_FAILURES - 1;
  const minutes = Math.min(LONGEST_PAUSE_MINUTES, 2 ** Math.min(doublings, 10));
  return { locked: true, until: new Date(now.getTime() + minutes * 60_000) };
}

/** Whether an address is paused at `now`, given its failures so far and the pause last set. */
export function currentPause(state: { consecutiveFailures: number; lockedUntil: Date | null }, now: Date): ThrottleDecision {
  if (state.consecutiveFailures >= MOST_CONSECUTIVE_FAILURES) return { locked: true, until: 'password-reset' };
  if (state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime()) return { locked: true, until: state.lockedUntil };
  return { locked: false };
}
