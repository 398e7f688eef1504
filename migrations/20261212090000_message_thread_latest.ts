// When each side last wrote in a thread, kept on the thread itself (set with every message by
// data/messages.ts insertMessage), so the family's inbox and sent lists order and
// filter threads without reading every message of every thread: a thread of 10,000 messages
// costs the lists what a thread of one does. Existing threads are filled in from their messages.
// The unread count reads the messages after the reader's mark by (thread_id, id); the index
// includes the author so the count is an index-only scan, however many messages are unread.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('message_threads', (table) => {
    table.timestamp('last_staff_message_at', { useTz: true });
    table.timestamp('last_family_message_at', { useTz: true });
  });
  await knex.raw(`
    UPDATE message_threads t
       SET last_staff_message_at = latest.staff, last_family_message_at = latest.family
      FROM (SELECT thread_id,
                   max(sent_at) FILTER (WHERE author_kind = 'staff') AS staff,
                   max(sent_at) FILTER (WHERE author_kind = 'family') AS family
              FROM messages GROUP BY thread_id) latest
     WHERE latest.thread_id = t.id`);
  await knex.raw('CREATE INDEX messages_thread_unread ON messages (thread_id, id) INCLUDE (author_account_id)');
  await knex.raw('DROP INDEX IF EXISTS messages_thread_id_id_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS messages_thread_id_id_index ON messages (thread_id, id)');
  await knex.raw('DROP INDEX IF EXISTS messages_thread_unread');
  await knex.schema.alterTable('message_threads', (table) => {
    table.dropColumn('last_staff_message_at');
    table.dropColumn('last_family_message_at');
  });
}
