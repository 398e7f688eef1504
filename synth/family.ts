// One family: the children (patients), the parents or guardians responsible for them, and
// each child's history, as one transaction bundle.
import type { Faker } from '@faker-js/faker';
import { PAPERS_ON_FILE_EXTENSION, ROLE_CODE_SYSTEM } from '../services/fhirImport/systems.ts';
import { phone } from './directory.ts';
import { concept, transactionBundle, typed, urn, type Bundle, type Resource } from './fhir.ts';
import { patientHistory, type HistoryContext, type HistoryShape } from './history.ts';

export interface ChildPlan {
  mrn: string;
  birthDate: string;
  /** Give this teen a confidential visit for certain. */
  confidentialVisit?: boolean;
  /** Results, an allergy, medicines and imaging for certain (the demo patients show every record page). */
  fullHistory?: boolean;
  /** A visit with the demo specialist (Dr. Ortiz), so he is on this patient's care team. */
  seenByDemoSpecialist?: boolean;
  /** For a patient aged 18 or more: a court-appointed guardian with papers on file. */
  courtGuardian?: boolean;
  /** A history of this size instead of a random few visits. */
  history?: HistoryShape;
}

export interface FamilyPlan {
  language: 'en' | 'es';
  children: ChildPlan[];
  /** The demo PCP (Dr. Patel) for every child, instead of one picked at random. */
  demoPcp?: boolean;
}

export interface FamilyContext extends HistoryContext {
  mrnSystem: string;
}

const LANGUAGES = { en: { code: 'en', display: 'English' }, es: { code: 'es', display: 'Spanish' } } as const;

export function buildFamily(plan: FamilyPlan, context: FamilyContext): Bundle {
  const { random } = context;
  const names: Faker = plan.language === 'es' ? random.spanish : random.english;
  const familyName = names.person.lastName();
  const address = { line: [random.english.location.streetAddress()], city: random.english.location.city(), state: 'MA', postalCode: `0${random.int(1000, 2799)}` };
  const homePhone = phone(random);
  const parents = (random.chance(0.7) ? (['MTH', 'FTH'] as const) : ([random.pick(['MTH', 'FTH'] as const)] as const)).map((relationship) => {
    const given = names.person.firstName(relationship === 'MTH' ? 'female' : 'male');
    return { relationship, given, email: `${ascii(given)}.${ascii(familyName)}${random.digits(3)}@example.com` };
  });
  // The family's children share one PCP; the record names the PCP's practice too.
  const { practitioner, practice } = plan.demoPcp ? context.directory.demoPcp : random.pick(context.directory.pcps);
  const language = LANGUAGES[plan.language];

  const resources: Resource[] = [];
  for (const child of plan.children) {
    const sex = random.chance(0.5) ? 'female' : 'male';
    const given = names.person.firstName(sex);
    const ageYears = wholeYears(child.birthDate, context.today);
    const telecom = [{ system: 'phone', value: homePhone, use: 'home' }, { system: 'email', value: parents[0]!.email }];
    if (ageYears >= 13 && random.chance(0.5)) telecom[1] = { system: 'email', value: `${ascii(given)}${random.digits(4)}@example.net` };
    const patient: Resource = {
      resourceType: 'Patient',
      id: random.uuid(),
      identifier: [{ use: 'usual', system: context.mrnSystem, value: child.mrn, type: concept('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical record number') }],
      name: [{ use: 'official', family: familyName, given: [given] }],
      gender: sex,
      birthDate: child.birthDate,
      telecom,
      address: [address],
      communication: [{ language: concept('urn:ietf:bcp:47', language.code, language.display), preferred: true }],
      generalPractitioner: [typed(practitioner), typed(practice)],
    };
    resources.push(patient);
    resources.push(...guardians(child, ageYears, patient, parents, familyName, homePhone, context));
    resources.push(...patientHistory({ patient, birthDate: child.birthDate, ageYears, pcp: practitioner, confidentialVisit: child.confidentialVisit, fullHistory: child.fullHistory, seenByDemoSpecialist: child.seenByDemoSpecialist, shape: child.history }, context));
  }
  return transactionBundle(resources);
}

/** Parents for a minor; for an adult, a court-appointed guardian with papers on file (or no one). */
function guardians(child: ChildPlan, ageYears: number, patient: Resource, parents: { relationship: 'MTH' | 'FTH'; given: string; email: string }[], familyName: string, homePhone: string, context: FamilyContext): Resource[] {
  const { random } = context;
  const person = (relationship: string, given: string, email: string, papersOnFile: boolean): Resource => ({
    resourceType: 'RelatedPerson',
    id: random.uuid(),
    active: true,
    patient: urn(patient),
    relationship: [concept(ROLE_CODE_SYSTEM, relationship)],
    name: [{ family: familyName, given: [given] }],
    telecom: [{ system: 'phone', value: homePhone }, { system: 'email', value: email }],
    ...(papersOnFile ? { extension: [{ url: PAPERS_ON_FILE_EXTENSION, valueBoolean: true }] } : {}),
  });
  if (ageYears < 18) return parents.map((parent) => person(parent.relationship, parent.given, parent.email, false));
  if (child.courtGuardian || random.chance(0.4)) return [person('GUARD', parents[0]!.given, parents[0]!.email, true)];
  return [];
}

export function wholeYears(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}
