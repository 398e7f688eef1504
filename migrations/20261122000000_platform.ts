// Platform tables: web sessions, the email outbox, support requests and the audit log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The shape connect-pg-simple expects (its table.sql).
  await knex.raw(`
    CREATE TABLE session (
      sid varchar NOT NULL COLLATE "default" PRIMARY KEY,
      sess json NOT NULL,
      expire timestamp(6) NOT NULL
    );
    CREATE INDEX session_expire_idx ON session (expire);
  `);

  await knex.schema.createTable('email_outbox', (table) => {
    table.bigIncrements('id');
    table.text('recipient').notNullable();
    table.string('template', 80).notNullable();
    table.string('language', 5).notNullable();
    table.text('subject').notNullable();
    table.text('text_body').notNullable();
    table.text('html_body').notNullable();
    table.string('status', 20).notNullable().defaultTo('pending'); // pending | sent | held
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('sent_at', { useTz: true });
    table.index(['created_at']);
  });

  await knex.schema.createTable('support_requests', (table) => {
    table.bigIncrements('id');
    table.string('reference', 12).notNullable().unique();
    table.text('name').notNullable();
    table.text('email').notNullable();
    table.text('phone');
    table.string('portal', 20).notNullable();
    table.string('topic', 30).notNullable();
    table.text('message').notNullable();
    table.string('language', 5).notNullable();
    table.string('status', 20).notNullable().defaultTo('open');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['status', 'created_at']);
  });

  // Append-only: every view and change of patient data and every access decision.
  await knex.schema.createTable('audit_events', (table) => {
    table.bigIncrements('id');
    table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.string('actor_type', 20).notNullable(); // family | provider | staff | system | anonymous
    table.bigInteger('actor_id');
    table.string('action', 60).notNullable();
    table.string('subject_type', 40);
    table.bigInteger('subject_id');
    table.string('outcome', 20).notNullable(); // allowed | refused | success | failure
    table.string('reason', 60);
    table.specificType('ip', 'inet');
    table.string('request_id', 64);
    table.index(['subject_type', 'subject_id', 'occurred_at']);
    table.index(['actor_type', 'actor_id', 'occurred_at']);
  });
  await knex.raw(`
    CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only';
    END $$;
    CREATE TRIGGER audit_events_no_update_or_delete
      BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
    CREATE TRIGGER audit_events_no_truncate
      BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS audit_events; DROP FUNCTION IF EXISTS audit_events_are_append_only();');
  await knex.schema.dropTableIfExists('support_requests');
  await knex.schema.dropTableIfExists('email_outbox');
  await knex.schema.dropTableIfExists('session');
}
