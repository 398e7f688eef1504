// The knex instance, and how to tell "the database is down" from other errors.
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';

export type Database = Knex;

// PostgreSQL returns timestamps as Date and bigint counts as strings by default;
// counts in this application fit in a JavaScript number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/**
 * How long a query waits for a connection before the database counts as unavailable (a 503):
 * short, so an outage is told at once. The tests' databases wait longer (test/support), since a
 * machine under load can take seconds to open a connection, and a test must not fail for that.
 */
export const CONNECTION_WAIT_MS = 3000;

export function createDatabase(url: string, poolMax = 10, logger?: Logger, connectionWaitMs = CONNECTION_WAIT_MS): Database {
  // knex writes pool and connection trouble to the console unless given a logger.
  const log = (level: 'warn' | 'error' | 'debug') => (message: unknown) => logger?.[level]({ knex: String(message) }, 'database');
  return knex({
    log: { warn: log('warn'), error: log('error'), debug: log('debug'), deprecate: log('warn') },
    client: 'pg',
    // A failed query's message names its SQL with placeholders, never the values (patients'
    // names, MRNs, birth dates): error messages reach logs and API answers. With pg's $n
    // placeholders knex leaves values out already; this keeps it so whatever the dialect.
    compileSqlOnError: false,
    connection: { connectionString: url, connectionTimeoutMillis: connectionWaitMs },
    // min 0: no connections are held open while idle, so a restarted database is
    // simply reconnected to on the next request.
    pool: { min: 0, max: poolMax, acquireTimeoutMillis: connectionWaitMs + 1000, idleTimeoutMillis: 10000 },
    acquireConnectionTimeout: connectionWaitMs + 1000,
  });
}

/** A plain pg pool for libraries that want one (the session store). */
export function createPool(url: string, max: number, onError: (error: Error) => void, connectionWaitMs = CONNECTION_WAIT_MS): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: connectionWaitMs, idleTimeoutMillis: 10000 });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', onError);
  return pool;
}

export async function databaseIsReachable(db: Database): Promise<boolean> {
  try {
    await db.raw('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention:
// shutdown, cannot connect now), plus the socket errors Node reports.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03']);
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /Timeout acquiring a connection/i, /connection timeout/i, /Client has encountered a connection error/i, /the database system is (starting up|shutting down)/i];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, cause, errors } = error as Error & { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  // Wrapped errors: knex's cause, and the AggregateError Node gives when every address refused.
  return isDatabaseUnavailable(cause) || (errors ?? []).some(isDatabaseUnavailable);
}
