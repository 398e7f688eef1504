import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { entriesFromBundle, entriesFromJsonStream, entriesFromNdjson, importFhir, type ImportResult } from '../../services/fhirImport/index.ts';

const FIXTURES = new URL('../fixtures/fhir/', import.meta.url);
const options = { timeZone: 'America/New_York', actor: { type: 'system' as const } };

async function fixture(name: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8'));
}

function expectSuccess(result: ImportResult): asserts result is Extract<ImportResult, { ok: true }> {
  if (!result.ok) expect.fail(JSON.stringify(result.problems, null, 1));
}

function ndjson(...resources: object[]): Readable {
  return Readable.from([resources.map((r) => JSON.stringify(r)).join('\n') + '\n']);
}

describe('FHIR import', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.drop());
  const count = async (table: string) => Number((await database.db(table).count({ n: '*' }).first())!.n);

  describe('a transaction bundle with urn:uuid references', () => {
    it('stores every supported resource and links them by reference', async () => {
      const result = await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), options);
      expectSuccess(result);
      expect(result.counts).to.deep.equal({ created: 9, updated: 0, skipped: { Observation: 1, Condition: 1 } });
      const patient = await database.db('patients').where({ mrn: '70000001' }).first();
      expect(patient).to.include({ family_name: 'Rivera', given_names: 'Lucía Maria', sex: 'female', preferred_language: 'es', phone: '555-0142', email: 'rivera.family@example.com', address_line: '12 Elm Street, Apt 3', postal_code: '02115' });
      expect(patient.birth_date).to.be.instanceOf(Date);
      const practitioner = await database.db('practitioners').where({ npi: '1234567893' }).first();
      expect(practitioner).to.include({ family_name: 'Okafor', given_names: 'Grace', credential: 'MD' });
      expect(patient.pcp_practitioner_id).to.equal(practitioner.id);
      const practice = await database.db('practices').first();
      expect(practice).to.include({ name: 'Jamaica Plain Pediatrics', phone: '555-0170', fax: '555-0171' });
      expect(await database.db('practitioner_roles').first()).to.include({ practitioner_id: practitioner.id, practice_id: practice.id, role_code: 'doctor' });

      const encounter = await database.db('encounters').first();
      expect(encounter).to.include({ patient_id: patient.id, class: 'ambulatory', department_code: 'adolescent-medicine', confidential: true, status: 'finished' });
      expect(encounter.period_start.toISOString()).to.equal('2026-10-01T18:00:00.000Z');
      expect(await database.db('encounter_participants').select('practitioner_id')).to.deep.equal([{ practitioner_id: practitioner.id }]);

      const note = await database.db('clinical_notes').first();
      expect(note).to.include({ encounter_id: encounter.id, author_practitioner_id: practitioner.id, type_code: '11506-3', department_code: 'adolescent-medicine', status: 'current', doc_status: 'final', text: 'Seen for follow-up.', is_external: false, confidential: false });
      expect(note.completed_at.toISOString()).to.equal('2026-10-01T19:10:00.000Z');

      const report = await database.db('diagnostic_reports').first();
      expect(report).to.include({ category: 'LAB', code: '58410-2', status: 'final' });
      const lab = await database.db('lab_observations').first();
      expect(lab).to.include({ code: '718-7', unit: 'g/dL', flag: 'L', status: 'final', report_id: report.id, encounter_id: encounter.id, business_identifier: 'https://lab.example-childrens.org/accession|A-1001-1' });
      expect([lab.value_number, lab.reference_low, lab.reference_high]).to.deep.equal(['10.900000', '11.500000', '15.500000']);
      expect(lab.resulted_at.toISOString()).to.equal('2026-10-01T22:02:00.000Z');

      expect(await database.db('related_persons').first()).to.include({ patient_id: patient.id, relationship_code: 'MTH', is_legal_guardian: false, guardianship_papers_on_file: false });
    });

    it('answers a transaction with a transaction-response, entry by entry', async () => {
      const result = await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), { ...options, collectEntryResults: true });
      expectSuccess(result);
      const response = result.response as { type: string; entry: { response: { status: string; location?: string } }[] };
      expect(response.type).to.equal('transaction-response');
      expect(response.entry).to.have.length(11);
      expect(response.entry[0]!.response).to.deep.equal({ status: '201 Created', location: 'Patient/0c3a4f2e-1b51-4a43-9a7e-2f0a3d5e1001' });
      expect(response.entry[7]!.response.status).to.equal('200 OK');
    });
  });

  describe('a collection bundle with Type/id references', () => {
    it('resolves Patient/123 style references, in any order', async () => {
      const result = await importFhir(database.db, entriesFromBundle(await fixture('collection.json')), options);
      expectSuccess(result);
      expect(result.counts.created).to.equal(6);
      const patient = await database.db('patients').where({ source_id: '123' }).first();
      const practitioner = await database.db('practitioners').where({ source_id: 'pr-9' }).first();
      expect(practitioner).to.include({ npi: '1245319599', credential: 'NP' });
      expect(patient.pcp_practitioner_id).to.equal(practitioner.id);
      const encounter = await database.db('encounters').where({ source_id: 'enc-77' }).first();
      expect(encounter).to.include({ class: 'inpatient', patient_id: patient.id, confidential: false });
      expect(await database.db('clinical_notes').first()).to.include({ type_code: '18842-5', encounter_id: encounter.id, text: 'Discharged home.' });
      expect(await database.db('diagnostic_reports').first()).to.include({ category: 'RAD', conclusion: 'No acute findings.', encounter_id: encounter.id });
      const coverage = await database.db('coverages').first();
      expect(coverage).to.include({ payer_name: 'Commonwealth Health Plan', member_id: 'MB-55501', group_number: 'G-100', status: 'active' });
    });

    it('reads the same bundle streamed from a file', async () => {
      const result = await importFhir(database.db, entriesFromJsonStream(createReadStream(new URL('collection.json', FIXTURES))), options);
      expectSuccess(result);
      expect(result.counts.created).to.equal(6);
      expect(result.bundleType).to.equal('collection');
    });
  });

  describe('a bad bundle', () => {
    it('is rejected whole, naming each failing entry and why, and nothing of it is kept', async () => {
      const bundle = await fixture('transaction.json');
      delete bundle.entry[0].resource.birthDate; // Patient
      bundle.entry[1].resource.identifier[0].value = '1234567890'; // Practitioner: 10 digits, wrong check digit
      bundle.entry[4].resource.class.code = 'XYZ'; // Encounter
      bundle.entry[6].resource.status = 'done'; // Observation
      bundle.entry[9].resource = 'not a resource'; // RelatedPerson
      const result = await importFhir(database.db, entriesFromBundle(bundle), options);
      if (result.ok) expect.fail('should be rejected');
      expect(result.problems.map((p) => [p.location, p.expression, p.message])).to.deep.equal([
        ['Bundle.entry[0]', 'Bundle.entry[0].resource.birthDate', 'Patient.birthDate is missing'],
        ['Bundle.entry[1]', 'Bundle.entry[1].resource.identifier', 'Practitioner.identifier NPI must be 10 digits with a valid check digit'],
        ['Bundle.entry[4]', 'Bundle.entry[4].resource.class', 'Encounter.class class "XYZ" is not one of AMB, HH, FLD, IMP, ACUTE, NONAC, OBSENC, SS, PRENC, EMER, VR'],
        ['Bundle.entry[6]', 'Bundle.entry[6].resource.status', 'Observation.status must be one of "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"'],
        ['Bundle.entry[9]', 'Bundle.entry[9].resource', 'has no resource'],
      ]);
      expect(result.outcome.issue[0]).to.deep.equal({ severity: 'error', code: 'value', diagnostics: 'Bundle.entry[0]: Patient.birthDate is missing', expression: ['Bundle.entry[0].resource.birthDate'] });
      expect(result.outcome.issue.at(-1)!.diagnostics).to.equal('Nothing from this import was stored.');
      for (const table of ['patients', 'practitioners', 'practices', 'encounters', 'clinical_notes', 'lab_observations']) expect(await count(table), table).to.equal(0);
      const audit = await database.db('audit_events').select('action', 'outcome', 'reason');
      expect(audit).to.deep.equal([{ action: 'fhir.import', outcome: 'failure', reason: 'invalid-import' }]);
    });

    it('is rejected whole when a reference does not resolve, after the valid entries were written', async () => {
      const bundle = await fixture('collection.json');
      bundle.entry[5].resource.beneficiary.reference = 'Patient/999';
      bundle.entry[2].resource.subject.reference = 'urn:uuid:00000000-0000-4000-8000-000000000000';
      const result = await importFhir(database.db, entriesFromBundle(bundle), options);
      if (result.ok) expect.fail('should be rejected');
      expect(result.problems.map((p) => `${p.location}: ${p.message}`)).to.deep.equal([
        'Bundle.entry[2]: subject "urn:uuid:00000000-0000-4000-8000-000000000000" does not resolve: no entry of this import has that fullUrl',
        'Bundle.entry[5]: beneficiary "Patient/999" does not resolve: it is neither in this import nor already stored',
      ]);
      for (const table of ['patients', 'practitioners', 'encounters']) expect(await count(table), table).to.equal(0);
    });

    it('refuses a bundle that is not a transaction or collection, and entries naming one record twice', async () => {
      const bundle = await fixture('collection.json');
      bundle.type = 'searchset';
      bundle.entry.push(bundle.entry[0]);
      const result = await importFhir(database.db, entriesFromBundle(bundle), options);
      if (result.ok) expect.fail('should be rejected');
      expect(result.problems.map((p) => `${p.expression}: ${p.message}`)).to.deep.equal([
        'Bundle.type: must be "transaction" or "collection" (got "searchset")',
        'Bundle.entry[6]: names the same record as Bundle.entry[0] (Patient/123)',
        'Bundle.entry[6]: names the same record as Bundle.entry[0] (the same MRN)',
      ]);
    });

    it('refuses days that do not exist and values the record cannot hold, without failing itself', async () => {
      const bundle = await fixture('transaction.json');
      bundle.entry[4].resource.period.start = '2026-02-30T10:00:00-05:00';
      const result = await importFhir(database.db, entriesFromBundle(bundle), options);
      if (result.ok) expect.fail('should be rejected');
      expect(result.problems.map((p) => `${p.expression}: ${p.message}`)).to.deep.equal(['Bundle.entry[4].resource.period.start: Encounter.period.start is not a calendar date']);
      const huge = await fixture('transaction.json');
      huge.entry[6].resource.valueQuantity.value = 1e30;
      const refused = await importFhir(database.db, entriesFromBundle(huge), options);
      if (refused.ok) expect.fail('should be rejected');
      expect(refused.problems.map((p) => `${p.location}: ${p.message}`)).to.deep.equal(['Bundle: could not be stored: numeric field overflow']);
      expect(await count('patients')).to.equal(0);
    });

    it('keeps patients’ details out of database error messages, which reach logs and API answers', async () => {
      const failed = await database.db('patients').insert({ source_id: 'phi-check', mrn: 'MRN-SECRET-77', family_name: 'Zyxwell', birth_date: '2015-02-30' }).catch((error: Error) => error);
      expect(failed).to.be.instanceOf(Error);
      expect((failed as Error).message).to.include('insert into "patients"').and.not.include('MRN-SECRET-77').and.not.include('Zyxwell');
    });

    it('says where a streamed JSON file stops being JSON, and stores nothing', async () => {
      const text = JSON.stringify(await fixture('collection.json')).slice(0, 900);
      const result = await importFhir(database.db, entriesFromJsonStream(Readable.from([text])), options);
      if (result.ok) expect.fail('should be rejected');
      expect(result.problems[0]!.location).to.equal('Bundle');
      expect(result.problems[0]!.message).to.match(/^is not valid JSON/);
      expect(await count('patients')).to.equal(0);
    });
  });

  describe('NDJSON', () => {
    it('imports resources line by line with Type/id references', async () => {
      const bundle = await fixture('collection.json');
      const resources = bundle.entry.map((entry: { resource: object }) => entry.resource).reverse();
      const result = await importFhir(database.db, entriesFromNdjson(ndjson(...resources)), options);
      expectSuccess(result);
      expect(result.counts.created).to.equal(6);
      expect(await count('diagnostic_reports')).to.equal(1);
    });

    it('names the line that is not JSON', async () => {
      const input = Readable.from(['{"resourceType":"Practitioner","id":"p1","name":[{"family":"Lee"}]}\n', '{ not json\n']);
      const result = await importFhir(database.db, entriesFromNdjson(input), options);
      if (result.ok) expect.fail('should be rejected');
      expect(result.problems.map((p) => `${p.location}: ${p.message}`)).to.deep.equal(['line 2: is not valid JSON']);
      expect(await count('practitioners')).to.equal(0);
    });
  });

  describe('re-importing', () => {
    it('updates changed values in place and never duplicates', async () => {
      expectSuccess(await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), options));
      const before = await database.db('patients').first();
      const bundle = await fixture('transaction.json');
      bundle.entry[0].resource.telecom[0].value = '555-0999';
      bundle.entry[0].resource.name[0].family = 'Rivera-Lopez';
      bundle.entry[4].resource.status = 'cancelled';
      bundle.entry[6].resource.valueQuantity.value = 11.8;
      bundle.entry[1].resource.name[0].family = 'Okafor-Bell';
      const second = await importFhir(database.db, entriesFromBundle(bundle), options);
      expectSuccess(second);
      expect(second.counts).to.deep.include({ created: 0, updated: 9 });
      const after = await database.db('patients').first();
      expect(after).to.include({ id: before.id, family_name: 'Rivera-Lopez', phone: '555-0999' });
      expect(await database.db('encounters').pluck('status')).to.deep.equal(['cancelled']);
      expect(await database.db('lab_observations').pluck('value_number')).to.deep.equal(['11.800000']);
      expect(await database.db('practitioners').pluck('family_name')).to.deep.equal(['Okafor-Bell']);
      for (const table of ['patients', 'practitioners', 'encounters', 'encounter_participants', 'clinical_notes', 'lab_observations', 'diagnostic_reports', 'related_persons']) {
        expect(await count(table), table).to.equal(1);
      }
    });

    it('finds a patient by MRN and a practitioner by NPI even under a new source id', async () => {
      expectSuccess(await importFhir(database.db, entriesFromBundle(await fixture('collection.json')), options));
      const bundle = await fixture('collection.json');
      bundle.entry = bundle.entry.slice(0, 2);
      bundle.entry[0].resource.id = 'new-123';
      bundle.entry[0].resource.generalPractitioner[0].reference = 'Practitioner/new-pr-9';
      bundle.entry[1].resource.id = 'new-pr-9';
      const result = await importFhir(database.db, entriesFromBundle(bundle), options);
      expectSuccess(result);
      expect(result.counts).to.deep.include({ created: 0, updated: 2 });
      expect(await database.db('patients').pluck('source_id')).to.deep.equal(['new-123']);
      expect(await count('encounters')).to.equal(1);
    });
  });

  describe('outside items and duplicates', () => {
    it('marks an outside copy of a result as a duplicate of ours, and keeps the outside source', async () => {
      expectSuccess(await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), options));
      const [patient] = await database.db('patients').pluck('source_id');
      const outside = {
        resourceType: 'Observation',
        id: 'outside-hgb-1',
        meta: { source: 'https://hie.example.org/fhir', security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' }] },
        identifier: [{ system: 'https://lab.example-childrens.org/accession', value: 'A-1001-1' }],
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] },
        subject: { reference: `Patient/${patient}` },
        issued: '2026-10-02T09:00:00Z',
        valueQuantity: { value: 10.9, unit: 'g/dL' },
      };
      expectSuccess(await importFhir(database.db, entriesFromNdjson(ndjson(outside)), options));
      const ours = await database.db('lab_observations').where({ is_external: false }).first();
      const copy = await database.db('lab_observations').where({ is_external: true }).first();
      expect(ours.duplicate_of_id).to.equal(null);
      expect(copy).to.include({ duplicate_of_id: ours.id, source_system: 'https://hie.example.org/fhir' });
      expect(copy.sensitivity_labels).to.deep.equal(['HIV']);
    });
  });

  describe('medicines', () => {
    it('keeps a prescription’s confidentiality, sensitivity labels and visit, and updates them on re-import', async () => {
      expectSuccess(await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), options));
      const [patient] = await database.db('patients').pluck('source_id');
      const encounter = await database.db('encounters').first('id', 'source_id');
      const prescription = (id: string, extra: object) => ({
        resourceType: 'MedicationRequest',
        id,
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: `Medicine ${id}` },
        subject: { reference: `Patient/${patient}` },
        authoredOn: '2026-10-01',
        ...extra,
      });
      const confidential = prescription('rx-confidential', {
        meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
        identifier: [{ system: 'https://pharmacy.example-childrens.org/rx', value: 'RX-1' }],
      });
      const atVisit = prescription('rx-at-visit', { encounter: { reference: `Encounter/${encounter.source_id}` } });
      const labelled = prescription('rx-labelled', {
        meta: { source: 'https://hie.example.org/fhir', security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' }, { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' }] },
      });
      const plain = prescription('rx-plain', {});
      expectSuccess(await importFhir(database.db, entriesFromNdjson(ndjson(confidential, atVisit, labelled, plain)), options));
      const stored = async (id: string) => database.db('medications').where({ source_id: id }).first();
      expect(await stored('rx-confidential')).to.include({ confidential: true, encounter_id: null, is_external: false, business_identifier: 'https://pharmacy.example-childrens.org/rx|RX-1' });
      expect((await stored('rx-confidential')).sensitivity_labels).to.deep.equal([]);
      expect(await stored('rx-at-visit')).to.include({ confidential: false, encounter_id: encounter.id });
      const outside = await stored('rx-labelled');
      expect(outside).to.include({ confidential: false, is_external: true, source_system: 'https://hie.example.org/fhir' });
      expect(outside.sensitivity_labels).to.deep.equal(['HIV', 'ETH']);
      expect(await stored('rx-plain')).to.include({ confidential: false, encounter_id: null, is_external: false });

      // The pharmacy lifts the mark: the row follows.
      expectSuccess(await importFhir(database.db, entriesFromNdjson(ndjson({ ...confidential, meta: {} })), options));
      expect(await stored('rx-confidential')).to.include({ confidential: false });
      expect(await count('medications')).to.equal(4);
    });

    it('refuses a prescription whose visit is not in the record', async () => {
      expectSuccess(await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), options));
      const [patient] = await database.db('patients').pluck('source_id');
      const result = await importFhir(
        database.db,
        entriesFromNdjson(ndjson({ resourceType: 'MedicationRequest', id: 'rx-lost', status: 'active', medicationCodeableConcept: { text: 'Medicine' }, subject: { reference: `Patient/${patient}` }, encounter: { reference: 'Encounter/nowhere' } })),
        options,
      );
      expect(result.ok).to.equal(false);
      expect(await count('medications')).to.equal(0);
    });
  });

  it('writes an audit row for every patient whose record changed', async () => {
    expectSuccess(await importFhir(database.db, entriesFromBundle(await fixture('transaction.json')), { ...options, actor: { type: 'integration', id: 7 } }));
    const patient = await database.db('patients').first();
    const audit = await database.db('audit_events').orderBy('id').select('actor_type', 'actor_id', 'action', 'subject_type', 'subject_id', 'outcome');
    expect(audit).to.deep.equal([
      { actor_type: 'integration', actor_id: 7, action: 'record.import', subject_type: 'patient', subject_id: patient.id, outcome: 'success' },
      { actor_type: 'integration', actor_id: 7, action: 'fhir.import', subject_type: null, subject_id: null, outcome: 'success' },
    ]);
  });
});
