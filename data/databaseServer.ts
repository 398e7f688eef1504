// Which PostgreSQL server to use: DATABASE_URL when set, otherwise the embedded one
// under DATA_DIR, created on first start and reused afterwards.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres } from './embeddedPostgres.ts';

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
