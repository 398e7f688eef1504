// Medicines carry the release fields other record items have: a teen's confidential prescription
// (contraception, one written at a confidential visit, one labelled HIV or ETH …) must stay out of
// their parents' view in MyChildren's and out of MyPatients. The same columns as clinical_notes,
// diagnostic_reports and lab_observations (20261122100000_record.ts releaseColumns), and the visit
// the prescription was written at, whose confidentiality the item shares.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('medications', (table) => {
    table.bigInteger('encounter_id').references('encounters.id').onDelete('SET NULL');
    table.boolean('confidential').notNullable().defaultTo(false);
    table.specificType('sensitivity_labels', 'text[]').notNullable().defaultTo('{}');
    // meta.source of a prescription from an outside hospital or clinic; null for our own.
    table.text('source_system');
    table.boolean('is_external').notNullable().defaultTo(false);
    // "system|value" of the prescription's first identifier.
    table.text('business_identifier');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('medications', (table) => {
    table.dropColumn('business_identifier');
    table.dropColumn('is_external');
    table.dropColumn('source_system');
    table.dropColumn('sensitivity_labels');
    table.dropColumn('confidential');
    table.dropColumn('encounter_id');
  });
}
