// The test PostgreSQL: DATABASE_URL when set, else an embedded server in a temporary
// folder, started on first use (unit-only runs never start it). A template database is
// migrated once; each test file gets its own fresh copy of it.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../data/embeddedPostgres.ts';
import { createDatabase, type Database } from '../../data/database.ts';
import { migrateToLatest } from '../../data/migrate.ts';
import { startJobQueue } from '../../jobs/queue.ts';

const TEMPLATE = 'portal_test_template';
/** How long test code waits for a connection (see CONNECTION_WAIT_MS): far beyond a loaded machine's slowest. */
export const TEST_CONNECTION_WAIT_MS = 60_000;
/** The shared server's address, set by the main mocha process for its parallel workers (globalSetup.ts). */
export const SHARED_SERVER_ENV = 'TEST_POSTGRES_URL';

/** Whether a run of these mocha arguments has files that use the database (anything outside test/unit). */
export function needsDatabase(args: string[]): boolean {
  const specs = args.filter((arg) => !arg.startsWith('-') && /\.ts$|\*/.test(arg));
  return specs.length === 0 || specs.some((spec) => !path.normalize(spec).startsWith(path.join('test', 'unit')));
}

interface TestServer {
  urlFor(database: string): string;
  stop(): Promise<void>;
}

let serverPromise: Promise<TestServer> | undefined;
let copies = 0;

export function testServer(): Promise<TestServer> {
  serverPromise ??= startTestServer();
  return serverPromise;
}

export async function stopTestServer(): Promise<void> {
  if (serverPromise) await (await serverPromise).stop();
}

export interface TestDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const server = await testServer();
  const name = `portal_test_${process.pid}_${++copies}`;
  await adminQuery(server, `CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`);
  const url = server.urlFor(name);
  const db = createDatabase(url, 5, undefined, TEST_CONNECTION_WAIT_MS);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function temporaryDirectory(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  // Run as root, PostgreSQL runs as its own user, which must be able to reach the folder.
  await chmod(dir, 0o755);
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function startTestServer(): Promise<TestServer> {
  // A parallel worker uses the server (and the template) the main process made.
  const shared = process.env[SHARED_SERVER_ENV];
  if (shared) return externalServer(shared);
  const server = process.env.DATABASE_URL ? externalServer(process.env.DATABASE_URL) : await embeddedServer();
  await adminQuery(server, `DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
  await adminQuery(server, `CREATE DATABASE "${TEMPLATE}"`);
  const db = createDatabase(server.urlFor(TEMPLATE), 2);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  // Install the job queue's schema in the template too, so each copy starts ready.
  const queue = await startJobQueue(server.urlFor(TEMPLATE), pino({ level: 'silent' }));
  await queue.stop({ graceful: false, wait: true, close: true });
  return server;
}

async function embeddedServer(): Promise<TestServer> {
  const dir = await temporaryDirectory('portal-test-pg-');
  // Its data is thrown away at the end, so it need not survive a crash: no waiting on the disk.
  const settings = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  const embedded: EmbeddedServer = await startEmbeddedPostgres({ dataDir: dir.path, port: await freePort(), persistent: false, settings });
  return {
    urlFor: embedded.urlFor,
    async stop() {
      await embedded.stop();
      await dir.remove();
    },
  };
}

function externalServer(url: string): TestServer {
  return {
    urlFor(database) {
      const parsed = new URL(url);
      parsed.pathname = `/${database}`;
      return parsed.toString();
    },
    stop: async () => {},
  };
}

async function adminQuery(server: TestServer, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.urlFor('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
