// Failed sign-ins per network address, counted in PostgreSQL (rate-limiter-flexible) so every
// instance sees the same count. Generous, because a hospital or a school may share one address.
import type { Knex } from 'knex';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

export const NETWORK_FAILURES_ALLOWED = 100;
export const NETWORK_WINDOW_SECONDS = 15 * 60;

export function createSignInLimiter(db: Knex): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: db,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true, // the identity migration creates it
    keyPrefix: 'sign-in-failures',
    points: NETWORK_FAILURES_ALLOWED,
    duration: NETWORK_WINDOW_SECONDS,
  });
}
