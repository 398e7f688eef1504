// Counters of attempts, kept in PostgreSQL (rate-limiter-flexible), so every server instance
// sees the same counts. The identity migration creates the shared table.
import type { Knex } from 'knex';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

export function postgresLimiter(db: Knex, keyPrefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  return new RateLimiterPostgres({ storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration: durationSeconds });
}

const sharedByDatabase = new WeakMap<Knex, Map<string, RateLimiterPostgres>>();

/** The limiter for `keyPrefix` on this database, made on first use and then reused by every request. */
export function sharedLimiter(db: Knex, keyPrefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  let limiters = sharedByDatabase.get(db);
  if (!limiters) sharedByDatabase.set(db, (limiters = new Map()));
  let limiter = limiters.get(keyPrefix);
  if (!limiter) limiters.set(keyPrefix, (limiter = postgresLimiter(db, keyPrefix, points, durationSeconds)));
  return limiter;
}
