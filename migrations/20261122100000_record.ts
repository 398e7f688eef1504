// The clinical record, as imported from FHIR R4. Every table keeps the resource's FHIR id
// (`source_id`, unique per table) so a re-import updates rows in place; patients are also
// unique by MRN and practitioners by NPI. Items that the release policy judges keep the
// fields it needs: department code, note type, encounter class, confidential flag,
// sensitivity labels, outside source and the row they duplicate.
import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;

/** Columns every imported table has. */
function sourceColumns(knex: Knex, table: Table): void {
  table.bigIncrements('id');
  table.text('source_id').notNullable().unique();
  table.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
}

/** Columns of items the release policy judges (notes, lab results, reports). */
function releaseColumns(table: Table): void {
  table.boolean('confidential').notNullable().defaultTo(false);
  table.specificType('sensitivity_labels', 'text[]').notNullable().defaultTo('{}');
  // meta.source of an item from an outside hospital or clinic; null for our own.
  table.text('source_system');
  table.boolean('is_external').notNullable().defaultTo(false);
  // "system|value" of the item's first identifier: two items sharing one are copies.
  table.text('business_identifier');
}

function patientReference(table: Table): void {
  table.bigInteger('patient_id').notNullable().references('patients.id').onDelete('CASCADE');
}

function encounterReference(table: Table): void {
  table.bigInteger('encounter_id').references('encounters.id').onDelete('SET NULL');
}

function practitionerReference(table: Table, column: string): void {
  table.bigInteger(column).references('practitioners.id').onDelete('SET NULL');
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clinics', (table) => {
    sourceColumns(knex, table);
    table.text('department_code').notNullable().unique();
    table.text('name').notNullable();
    table.boolean('allows_self_scheduling').notNullable().defaultTo(false);
    table.text('phone');
  });

  await knex.schema.createTable('practices', (table) => {
    sourceColumns(knex, table);
    table.text('name').notNullable();
    table.text('phone');
    table.text('fax');
    table.text('address_line');
    table.text('city');
    table.text('state');
    table.text('postal_code');
  });

  await knex.schema.createTable('practitioners', (table) => {
    sourceColumns(knex, table);
    table.string('npi', 10).unique();
    table.text('family_name').notNullable();
    table.text('given_names').notNullable().defaultTo('');
    table.text('credential'); // MD, DO, NP, PA, RN …
    table.text('phone');
    table.text('email');
  });

  await knex.schema.createTable('practitioner_roles', (table) => {
    sourceColumns(knex, table);
    table.bigInteger('practitioner_id').notNullable().references('practitioners.id').onDelete('CASCADE');
    table.bigInteger('practice_id').references('practices.id').onDelete('CASCADE');
    table.text('role_code');
    table.text('specialty');
    table.boolean('active').notNullable().defaultTo(true);
    table.index(['practitioner_id']);
    table.index(['practice_id']);
  });

  await knex.schema.createTable('patients', (table) => {
    sourceColumns(knex, table);
    table.text('mrn').notNullable().unique();
    table.text('family_name').notNullable();
    table.text('given_names').notNullable().defaultTo('');
    table.date('birth_date').notNullable();
    table.string('sex', 10); // FHIR administrative gender
    table.string('preferred_language', 10);
    table.text('phone');
    table.text('email');
    table.text('address_line');
    table.text('city');
    table.text('state');
    table.text('postal_code');
    practitionerReference(table, 'pcp_practitioner_id');
    table.bigInteger('pcp_practice_id').references('practices.id').onDelete('SET NULL');
    table.index(['pcp_practitioner_id']);
    table.index(['pcp_practice_id']);
  });
  // Search by name and date of birth: the date narrows first, the name (any case) next.
  await knex.raw('CREATE INDEX patients_birth_date_family_name_idx ON patients (birth_date, lower(family_name) text_pattern_ops)');

  await knex.schema.createTable('related_persons', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.text('relationship_code'); // v3 RoleCode: MTH, FTH, PRN, GUARD, …
    table.text('family_name').notNullable();
    table.text('given_names').notNullable().defaultTo('');
    table.text('phone');
    table.text('email');
    table.boolean('is_legal_guardian').notNullable().defaultTo(false);
    table.boolean('guardianship_papers_on_file').notNullable().defaultTo(false);
    table.boolean('active').notNullable().defaultTo(true);
    table.index(['patient_id']);
  });

  await knex.schema.createTable('care_teams', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.text('name');
    table.text('status');
    table.index(['patient_id']);
  });

  await knex.schema.createTable('care_team_members', (table) => {
    table.bigIncrements('id');
    table.bigInteger('care_team_id').notNullable().references('care_teams.id').onDelete('CASCADE');
    table.bigInteger('practitioner_id').notNullable().references('practitioners.id').onDelete('CASCADE');
    table.text('role');
    table.unique(['care_team_id', 'practitioner_id']);
    // "Which patients is this provider on the care team of?"
    table.index(['practitioner_id']);
  });

  await knex.schema.createTable('encounters', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.string('class', 20).notNullable(); // ambulatory | inpatient | emergency | virtual
    table.string('status', 20).notNullable();
    table.text('department_code');
    table.text('type');
    table.text('reason');
    table.timestamp('period_start', { useTz: true });
    table.timestamp('period_end', { useTz: true });
    table.boolean('confidential').notNullable().defaultTo(false);
    table.index(['patient_id', 'period_start']);
  });

  await knex.schema.createTable('encounter_participants', (table) => {
    table.bigIncrements('id');
    table.bigInteger('encounter_id').notNullable().references('encounters.id').onDelete('CASCADE');
    table.bigInteger('practitioner_id').notNullable().references('practitioners.id').onDelete('CASCADE');
    table.text('role');
    table.unique(['encounter_id', 'practitioner_id']);
    table.index(['practitioner_id']);
  });

  await knex.schema.createTable('appointments', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    practitionerReference(table, 'practitioner_id');
    table.string('status', 20).notNullable();
    table.text('department_code');
    table.text('service_type');
    table.text('description');
    table.boolean('is_virtual').notNullable().defaultTo(false);
    table.timestamp('start_at', { useTz: true });
    table.timestamp('end_at', { useTz: true });
    table.index(['patient_id', 'start_at']);
  });

  await knex.schema.createTable('clinical_notes', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    encounterReference(table);
    practitionerReference(table, 'author_practitioner_id');
    table.text('type_code').notNullable(); // LOINC document type
    table.text('type_display');
    table.text('department_code');
    table.string('status', 20).notNullable(); // DocumentReference.status
    table.string('doc_status', 20); // preliminary | final | amended | entered-in-error
    table.timestamp('completed_at', { useTz: true });
    table.text('text');
    releaseColumns(table);
    table.bigInteger('duplicate_of_id').references('clinical_notes.id').onDelete('SET NULL');
    table.index(['patient_id', 'completed_at']);
    table.index(['business_identifier']);
  });

  await knex.schema.createTable('diagnostic_reports', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    encounterReference(table);
    table.text('category').notNullable(); // HL7 v2 table 0074: LAB, RAD, CT, …
    table.text('code').notNullable();
    table.text('display');
    table.string('status', 20).notNullable();
    table.text('conclusion');
    table.timestamp('effective_at', { useTz: true });
    table.timestamp('completed_at', { useTz: true }); // issued
    releaseColumns(table);
    table.bigInteger('duplicate_of_id').references('diagnostic_reports.id').onDelete('SET NULL');
    table.index(['patient_id', 'completed_at']);
    table.index(['business_identifier']);
  });

  await knex.schema.createTable('lab_observations', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    encounterReference(table);
    // The panel (DiagnosticReport) the result belongs to.
    table.bigInteger('report_id').references('diagnostic_reports.id').onDelete('SET NULL');
    table.text('code').notNullable(); // LOINC
    table.text('display');
    table.string('status', 20).notNullable();
    table.decimal('value_number', 20, 6);
    table.text('value_text');
    table.text('unit');
    table.decimal('reference_low', 20, 6);
    table.decimal('reference_high', 20, 6);
    table.text('reference_text');
    table.string('flag', 10); // v3 ObservationInterpretation: H, L, A, N, HH, LL …
    table.timestamp('effective_at', { useTz: true });
    table.timestamp('resulted_at', { useTz: true }); // issued
    releaseColumns(table);
    table.bigInteger('duplicate_of_id').references('lab_observations.id').onDelete('SET NULL');
    table.index(['patient_id', 'resulted_at']);
    table.index(['report_id']);
    table.index(['business_identifier']);
  });

  await knex.schema.createTable('medications', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    practitionerReference(table, 'prescriber_id');
    table.text('code');
    table.text('name').notNullable();
    table.string('status', 20).notNullable();
    table.text('dosage');
    table.timestamp('authored_at', { useTz: true });
    table.index(['patient_id', 'authored_at']);
  });

  await knex.schema.createTable('allergies', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.text('code');
    table.text('substance').notNullable();
    table.string('clinical_status', 20);
    table.string('criticality', 20);
    table.text('reaction');
    table.timestamp('recorded_at', { useTz: true });
    table.index(['patient_id', 'recorded_at']);
  });

  await knex.schema.createTable('immunizations', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.text('vaccine_code');
    table.text('vaccine').notNullable();
    table.string('status', 20).notNullable();
    table.timestamp('occurred_at', { useTz: true });
    table.text('lot_number');
    table.index(['patient_id', 'occurred_at']);
  });

  await knex.schema.createTable('coverages', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.string('status', 20).notNullable();
    table.text('payer_name').notNullable();
    table.text('member_id');
    table.text('group_number');
    table.text('plan_name');
    table.text('subscriber_relationship');
    table.date('period_start');
    table.date('period_end');
    table.index(['patient_id']);
  });

  await knex.schema.createTable('billing_statements', (table) => {
    sourceColumns(knex, table);
    patientReference(table);
    table.string('status', 20).notNullable(); // Invoice.status
    table.date('statement_date');
    table.string('currency', 3).notNullable().defaultTo('USD');
    table.decimal('total_charges', 12, 2); // totalGross
    table.decimal('insurance_paid', 12, 2);
    table.decimal('balance', 12, 2); // totalNet: what the family owes
    table.text('account_number');
    table.index(['patient_id', 'statement_date']);
  });

  await knex.schema.createTable('billing_line_items', (table) => {
    table.bigIncrements('id');
    table.bigInteger('statement_id').notNullable().references('billing_statements.id').onDelete('CASCADE');
    table.integer('sequence').notNullable();
    table.text('description').notNullable();
    table.date('service_date');
    table.decimal('charge', 12, 2);
    table.decimal('copay', 12, 2);
    table.unique(['statement_id', 'sequence']);
  });

  // Integration clients of POST /fhir/import. Only a SHA-256 of each token is kept: tokens are
  // 256 random bits, so a fast hash is enough and lets the token be looked up directly.
  await knex.schema.createTable('api_tokens', (table) => {
    table.bigIncrements('id');
    table.text('name').notNullable();
    table.string('token_hash', 64).notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true });
    table.timestamp('revoked_at', { useTz: true });
  });
}

const TABLES = [
  'api_tokens',
  'billing_line_items',
  'billing_statements',
  'coverages',
  'immunizations',
  'allergies',
  'medications',
  'lab_observations',
  'diagnostic_reports',
  'clinical_notes',
  'appointments',
  'encounter_participants',
  'encounters',
  'care_team_members',
  'care_teams',
  'related_persons',
  'patients',
  'practitioner_roles',
  'practitioners',
  'practices',
  'clinics',
];

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.schema.dropTableIfExists(table);
}
