// "Download this record": the patient's record as a FHIR R4 collection bundle, built only from
// what FamilyRecord gives this viewer (so a held item, or a panel whose results are all held,
// can never be in it). A link between two items (a result's visit, say) is kept only when both
// ends are in the bundle; otherwise it is dropped, because a dangling reference would say that
// something else exists. Reading is in exportFamilyRecord; building is pure (fhirBundle).
import { createHash } from 'node:crypto';
import {
  ACT_CODE_SYSTEM,
  DEPARTMENT_SYSTEM,
  INTERPRETATION_SYSTEM,
  LOINC_SYSTEM,
  NPI_SYSTEM,
  OBSERVATION_CATEGORY_SYSTEM,
  ORGANIZATION_TYPE_SYSTEM,
  REPORT_CATEGORY_SYSTEM,
} from '../fhirImport/systems.ts';
import type {
  AllergyRow,
  CareTeamRow,
  ClinicianRow,
  CoverageRow,
  EncounterLinks,
  ImmunizationRow,
  MedicationRow,
  NoteRow,
  PatientDetailsRow,
  PracticeRow,
  ReportRow,
  VisitRow,
} from '../../data/record/healthRecord.ts';
import type { FamilyRecord, LabPanel, LabResult } from './familyRecord.ts';
import { ALLERGY_CRITICALITIES, ALLERGY_STATUSES, SUBSCRIBER_RELATIONSHIPS } from '../../domain/recordTerms.ts';

// The import keeps only the code of medicines, allergies and vaccines; the hospital's feed codes
// them in these systems (see synth/history.ts), so the download says so again.
const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED_SYSTEM = 'http://snomed.info/sct';
const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
const LANGUAGE_SYSTEM = 'urn:ietf:bcp:47';
const NULL_FLAVOR_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
const ALLERGY_CLINICAL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const COVERAGE_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/coverage-class';
const SUBSCRIBER_RELATIONSHIP_SYSTEM = 'http://terminology.hl7.org/CodeSystem/subscriber-relationship';
const IDENTIFIER_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';

export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirResource }[];
}

/** Everything one viewer may see of the record, section by section (all from FamilyRecord). */
export interface RecordForExport {
  patient: PatientDetailsRow;
  upcoming: VisitRow[];
  past: VisitRow[];
  notes: NoteRow[];
  labPanels: LabPanel[];
  reports: ReportRow[];
  medications: MedicationRow[];
  allergies: AllergyRow[];
  immunizations: ImmunizationRow[];
  insurance: CoverageRow[];
  careTeam: CareTeamRow;
  encounterLinks: EncounterLinks;
}

export interface ExportOptions {
  /** The hospital's MRN identifier system (config.fhir.mrnSystem). */
  mrnSystem: string;
  now: Date;
}

export async function readRecordForExport(record: FamilyRecord): Promise<RecordForExport> {
  const [patient, visits, notes, labPanels, reports, medications, allergies, immunizations, insurance, careTeam, encounterLinks] = await Promise.all([
    record.patientDetails(),
    record.visits(),
    record.notes({ withText: true }),
    record.labPanels(),
    record.reports(),
    record.medications(),
    record.allergies(),
    record.immunizations(),
    record.insurance(),
    record.careTeam(),
    record.encounterLinks(),
  ]);
  return {
    patient,
    upcoming: visits.upcoming,
    past: visits.past,
    notes: notes.items,
    labPanels: labPanels.items,
    reports: reports.items,
    medications: medications.items,
    allergies: allergies.items,
    immunizations: immunizations.items,
    insurance: insurance.items,
    careTeam,
    encounterLinks,
  };
}

export async function exportFamilyRecord(record: FamilyRecord, options: ExportOptions): Promise<FhirBundle> {
  return fhirBundle(await readRecordForExport(record), options);
}

/** A stable id for a row: the same record downloads to the same ids, and ids reveal no names. */
function stableId(patientId: number, kind: string, id: number | string): string {
  const hash = createHash('sha1').update(`mychildrens/${patientId}/${kind}/${id}`).digest('hex');
  // Laid out as a name-based (version 5) UUID, so it can stand in a urn:uuid.
  const variant = ((parseInt(hash.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${variant}${hash.slice(18, 20)}-${hash.slice(20, 32)}`;
}

const instant = (value: Date | null | undefined) => (value ? value.toISOString() : undefined);
const text = (value: string | null | undefined) => (value ? { text: value } : undefined);
const codedText = (system: string, code: string | null, display: string) => ({ ...(code ? { coding: [{ system, code, display }] } : {}), text: display });
/** Drops undefined and null fields, and empty arrays, so the JSON carries only what is known. */
function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))) as T;
}
/** The FHIR code for a stored value, compared as the pages compare it (domain/recordTerms.ts termOf). */
function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[], otherwise: T): T {
  const normalised = value?.trim().toLowerCase();
  return allowed.includes(normalised as T) ? (normalised as T) : otherwise;
}

const ENCOUNTER_STATUSES = ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'] as const;
const APPOINTMENT_STATUSES = ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'] as const;
const MEDICATION_STATUSES = ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'] as const;
const IMMUNIZATION_STATUSES = ['completed', 'entered-in-error', 'not-done'] as const;
const COVERAGE_STATUSES = ['active', 'cancelled', 'draft', 'entered-in-error'] as const;
const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
const ENCOUNTER_CLASS_CODES: Record<string, { code: string; display: string }> = {
  ambulatory: { code: 'AMB', display: 'ambulatory' },
  inpatient: { code: 'IMP', display: 'inpatient encounter' },
  emergency: { code: 'EMER', display: 'emergency' },
  virtual: { code: 'VR', display: 'virtual' },
};
const INTERPRETATIONS: Record<string, string> = { N: 'Normal', L: 'Low', H: 'High', LL: 'Critical low', HH: 'Critical high', LU: 'Significantly low', HU: 'Significantly high', A: 'Abnormal', AA: 'Critical abnormal' };
const OUT_OF_RANGE_CODES: Record<string, string> = { low: 'L', high: 'H', 'critically-low': 'LL', 'critically-high': 'HH', abnormal: 'A' };
const FINAL_RESULT_STATUSES = ['final', 'amended', 'corrected'];

/** Builds the bundle from what the viewer may see; nothing else goes in. */
export function fhirBundle(record: RecordForExport, options: ExportOptions): FhirBundle {
  const patientKey = record.patient.id;
  const entries: FhirResource[] = [];
  const add = (resource: FhirResource) => {
    entries.push(resource);
    return { reference: `urn:uuid:${resource.id}` };
  };
  const idFor = (kind: string, id: number | string) => stableId(patientKey, kind, id);

  // Who is who: the PCP's practice, the PCP and care-team clinicians (each once).
  const practitioners = new Map<number, { reference: string }>();
  const practitioner = (clinician: ClinicianRow) => {
    let reference = practitioners.get(clinician.id);
    if (!reference) {
      reference = add(practitionerResource(idFor('Practitioner', clinician.id), clinician));
      practitioners.set(clinician.id, reference);
    }
    return reference;
  };
  const { pcp, pcpPractice, members } = record.careTeam;
  const pcpReference = pcp ? practitioner(pcp) : undefined;
  const practiceReference = pcpPractice ? add(organizationResource(idFor('Organization', pcpPractice.id), pcpPractice)) : undefined;

  const patientId = idFor('Patient', patientKey);
  const patient = { reference: `urn:uuid:${patientId}` };
  entries.unshift(patientResource(patientId, record.patient, options.mrnSystem, [pcpReference, practiceReference].filter((reference) => reference !== undefined)));

  if (members.length > 0) {
    add({
      resourceType: 'CareTeam',
      id: idFor('CareTeam', 'current'),
      status: 'active',
      subject: patient,
      participant: members.map((member) => compact({ role: member.role ? [{ text: member.role }] : undefined, member: practitioner(member) })),
    });
  }

  // Visits: a reference to a visit is kept only when the visit itself is in the bundle.
  const encounters = new Map<number, { reference: string }>();
  for (const visit of record.past) encounters.set(visit.id, add(encounterResource(idFor('Encounter', visit.id), visit, patient)));
  for (const visit of record.upcoming) add(appointmentResource(idFor('Appointment', visit.id), visit, patient));
  const encounterOf = (links: Map<number, number>, id: number | null) => {
    const encounterId = id === null ? undefined : links.get(id);
    return encounterId === undefined ? undefined : encounters.get(encounterId);
  };

  for (const note of record.notes) add(documentReference(idFor('DocumentReference', note.id), note, patient, encounterOf(record.encounterLinks.notes, note.id)));

  for (const panel of record.labPanels) {
    const results = panel.results.map((result) => add(observationResource(idFor('Observation', result.id), result, patient, encounterOf(record.encounterLinks.labResults, result.id))));
    // A result that came without a panel stands on its own.
    if (panel.id === null) continue;
    add(
      compact({
        resourceType: 'DiagnosticReport',
        id: idFor('DiagnosticReport', panel.id),
        status: panel.results.every((result) => FINAL_RESULT_STATUSES.includes(result.status)) ? 'final' : 'partial',
        category: [{ coding: [{ system: REPORT_CATEGORY_SYSTEM, code: 'LAB', display: 'Laboratory' }] }],
        code: { text: panel.title },
        subject: patient,
        encounter: encounterOf(record.encounterLinks.reports, panel.id),
        effectiveDateTime: instant(panel.effectiveAt),
        result: results,
      }),
    );
  }

  for (const report of record.reports) {
    add(
      compact({
        resourceType: 'DiagnosticReport',
        id: idFor('DiagnosticReport', report.id),
        status: report.status,
        category: [{ coding: [{ system: REPORT_CATEGORY_SYSTEM, code: report.category }] }],
        code: codedText(LOINC_SYSTEM, report.testCode, report.title),
        subject: patient,
        encounter: encounterOf(record.encounterLinks.reports, report.id),
        effectiveDateTime: instant(report.effectiveAt),
        issued: instant(report.completedAt),
        conclusion: report.conclusion,
      }),
    );
  }

  for (const medication of record.medications) {
    add(
      compact({
        resourceType: 'MedicationRequest',
        id: idFor('MedicationRequest', medication.id),
        status: oneOf(medication.status, MEDICATION_STATUSES, 'unknown'),
        intent: 'order',
        medicationCodeableConcept: codedText(RXNORM_SYSTEM, medication.code, medication.name),
        subject: patient,
        authoredOn: instant(medication.authoredAt),
        // The prescriber is known by name only here: a display, not a resource.
        requester: medication.prescriber ? { display: medication.prescriber } : undefined,
        dosageInstruction: medication.dosage ? [{ text: medication.dosage }] : undefined,
      }),
    );
  }

  for (const allergy of record.allergies) {
    const clinicalStatus = oneOf(allergy.status, ALLERGY_STATUSES, 'active');
    add(
      compact({
        resourceType: 'AllergyIntolerance',
        id: idFor('AllergyIntolerance', allergy.id),
        clinicalStatus: allergy.status ? { coding: [{ system: ALLERGY_CLINICAL_SYSTEM, code: clinicalStatus }] } : undefined,
        criticality: allergy.criticality ? oneOf(allergy.criticality, ALLERGY_CRITICALITIES, 'unable-to-assess') : undefined,
        code: codedText(SNOMED_SYSTEM, allergy.code, allergy.substance),
        patient,
        recordedDate: instant(allergy.recordedAt),
        reaction: allergy.reaction ? [{ manifestation: [{ text: allergy.reaction }] }] : undefined,
      }),
    );
  }

  for (const immunization of record.immunizations) {
    add(
      compact({
        resourceType: 'Immunization',
        id: idFor('Immunization', immunization.id),
        status: oneOf(immunization.status, IMMUNIZATION_STATUSES, 'completed'),
        vaccineCode: codedText(CVX_SYSTEM, immunization.code, immunization.vaccine),
        patient,
        // FHIR requires when; a date the record lacks is said in words.
        ...(immunization.occurredAt ? { occurrenceDateTime: instant(immunization.occurredAt) } : { occurrenceString: 'Date not recorded' }),
        lotNumber: immunization.lotNumber,
      }),
    );
  }

  for (const coverage of record.insurance) add(coverageResource(idFor('Coverage', coverage.id), coverage, patient));

  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: options.now.toISOString(),
    entry: entries.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}

function patientResource(id: string, details: PatientDetailsRow, mrnSystem: string, generalPractitioner: { reference: string }[]): FhirResource {
  const telecom = [details.phone ? { system: 'phone', value: details.phone } : undefined, details.email ? { system: 'email', value: details.email } : undefined].filter(Boolean);
  const address = details.addressLine || details.city || details.state || details.postalCode ? [compact({ line: details.addressLine ? [details.addressLine] : undefined, city: details.city, state: details.state, postalCode: details.postalCode })] : undefined;
  return compact({
    resourceType: 'Patient',
    id,
    identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'MR', display: 'Medical record number' }] }, system: mrnSystem, value: details.mrn }],
    name: [compact({ family: details.familyName, given: details.givenNames.split(/\s+/).filter(Boolean) })],
    gender: details.sex ? oneOf(details.sex, GENDERS, 'unknown') : undefined,
    birthDate: details.birthDate,
    telecom,
    address,
    communication: details.preferredLanguage ? [{ language: { coding: [{ system: LANGUAGE_SYSTEM, code: details.preferredLanguage }] }, preferred: true }] : undefined,
    generalPractitioner,
  });
}

function practitionerResource(id: string, clinician: ClinicianRow): FhirResource {
  return compact({
    resourceType: 'Practitioner',
    id,
    identifier: clinician.npi ? [{ system: NPI_SYSTEM, value: clinician.npi }] : undefined,
    name: [compact({ family: clinician.familyName, given: clinician.givenNames.split(/\s+/).filter(Boolean), suffix: clinician.credential ? [clinician.credential] : undefined })],
    telecom: clinician.phone ? [{ system: 'phone', value: clinician.phone, use: 'work' }] : undefined,
  });
}

function organizationResource(id: string, practice: PracticeRow): FhirResource {
  const telecom = [practice.phone ? { system: 'phone', value: practice.phone, use: 'work' } : undefined, practice.fax ? { system: 'fax', value: practice.fax, use: 'work' } : undefined].filter(Boolean);
  const hasAddress = practice.addressLine || practice.city || practice.state || practice.postalCode;
  return compact({
    resourceType: 'Organization',
    id,
    active: true,
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'prov', display: 'Healthcare Provider' }] }],
    name: practice.name,
    telecom,
    address: hasAddress ? [compact({ line: practice.addressLine ? [practice.addressLine] : undefined, city: practice.city, state: practice.state, postalCode: practice.postalCode })] : undefined,
  });
}

function encounterResource(id: string, visit: VisitRow, patient: { reference: string }): FhirResource {
  const encounterClass = (visit.encounterClass && ENCOUNTER_CLASS_CODES[visit.encounterClass]) ?? undefined;
  return compact({
    resourceType: 'Encounter',
    id,
    status: oneOf(visit.status, ENCOUNTER_STATUSES, 'unknown'),
    class: encounterClass ? { system: ACT_CODE_SYSTEM, ...encounterClass } : { system: NULL_FLAVOR_SYSTEM, code: 'UNK', display: 'unknown' },
    serviceType: text(visit.clinic),
    subject: patient,
    participant: visit.clinician ? [{ individual: { display: visit.clinician } }] : undefined,
    period: visit.start || visit.end ? compact({ start: instant(visit.start), end: instant(visit.end) }) : undefined,
    reasonCode: visit.reason ? [{ text: visit.reason }] : undefined,
  });
}

function appointmentResource(id: string, visit: VisitRow, patient: { reference: string }): FhirResource {
  return compact({
    resourceType: 'Appointment',
    id,
    status: oneOf(visit.status, APPOINTMENT_STATUSES, 'booked'),
    serviceType: visit.clinic ? [{ text: visit.clinic }] : undefined,
    appointmentType: visit.virtual ? { coding: [{ system: ACT_CODE_SYSTEM, code: 'VR', display: 'virtual' }], text: 'Video visit' } : undefined,
    description: visit.reason,
    start: instant(visit.start),
    // FHIR needs an end for a booked visit; when the record has none, the length is said to be unknown.
    end: instant(visit.end ?? visit.start),
    comment: visit.start && !visit.end ? 'Length of visit not recorded' : undefined,
    participant: [
      { actor: patient, status: 'accepted' },
      ...(visit.clinician ? [{ actor: { display: visit.clinician }, status: 'accepted' }] : []),
    ],
  });
}

function documentReference(id: string, note: NoteRow, patient: { reference: string }, encounter: { reference: string } | undefined): FhirResource {
  return compact({
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    docStatus: note.status,
    type: codedText(LOINC_SYSTEM, note.typeCode, note.title),
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: patient,
    date: instant(note.completedAt),
    author: note.author ? [{ display: note.author }] : undefined,
    content: [{ attachment: compact({ contentType: 'text/plain; charset=utf-8', data: note.text ? Buffer.from(note.text, 'utf8').toString('base64') : undefined, title: note.title }) }],
    context: encounter || note.department
      ? compact({ encounter: encounter ? [encounter] : undefined, practiceSetting: note.department ? codedText(DEPARTMENT_SYSTEM, note.departmentCode, note.department) : undefined })
      : undefined,
  });
}

function observationResource(id: string, result: LabResult, patient: { reference: string }, encounter: { reference: string } | undefined): FhirResource {
  const quantity = (value: number | null) => (value === null ? undefined : compact({ value, unit: result.unit ?? undefined }));
  const range = result.referenceLow !== null || result.referenceHigh !== null || result.referenceText ? [compact({ low: quantity(result.referenceLow), high: quantity(result.referenceHigh), text: result.referenceText })] : undefined;
  return compact({
    resourceType: 'Observation',
    id,
    status: result.status,
    category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'laboratory', display: 'Laboratory' }] }],
    code: codedText(LOINC_SYSTEM, result.testCode, result.title),
    subject: patient,
    encounter,
    effectiveDateTime: instant(result.effectiveAt),
    issued: instant(result.resultedAt),
    ...(result.valueNumber !== null ? { valueQuantity: quantity(result.valueNumber) } : result.valueText ? { valueString: result.valueText } : {}),
    interpretation: interpretationOf(result),
    referenceRange: range,
  });
}

/** The laboratory's own flag when it is a known code; otherwise what the range says (domain/labInterpretation.ts). */
function interpretationOf(result: LabResult): { coding: { system: string; code: string; display: string }[]; text: string }[] | undefined {
  const flag = result.flag?.trim().toUpperCase();
  const hasRange = result.referenceLow !== null || result.referenceHigh !== null;
  const code = flag && INTERPRETATIONS[flag] ? flag : result.outOfRange ? OUT_OF_RANGE_CODES[result.outOfRange] : result.valueNumber !== null && hasRange ? 'N' : undefined;
  if (!code) return undefined;
  return [{ coding: [{ system: INTERPRETATION_SYSTEM, code, display: INTERPRETATIONS[code]! }], text: INTERPRETATIONS[code]! }];
}

function coverageResource(id: string, coverage: CoverageRow, patient: { reference: string }): FhirResource {
  const classes = [
    coverage.groupNumber ? { type: { coding: [{ system: COVERAGE_CLASS_SYSTEM, code: 'group' }] }, value: coverage.groupNumber } : undefined,
    coverage.planName ? { type: { coding: [{ system: COVERAGE_CLASS_SYSTEM, code: 'plan' }] }, value: coverage.planName, name: coverage.planName } : undefined,
  ].filter(Boolean);
  const relationship = coverage.subscriberRelationship ? oneOf(coverage.subscriberRelationship, SUBSCRIBER_RELATIONSHIPS, 'other') : undefined;
  return compact({
    resourceType: 'Coverage',
    id,
    status: oneOf(coverage.status, COVERAGE_STATUSES, 'active'),
    subscriberId: coverage.memberId,
    beneficiary: patient,
    relationship: relationship ? { coding: [{ system: SUBSCRIBER_RELATIONSHIP_SYSTEM, code: relationship }] } : undefined,
    period: coverage.periodStart || coverage.periodEnd ? compact({ start: coverage.periodStart, end: coverage.periodEnd }) : undefined,
    // The payer is known by name only: a display, not a resource.
    payor: [{ display: coverage.payerName }],
    class: classes,
  });
}
