// The shared directory every family refers to: the hospital's clinics, the outside practices
// with their PCPs, and the hospital's own clinicians (several per clinic). It is the same for
// every seed, so bundles from different seeds agree on who the clinicians are.
import { DEPARTMENT_SYSTEM, NPI_SYSTEM, ORGANIZATION_TYPE_SYSTEM, SELF_SCHEDULING_EXTENSION } from '../services/fhirImport/systems.ts';
import { CLINICS, PRACTICE_NAMES } from './catalog.ts';
import { concept, transactionBundle, type Bundle, type Resource } from './fhir.ts';
import { seededRandom, type Random } from './random.ts';

const DIRECTORY_SEED = 20261122;
const PCPS_PER_PRACTICE = 3;
/** Busy clinics have more clinicians, so no one clinician is on every patient's care team. */
const CLINICIANS_PER_CLINIC: Readonly<Record<string, number>> = { 'general-pediatrics': 5, emergency: 3, 'inpatient-medicine': 3 };
const DEFAULT_CLINICIANS_PER_CLINIC = 2;

/**
 * The practitioners behind the demo MyPatients accounts (services/identity/demoAccounts.ts and the
 * README use these names): Dr. Patel is a PCP at the first practice, Dr. Ortiz a clinician of the
 * hospital's allergy clinic. Their NPIs are fixed, outside the numbers the directory counts up.
 */
export const DEMO_CLINICIANS = {
  patel: { given: 'Priya', family: 'Patel', credential: 'MD', npi: syntheticNpi(901), practiceIndex: 0 },
  ortiz: { given: 'Luis', family: 'Ortiz', credential: 'MD', npi: syntheticNpi(902), clinic: 'allergy' },
} as const;

export interface Directory {
  bundle: Bundle;
  pcps: { practitioner: Resource; practice: Resource }[];
  /** Dr. Patel and her practice. */
  demoPcp: { practitioner: Resource; practice: Resource };
  /** Dr. Ortiz and his clinic. */
  demoSpecialist: { practitioner: Resource; clinic: string };
  /** The clinicians of a clinic (general pediatrics' for a clinic it does not know). */
  cliniciansOf(clinicCode: string): readonly Resource[];
}

export function buildDirectory(hospitalName = "Example Children's Hospital"): Directory {
  const random = seededRandom(DIRECTORY_SEED);
  const resources: Resource[] = [];
  let practitionerCount = 0;
  const practitioner = (credential: string, fixed?: { given: string; family: string; npi: string; id: string }): Resource => {
    const number = fixed ? 0 : ++practitionerCount;
    const given = fixed?.given ?? random.english.person.firstName();
    const family = fixed?.family ?? random.english.person.lastName();
    const resource: Resource = {
      resourceType: 'Practitioner',
      id: fixed?.id ?? `synth-practitioner-${String(number).padStart(3, '0')}`,
      identifier: [{ system: NPI_SYSTEM, value: fixed?.npi ?? syntheticNpi(number) }],
      name: [{ family, given: [given], suffix: [credential] }],
      telecom: [{ system: 'phone', value: phone(random), use: 'work' }, { system: 'email', value: `${ascii(given)}.${fixed ? ascii(family) : number}@clinician.example.org`, use: 'work' }],
      qualification: [{ code: { text: credential } }],
    };
    resources.push(resource);
    return resource;
  };
  const role = (person: Resource, practice: Resource, code: string, specialty: string) =>
    resources.push({
      resourceType: 'PractitionerRole',
      id: `${person.id}-role`,
      active: true,
      practitioner: { reference: `Practitioner/${person.id}` },
      organization: { reference: `Organization/${practice.id}` },
      code: [concept('http://terminology.hl7.org/CodeSystem/practitioner-role', code)],
      specialty: [{ text: specialty }],
    });

  for (const clinic of CLINICS) {
    resources.push({
      resourceType: 'Organization',
      id: `synth-clinic-${clinic.code}`,
      identifier: [{ system: DEPARTMENT_SYSTEM, value: clinic.code }],
      type: [concept(ORGANIZATION_TYPE_SYSTEM, 'dept', 'Hospital Department')],
      name: clinic.name,
      telecom: [{ system: 'phone', value: phone(random) }],
      extension: [{ url: SELF_SCHEDULING_EXTENSION, valueBoolean: clinic.selfScheduling }],
    });
  }

  const hospital: Resource = { resourceType: 'Organization', id: 'synth-practice-hospital', type: [concept(ORGANIZATION_TYPE_SYSTEM, 'prov', 'Healthcare Provider')], name: hospitalName };
  resources.push(hospital);
  const clinicians = new Map<string, Resource[]>();
  for (const clinic of CLINICS) {
    const staff: Resource[] = [];
    for (let i = 0; i < (CLINICIANS_PER_CLINIC[clinic.code] ?? DEFAULT_CLINICIANS_PER_CLINIC); i++) {
      const person = practitioner(clinic.code === 'social-work' ? 'LICSW' : clinic.code === 'psychology' ? 'PhD' : random.pick(['MD', 'MD', 'DO', 'NP']));
      role(person, hospital, 'doctor', clinic.name);
      staff.push(person);
    }
    clinicians.set(clinic.code, staff);
  }
  const ortiz = DEMO_CLINICIANS.ortiz;
  const demoSpecialist = practitioner(ortiz.credential, { ...ortiz, id: 'synth-practitioner-demo-ortiz' });
  role(demoSpecialist, hospital, 'doctor', CLINICS.find((clinic) => clinic.code === ortiz.clinic)!.name);
  clinicians.get(ortiz.clinic)!.push(demoSpecialist);

  const pcps: Directory['pcps'] = [];
  let demoPcp: Directory['demoPcp'] | undefined;
  for (const [index, name] of PRACTICE_NAMES.entries()) {
    const practice: Resource = {
      resourceType: 'Organization',
      id: `synth-practice-${index + 1}`,
      type: [concept(ORGANIZATION_TYPE_SYSTEM, 'prov', 'Healthcare Provider')],
      name,
      telecom: [{ system: 'phone', value: phone(random) }, { system: 'fax', value: phone(random) }],
      address: [{ line: [random.english.location.streetAddress()], city: random.english.location.city(), state: 'MA', postalCode: `0${random.int(1000, 2799)}` }],
    };
    resources.push(practice);
    for (let i = 0; i < PCPS_PER_PRACTICE; i++) {
      const person = practitioner(random.pick(['MD', 'MD', 'DO', 'NP', 'PA']));
      role(person, practice, 'doctor', 'Pediatrics');
      pcps.push({ practitioner: person, practice });
    }
    if (index === DEMO_CLINICIANS.patel.practiceIndex) {
      const patel = DEMO_CLINICIANS.patel;
      const person = practitioner(patel.credential, { ...patel, id: 'synth-practitioner-demo-patel' });
      role(person, practice, 'doctor', 'Pediatrics');
      demoPcp = { practitioner: person, practice };
      pcps.push(demoPcp);
    }
  }

  return {
    bundle: transactionBundle(resources),
    pcps,
    demoPcp: demoPcp!,
    demoSpecialist: { practitioner: demoSpecialist, clinic: ortiz.clinic },
    cliniciansOf: (clinicCode) => clinicians.get(clinicCode) ?? clinicians.get('general-pediatrics')!,
  };
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

export function phone(random: Random): string {
  return `555-${random.digits(3)}-${random.digits(4)}`;
}

/** A valid NPI (Luhn check digit over the 80840 prefix), unique per number. */
export function syntheticNpi(number: number): string {
  const body = `1${String(number).padStart(8, '0')}`;
  const digits = `80840${body}`.split('').map(Number);
  let sum = 0;
  // Doubling starts from the rightmost digit, since the check digit is not there yet.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    const value = double ? digits[i]! * 2 : digits[i]!;
    sum += value > 9 ? value - 9 : value;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}
