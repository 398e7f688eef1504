// One patient's clinical history: visits with notes, results, medicines, allergies,
// immunizations, upcoming appointments, insurance and statements.
import {
  ACT_CODE_SYSTEM,
  CONFIDENTIALITY_SYSTEM,
  COPAY_CODE,
  DEPARTMENT_SYSTEM,
  INTERPRETATION_SYSTEM,
  LOINC_SYSTEM,
  OBSERVATION_CATEGORY_SYSTEM,
  REPORT_CATEGORY_SYSTEM,
  SERVICE_DATE_EXTENSION,
} from '../services/fhirImport/systems.ts';
import { ALLERGIES, CHARGES, CLINICS, HELD_NOTE_CLINICS, IMAGING, MEDICATIONS, NOTE_TYPES, PANELS, PAYERS, SENSITIVE_TESTS, VACCINES, VISIT_CLINICS, VISIT_REASONS, type LabTest } from './catalog.ts';
import type { Directory } from './directory.ts';
import { addDays, concept, localDateTime, typed, urn, type Resource } from './fhir.ts';
import type { Random } from './random.ts';

export interface HistoryContext {
  random: Random;
  today: string;
  timeZone: string;
  directory: Directory;
}

export interface PatientFacts {
  patient: Resource;
  birthDate: string;
  ageYears: number;
  pcp: Resource;
  /** Force a confidential adolescent visit (demo patients). */
  confidentialVisit?: boolean;
  /** Force results over several visits, an allergy, medicines and imaging (demo patients). */
  fullHistory?: boolean;
  /** Force a visit with the demo specialist (Dr. Ortiz), who then is on the care team. */
  seenByDemoSpecialist?: boolean;
  /** A long, busy history of fixed size instead of the usual few visits (the record benchmark). */
  shape?: HistoryShape;
}

/** How much history a busy patient has; every visit has its note. */
export interface HistoryShape {
  years: number;
  visits: number;
  /** Lab panels of 4 results each, spread over the visits. */
  labPanels: number;
  /** Radiology reports. */
  imaging: number;
  /** Prescriptions, cycling through the catalog's medicines. */
  medications: number;
  allergies: number;
  upcomingAppointments: number;
}

const LAB_ACCESSION = 'https://lab.example-childrens.org/accession';
const OUTSIDE_SOURCE = 'https://hie.example.org/fhir';
const restricted = { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R', display: 'restricted' }] };

export function patientHistory(facts: PatientFacts, context: HistoryContext): Resource[] {
  const { random, today } = context;
  const out: Resource[] = [];
  const subject = urn(facts.patient);
  const shape = facts.shape;
  const firstDay = laterOf(facts.birthDate, addDays(today, -(shape?.years ?? 3) * 365));
  const pastDay = () => addDays(firstDay, random.int(0, Math.max(0, daysBetween(firstDay, today) - 1)));
  const visitedClinics = new Set<string>(['general-pediatrics']);
  // A patient sees the same clinician each time in a clinic, picked from that clinic's several.
  const usualClinician = new Map<string, Resource>();
  const clinicianAt = (clinic: string): Resource => {
    let clinician = usualClinician.get(clinic);
    if (!clinician) usualClinician.set(clinic, (clinician = random.pick(context.directory.cliniciansOf(clinic))));
    return clinician;
  };
  if (facts.seenByDemoSpecialist) usualClinician.set(context.directory.demoSpecialist.clinic, context.directory.demoSpecialist.practitioner);
  /** The clinicians of the patient's outpatient visits that are not confidential: the care team is drawn from them. */
  const seenBy: Resource[] = [];

  /** A visit with its clinician and, usually, its note. */
  const visit = (options: { clinic: string; day: string; visitClass: 'AMB' | 'VR' | 'EMER' | 'IMP'; days?: number; confidential?: boolean; noteType?: { code: string; display: string }; reason?: string }) => {
    const clinician = clinicianAt(options.clinic);
    if ((options.visitClass === 'AMB' || options.visitClass === 'VR') && !options.confidential && !seenBy.includes(clinician)) seenBy.push(clinician);
    const start = localDateTime(options.day, random.int(8, 16), random.pick([0, 15, 30, 45]), context.timeZone);
    const endDay = addDays(options.day, options.days ?? 0);
    const end = localDateTime(endDay, options.days ? random.int(9, 14) : 17, 30, context.timeZone);
    const encounter: Resource = {
      resourceType: 'Encounter',
      id: random.uuid(),
      ...(options.confidential ? { meta: restricted } : {}),
      status: 'finished',
      class: { system: ACT_CODE_SYSTEM, code: options.visitClass },
      serviceType: concept(DEPARTMENT_SYSTEM, options.clinic, clinicName(options.clinic)),
      subject,
      participant: [{ individual: typed(clinician) }],
      period: { start, end },
      ...(options.reason ? { reasonCode: [{ text: options.reason }] } : {}),
    };
    out.push(encounter);
    visitedClinics.add(options.clinic);
    if (options.noteType) {
      // Most notes are signed within hours; a few recent ones are still being written.
      const unsigned = daysBetween(options.day, today) < 7 && random.chance(0.5);
      out.push(note(encounter, options.noteType, options.clinic, localDateTime(endDay, 18, random.int(0, 59), context.timeZone), unsigned, options.confidential === true, clinician));
    }
    return { encounter, day: options.day, clinic: options.clinic, clinician };
  };

  const note = (encounter: Resource, type: { code: string; display: string }, clinic: string, date: string, unsigned: boolean, confidential: boolean, author: Resource): Resource => ({
    resourceType: 'DocumentReference',
    id: random.uuid(),
    ...(confidential ? { meta: restricted } : {}),
    status: 'current',
    docStatus: unsigned ? 'preliminary' : 'final',
    type: concept(LOINC_SYSTEM, type.code, type.display),
    subject,
    date,
    author: [typed(author)],
    content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(noteText(type.display, random)).toString('base64') } }],
    context: { encounter: [urn(encounter)], practiceSetting: concept(DEPARTMENT_SYSTEM, clinic, clinicName(clinic)) },
  });

  const visits: { encounter: Resource; day: string; clinic: string; clinician: Resource }[] = [];
  // One patient in ten was seen in the last week, so some notes and reports are still pending.
  const recentDay = () => laterOf(facts.birthDate, addDays(today, -random.int(1, 6)));
  for (let i = shape?.visits ?? random.int(2, 5); i > 0; i--) {
    const clinic = random.chance(0.55) ? 'general-pediatrics' : random.pick(VISIT_CLINICS);
    visits.push(visit({ clinic, day: i === 1 && random.chance(0.1) ? recentDay() : pastDay(), visitClass: random.chance(0.15) ? 'VR' : 'AMB', noteType: clinic === 'general-pediatrics' ? NOTE_TYPES.progress : NOTE_TYPES.consult, reason: random.pick(VISIT_REASONS) }));
  }
  if (facts.seenByDemoSpecialist) {
    visits.push(visit({ clinic: context.directory.demoSpecialist.clinic, day: pastDay(), visitClass: 'AMB', noteType: NOTE_TYPES.consult, reason: random.pick(VISIT_REASONS) }));
  }
  const someVisit = () => random.pick(visits);

  if (shape) {
    for (let i = 0; i < shape.labPanels; i++) out.push(...panel(someVisit(), PANELS[i % PANELS.length]!, context, subject, random.chance(0.05)));
    for (let i = 0; i < shape.imaging; i++) out.push(...imaging(someVisit(), context, subject));
  } else {
    if (facts.fullHistory) {
      // A panel of each kind at every visit, so the demo shows history tables and out-of-range flags.
      for (const at of visits) for (const kind of PANELS) out.push(...panel(at, kind, context, subject, false));
      out.push(...imaging(someVisit(), context, subject));
    }
    if (random.chance(0.4)) out.push(...panel(someVisit(), PANELS[0], context, subject, random.chance(0.1)));
    if (random.chance(0.2)) out.push(...imaging(someVisit(), context, subject));
  }
  if (random.chance(0.1)) visit({ clinic: 'emergency', day: pastDay(), visitClass: 'EMER', noteType: NOTE_TYPES.edNote, reason: random.pick(['Fever', 'Arm injury', 'Difficulty breathing']) });
  if (random.chance(0.07)) {
    const stay = visit({ clinic: 'inpatient-medicine', day: laterOf(facts.birthDate, earlierOf(pastDay(), addDays(today, -6))), visitClass: 'IMP', days: random.int(1, 4), noteType: NOTE_TYPES.hAndP, reason: random.pick(['Pneumonia', 'Dehydration', 'Appendicitis']) });
    const dischargeDay = addDays(stay.day, 1);
    out.push(note(stay.encounter, NOTE_TYPES.discharge, 'inpatient-medicine', localDateTime(dischargeDay, 15, 0, context.timeZone), false, false, stay.clinician));
    out.push(...panel(stay, PANELS[1], context, subject, false));
  }
  if (random.chance(0.1)) {
    visit({ clinic: random.pick(HELD_NOTE_CLINICS), day: pastDay(), visitClass: 'AMB', noteType: NOTE_TYPES.consult, reason: 'Consultation' });
  }
  // Adolescents: a confidential visit with its note and a test kept off the portal.
  if (facts.ageYears >= 13 && facts.ageYears < 18 && (facts.confidentialVisit || random.chance(0.35))) {
    const clinic = random.pick(['adolescent-medicine', 'adolescent-medicine', 'gynecology']);
    const confidential = visit({ clinic, day: pastDay(), visitClass: 'AMB', confidential: true, noteType: NOTE_TYPES.consult, reason: 'Confidential visit' });
    out.push(sensitiveTest(confidential, context, subject));
  }

  out.push(...immunizations(facts, context, subject));
  const prescribed = shape ? Array.from({ length: shape.medications }, (_, i) => MEDICATIONS[i % MEDICATIONS.length]!) : random.some(MEDICATIONS, 0.15);
  if (facts.fullHistory && prescribed.length === 0) prescribed.push(MEDICATIONS[0]!);
  for (const medication of prescribed) {
    out.push({
      resourceType: 'MedicationRequest',
      id: random.uuid(),
      status: random.chance(0.6) ? 'active' : 'completed',
      intent: 'order',
      medicationCodeableConcept: concept('http://www.nlm.nih.gov/research/umls/rxnorm', medication.code, medication.display),
      subject,
      authoredOn: localDateTime(pastDay(), 11, 0, context.timeZone),
      requester: typed(clinicianAt('general-pediatrics')),
      dosageInstruction: [{ text: medication.dosage }],
    });
  }
  const allergies = shape ? ALLERGIES.slice(0, shape.allergies) : random.chance(0.25) || facts.fullHistory ? [random.pick(ALLERGIES)] : [];
  for (const allergy of allergies) {
    out.push({
      resourceType: 'AllergyIntolerance',
      id: random.uuid(),
      clinicalStatus: concept('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active'),
      verificationStatus: concept('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed'),
      criticality: allergy.criticality,
      code: concept('http://snomed.info/sct', allergy.code, allergy.display),
      patient: subject,
      recordedDate: localDateTime(pastDay(), 10, 0, context.timeZone),
      reaction: [{ manifestation: [{ text: allergy.reaction }] }],
    });
  }
  out.push(...appointments(context, subject, [...visitedClinics], clinicianAt, shape?.upcomingAppointments));
  out.push(coverage(context, subject));
  for (const billed of random.some(visits, 0.35)) out.push(statement(billed.day, context, subject));
  out.push(careTeam(facts, context, subject, seenBy));
  return out;
}

function panel(at: { encounter: Resource; day: string }, kind: (typeof PANELS)[number], context: HistoryContext, subject: { reference: string }, outsideCopy: boolean): Resource[] {
  const { random } = context;
  const accession = `A-${random.digits(8)}`;
  const collected = localDateTime(at.day, 10, random.int(0, 59), context.timeZone);
  const resulted = localDateTime(at.day, 15, random.int(0, 59), context.timeZone);
  const results = kind.tests.map((test, index) => labResult(test, `${accession}-${index + 1}`, at.encounter, collected, resulted, random, subject));
  const report: Resource = {
    resourceType: 'DiagnosticReport',
    id: random.uuid(),
    identifier: [{ system: LAB_ACCESSION, value: accession }],
    status: 'final',
    category: [concept(REPORT_CATEGORY_SYSTEM, 'LAB', 'Laboratory')],
    code: concept(LOINC_SYSTEM, kind.code, kind.display),
    subject,
    encounter: urn(at.encounter),
    effectiveDateTime: collected,
    issued: resulted,
    result: results.map(urn),
  };
  // An outside system (the HIE) sends back a copy of one result: same accession, other id.
  const copies = outsideCopy ? [{ ...results[0]!, id: random.uuid(), meta: { source: OUTSIDE_SOURCE }, encounter: undefined }] : [];
  return [...results, report, ...copies.map(withoutUndefined)];
}

function labResult(test: LabTest, accession: string, encounter: Resource, collected: string, resulted: string, random: Random, subject: { reference: string }): Resource {
  const span = test.high - test.low;
  const value = Number((test.low - span * 0.15 + random.english.number.float({ min: 0, max: 1 }) * span * 1.3).toFixed(test.decimals));
  const flag = value < test.low ? 'L' : value > test.high ? 'H' : 'N';
  return {
    resourceType: 'Observation',
    id: random.uuid(),
    identifier: [{ system: LAB_ACCESSION, value: accession }],
    status: 'final',
    category: [concept(OBSERVATION_CATEGORY_SYSTEM, 'laboratory', 'Laboratory')],
    code: concept(LOINC_SYSTEM, test.code, test.display),
    subject,
    encounter: urn(encounter),
    effectiveDateTime: collected,
    issued: resulted,
    valueQuantity: { value, unit: test.unit, system: 'http://unitsofmeasure.org', code: test.unit },
    interpretation: [concept(INTERPRETATION_SYSTEM, flag)],
    referenceRange: [{ low: { value: test.low, unit: test.unit }, high: { value: test.high, unit: test.unit } }],
  };
}

function sensitiveTest(at: { encounter: Resource; day: string }, context: HistoryContext, subject: { reference: string }): Resource {
  const { random } = context;
  const test = random.pick(SENSITIVE_TESTS);
  return {
    resourceType: 'Observation',
    id: random.uuid(),
    meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }, { system: ACT_CODE_SYSTEM, code: test.label }] },
    identifier: [{ system: LAB_ACCESSION, value: `A-${random.digits(8)}-1` }],
    status: 'final',
    category: [concept(OBSERVATION_CATEGORY_SYSTEM, 'laboratory', 'Laboratory')],
    code: concept(LOINC_SYSTEM, test.code, test.display),
    subject,
    encounter: urn(at.encounter),
    effectiveDateTime: localDateTime(at.day, 11, 0, context.timeZone),
    issued: localDateTime(addDays(at.day, 1), 9, 30, context.timeZone),
    valueCodeableConcept: concept('http://snomed.info/sct', '260385009', 'Negative'),
  };
}

function imaging(at: { encounter: Resource; day: string }, context: HistoryContext, subject: { reference: string }): Resource[] {
  const { random } = context;
  const study = random.pick(IMAGING);
  const recent = daysBetween(at.day, context.today) < 5;
  return [
    {
      resourceType: 'DiagnosticReport',
      id: random.uuid(),
      identifier: [{ system: 'https://radiology.example-childrens.org/accession', value: `R-${random.digits(8)}` }],
      status: recent && random.chance(0.5) ? 'preliminary' : 'final',
      category: [concept(REPORT_CATEGORY_SYSTEM, 'RAD', 'Radiology')],
      code: concept(LOINC_SYSTEM, study.code, study.display),
      subject,
      encounter: urn(at.encounter),
      effectiveDateTime: localDateTime(at.day, 12, 0, context.timeZone),
      issued: localDateTime(at.day, 16, random.int(0, 59), context.timeZone),
      conclusion: study.conclusion,
    },
  ];
}

function immunizations(facts: PatientFacts, context: HistoryContext, subject: { reference: string }): Resource[] {
  const { random } = context;
  const ageMonths = daysBetween(facts.birthDate, context.today) / 30.44;
  return VACCINES.filter((vaccine) => vaccine.months <= ageMonths && random.chance(0.95)).map((vaccine) => {
    const day = laterOf(facts.birthDate, addDays(facts.birthDate, Math.round(vaccine.months * 30.44) + random.int(0, 20)));
    return {
      resourceType: 'Immunization',
      id: random.uuid(),
      status: 'completed',
      vaccineCode: concept('http://hl7.org/fhir/sid/cvx', vaccine.code, vaccine.display),
      patient: subject,
      occurrenceDateTime: localDateTime(earlierOf(day, addDays(context.today, -1)), 10, 0, context.timeZone),
      lotNumber: `L${random.digits(6)}`,
    };
  });
}

function appointments(context: HistoryContext, subject: { reference: string }, visited: string[], clinicianAt: (clinic: string) => Resource, count?: number): Resource[] {
  const { random } = context;
  const upcoming = count ?? random.int(0, 2);
  return Array.from({ length: upcoming }, () => {
    const clinic = random.chance(0.6) ? random.pick(visited.filter((code) => !HELD_NOTE_CLINICS.includes(code) && code !== 'emergency' && code !== 'inpatient-medicine').concat('general-pediatrics')) : random.pick(VISIT_CLINICS);
    const day = addDays(context.today, random.int(1, 60));
    const hour = random.int(8, 16);
    const virtual = random.chance(0.2);
    return {
      resourceType: 'Appointment',
      id: random.uuid(),
      status: random.chance(0.9) ? 'booked' : 'cancelled',
      serviceType: [concept(DEPARTMENT_SYSTEM, clinic, clinicName(clinic))],
      appointmentType: virtual ? concept(ACT_CODE_SYSTEM, 'VR', 'virtual') : concept('http://terminology.hl7.org/CodeSystem/v2-0276', 'ROUTINE', 'Routine appointment'),
      description: random.pick(VISIT_REASONS),
      start: localDateTime(day, hour, 0, context.timeZone),
      end: localDateTime(day, hour, 30, context.timeZone),
      participant: [
        { actor: subject, status: 'accepted' },
        { actor: typed(clinicianAt(clinic)), status: 'accepted' },
      ],
    };
  });
}

function coverage(context: HistoryContext, subject: { reference: string }): Resource {
  const { random } = context;
  return {
    resourceType: 'Coverage',
    id: random.uuid(),
    status: 'active',
    subscriberId: `M${random.digits(9)}`,
    beneficiary: subject,
    relationship: concept('http://terminology.hl7.org/CodeSystem/subscriber-relationship', 'child'),
    period: { start: `${context.today.slice(0, 4)}-01-01` },
    payor: [{ display: random.pick(PAYERS) }],
    class: [
      { type: concept('http://terminology.hl7.org/CodeSystem/coverage-class', 'group'), value: `G${random.digits(5)}` },
      { type: concept('http://terminology.hl7.org/CodeSystem/coverage-class', 'plan'), value: `P${random.digits(3)}`, name: random.pick(['Family Plan', 'Child Health Plan', 'Standard PPO']) },
    ],
  };
}

/** A statement (FHIR Invoice) for one visit: charges, what insurance paid, what the family owes. */
function statement(serviceDay: string, context: HistoryContext, subject: { reference: string }): Resource {
  const { random } = context;
  const lines = random.some(CHARGES, 0.4);
  if (!lines.length) lines.push(CHARGES[0]);
  const gross = lines.reduce((sum, line) => sum + line.amount, 0);
  const paid = random.chance(0.2) ? gross : Math.round(gross * random.int(50, 85)) / 100;
  const copay = random.pick([0, 20, 25, 40]);
  const usd = (value: number) => ({ value: Number(value.toFixed(2)), currency: 'USD' });
  return {
    resourceType: 'Invoice',
    id: random.uuid(),
    identifier: [{ system: 'https://billing.example-childrens.org/statement', value: `S${random.digits(9)}` }],
    status: paid >= gross ? 'balanced' : 'issued',
    subject,
    date: localDateTime(earlierOf(addDays(serviceDay, 21), context.today), 9, 0, context.timeZone),
    lineItem: lines.map((line, index) => ({
      sequence: index + 1,
      extension: [{ url: SERVICE_DATE_EXTENSION, valueDate: serviceDay }],
      chargeItemCodeableConcept: { text: line.description },
      priceComponent: [
        { type: 'base', amount: usd(line.amount) },
        ...(index === 0 && copay ? [{ type: 'informational', code: { coding: [{ code: COPAY_CODE }], text: 'Copay' }, amount: usd(copay) }] : []),
      ],
    })),
    totalPriceComponent: [{ type: 'deduction', code: { text: 'Paid by insurance' }, amount: usd(paid) }],
    totalGross: usd(gross),
    totalNet: usd(gross - paid),
  };
}

/** The PCP and the clinicians the patient was seen by in clinic (never for a confidential visit). */
function careTeam(facts: PatientFacts, context: HistoryContext, subject: { reference: string }, seenBy: readonly Resource[]): Resource {
  const members = [facts.pcp, ...seenBy.filter((clinician) => clinician !== facts.pcp)];
  return {
    resourceType: 'CareTeam',
    id: context.random.uuid(),
    status: 'active',
    name: 'Care team',
    subject,
    participant: members.map((member, index) => ({ role: [{ text: index === 0 ? 'Primary care provider' : 'Specialist' }], member: typed(member) })),
  };
}

function noteText(kind: string, random: Random): string {
  return `${kind}. ${random.english.lorem.sentences(3)}`;
}

function clinicName(code: string): string {
  return CLINICS.find((clinic) => clinic.code === code)?.name ?? code;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const laterOf = (a: string, b: string) => (a > b ? a : b);
const earlierOf = (a: string, b: string) => (a < b ? a : b);

function withoutUndefined(resource: Resource): Resource {
  return Object.fromEntries(Object.entries(resource).filter(([, value]) => value !== undefined)) as Resource;
}
