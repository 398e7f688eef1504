import { createHash } from 'node:crypto';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { testClock, type TestClock } from '../support/clock.ts';
import { createAccount, PASSWORD, signIn, submitForm } from '../support/identity.ts';
import { hashPassword } from '../../services/identity/passwordHashing.ts';
import { emailKey } from '../../services/identity/signIn.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../data/migrate.ts';

describe('sign-in throttling and lock-out', () => {
  let first: TestApp;
  let second: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = testClock();
    first = await buildTestApp({ now: clock.now });
    // A second instance on the same database, as behind a load balancer.
    second = await buildTestApp({ now: clock.now, database: first.database });
  });
  afterEach(async () => {
    await second.close();
    await first.close();
  });

  async function attempt(app: TestApp, email: string, password: string) {
    return submitForm(agentIn(app.app, 'en'), '/signin', { email, password });
  }

  it('pauses guessing after five failures in a row, counted across both instances', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    for (let i = 0; i < 4; i++) {
      expect((await attempt(i % 2 ? second : first, 'parent@example.com', `Wrong-Guess-${i}`)).status).to.equal(422);
    }
    const fifth = await attempt(second, 'parent@example.com', 'Wrong-Guess-5');
    expect(fifth.status).to.equal(429);
    expect(cheerio.load(fifth.text)('h1').text()).to.equal('Too many attempts');
    // Even the right password waits until the pause is over (one minute after the fifth failure).
    expect((await attempt(first, 'parent@example.com', PASSWORD)).status).to.equal(429);
    clock.advance(1);
    expect((await attempt(first, 'parent@example.com', PASSWORD)).headers.location).to.equal('/home');
    const lockOuts = await first.database.db('audit_events').where({ action: 'lock-out' }).count({ n: '*' }).first();
    expect(lockOuts).to.deep.equal({ n: 1 });
  });

  it('counts failures per portal: guesses on the family sign-in do not pause the same address on the staff or MyPatients sign-in', async () => {
    await createAccount(first.database.db, { kind: 'staff', email: 'support@example.com', roles: ['support'], totp: true });
    await createAccount(first.database.db, { kind: 'provider', email: 'support@example.com', totp: true });
    for (let i = 0; i < 5; i++) await attempt(first, 'support@example.com', `Wrong-Guess-${i}`);
    expect((await attempt(first, 'support@example.com', PASSWORD)).status).to.equal(429);
    expect(await signIn(agentIn(second.app, 'en'), '/staff', 'support@example.com')).to.equal('/staff/signin/code');
    expect(await signIn(agentIn(second.app, 'en'), '/provider', 'support@example.com')).to.equal('/provider/signin/code');
  });

  it('keeps a lock in force across the move to counts per portal (the migration)', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    const db = first.database.db;
    await db.migrate.down({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name: '20261221000000_sign_in_failures_per_portal.ts' });
    const oldKey = (email: string) => createHash('sha256').update(email).digest('hex');
    await db('sign_in_failures').insert([
      { email_key: oldKey('parent@example.com'), consecutive: 100, locked_until: null },
      { email_key: oldKey('nobody@example.com'), consecutive: 3, locked_until: null },
    ]);
    await migrateToLatest(db);
    expect(await db('sign_in_failures').pluck('email_key')).to.deep.equal([emailKey('family', 'parent@example.com')]);
    expect((await attempt(first, 'parent@example.com', PASSWORD)).text).to.include('only be used again after a password reset');
  });

  it('doubles the pause up to 15 minutes and no further', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    const pauses: number[] = [];
    for (let failure = 1; failure <= 12; failure++) {
      await attempt(failure % 2 ? first : second, 'parent@example.com', 'Wrong-Guess-1');
      const row = await first.database.db('sign_in_failures').first();
      pauses.push(row.locked_until ? (row.locked_until.getTime() - clock.now().getTime()) / 60_000 : 0);
      clock.advance(pauses.at(-1)!);
    }
    expect(pauses).to.deep.equal([0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15, 15]);
  });

  it('needs a password reset after 100 failures in a row', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    await first.database.db('sign_in_failures').insert({ email_key: emailKey('family', 'parent@example.com'), consecutive: 99 });
    expect((await attempt(first, 'parent@example.com', 'Wrong-Guess-1')).status).to.equal(429);
    clock.advance(60 * 24);
    const after = await attempt(second, 'parent@example.com', PASSWORD);
    expect(after.status).to.equal(429);
    expect(after.text).to.include('only be used again after a password reset');
  });

  it('treats an unknown address exactly like a known one, pause included', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await attempt(first, 'parent@example.com', 'Wrong-Guess-1')).status);
      unknown.push((await attempt(second, 'nobody@example.com', 'Wrong-Guess-1')).status);
    }
    expect(known).to.deep.equal([422, 422, 422, 422, 429, 429]);
    expect(unknown).to.deep.equal(known);
  });

  it('refuses a network address after 100 failures in 15 minutes, whatever the addresses tried', async () => {
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com' });
    for (let i = 0; i < 100; i++) {
      // A new address each time, so the per-address pauses never start.
      expect((await attempt(i % 2 ? first : second, `guess${i}@example.com`, 'Wrong-Guess-1')).status).to.equal(422);
    }
    const refused = await attempt(first, 'parent@example.com', PASSWORD);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 15 * 60);
    const audited = await first.database.db('audit_events').where({ reason: 'network-limited' }).count({ n: '*' }).first();
    expect(audited).to.deep.equal({ n: 1 });
  });

  it('upgrades a hash made with weaker parameters at the next sign-in', async () => {
    const weak = await hashPassword(PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await createAccount(first.database.db, { kind: 'family', email: 'parent@example.com', passwordHash: weak });
    expect(await signIn(agentIn(first.app, 'en'), '', 'parent@example.com')).to.equal('/home');
    const stored = await first.database.db('accounts').first().then((a) => a.password_hash);
    expect(stored).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await signIn(agentIn(second.app, 'en'), '', 'parent@example.com')).to.equal('/home');
  });
});
