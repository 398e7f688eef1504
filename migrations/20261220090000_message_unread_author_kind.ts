// A family member's unread count is the care team's messages after their mark (another account
// holder of the same patient writing is not news to them), so the unread index carries the
// author's side too and the count stays an index-only scan.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX messages_thread_unread_by_side ON messages (thread_id, id) INCLUDE (author_account_id, author_kind)');
  await knex.raw('DROP INDEX IF EXISTS messages_thread_unread');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS messages_thread_unread ON messages (thread_id, id) INCLUDE (author_account_id)');
  await knex.raw('DROP INDEX IF EXISTS messages_thread_unread_by_side');
}
