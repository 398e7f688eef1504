// MyPatients registration (issue 8 item 1): an outside clinician's application with its
// documents (stored here, as bytea, in the same transaction as the application), the MyPatients
// team's decision, and — once approved — the link from the provider's account to a practitioner
// and a practice in the record. Nothing is deleted: applications are decided.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('provider_registrations', (table) => {
    table.bigIncrements('id');
    table.text('given_names').notNullable();
    table.text('family_name').notNullable();
    table.string('credential', 2).notNullable(); // domain/providerRegistration.ts PROVIDER_CREDENTIALS
    table.string('npi', 10).notNullable(); // check digit verified on the way in
    table.text('practice_name').notNullable();
    table.text('address_line').notNullable();
    table.text('city').notNullable();
    table.text('state').notNullable();
    table.text('postal_code').notNullable();
    table.text('phone').notNullable();
    table.text('fax').notNullable();
    table.text('email').notNullable();
    // The language of the form, for every email about the application.
    table.string('preferred_language', 5).notNullable();
    table.timestamp('submitted_at', { useTz: true }).notNullable();
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.string('status', 10).notNullable().defaultTo('pending'); // pending | approved | declined
    table.string('decline_reason', 40);
    table.bigInteger('decided_by_account_id').references('accounts.id');
    table.timestamp('decided_at', { useTz: true });
    // Set on approval: the account made, and where it was placed in the record.
    table.bigInteger('provider_account_id').references('accounts.id');
    table.bigInteger('practitioner_id').references('practitioners.id');
    table.bigInteger('practice_id').references('practices.id');
    table.index(['npi']);
  });
  await knex.raw(`
    ALTER TABLE provider_registrations ADD CONSTRAINT provider_registrations_credential CHECK (credential IN ('MD', 'DO', 'NP', 'PA'));
    ALTER TABLE provider_registrations ADD CONSTRAINT provider_registrations_npi CHECK (npi ~ '^[0-9]{10}$');
    ALTER TABLE provider_registrations ADD CONSTRAINT provider_registrations_status CHECK (status IN ('pending', 'approved', 'declined'));
    -- A decision names who made it and when; a decline names why; an approval names the account.
    ALTER TABLE provider_registrations ADD CONSTRAINT provider_registrations_decided CHECK (
      (status = 'pending' AND decided_at IS NULL AND decided_by_account_id IS NULL)
      OR (status = 'declined' AND decided_at IS NOT NULL AND decided_by_account_id IS NOT NULL AND decline_reason IS NOT NULL)
      OR (status = 'approved' AND decided_at IS NOT NULL AND decided_by_account_id IS NOT NULL AND provider_account_id IS NOT NULL
          AND practitioner_id IS NOT NULL AND practice_id IS NOT NULL));
    -- The team's queue: the pending ones, oldest first.
    CREATE INDEX provider_registrations_pending ON provider_registrations (submitted_at, id) WHERE status = 'pending';
    CREATE INDEX provider_registrations_decided ON provider_registrations (decided_at DESC, id DESC) WHERE status <> 'pending';
  `);

  await knex.schema.createTable('provider_registration_documents', (table) => {
    table.bigIncrements('id');
    table.bigInteger('registration_id').notNullable().references('provider_registrations.id');
    table.string('document', 20).notNullable(); // certification | identity | sponsorship
    // The applicant's file name, cleaned, for display and the download's name only; never a path.
    table.text('display_name').notNullable();
    table.text('content_type').notNullable(); // detected from the content: PDF, PNG or JPEG
    table.integer('size_bytes').notNullable();
    table.binary('content').notNullable();
    table.unique(['registration_id', 'document']);
  });
  await knex.raw(`
    ALTER TABLE provider_registration_documents ADD CONSTRAINT provider_registration_documents_document CHECK (document IN ('certification', 'identity', 'sponsorship'));
    ALTER TABLE provider_registration_documents ADD CONSTRAINT provider_registration_documents_type CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg'));
    ALTER TABLE provider_registration_documents ADD CONSTRAINT provider_registration_documents_size CHECK (size_bytes > 0 AND size_bytes = octet_length(content));
  `);

  // A provider account's place in the record: the practitioner it is (by NPI) and its practice
  // (the access policy's "same practice"). One account per practitioner.
  await knex.schema.createTable('provider_accounts', (table) => {
    table.bigInteger('account_id').primary().references('accounts.id');
    table.bigInteger('practitioner_id').notNullable().unique().references('practitioners.id');
    table.bigInteger('practice_id').notNullable().references('practices.id');
    table.bigInteger('registration_id').references('provider_registrations.id');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['practice_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['provider_accounts', 'provider_registration_documents', 'provider_registrations']) await knex.schema.dropTableIfExists(table);
}
