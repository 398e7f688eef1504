// The PostgreSQL-backed job queue (pg-boss) that every server instance shares.
import PgBoss from 'pg-boss';
import type { Knex } from 'knex';
import type { Logger } from 'pino';

export type JobQueue = PgBoss;

export const QUEUES = {
  emailDelivery: 'email-delivery',
  turning18: 'turning-18',
  passwordReset: 'password-reset',
} as const;

export interface RetryPolicy {
  retryLimit: number;
  retryDelaySeconds: number;
}

// Back-off doubles from 10 s; nine tries span about an hour and a half.
export const EMAIL_RETRY_POLICY: RetryPolicy = { retryLimit: 8, retryDelaySeconds: 10 };

export async function startJobQueue(url: string, logger: Logger, emailRetry: RetryPolicy = EMAIL_RETRY_POLICY): Promise<JobQueue> {
  const queue = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4 });
  // A lost database connection is reported and retried, never fatal to the process.
  queue.on('error', (error) => logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'job queue error'));
  await queue.start();
  await queue.createQueue(QUEUES.emailDelivery, {
    name: QUEUES.emailDelivery,
    retryLimit: emailRetry.retryLimit,
    retryDelay: emailRetry.retryDelaySeconds,
    retryBackoff: true,
  });
  await queue.createQueue(QUEUES.passwordReset, { name: QUEUES.passwordReset, retryLimit: emailRetry.retryLimit, retryDelay: emailRetry.retryDelaySeconds, retryBackoff: true });
  return queue;
}

/**
 * Lets pg-boss write its job with the connection of a knex transaction, so the job
 * exists exactly when the change that caused it commits (the transactional outbox).
 */
export async function inTransaction(trx: Knex.Transaction): Promise<{ db: PgBoss.Db }> {
  // Inside a transaction knex hands back the transaction's own connection.
  const connection = (await trx.client.acquireConnection()) as { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
  return { db: { executeSql: (text, values) => connection.query(text, values) } };
}
