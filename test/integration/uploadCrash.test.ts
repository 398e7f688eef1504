// Issue 7 "Done when": a server killed during an upload leaves neither a message without its files
// nor files without a message. The real server runs as a child process (node --import tsx
// server.ts) on a fresh test database; a parent sends a message with several MB of attachments
// through the compose form, written by hand onto the socket so the test knows how far the upload
// has gone, and the server is SIGKILLed mid-upload and at several moments after the last byte was
// sent (while the files are checked and stored). After each kill the database must hold either
// the whole message (thread, first message, every file byte for byte) or nothing at all. The
// temporary files a killed server leaves are reported, and swept when the server starts again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, stat, utimes } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { eventually } from '../support/eventually.ts';
import { freePort, freshDatabase, temporaryDirectory, type TestDatabase } from '../support/database.ts';
import { bornYearsAgo, createPatient, linkHolder } from '../support/family.ts';
import { createAccount, PASSWORD } from '../support/identity.ts';
import { addEncounter, ensureClinic } from '../support/record.ts';
import { TINY_PDF } from '../support/attachmentSamples.ts';
import { UPLOAD_DIR_PREFIX } from '../../services/messaging/uploadSweep.ts';

const FILES = 6;
const FILE_BYTES = 1024 * 1024;
const CHUNK = 64 * 1024;
const SESSION_SECRET = 'upload-crash-test-secret-upload-crash-test';
/** The advisory lock the n-th file's insert waits on (holdInsert). */
const HOLD_LOCK = 7_070_707;

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<unknown>;
}

describe('a server killed during an upload (issue 7)', function () {
  this.timeout(300_000);
  let database: TestDatabase;
  let tmp: { path: string; remove(): Promise<void> };
  let server: Server | undefined;
  let patientId: number;
  let cookie: string;
  const db = () => database.db;
  const files = Array.from({ length: FILES }, (_, index) => Buffer.concat([TINY_PDF, randomBytes(FILE_BYTES - TINY_PDF.length - index)]));
  const report: string[] = [];

  async function startServer(): Promise<Server> {
    const port = await freePort();
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, NODE_ENV: 'development', DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', SESSION_SECRET, TMPDIR: tmp.path };
    const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await eventually('the server to start', () => {
      if (child.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      return output.includes('Portal running at') ? true : undefined;
    }, 60_000);
    return { child, port, output: () => output, exited };
  }

  /** SIGKILLs this server (the current one by default), once. */
  async function kill(target = server): Promise<void> {
    if (!target) return;
    target.child.kill('SIGKILL');
    await target.exited;
    if (server === target) server = undefined;
  }

  const origin = () => `http://127.0.0.1:${server!.port}`;

  async function formToken(pathname: string, sessionCookie?: string): Promise<{ token: string; cookie: string }> {
    const page = await fetch(origin() + pathname, sessionCookie ? { headers: { cookie: sessionCookie } } : {});
    const html = await page.text();
    if (page.status !== 200) throw new Error(`${pathname} answered ${page.status}`);
    return { token: /name="_csrf" value="([^"]+)"/.exec(html)![1]!, cookie: page.headers.get('set-cookie')?.split(';')[0] ?? sessionCookie! };
  }

  /** The multipart body, in the order a browser sends the compose form: the fields, then the files. */
  function composeBody(token: string, boundary: string): Buffer[] {
    const field = (name: string, value: string) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    const parts = [field('_csrf', token), field('recipient', 'clinic:CARD'), field('subject', 'photo-upload'), field('body', 'The scans from the other hospital.')];
    files.forEach((content, index) => {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="scan-${index + 1}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`));
      for (let offset = 0; offset < content.length; offset += CHUNK) parts.push(content.subarray(offset, offset + CHUNK));
      parts.push(Buffer.from('\r\n'));
    });
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return parts;
  }

  type Kill = { after: 'bytes'; bytes: number } | { after: 'sent'; delayMs: number } | { after: 'storing'; inserts: number } | { after: 'never' };

  /**
   * Sends the compose form and kills the server as `when` says. Resolves with the answer's status
   * (when it came) and how long after the last byte the answer came or the kill was.
   */
  async function sendAndKill(when: Kill): Promise<{ status?: number; afterSentMs?: number; atKill?: string }> {
    const { token } = await formToken(`/patients/${patientId}/messages/new`, cookie);
    const boundary = `----crash${randomBytes(8).toString('hex')}`;
    const parts = composeBody(token, boundary);
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    let atKill: string | undefined;
    let killing: Promise<void> | undefined;
    const tempBytesBefore = when.after === 'bytes' ? (await leftovers()).bytes : 0;
    return new Promise((resolve) => {
      let sentAt: number | undefined;
      let settled = false;
      const settle = (result: { status?: number; afterSentMs?: number }) => {
        // The answer (or the broken connection) may come before the snapshot: wait for it.
        // A kill under way finishes first, so the next test never sees a dying server.
        if (!settled) void Promise.resolve(killing).then(() => resolve({ ...result, atKill }));
        settled = true;
      };
      const req = request(`${origin()}/patients/${patientId}/messages/new`, {
        method: 'POST',
        headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
      });
      req.on('response', (res) => {
        res.resume();
        settle({ status: res.statusCode, afterSentMs: sentAt === undefined ? undefined : performance.now() - sentAt });
      });
      req.on('error', () => settle({ afterSentMs: sentAt === undefined ? undefined : performance.now() - sentAt }));
      // What the server's database connections were doing at the kill: evidence of where it landed.
      const target = server;
      const snapshotAndKill = async () => {
        const { rows } = await db().raw(
          `SELECT state, left(lower(query), 40) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND state <> 'idle'`,
        );
        atKill = rows.map((row: { state: string; query: string }) => `${row.state}: ${row.query.replace(/\s+/g, ' ')}`).join('; ') || 'none';
        await (killing = kill(target));
      };
      // Holds the server's insert of the n-th file (see holdInsert) and kills it while it waits.
      const killWhileStoring = async (inserts: number) => {
        await eventually(`the server to be storing file ${inserts}`, async () => {
          if (settled) return false;
          const { rows } = await db().raw(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND lower(query) LIKE 'insert into "message_attachments"%'`);
          return rows.length ? true : undefined;
        });
        if (!settled) await snapshotAndKill();
      };
      let written = 0;
      const writeNext = async (index: number): Promise<void> => {
        for (let i = index; i < parts.length; i++) {
          if (when.after === 'bytes' && written >= when.bytes) {
            // Once the server has written what was sent to its temporary files (all but what its
            // parser may still hold back), kill it mid-upload.
            await eventually('the bytes sent to reach the temporary files', async () => ((await leftovers()).bytes >= tempBytesBefore + written - FILE_BYTES / 4 - CHUNK ? true : undefined));
            await (killing = kill());
            return;
          }
          written += parts[i]!.length;
          if (!req.write(parts[i])) await new Promise((r) => req.once('drain', r));
        }
        req.end(() => {
          sentAt = performance.now();
          if (when.after === 'sent') setTimeout(() => void snapshotAndKill(), when.delayMs);
          if (when.after === 'storing') void killWhileStoring(when.inserts);
        });
      };
      void writeNext(0);
    });
  }

  /**
   * Makes the server's insert of file `fileNumber` of a message wait on an advisory lock that the
   * test holds, so the kill lands while that file is being stored, however fast the machine is.
   * Returns the release, for after the kill: the waiting insert then finds its client gone.
   */
  async function holdInsert(fileNumber: number): Promise<() => Promise<void>> {
    await db()('crash_test_hold').delete();
    await db()('crash_test_hold').insert({ file_number: fileNumber });
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [HOLD_LOCK]);
    return async () => {
      await holder.query('SELECT pg_advisory_unlock($1)', [HOLD_LOCK]);
      await holder.end();
      await db()('crash_test_hold').delete();
    };
  }

  /** Every thread has its first message; every message has all the files, byte for byte. Returns the threads stored. */
  async function checkDatabase(): Promise<number> {
    // A transaction cut off by the kill is rolled back once PostgreSQL notices the client is gone.
    await eventually('the killed server’s transactions to end', async () => {
      const { rows } = await db().raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`);
      return rows[0].n === 0 ? true : undefined;
    });
    const bare = await db()('message_threads as t').whereNotExists(db()('messages as m').whereRaw('m.thread_id = t.id')).select('t.id');
    expect(bare, 'threads without a message').to.deep.equal([]);
    const messages = await db()('messages').orderBy('id').select('id', 'thread_id');
    const threads = Number((await db()('message_threads').count({ n: '*' }))[0]!.n);
    expect(messages.length, 'one message per thread').to.equal(threads);
    for (const message of messages) {
      const stored = await db()('message_attachments').where('message_id', message.id).orderBy('id').select('size_bytes', db().raw('md5(content) AS md5'), 'display_name');
      expect(
        stored.map((file) => [file.display_name, Number(file.size_bytes), file.md5]),
        `message ${message.id}: every file, byte for byte`,
      ).to.deep.equal(files.map((content, index) => [`scan-${index + 1}.pdf`, content.length, createHash('md5').update(content).digest('hex')]));
    }
    return threads;
  }

  /** The temporary upload files left behind, as "N dirs, N files, N MB". */
  async function leftovers(): Promise<{ dirs: string[]; files: number; bytes: number }> {
    const dirs = (await readdir(tmp.path)).filter((name) => name.startsWith(UPLOAD_DIR_PREFIX)).map((name) => path.join(tmp.path, name));
    let count = 0;
    let bytes = 0;
    for (const dir of dirs) {
      for (const name of await readdir(dir)) {
        count += 1;
        bytes += (await stat(path.join(dir, name))).size;
      }
    }
    return { dirs, files: count, bytes };
  }

  before(async () => {
    database = await freshDatabase();
    tmp = await temporaryDirectory('upload-crash-');
    const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
    patientId = patient.id;
    const email = `crash-parent-${randomBytes(3).toString('hex')}@example.com`;
    const parent = await createAccount(db(), { kind: 'family', email });
    await linkHolder(db(), parent, patientId, 'parent', new Date(Date.now() - 86_400_000));
    await ensureClinic(db(), 'CARD', 'Cardiology');
    await addEncounter(db(), patientId, { start: new Date(Date.now() - 30 * 86_400_000), reason: 'Check-up', department: 'CARD' });

    await db().raw(`
      CREATE TABLE crash_test_hold (file_number int NOT NULL);
      CREATE FUNCTION crash_test_hold_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM message_attachments WHERE message_id = NEW.message_id) + 1 IN (SELECT file_number FROM crash_test_hold) THEN
          PERFORM pg_advisory_xact_lock(${HOLD_LOCK});
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER crash_test_hold BEFORE INSERT ON message_attachments FOR EACH ROW EXECUTE FUNCTION crash_test_hold_insert();
    `);
    server = await startServer();
    // Signed in once: the session lives in PostgreSQL, so it outlives each killed server.
    const signIn = await formToken('/signin');
    const response = await fetch(`${origin()}/signin`, { method: 'POST', body: new URLSearchParams({ _csrf: signIn.token, email, password: PASSWORD }), headers: { cookie: signIn.cookie }, redirect: 'manual' });
    expect(response.status).to.equal(303);
    // Sign-in also sets the language cookie: keep the session's.
    cookie = response.headers.getSetCookie().find((value) => value.startsWith('portal.sid='))?.split(';')[0] ?? signIn.cookie;
  });

  after(async () => {
    await kill();
    if (report.length) console.log(`\n    Upload crash test (${FILES} files, ${((FILES * FILE_BYTES) / 1024 / 1024).toFixed(0)} MB):\n      ${report.join('\n      ')}`);
    await database?.drop();
    await tmp?.remove();
  });

  let storeMs = 0;

  it('stores the whole message when nothing is killed (the harness sends what the form sends)', async () => {
    server ??= await startServer();
    const answer = await sendAndKill({ after: 'never' });
    expect(answer.status, server.output()).to.equal(303);
    expect(await checkDatabase()).to.equal(1);
    storeMs = answer.afterSentMs!;
    const left = await leftovers();
    report.push(`no kill: 303 ${storeMs.toFixed(0)} ms after the last byte; temp files left: ${left.files}`);
    expect(left.files, 'the temporary files are removed once the answer is sent').to.equal(0);
    await db()('message_attachments').delete();
    await db()('message_reads').delete();
    await db()('messages').delete();
    await db()('message_threads').delete();
  });

  for (const megabytes of [0.5, 3, 5.5]) {
    it(`stores nothing when the server is killed ${megabytes} MB into the upload`, async () => {
      server ??= await startServer();
      await sendAndKill({ after: 'bytes', bytes: megabytes * 1024 * 1024 });
      expect(await checkDatabase()).to.equal(0);
      const left = await leftovers();
      report.push(`killed ${megabytes} MB in: nothing stored; temp files left: ${left.files} (${(left.bytes / 1024 / 1024).toFixed(1)} MB) in ${left.dirs.length} dir(s)`);
    });
  }

  for (const fraction of [0, 0.25, 0.5, 0.75, 0.95, 1.5]) {
    it(`stores all or nothing when the server is killed ${fraction * 100} % of the storing time after the last byte`, async () => {
      server ??= await startServer();
      const threadsBefore = await checkDatabase();
      const delayMs = Math.round(fraction * storeMs);
      const answer = await sendAndKill({ after: 'sent', delayMs });
      const stored = (await checkDatabase()) - threadsBefore;
      expect(stored).to.be.oneOf([0, 1]);
      const left = await leftovers();
      report.push(
        `killed ${delayMs} ms after the last byte (server's open transactions then: ${answer.atKill ?? 'not looked'}): ${answer.status ? `answered ${answer.status} first, ` : ''}${stored ? 'the whole message stored' : 'nothing stored'}; temp files left: ${left.files} (${(left.bytes / 1024 / 1024).toFixed(1)} MB)`,
      );
      await kill();
    });
  }

  for (const inserts of [1, 3, FILES]) {
    it(`stores all or nothing when the server is killed while it stores file ${inserts} of ${FILES}`, async () => {
      server ??= await startServer();
      const threadsBefore = await checkDatabase();
      const release = await holdInsert(inserts);
      const answer = await sendAndKill({ after: 'storing', inserts }).finally(release);
      const stored = (await checkDatabase()) - threadsBefore;
      expect(answer.atKill, 'the kill came while the files were being stored').to.match(/insert into "message_attachments"|idle in transaction/);
      expect(stored, 'the transaction was never committed').to.equal(0);
      const left = await leftovers();
      report.push(`killed while storing file ${inserts} (${answer.atKill}): nothing stored; temp files left: ${left.files}`);
      await kill();
    });
  }

  it('sweeps temporary upload files left by a killed server when it starts again, and keeps recent ones', async () => {
    await kill();
    const before = await leftovers();
    expect(before.files, 'the kills left temporary files behind').to.be.above(0);
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const dir of before.dirs) {
      for (const name of await readdir(dir)) await utimes(path.join(dir, name), hoursAgo, hoursAgo);
      await utimes(dir, hoursAgo, hoursAgo);
    }
    // A directory in use by another server right now (recent) is left alone.
    const recent = await mkdtemp(path.join(tmp.path, UPLOAD_DIR_PREFIX));
    server = await startServer();
    const after = await leftovers();
    report.push(`restart: swept ${before.dirs.length} stale dir(s) with ${before.files} file(s); kept ${after.dirs.length} recent one(s)`);
    expect(after.dirs).to.deep.equal([recent]);
  });
});
