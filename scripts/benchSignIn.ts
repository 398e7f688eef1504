// npm run bench:signin: what a sign-in costs with the configured argon2id parameters.
// Latency of a whole sign-in over HTTP (page, then POST), and how many password checks per
// second one core sustains (libuv's thread pool limited to one thread, as on a one-core host).
import { insertAccount } from '../data/accounts.ts';
import { hashPassword, verifyPassword } from '../services/identity/passwordHashing.ts';
import { openBenchDatabase, startBenchApp } from './benchHarness.ts';

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
  if (process.env.UV_THREADPOOL_SIZE !== '1') console.log('(Set UV_THREADPOOL_SIZE=1 for the one-core figure; npm run bench:signin does.)');
  const database = await openBenchDatabase();
  const { db } = database;
  const portal = await startBenchApp(database);
  const { origin, config } = portal;
  const { argon2 } = config.passwords;
  const hash = await hashPassword(PASSWORD, argon2);
  await insertAccount(db, { kind: 'family', email: 'bench@example.com', name: 'Bench', preferredLanguage: 'en', passwordHash: hash, status: 'active' }, new Date());

  const signInOnce = async (email: string) => {
    const page = await fetch(`${origin}/signin`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const body = new URLSearchParams({ _csrf: token, email, password: PASSWORD });
    return timed(async () => {
      const response = await fetch(`${origin}/signin`, { method: 'POST', body, headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
    });
  };
  await signInOnce('bench@example.com');
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < SIGN_INS; i++) {
    known.push(await signInOnce('bench@example.com'));
    // A different unknown address each time: one address repeated would soon be paused.
    unknown.push(await signInOnce(`nobody${i}@example.com`));
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

  await portal.close();
  await database.close();
}

benchSignIn().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
