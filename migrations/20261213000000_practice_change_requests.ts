// A MyPatients provider's request to change practice (issue 8 item 8): the practice they leave
// (as the record had it when they asked), the new one as they typed it, whether they sponsored
// staff at the old one, and the MyPatients team marking it done with a note.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('practice_change_requests', (table) => {
    table.bigIncrements('id');
    table.bigInteger('provider_account_id').notNullable().references('accounts.id');
    table.bigInteger('old_practice_id').references('practices.id').onDelete('SET NULL');
    table.text('old_practice_name').notNullable();
    table.text('old_address').notNullable();
    table.text('old_phone').notNullable();
    table.text('old_fax').notNullable();
    table.text('new_practice_name').notNullable();
    table.text('new_address_line').notNullable();
    table.text('new_city').notNullable();
    table.text('new_state').notNullable();
    table.text('new_postal_code').notNullable();
    table.text('new_phone').notNullable();
    table.text('new_fax').notNullable();
    table.boolean('was_sponsor').notNullable();
    table.timestamp('submitted_at', { useTz: true }).notNullable();
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.string('status', 10).notNullable().defaultTo('pending'); // pending | done
    table.timestamp('done_at', { useTz: true });
    table.bigInteger('done_by_account_id').references('accounts.id');
    table.text('done_note');
    table.index(['provider_account_id']);
  });
  await knex.raw(`
    ALTER TABLE practice_change_requests ADD CONSTRAINT practice_change_requests_status CHECK (status IN ('pending', 'done'));
    ALTER TABLE practice_change_requests ADD CONSTRAINT practice_change_requests_done CHECK (
      (status = 'pending' AND done_at IS NULL AND done_by_account_id IS NULL AND done_note IS NULL)
      OR (status = 'done' AND done_at IS NOT NULL AND done_by_account_id IS NOT NULL AND done_note IS NOT NULL));
    CREATE INDEX practice_change_requests_pending ON practice_change_requests (submitted_at, id) WHERE status = 'pending';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('practice_change_requests');
}
