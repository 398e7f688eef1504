// Builds the real application against a fresh test database, as server.ts does.
import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../app.ts';
import { loadConfig, type Config } from '../../config.ts';
import { createPool } from '../../data/database.ts';
import { startJobQueue, type JobQueue, type RetryPolicy } from '../../jobs/queue.ts';
import { startEmailDelivery } from '../../jobs/emailDelivery.ts';
import { startPasswordResetJob } from '../../jobs/passwordResets.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';
import { freshDatabase, TEST_CONNECTION_WAIT_MS, type TestDatabase } from './database.ts';
import { testClock, type TestClock } from './clock.ts';

export interface TestApp {
  app: Express;
  config: Config;
  database: TestDatabase;
  queue: JobQueue;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Start the email worker (off by default, so tests can read the outbox as queued). */
  deliverEmail?: boolean;
  emailRetry?: RetryPolicy;
  /** The clock the app reads (tests move it on instead of sleeping). */
  now?: () => Date;
  /** Share another test app's database (two instances behind one load balancer). */
  database?: TestDatabase;
  /** Work the queued forgot-password requests (on by default, as server.ts does). */
  passwordResets?: boolean;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const ownDatabase = !options.database;
  const database = options.database ?? (await freshDatabase());
  const sessionPool = createPool(database.url, 3, () => {}, TEST_CONNECTION_WAIT_MS);
  const queue = await startJobQueue(database.url, logger, options.emailRetry);
  if (options.deliverEmail) {
    await startEmailDelivery({ db: database.db, queue, logger, smtpUrl: config.email.smtpUrl, from: config.email.from, pollingIntervalSeconds: 0.5 });
  }
  if (options.passwordResets ?? true) await startPasswordResets(database, config, queue);
  const built = createApp({ config, db: database.db, sessionPool, queue, logger, ...(options.now ? { now: options.now } : {}) });
  return {
    app: built.app,
    config,
    database,
    queue,
    async close() {
      await queue.stop({ graceful: false, wait: true, close: true });
      built.close();
      await sessionPool.end();
      if (ownDatabase) await database.drop();
    },
  };
}

/** The forgot-password worker (jobs/passwordResets.ts), polling often so tests wait little. */
export function startPasswordResets(database: TestDatabase, config: Config, queue: JobQueue): Promise<void> {
  const views = createViewEnvironment({ reloadTemplates: false, timeZone: config.hospital.timeZone });
  return startPasswordResetJob({ db: database.db, config, queue, views, pollingIntervalSeconds: 0.5 });
}

/**
 * A fresh app on a fresh database for each test, reading a clock the test moves on.
 * Call inside `describe`; the fields are filled in before each test.
 */
export function eachTestWithClockedApp(options: TestAppOptions = {}): { subject: TestApp; clock: TestClock } {
  const context = {} as { subject: TestApp; clock: TestClock };
  beforeEach(async () => {
    context.clock = testClock();
    context.subject = await buildTestApp({ ...options, now: context.clock.now });
  });
  afterEach(() => context.subject.close());
  return context;
}
