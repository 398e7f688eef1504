// How families come to see a patient: sign-up tokens issued by support, requests by MRN that
// support checks, guardianship papers that support reviews, and the notices sent as a patient
// turns 18. Nothing is deleted: tokens are used, requests decided, papers reviewed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signup_tokens', (table) => {
    table.bigIncrements('id');
    table.bigInteger('patient_id').notNullable().references('patients.id');
    // SHA-256 of the normalised code: the code itself is printed once, on the letter.
    table.string('code_hash', 64).notNullable().unique();
    table.bigInteger('issued_by_account_id').references('accounts.id');
    table.timestamp('issued_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.bigInteger('used_by_account_id').references('accounts.id');
    table.index(['patient_id']);
  });

  await knex.schema.createTable('link_requests', (table) => {
    table.bigIncrements('id');
    table.bigInteger('account_id').notNullable().references('accounts.id');
    table.string('relationship', 30).notNullable();
    // What the family typed, kept as typed so support can compare it with the record.
    table.text('typed_patient_name').notNullable();
    table.date('typed_birth_date').notNullable();
    table.text('typed_mrn').notNullable();
    table.date('typed_visit_date').notNullable();
    // The patient with that MRN, if there is one; support decides whether the rest matches.
    table.bigInteger('patient_id').references('patients.id');
    table.string('status', 20).notNullable().defaultTo('pending'); // pending | approved | declined
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.bigInteger('decided_by_account_id').references('accounts.id');
    table.timestamp('decided_at', { useTz: true });
    table.string('decline_reason', 40);
    table.index(['account_id']);
  });
  await knex.raw("CREATE INDEX link_requests_pending ON link_requests (due_at) WHERE status = 'pending'");

  await knex.schema.createTable('guardianship_papers', (table) => {
    table.bigIncrements('id');
    table.bigInteger('patient_id').notNullable().references('patients.id');
    // The court-appointed guardian the papers name.
    table.bigInteger('account_id').notNullable().references('accounts.id');
    table.text('file_name').notNullable();
    table.binary('content').notNullable();
    table.integer('size_bytes').notNullable();
    table.bigInteger('uploaded_by_account_id').notNullable().references('accounts.id');
    table.timestamp('uploaded_at', { useTz: true }).notNullable();
    table.string('status', 20).notNullable().defaultTo('pending'); // pending | accepted | rejected
    table.bigInteger('reviewed_by_account_id').references('accounts.id');
    table.timestamp('reviewed_at', { useTz: true });
    table.index(['patient_id', 'account_id']);
  });

  // One row per notice sent, so the scheduled job never sends the same one twice.
  await knex.schema.createTable('family_notices', (table) => {
    table.bigIncrements('id');
    table.bigInteger('patient_id').notNullable().references('patients.id');
    table.bigInteger('account_id').references('accounts.id'); // empty for a notice to the patient's own address
    table.string('notice', 40).notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE UNIQUE INDEX family_notices_once ON family_notices (patient_id, COALESCE(account_id, 0), notice)');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['family_notices', 'guardianship_papers', 'link_requests', 'signup_tokens']) await knex.schema.dropTableIfExists(table);
}
