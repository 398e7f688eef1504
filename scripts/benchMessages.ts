// npm run bench -- messages: secure messaging with a thread of 10,000 messages among 3,000 other
// threads (about 2,100 of them open in one clinic's inbox), then:
// - the family's inbox and the 10,000-message thread, and the care team's inbox and the same
//   thread, over real HTTP at the server (server time, as `-- record` measures it), for each
//   route this branch has; and the services behind them on their own;
// - a message of 10 files just under 25 MB, sent through the compose form (curl in its own
//   process, so the sender's memory is not counted) when the route exists, and stored through
//   startThread directly: time, and the server process's peak RSS and heap.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { insertAccount } from '../data/accounts.ts';
import { insertPatientLink } from '../data/patientLinks.ts';
import { hashPassword } from '../services/identity/passwordHashing.ts';
import { inboxFor, staffOpenThread } from '../services/messaging/careTeamInbox.ts';
import { familyMailbox, openThread, startThread, type MessagingDeps } from '../services/messaging/threads.ts';
import type { ReceivedFile } from '../services/messaging/receivedFile.ts';
import { createViewEnvironment } from '../views/nunjucks.ts';
import { TINY_PDF } from '../test/support/family.ts';
import { temporaryDirectory } from '../test/support/database.ts';
import { totpCode, TOTP_SECRET } from '../test/support/identity.ts';
import { benchConfig, openBenchDatabase, startBenchApp } from './benchHarness.ts';
import { sealSecret, type EncryptionKeys } from '../services/identity/sealedSecrets.ts';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 100);
const HEAVY_MESSAGES = 10_000;
const OTHER_THREADS = Number(process.env.BENCH_THREADS ?? 3_000);
const PASSWORD = 'Bench-Password-2026';
const MB = 1024 * 1024;
const ORIGIN = { ip: '127.0.0.1', requestId: 'bench-messages' };
const run = promisify(execFile);

export interface MessagingWorld {
  patientId: number;
  heavyThreadId: number;
  parent: { id: number; email: string };
  nurse: { id: number; email: string };
  counts: string;
}

/**
 * The data: one patient whose parent has 41 threads with cardiology, one of them 10,000
 * messages long (half each side, none read by either reader), and 3,000 threads of 2,000 other
 * patients with 3 to 5 messages each, 70 % of them still open. Written in SQL, in seconds.
 */
export async function seedMessaging(db: Knex, now: Date, encryptionKeys: EncryptionKeys): Promise<MessagingWorld> {
  const passwordHash = await hashPassword(PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  await db('clinics').insert([
    { source_id: 'bench-clinic-CARD', department_code: 'CARD', name: 'Cardiology' },
    { source_id: 'bench-clinic-DERM', department_code: 'DERM', name: 'Dermatology' },
  ]);
  const account = async (kind: 'family' | 'staff', email: string) => {
    const id = await insertAccount(db, { kind, email, name: `Bench ${kind}`, preferredLanguage: 'en', passwordHash, status: 'active', roles: kind === 'staff' ? ['care-team'] : [], sealedTotpSecret: kind === 'staff' ? sealSecret(encryptionKeys, TOTP_SECRET) : null }, now);
    return { id, email };
  };
  const parent = await account('family', 'bench-parent@example.com');
  const otherFamily = await account('family', 'bench-other-families@example.com');
  const nurse = await account('staff', 'bench-nurse@example.com');
  await db('care_team_staff').insert({ account_id: nurse.id, department_code: 'CARD' });

  const [patient] = await db('patients').insert({ source_id: 'bench-heavy', mrn: '96000001', given_names: 'Robin', family_name: 'Benchley', birth_date: '2018-05-20' }).returning('id');
  const patientId = Number(patient.id);
  await insertPatientLink(db, { accountId: parent.id, patientId, relationship: 'parent' }, new Date(now.getTime() - 400 * 86_400_000));
  await db('encounters').insert({ source_id: 'bench-visit', patient_id: patientId, class: 'ambulatory', status: 'finished', department_code: 'CARD', reason: 'Check-up', period_start: new Date('2026-01-10T14:00:00Z'), period_end: new Date('2026-01-10T15:00:00Z'), confidential: false });
  await db.raw(`INSERT INTO patients (source_id, mrn, given_names, family_name, birth_date)
                SELECT 'bench-other-' || n, (96100000 + n)::text, 'Child', 'Other ' || n, DATE '2012-01-01' + n FROM generate_series(1, 2000) n`);

  const start = new Date(now.getTime() - 365 * 86_400_000);
  const body = `'Message ' || k || ': ' || repeat(md5(k::text || t.id::text) || ' ', 6)`;
  // The parent's 40 ordinary threads, 4 messages each; then the other families' 3,000.
  await db.raw(
    `INSERT INTO message_threads (patient_id, recipient_department_code, subject, family_party, started_by_account_id, started_at, status, last_message_at)
     SELECT ?, 'CARD', 'medical-question', 'guardian', ?, ?::timestamptz + n * interval '7 days', 'open', now() FROM generate_series(1, 40) n`,
    [patientId, parent.id, start],
  );
  await db.raw(
    `INSERT INTO message_threads (patient_id, recipient_department_code, subject, family_party, started_by_account_id, started_at, status, last_message_at)
     SELECT p.id, CASE WHEN n % 10 = 0 THEN 'DERM' ELSE 'CARD' END, 'follow-up', 'guardian', ?, ?::timestamptz + n * interval '150 minutes', CASE WHEN n % 10 < 3 THEN 'closed' ELSE 'open' END, now()
       FROM generate_series(1, ?) n JOIN patients p ON p.mrn = (96100000 + 1 + n % 2000)::text`,
    [otherFamily.id, start, OTHER_THREADS],
  );
  await db.raw(
    `INSERT INTO messages (thread_id, author_kind, author_account_id, body, sent_at)
     SELECT t.id, CASE WHEN k % 2 = 1 THEN 'family' ELSE 'staff' END, CASE WHEN k % 2 = 1 THEN t.started_by_account_id ELSE ?::bigint END, ${body}, t.started_at + k * interval '3 hours'
       FROM message_threads t, generate_series(1, 3 + (t.id % 3)::int) k`,
    [nurse.id],
  );
  const [heavy] = await db('message_threads')
    .insert({ patient_id: patientId, recipient_department_code: 'CARD', subject: 'follow-up', family_party: 'guardian', started_by_account_id: parent.id, started_at: start, status: 'open', last_message_at: start })
    .returning('id');
  const heavyThreadId = Number(heavy.id);
  await db.raw(
    `INSERT INTO messages (thread_id, author_kind, author_account_id, body, sent_at)
     SELECT t.id, CASE WHEN k % 2 = 1 THEN 'family' ELSE 'staff' END, CASE WHEN k % 2 = 1 THEN ?::bigint ELSE ?::bigint END, ${body}, t.started_at + k * interval '45 minutes'
       FROM message_threads t, generate_series(1, ?::int) k WHERE t.id = ?`,
    [parent.id, nurse.id, HEAVY_MESSAGES, heavyThreadId],
  );
  // Each thread's state from its messages, as storeMessage would have left it (due two days on).
  await db.raw(`
    UPDATE message_threads t
       SET last_message_at = latest.last_at,
           last_staff_message_at = latest.staff, last_family_message_at = latest.family,
           awaiting_since = CASE WHEN t.status = 'open' AND latest.family > COALESCE(latest.staff, '-infinity') THEN latest.family END,
           due_at = CASE WHEN t.status = 'open' AND latest.family > COALESCE(latest.staff, '-infinity') THEN latest.family + interval '2 days' END,
           closed_at = CASE WHEN t.status = 'closed' THEN latest.last_at END
      FROM (SELECT thread_id, max(sent_at) AS last_at,
                   max(sent_at) FILTER (WHERE author_kind = 'staff') AS staff,
                   max(sent_at) FILTER (WHERE author_kind = 'family') AS family
              FROM messages GROUP BY thread_id) latest
     WHERE latest.thread_id = t.id`);
  // A database in service is vacuumed by autovacuum: the unread count reads the index alone then.
  await db.raw('VACUUM ANALYZE');
  const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);
  const openInbox = Number((await db('message_threads').where({ status: 'open', recipient_department_code: 'CARD' }).count({ n: '*' }))[0]!.n);
  return {
    patientId,
    heavyThreadId,
    parent,
    nurse,
    counts: `${await count('message_threads')} threads, ${await count('messages')} messages; ${openInbox} open in the cardiology inbox; the heavy patient has 41 threads`,
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(times: number, action: () => Promise<unknown>): Promise<{ median: number; p99: number }> {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const begun = performance.now();
    await action();
    took.push(performance.now() - begun);
  }
  return { median: percentile(took, 50), p99: percentile(took, 99) };
}

/** Signs in through the forms, with the second factor for staff; returns the session cookie. */
async function signIn(origin: string, prefix: '' | '/staff', email: string): Promise<string> {
  const form = async (path: string, cookie: string | undefined, fields: Record<string, string>) => {
    const page = await fetch(origin + path, cookie ? { headers: { cookie } } : {});
    const pageCookie = page.headers.get('set-cookie')?.split(';')[0] ?? cookie!;
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const response = await fetch(origin + path, { method: 'POST', body: new URLSearchParams({ _csrf: token, ...fields }), headers: { cookie: pageCookie }, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 303) throw new Error(`${path} for ${email} answered ${response.status}`);
    return response.headers.get('set-cookie')?.split(';')[0] ?? pageCookie;
  };
  const cookie = await form(`${prefix}/signin`, undefined, { email, password: PASSWORD });
  return prefix === '/staff' ? form('/staff/signin/code', cookie, { code: await totpCode(new Date()) }) : cookie;
}

/** Peak memory while `action` runs: RSS from the kernel's high-water mark (reset first), heap and buffers sampled every millisecond. */
async function peakMemory<T>(action: () => Promise<T>): Promise<{ result: T; seconds: number; rssBefore: number; rssPeak: number; heapBefore: number; heapPeak: number; buffersBefore: number; buffersPeak: number }> {
  global.gc?.();
  const before = process.memoryUsage();
  let resetPeak = true;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    resetPeak = false;
  }
  let heapPeak = before.heapUsed;
  let buffersPeak = before.arrayBuffers;
  let rssSampled = before.rss;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    heapPeak = Math.max(heapPeak, now.heapUsed);
    buffersPeak = Math.max(buffersPeak, now.arrayBuffers);
    rssSampled = Math.max(rssSampled, now.rss);
  }, 1);
  const begun = performance.now();
  const result = await action();
  const seconds = (performance.now() - begun) / 1000;
  clearInterval(sampler);
  const hwm = resetPeak ? Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024 : rssSampled;
  return { result, seconds, rssBefore: before.rss, rssPeak: Math.max(hwm, rssSampled), heapBefore: before.heapUsed, heapPeak, buffersBefore: before.arrayBuffers, buffersPeak };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const memoryNow = () => `(this process now: RSS ${mb(process.memoryUsage().rss)}, heap used ${mb(process.memoryUsage().heapUsed)})`;

/** 10 PDFs totalling just under the 25 MB limit (a real PDF header, then random bytes). */
async function uploadFiles(dir: string, limitBytes: number, count: number, name: string): Promise<{ path: string; size: number }[]> {
  const size = Math.floor((limitBytes - 4096) / count);
  const files = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `${name}-${i + 1}.pdf`);
    await writeFile(file, Buffer.concat([TINY_PDF, randomBytes(size - TINY_PDF.length)]));
    files.push({ path: file, size });
  }
  return files;
}

export async function benchMessages(): Promise<void> {
  const setUp = performance.now();
  const database = await openBenchDatabase();
  const { db } = database;
  const now = new Date();
  const world = await seedMessaging(db, now, benchConfig().encryptionKeys);
  console.log(`Seeded ${world.counts} in ${((performance.now() - setUp) / 1000).toFixed(1)} s (VACUUM ANALYZE included).\n`);

  const portal = await startBenchApp(database);
  const { origin, config, server } = portal;
  const deps: MessagingDeps = { db, config, now: () => new Date(), queue: undefined as never, views: createViewEnvironment({ reloadTemplates: false, timeZone: config.hospital.timeZone }) };
  const unreadNow = async () => {
    const family = (await familyMailbox(deps, world.parent.id, world.patientId, 'inbox', ORIGIN))!;
    // Nothing waits in the heavy thread (the care team wrote last): it is on a later page.
    let staff;
    for (let page = 1, pageCount = 1; page <= pageCount && !staff; page++) {
      const inbox = await inboxFor(deps, world.nurse.id, ORIGIN, page);
      pageCount = inbox.pageCount;
      staff = inbox.items.find((thread) => thread.id === world.heavyThreadId);
    }
    return `family inbox: ${family.threads.total} threads, ${family.unreadTotal} unread; staff inbox: the heavy thread has ${staff?.unread ?? '?'} unread`;
  };
  console.log(`Before anything is read: ${await unreadNow()}. ${memoryNow()}`);

  // The services alone, in the order the pages call them; the inboxes first, while 5,000
  // messages of the heavy thread are unread to each reader.
  console.log(`\nServices alone, ${SEQUENTIAL} calls in a row (median / p99 ms):`);
  const services: [string, () => Promise<unknown>][] = [
    ['familyMailbox inbox, page 1', () => familyMailbox(deps, world.parent.id, world.patientId, 'inbox', ORIGIN)],
    ['familyMailbox sent, page 2', () => familyMailbox(deps, world.parent.id, world.patientId, 'sent', ORIGIN, 2)],
    ['inboxFor (staff), page 1', () => inboxFor(deps, world.nurse.id, ORIGIN)],
    ['inboxFor (staff), last page', () => inboxFor(deps, world.nurse.id, ORIGIN, Number.MAX_SAFE_INTEGER)],
    ['openThread, 10,000 messages', () => openThread(deps, world.parent.id, world.patientId, world.heavyThreadId, ORIGIN)],
    ['openThread, ?before= page 100', () => openThread(deps, world.parent.id, world.patientId, world.heavyThreadId, ORIGIN, firstIdOf + 150)],
    ['staffOpenThread, 10,000 messages', () => staffOpenThread(deps, world.nurse.id, world.heavyThreadId, ORIGIN)],
  ];
  const firstIdOf = Number((await db('messages').where('thread_id', world.heavyThreadId).min({ id: 'id' }))[0]!.id);
  for (const [name, call] of services) {
    const { median, p99 } = await timed(SEQUENTIAL, call);
    console.log(`  ${name.padEnd(36)} ${median.toFixed(1).padStart(7)} ${p99.toFixed(1).padStart(7)}`);
  }
  console.log(`After opening the thread: ${await unreadNow()}. ${memoryNow()}`);
  // Unread again, for the pages.
  await db('message_reads').where('thread_id', world.heavyThreadId).delete();

  // Over HTTP: the server time, from the request reaching the app to the last byte leaving it.
  let timings: number[] = [];
  server.prependListener('request', (_req, res) => {
    const begun = process.hrtime.bigint();
    res.once('finish', () => timings.push(Number(process.hrtime.bigint() - begun) / 1e6));
  });
  const familyCookie = await signIn(origin, '', world.parent.email);
  const staffCookie = await signIn(origin, '/staff', world.nurse.email);
  const pages = [
    ['family inbox', `/patients/${world.patientId}/messages`, familyCookie],
    ['family sent, page 2', `/patients/${world.patientId}/messages/sent?page=2`, familyCookie],
    ['family thread (10,000)', `/patients/${world.patientId}/messages/${world.heavyThreadId}`, familyCookie],
    ['family thread ?before=', `/patients/${world.patientId}/messages/${world.heavyThreadId}?before=${firstIdOf + 150}`, familyCookie],
    ['staff inbox', '/staff/messages', staffCookie],
    ['staff thread (10,000)', `/staff/messages/${world.heavyThreadId}`, staffCookie],
  ] as const;
  console.log(`\nPages over HTTP, server time over ${SEQUENTIAL} sequential requests (timed inside the app's process):`);
  console.log('  page                        size KB   median ms   p99 ms');
  for (const [name, url, cookie] of pages) {
    const first = await fetch(origin + url, { headers: { cookie }, redirect: 'manual' });
    const body = Buffer.from(await first.arrayBuffer());
    if (first.status !== 200) {
      console.log(`  ${name.padEnd(26)}  skipped: ${first.status} (${first.status === 404 ? 'the route is not in this branch' : 'not a page'})`);
      continue;
    }
    timings = [];
    for (let i = 0; i < SEQUENTIAL; i++) await (await fetch(origin + url, { headers: { cookie } })).arrayBuffer();
    console.log(`  ${name.padEnd(26)} ${(body.length / 1024).toFixed(1).padStart(8)} ${percentile(timings, 50).toFixed(1).padStart(11)} ${percentile(timings, 99).toFixed(1).padStart(8)}`);
  }

  console.log(memoryNow());
  // A message at the size limit: 10 files just under MESSAGE_MAX_BYTES.
  const limit = config.messageUploads.maxBytes;
  const dir = await temporaryDirectory('portal-bench-upload-');
  const files = await uploadFiles(dir.path, limit, 10, 'scan');
  const total = files.reduce((sum, file) => sum + file.size, 0);
  console.log(`\nA message of ${files.length} files, ${total} bytes (limit ${limit}); peak memory of this process (the server's), RSS from VmHWM:`);
  const composePath = `/patients/${world.patientId}/messages/new`;
  const compose = await fetch(origin + composePath, { headers: { cookie: familyCookie } });
  const composeHtml = await compose.text();
  if (compose.status === 200) {
    const token = composeHtml.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const before = Number((await db('messages').count({ n: '*' }))[0]!.n);
    const args = ['-s', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '-H', `cookie: ${familyCookie}`, '-F', `_csrf=${token}`, '-F', 'recipient=clinic:CARD', '-F', 'subject=photo-upload', '-F', 'body=Scans from the other hospital.'];
    for (const file of files) args.push('-F', `attachments=@${file.path};type=application/pdf`);
    const sent = await peakMemory(() => run('curl', [...args, origin + composePath], { maxBuffer: MB }));
    const stored = Number((await db('messages').count({ n: '*' }))[0]!.n) - before;
    console.log(`  compose POST over HTTP: answered ${sent.result.stdout.trim()} in ${sent.seconds.toFixed(2)} s; ${stored} message stored; RSS ${mb(sent.rssBefore)} → peak ${mb(sent.rssPeak)}, heap used ${mb(sent.heapBefore)} → peak ${mb(sent.heapPeak)}, buffers ${mb(sent.buffersBefore)} → peak ${mb(sent.buffersPeak)}`);
  } else {
    console.log(`  compose POST over HTTP: skipped, ${composePath} answered ${compose.status} (the route is not in this branch)`);
  }
  // The storing step alone (files already on disk, as the upload middleware leaves them): the
  // 10 files, twice; then one file of the same size, the most one attachment can hold in memory.
  const single = await uploadFiles(dir.path, limit, 1, 'whole');
  for (const [round, set] of [[1, files], [2, files], [3, single]] as const) {
    const received: ReceivedFile[] = set.map((file, index) => ({ displayName: `scan ${index + 1}.pdf`, contentType: 'application/pdf', size: file.size, path: file.path }));
    const stored = await peakMemory(() =>
      startThread(deps, { accountId: world.parent.id, patientId: world.patientId, recipient: { kind: 'clinic', departmentCode: 'CARD' }, subject: 'photo-upload', body: 'Scans.', attachments: received }, ORIGIN),
    );
    console.log(`  startThread alone, ${set.length} file(s) (round ${round}): ${stored.result.outcome} in ${stored.seconds.toFixed(2)} s; RSS ${mb(stored.rssBefore)} → peak ${mb(stored.rssPeak)}, heap used ${mb(stored.heapBefore)} → peak ${mb(stored.heapPeak)}, buffers ${mb(stored.buffersBefore)} → peak ${mb(stored.buffersPeak)}`);
  }
  await dir.remove();

  await portal.close();
  await database.close();
}
