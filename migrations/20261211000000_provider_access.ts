// MyPatients access beyond PCP and care team (issue 8): a family's grant to a provider (their
// approval of a request, or their invitation), requests for access, invitation tokens, and each
// provider's saved patients.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('provider_access_grants', (table) => {
    table.bigIncrements('id');
    table.bigInteger('patient_id').notNullable().references('patients.id').onDelete('CASCADE');
    table.bigInteger('provider_account_id').notNullable().references('accounts.id');
    table.text('via').notNullable(); // approved-request | invitation
    table.bigInteger('granted_by_account_id').references('accounts.id');
    table.timestamp('granted_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true });
    table.bigInteger('revoked_by_account_id').references('accounts.id');
    table.index(['patient_id']);
    table.index(['provider_account_id']);
  });
  await knex.raw(`ALTER TABLE provider_access_grants ADD CONSTRAINT provider_access_grants_via CHECK (via IN ('approved-request', 'invitation'))`);
  // At most one standing grant per provider and patient; revoked ones stay for the record.
  await knex.raw('CREATE UNIQUE INDEX provider_access_grants_standing ON provider_access_grants (patient_id, provider_account_id) WHERE revoked_at IS NULL');

  await knex.schema.createTable('provider_access_requests', (table) => {
    table.bigIncrements('id');
    table.bigInteger('patient_id').notNullable().references('patients.id').onDelete('CASCADE');
    table.bigInteger('provider_account_id').notNullable().references('accounts.id');
    table.text('kind').notNullable(); // pcp | non-pcp
    table.text('status').notNullable().defaultTo('pending'); // pending | approved | declined
    table.text('note'); // the provider's reason, shown to whoever decides
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('due_at', { useTz: true });
    table.timestamp('decided_at', { useTz: true });
    table.bigInteger('decided_by_account_id').references('accounts.id');
    table.text('decision_note'); // PCP requests: how the family confirmed the PCP
    table.index(['patient_id', 'status']);
    table.index(['provider_account_id']);
    table.index(['kind', 'status', 'requested_at']);
  });
  await knex.raw(`ALTER TABLE provider_access_requests ADD CONSTRAINT provider_access_requests_kind CHECK (kind IN ('pcp', 'non-pcp'))`);
  await knex.raw(`ALTER TABLE provider_access_requests ADD CONSTRAINT provider_access_requests_status CHECK (status IN ('pending', 'approved', 'declined'))`);
  // One pending request of each kind per provider and patient: asking twice adds nothing.
  await knex.raw(`CREATE UNIQUE INDEX provider_access_requests_pending ON provider_access_requests (patient_id, provider_account_id, kind) WHERE status = 'pending'`);

  await knex.schema.createTable('invitation_tokens', (table) => {
    table.bigIncrements('id');
    // Only a hash is kept here; the code itself goes out in the invitation email (whose rendered
    // text the email outbox keeps, like every email).
    table.string('token_hash', 64).notNullable().unique();
    table.bigInteger('patient_id').notNullable().references('patients.id').onDelete('CASCADE');
    table.bigInteger('issued_by_account_id').notNullable().references('accounts.id');
    table.text('invited_name').notNullable();
    table.text('invited_email').notNullable();
    table.timestamp('issued_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.bigInteger('validated_by_account_id').references('accounts.id');
    table.timestamp('revoked_at', { useTz: true });
    table.bigInteger('revoked_by_account_id').references('accounts.id');
    table.index(['patient_id']);
    table.index(['validated_by_account_id']);
  });

  await knex.schema.createTable('saved_patients', (table) => {
    table.bigInteger('provider_account_id').notNullable().references('accounts.id');
    table.bigInteger('patient_id').notNullable().references('patients.id').onDelete('CASCADE');
    table.timestamp('saved_at', { useTz: true }).notNullable();
    table.primary(['provider_account_id', 'patient_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['saved_patients', 'invitation_tokens', 'provider_access_requests', 'provider_access_grants']) await knex.schema.dropTableIfExists(table);
}
