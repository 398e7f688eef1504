// Failed sign-ins per network address, counted in PostgreSQL (rate-limiter-flexible) so every
// instance sees the same count. Generous, because a hospital or a school may share one address.
import type { Knex } from 'knex';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import { postgresLimiter } from '../rateLimits.ts';

export const NETWORK_FAILURES_ALLOWED = 100;
export const NETWORK_WINDOW_SECONDS = 15 * 60;

export function createSignInLimiter(db: Knex): RateLimiterPostgres {
  return postgresLimiter(db, 'sign-in-failures', NETWORK_FAILURES_ALLOWED, NETWORK_WINDOW_SECONDS);
}
