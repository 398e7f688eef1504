// What every benchmark starts from: a throwaway migrated database, and the app configured as in
// production, listening on loopback. The benchmarks write thousands of synthetic patients, so
// they never use DATABASE_URL (the portal's own data); BENCH_DATABASE_URL names a server's
// database to fill on purpose.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { createDatabase, createPool, type Database } from '../data/database.ts';
import { startEmbeddedPostgres } from '../data/embeddedPostgres.ts';
import { migrateToLatest } from '../data/migrate.ts';
import { startJobQueue } from '../jobs/queue.ts';
import { freePort, temporaryDirectory } from '../test/support/database.ts';

export interface BenchDatabase {
  url: string;
  db: Database;
  close(): Promise<void>;
}

export async function openBenchDatabase(poolMax = 10): Promise<BenchDatabase> {
  const dir = await temporaryDirectory('portal-bench-');
  const external = process.env.BENCH_DATABASE_URL;
  const embedded = external ? undefined : await startEmbeddedPostgres({ dataDir: dir.path, port: await freePort(), persistent: false });
  if (embedded) await embedded.createDatabaseIfMissing('portal');
  const url = external ?? embedded!.urlFor('portal');
  const db = createDatabase(url, poolMax);
  await migrateToLatest(db);
  return {
    url,
    db,
    async close() {
      await db.destroy();
      await embedded?.stop();
      await dir.remove();
    },
  };
}

export interface BenchApp {
  origin: string;
  config: Config;
  /** The loopback server, for benchmarks that time requests inside it. */
  server: Server;
  close(): Promise<void>;
}

/** Production's configuration, with the bench's own secrets and keys. */
export function benchConfig(): Config {
  const production = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
    PUBLIC_URL: 'https://localhost',
    SMTP_URL: 'smtp://127.0.0.1:1',
    TRUST_PROXY: 'false',
    LOG_LEVEL: 'silent',
  });
  // The bench speaks plain HTTP on loopback, where a Secure cookie would never come back.
  return { ...production, session: { ...production.session, secureCookies: false, cookieName: 'portal.sid' } };
}

/** The app as production runs it (caches on, logs off), on a free loopback port. */
export async function startBenchApp(database: BenchDatabase): Promise<BenchApp> {
  const logger = pino({ level: 'silent' });
  const sessionPool = createPool(database.url, 5, () => {});
  const queue = await startJobQueue(database.url, logger);
  const config = benchConfig();
  const built = createApp({ config, db: database.db, sessionPool, queue, logger });
  const server = createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    config,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.stop({ graceful: false, wait: true, close: true });
      built.close();
      await sessionPool.end();
    },
  };
}
