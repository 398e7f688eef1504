// For command-line tools: the configured database (DATABASE_URL, or the embedded server the
// running portal started, or the embedded server started just for this), migrated, and closed
// again when the work is done.
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createDatabase, type Database } from '../data/database.ts';
import { openDatabaseServerForScript } from '../data/databaseServer.ts';
import { migrateToLatest } from '../data/migrate.ts';

export async function withDatabase(work: (db: Database, config: Config) => Promise<number>): Promise<never> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const server = await openDatabaseServerForScript(config, logger);
  const db = createDatabase(server.url, 4, logger);
  let exitCode = 1;
  try {
    await migrateToLatest(db);
    exitCode = await work(db, config);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  } finally {
    await db.destroy();
    await server.stop();
  }
  process.exit(exitCode);
}
