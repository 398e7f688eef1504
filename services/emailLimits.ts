// Limits on the forms that send an email on someone's behalf (contact, sign-up, forgot password,
// change of address), so that nobody can use the hospital's mail to flood an inbox. Counted in
// PostgreSQL, so every instance sees the same counts, per network address, per recipient (all
// forms together) and, once signed in, per account. A valid submission is what counts.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { RateLimiterRes, type RateLimiterPostgres } from 'rate-limiter-flexible';
import { sharedLimiter } from './rateLimits.ts';
import { recordAudit, type RequestOrigin } from './audit.ts';

/** Generous per address: a hospital, a clinic or a school may share one. */
export const EMAILS_PER_NETWORK_PER_HOUR = 30;
/** Enough for someone who asks again because the first email has not come yet. */
export const EMAILS_PER_RECIPIENT_PER_HOUR = 5;
export const EMAILS_PER_ACCOUNT_PER_HOUR = 5;

export type EmailForm = 'contact' | 'sign-up' | 'forgot-password' | 'change-email';

export interface EmailRequest {
  form: EmailForm;
  recipient: string;
  accountId?: number;
}


/**
 * Counts one email about to be sent. Over a limit, it says how long until the form may be used
 * again, and nothing is sent. The answer does not depend on whether the address has an account.
 */
export async function countEmailRequest(deps: { db: Knex }, request: EmailRequest, origin: RequestOrigin): Promise<{ retryAfterSeconds: number } | undefined> {
  const limiters = {
    network: sharedLimiter(deps.db, 'email-forms-network', EMAILS_PER_NETWORK_PER_HOUR, 3600),
    recipient: sharedLimiter(deps.db, 'email-forms-recipient', EMAILS_PER_RECIPIENT_PER_HOUR, 3600),
    account: sharedLimiter(deps.db, 'email-forms-account', EMAILS_PER_ACCOUNT_PER_HOUR, 3600),
  };
  // The address is a person's: the counters keep only its hash.
  const recipientKey = createHash('sha256').update(request.recipient.trim().toLowerCase()).digest('hex');
  const counts: [RateLimiterPostgres, string][] = [
    [limiters.network, origin.ip ?? 'unknown'],
    [limiters.recipient, recipientKey],
    ...(request.accountId === undefined ? [] : [[limiters.account, String(request.accountId)] as [RateLimiterPostgres, string]]),
  ];
  for (const [limiter, key] of counts) {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // One audit row per limit reached, not one per refused request: a flood must not fill the log.
      if (rejection.consumedPoints === limiter.points + 1) {
        await recordAudit(deps.db, { actorType: 'anonymous', action: `${request.form}-email`, outcome: 'refused', reason: 'throttled' }, origin);
      }
      return { retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
  return undefined;
}
