// Reads the configuration, opens the database (embedded unless DATABASE_URL is set),
// migrates it, starts the job workers and listens. SIGINT/SIGTERM shut down gracefully.
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createApp } from './app.ts';
import { createDatabase, createPool } from './data/database.ts';
import { openDatabaseServer } from './data/databaseServer.ts';
import { migrateToLatest } from './data/migrate.ts';
import { startJobQueue } from './jobs/queue.ts';
import { startEmailDelivery } from './jobs/emailDelivery.ts';
import { startTurning18Job } from './jobs/turning18.ts';
import { startPasswordResetJob } from './jobs/passwordResets.ts';
import { resealStoredTotpSecrets } from './services/identity/sealedSecrets.ts';
import { createViewEnvironment } from './views/nunjucks.ts';
import { localDateOf } from './domain/localDate.ts';
import { createDemoAccounts, linkDemoFamilies, startDemoThreads } from './services/identity/demoAccounts.ts';
import { importDemoData } from './services/demoData.ts';
import { linkDemoProviders } from './services/myPatients/demoProviders.ts';
import { sweepStaleUploads } from './services/messaging/uploadSweep.ts';
import { createDemoRegistration } from './services/myPatients/demoRegistration.ts';
import type { Database } from './data/database.ts';
import type { Logger } from 'pino';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  const databaseServer = await openDatabaseServer(config, logger);
  const db = createDatabase(databaseServer.url, config.database.poolMax, logger);
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  const resealed = await resealStoredTotpSecrets(db, config.encryptionKeys);
  if (resealed) logger.info({ accounts: resealed }, 'TOTP secrets sealed with the current key');
  if (config.demoData) await setUpDemo(db, config, logger);
  // Upload files a killed process left behind (nothing was stored from them).
  const swept = await sweepStaleUploads();
  if (swept.dirs) logger.info(swept, 'stale upload files removed');
  const sessionPool = createPool(databaseServer.url, 5, (error) => logger.warn({ err: { message: error.message } }, 'session pool connection lost'));
  const queue = await startJobQueue(databaseServer.url, logger);
  await startEmailDelivery({ db, queue, logger, smtpUrl: config.email.smtpUrl, from: config.email.from });
  // The scheduled job renders its emails without the app, so it has its own view environment.
  const jobViews = createViewEnvironment({ reloadTemplates: config.env === 'development', timeZone: config.hospital.timeZone });
  await startTurning18Job({ db, config, queue, views: jobViews, logger });
  await startPasswordResetJob({ db, config, queue, views: jobViews });

  const { app, close: closeApp } = createApp({ config, db, sessionPool, queue, logger });
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port }, 'listening');
    console.log(`Portal running at ${config.publicUrl}/ (MyPatients: ${config.publicUrl}/provider, back office: ${config.publicUrl}/staff)`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      // Stop accepting; requests already in flight finish first.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.stop({ graceful: true, wait: true, timeout: 4000 });
      closeApp();
      await sessionPool.end();
      await db.destroy();
      await databaseServer.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: { message: (error as Error).message } }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** On an empty database outside production: the demo accounts and about 200 synthetic patients. */
async function setUpDemo(db: Database, config: Config, logger: Logger): Promise<void> {
  const accounts = await createDemoAccounts(db, config, new Date());
  if (accounts) logger.info({ accounts }, 'demo accounts created (see README)');
  const today = localDateOf(new Date(), config.hospital.timeZone);
  const record = await importDemoData(db, { today, timeZone: config.hospital.timeZone, mrnSystem: config.fhir.mrnSystem });
  if (record.imported) logger.info({ patients: record.patients }, 'demo record imported (synthetic patients)');
  const links = await linkDemoFamilies(db, new Date(), config.hospital.timeZone);
  if (links) logger.info({ links }, 'demo families linked to their demo children');
  if (await createDemoRegistration(db, new Date(), config)) logger.info('demo provider registration waiting in the MyPatients team queue');
  const providers = await linkDemoProviders(db, new Date());
  if (providers) logger.info({ providers }, 'demo providers linked to practitioners in the demo record');
  const threads = await startDemoThreads({ db, config }, new Date());
  if (threads) logger.info({ threads }, 'demo message threads started for the care team inbox');
}

main().catch((error: unknown) => {
  console.error('The portal could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
