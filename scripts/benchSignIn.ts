// npm run bench -- signin: what a sign-in costs with the configured argon2id parameters.
// Latency of a whole sign-in over HTTP (page, then POST), and how many password checks per
// second one core sustains (libuv's thread pool limited to one thread, as on a one-core host).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDatabase, createPool } from '../data/database.ts';
import { startEmbeddedPostgres } from '../data/embeddedPostgres.ts';
import { migrateToLatest } from '../data/migrate.ts';
import { startJobQueue } from '../jobs/queue.ts';
import { insertAccount } from '../data/accounts.ts';
import { hashPassword, verifyPassword } from '../services/identity/passwordHashing.ts';
import { freePort, temporaryDirectory } from '../test/support/database.ts';

const SIGN_INS = 40;
const PASSWORD = 'Bench-Password-2026';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function benchSignIn(): Promise<void> {
  if (process.env.UV_THREADPOOL_SIZE !== '1') console.log('(Set UV_THREADPOOL_SIZE=1 for the one-core figure; npm run bench -- signin does.)');
  const logger = pino({ level: 'silent' });
  const dir = await temporaryDirectory('portal-bench-');
  const embedded = await startEmbeddedPostgres({ dataDir: dir.path, port: await freePort(), persistent: false });
  await embedded.createDatabaseIfMissing('portal');
  const url = embedded.urlFor('portal');
  const db = createDatabase(url, 10);
  await migrateToLatest(db);
  const sessionPool = createPool(url, 5, () => {});
  const queue = await startJobQueue(url, logger);
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', PUBLIC_URL: 'http://localhost', SMTP_URL: 'smtp://127.0.0.1:1', LOG_LEVEL: 'silent' });
  const { argon2 } = config.passwords;
  const hash = await hashPassword(PASSWORD, argon2);
  await insertAccount(db, { kind: 'family', email: 'bench@example.com', name: 'Bench', preferredLanguage: 'en', passwordHash: hash, status: 'active' }, new Date());

  const built = createApp({ config, db, sessionPool, queue, logger });
  const server = createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signInOnce = async (email: string) => {
    const page = await fetch(`${origin}/signin`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const body = new URLSearchParams({ _csrf: token, email, password: PASSWORD });
    const ms = await timed(async () => {
      const response = await fetch(`${origin}/signin`, { method: 'POST', body, headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
    });
    return ms;
  };
  await signInOnce('bench@example.com');
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < SIGN_INS; i++) {
    known.push(await signInOnce('bench@example.com'));
    unknown.push(await signInOnce(`nobody${i}@example.com`));
    // Failures for unknown addresses pause after a few; each is a different address.
  }

  const verifications = 40;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: verifications }, () => verifyPassword(hash, PASSWORD, argon2)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  console.log(`argon2id m=${argon2.memoryCost} KiB, t=${argon2.timeCost}, p=${argon2.parallelism}; ${SIGN_INS} sign-ins each, one after another.\n`);
  console.log('sign-in POST                      p50 ms   p99 ms');
  console.log(`right password (signed in)      ${percentile(known, 50).toFixed(1).padStart(8)} ${percentile(known, 99).toFixed(1).padStart(8)}`);
  console.log(`unknown address (refused)       ${percentile(unknown, 50).toFixed(1).padStart(8)} ${percentile(unknown, 99).toFixed(1).padStart(8)}`);
  console.log(`\npassword checks per second on one thread: ${(verifications / seconds).toFixed(1)}`);

  server.close();
  built.close();
  await queue.stop({ graceful: false, wait: true, close: true });
  await sessionPool.end();
  await db.destroy();
  await embedded.stop();
  await dir.remove();
}

benchSignIn().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
