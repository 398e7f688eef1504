// Sign-in failures are now counted per portal and address (services/identity/signIn.ts emailKey),
// so that guesses on the family sign-in cannot lock a staff member out. Each count kept under the
// old key moves to the key of every account with that address, so a lock in force stays in force.
// Counts for addresses with no account are dropped: they only ever paused guessing.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    INSERT INTO sign_in_failures (email_key, consecutive, locked_until, updated_at)
    SELECT encode(sha256(convert_to(a.kind || ':' || lower(btrim(a.email)), 'UTF8')), 'hex'), f.consecutive, f.locked_until, f.updated_at
    FROM sign_in_failures f
    JOIN accounts a ON f.email_key = encode(sha256(convert_to(lower(btrim(a.email)), 'UTF8')), 'hex')
    ON CONFLICT (email_key) DO NOTHING`);
  await knex.raw(`DELETE FROM sign_in_failures WHERE email_key NOT IN (SELECT encode(sha256(convert_to(kind || ':' || lower(btrim(email)), 'UTF8')), 'hex') FROM accounts)`);
}

export async function down(knex: Knex): Promise<void> {
  // Going back, the counts start again from nothing: the old keys cannot be told apart per portal.
  await knex('sign_in_failures').delete();
}
