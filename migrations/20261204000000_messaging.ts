// Secure messages between families and the care team, with their attachments (stored here, in
// the same transaction as the message), what each reader has read, and which staff accounts
// work which clinic's or practitioner's inbox. Nothing is deleted: threads are closed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_threads', (table) => {
    table.bigIncrements('id');
    table.bigInteger('patient_id').notNullable().references('patients.id');
    // The recipient: a clinic, or a practitioner on the patient's care team; exactly one.
    // A clinic's code may be corrected by a later import: its threads follow it.
    table.text('recipient_department_code').references('clinics.department_code').onUpdate('CASCADE');
    table.bigInteger('recipient_practitioner_id').references('practitioners.id');
    table.string('subject', 30).notNullable(); // domain/messaging.ts MESSAGE_SUBJECTS
    // Who on the family side writes (domain/adolescentPrivacy.ts familyMaySeeThread).
    table.string('family_party', 10).notNullable(); // patient | guardian
    table.bigInteger('started_by_account_id').notNullable().references('accounts.id');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.string('status', 10).notNullable().defaultTo('open'); // open | closed
    table.bigInteger('assigned_staff_id').references('accounts.id');
    // The oldest family message the care team has not answered yet, and when its answer is due;
    // both empty when nothing is waiting.
    table.timestamp('awaiting_since', { useTz: true });
    table.timestamp('due_at', { useTz: true });
    table.timestamp('last_message_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true });
    table.bigInteger('closed_by_account_id').references('accounts.id');
  });
  await knex.raw(`ALTER TABLE message_threads ADD CONSTRAINT message_threads_one_recipient
    CHECK ((recipient_department_code IS NULL) <> (recipient_practitioner_id IS NULL))`);
  await knex.raw("ALTER TABLE message_threads ADD CONSTRAINT message_threads_status CHECK (status IN ('open', 'closed'))");
  await knex.raw("ALTER TABLE message_threads ADD CONSTRAINT message_threads_family_party CHECK (family_party IN ('patient', 'guardian'))");
  // A family's threads for one patient, newest first.
  await knex.raw('CREATE INDEX message_threads_patient ON message_threads (patient_id, last_message_at DESC)');
  // The care team's inboxes: open threads per clinic, per practitioner and per assignee, by due time.
  await knex.raw("CREATE INDEX message_threads_clinic_inbox ON message_threads (recipient_department_code, due_at) WHERE status = 'open' AND recipient_department_code IS NOT NULL");
  await knex.raw("CREATE INDEX message_threads_practitioner_inbox ON message_threads (recipient_practitioner_id, due_at) WHERE status = 'open' AND recipient_practitioner_id IS NOT NULL");
  await knex.raw("CREATE INDEX message_threads_assignee_inbox ON message_threads (assigned_staff_id, due_at) WHERE status = 'open' AND assigned_staff_id IS NOT NULL");

  await knex.schema.createTable('messages', (table) => {
    table.bigIncrements('id');
    table.bigInteger('thread_id').notNullable().references('message_threads.id');
    table.string('author_kind', 10).notNullable(); // family | staff
    table.bigInteger('author_account_id').notNullable().references('accounts.id');
    table.text('body').notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.index(['thread_id', 'id']);
  });
  await knex.raw("ALTER TABLE messages ADD CONSTRAINT messages_author_kind CHECK (author_kind IN ('family', 'staff'))");

  await knex.schema.createTable('message_attachments', (table) => {
    table.bigIncrements('id');
    table.bigInteger('message_id').notNullable().references('messages.id');
    // The sender's file name, cleaned, for display and the download's name only; never a path.
    table.text('display_name').notNullable();
    table.text('content_type').notNullable(); // detected from the content
    table.bigInteger('size_bytes').notNullable();
    table.binary('content').notNullable();
    table.index(['message_id']);
  });

  // The last message each reader has read in a thread; later messages by others are unread.
  await knex.schema.createTable('message_reads', (table) => {
    table.bigInteger('account_id').notNullable().references('accounts.id');
    table.bigInteger('thread_id').notNullable().references('message_threads.id');
    table.bigInteger('last_read_message_id').notNullable().references('messages.id');
    table.primary(['account_id', 'thread_id']);
    table.index(['thread_id']);
  });

  // Which staff accounts work the inbox of a clinic or of a practitioner (one per row).
  await knex.schema.createTable('care_team_staff', (table) => {
    table.bigIncrements('id');
    table.bigInteger('account_id').notNullable().references('accounts.id');
    table.text('department_code').references('clinics.department_code').onUpdate('CASCADE');
    table.bigInteger('practitioner_id').references('practitioners.id');
    table.index(['account_id']);
  });
  await knex.raw('ALTER TABLE care_team_staff ADD CONSTRAINT care_team_staff_one_team CHECK ((department_code IS NULL) <> (practitioner_id IS NULL))');
  await knex.raw('CREATE UNIQUE INDEX care_team_staff_clinic ON care_team_staff (department_code, account_id) WHERE department_code IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX care_team_staff_practitioner ON care_team_staff (practitioner_id, account_id) WHERE practitioner_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['care_team_staff', 'message_reads', 'message_attachments', 'messages', 'message_threads']) await knex.schema.dropTableIfExists(table);
}
