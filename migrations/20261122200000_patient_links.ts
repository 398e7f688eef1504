// Which account holders may see which patients, and why (their relationship to the patient).
// Links end rather than disappear, so who had access when stays on record.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('patient_links', (table) => {
    table.bigIncrements('id');
    table.bigInteger('account_id').notNullable().references('accounts.id');
    table.bigInteger('patient_id').notNullable().references('patients.id');
    table.string('relationship', 30).notNullable(); // domain/eligibility.ts RELATIONSHIPS
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('ended_at', { useTz: true });
    table.string('ended_reason', 40);
    table.index(['patient_id']);
  });
  await knex.raw('CREATE UNIQUE INDEX patient_links_current ON patient_links (account_id, patient_id) WHERE ended_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('patient_links');
}
