// Counters of attempts, kept in PostgreSQL (rate-limiter-flexible), so every server instance
// sees the same counts. The identity migration creates the shared table.
import type { Knex } from 'knex';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

export function postgresLimiter(db: Knex, keyPrefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  return new RateLimiterPostgres({ storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration: durationSeconds });
}
