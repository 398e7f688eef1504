// What a provider's access request needs beyond the access core (issue 8 items 3 and 6): what the
// provider typed to find the patient (so their list of requests can name it without showing them
// anything of the record they may not see), and why the MyPatients team declined a PCP request
// (a reason from a fixed list, so the email to the provider can never carry free text).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('provider_access_requests', (table) => {
    // { by: 'name', familyName, givenName, birthDate } or { by: 'mrn', mrn }, as the provider typed it.
    table.jsonb('searched_as');
    table.text('decline_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('provider_access_requests', (table) => {
    table.dropColumn('searched_as');
    table.dropColumn('decline_reason');
  });
}
