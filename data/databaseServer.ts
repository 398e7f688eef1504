// Which PostgreSQL server to use: DATABASE_URL when set, otherwise the embedded one
// under DATA_DIR, created on first start and reused afterwards.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { embeddedUrl, startEmbeddedPostgres } from './embeddedPostgres.ts';
import { createDatabase, databaseIsReachable } from './database.ts';

export interface DatabaseServer {
  url: string;
  /** Stops the embedded server; nothing to do for an external one. */
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'portal';

export async function openDatabaseServer(config: Config, logger: Logger): Promise<DatabaseServer> {
  if (config.database.url) return { url: config.database.url, stop: async () => {} };
  logger.info({ dataDir: config.database.dataDir, port: config.database.embeddedPort }, 'starting embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.embeddedPort,
    onLog: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'embedded PostgreSQL'),
  });
  await embedded.createDatabaseIfMissing(EMBEDDED_DATABASE);
  return { url: embedded.urlFor(EMBEDDED_DATABASE), stop: () => embedded.stop() };
}

/**
 * For command-line tools: the embedded server the running portal already started, if it is up
 * (two processes cannot start it on one data directory), otherwise as openDatabaseServer does.
 */
export async function openDatabaseServerForScript(config: Config, logger: Logger): Promise<DatabaseServer> {
  if (config.database.url) return { url: config.database.url, stop: async () => {} };
  const url = embeddedUrl(config.database.embeddedPort, EMBEDDED_DATABASE);
  const probe = createDatabase(url, 1);
  const running = await databaseIsReachable(probe);
  await probe.destroy();
  return running ? { url, stop: async () => {} } : openDatabaseServer(config, logger);
}
