// Identity: accounts of all three kinds, single-use tokens, recovery codes and sign-in throttling.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (table) => {
    table.bigIncrements('id');
    table.string('kind', 10).notNullable(); // family | provider | staff
    table.text('email').notNullable();
    table.text('name').notNullable();
    table.string('preferred_language', 5).notNullable().defaultTo('en');
    table.text('password_hash'); // null until an invited provider or staff member sets one
    table.string('status', 12).notNullable().defaultTo('unconfirmed'); // unconfirmed | active | disabled
    table.specificType('roles', 'text[]').notNullable().defaultTo('{}'); // staff roles
    table.text('totp_secret');
    table.timestamp('totp_enabled_at', { useTz: true });
    table.bigInteger('totp_last_time_step'); // a code is accepted once: never this step or an earlier one again
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('family', 'provider', 'staff'));
    ALTER TABLE accounts ADD CONSTRAINT accounts_status_check CHECK (status IN ('unconfirmed', 'active', 'disabled'));
    -- One account per address in each portal; a parent who is also a clinician may have both.
    CREATE UNIQUE INDEX accounts_kind_email_unique ON accounts (kind, lower(email));
    -- Signing out every session of an account (after a reset or unlinking) finds them by account.
    CREATE INDEX session_account_idx ON session ((sess::jsonb ->> 'accountId'));
  `);

  await knex.schema.createTable('account_tokens', (table) => {
    table.bigIncrements('id');
    table.bigInteger('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    table.string('purpose', 20).notNullable(); // confirm-email | reset-password | set-password | change-email
    table.string('token_hash', 64).notNullable().unique(); // sha256 of the secret; the secret is only in the email
    table.text('new_email');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['account_id', 'purpose']);
  });

  await knex.schema.createTable('recovery_codes', (table) => {
    table.bigInteger('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    table.string('code_hash', 64).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.primary(['account_id', 'code_hash']);
  });

  // Consecutive failures per email address (hashed), known or not, so responses never differ.
  await knex.schema.createTable('sign_in_failures', (table) => {
    table.string('email_key', 64).primary();
    table.integer('consecutive').notNullable().defaultTo(0);
    table.timestamp('locked_until', { useTz: true });
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // rate-limiter-flexible's table (its own CREATE TABLE statement), for limits per network address.
  await knex.raw(`
    CREATE TABLE rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rate_limits');
  await knex.schema.dropTableIfExists('sign_in_failures');
  await knex.schema.dropTableIfExists('recovery_codes');
  await knex.schema.dropTableIfExists('account_tokens');
  await knex.raw('DROP INDEX IF EXISTS session_account_idx');
  await knex.schema.dropTableIfExists('accounts');
}
