// The synthetic record: the shared directory, then one transaction bundle per family,
// generated one at a time so any number of patients fits in memory. The same seed and day
// give the same bundles.
import { DEFAULT_MRN_SYSTEM } from '../services/fhirImport/systems.ts';
import { buildDirectory } from './directory.ts';
import { addDays, addYears, type Bundle } from './fhir.ts';
import { buildFamily, type ChildPlan, type FamilyPlan } from './family.ts';
import type { HistoryShape } from './history.ts';
import { seededRandom, type Random } from './random.ts';

export interface SynthOptions {
  patients: number;
  seed: number;
  /** 'YYYY-MM-DD': the day the record is "as of"; ages and visit dates count from it. */
  today: string;
  timeZone?: string;
  mrnSystem?: string;
}

/**
 * Patients every generated record starts with (when it has at least 8 patients), whatever the
 * seed, so demo accounts can be linked to them.
 */
export const DEMO_PATIENTS = {
  sixYearOld: { mrn: '90000001', about: 'Family 1: a 6-year-old (sibling of the 14-year-old)' },
  teenWithConfidentialVisit: { mrn: '90000002', about: 'Family 1: a 14-year-old with a confidential Adolescent Medicine visit and a sensitive test' },
  turning18Soon: { mrn: '90000003', about: 'Family 2: a 17-year-old who turns 18 in 20 days' },
  turning13Soon: { mrn: '90000004', about: 'Family 2: a 12-year-old who turns 13 in 45 days' },
  turning12Soon: { mrn: '90000005', about: 'Family 2: an 11-year-old who turns 12 in 60 days' },
  adultWithGuardian: { mrn: '90000006', about: 'Family 3: a 19-year-old whose court-appointed guardian has papers on file' },
  spanishSpeakingToddler: { mrn: '90000007', about: 'Family 4 (Spanish-speaking): a 3-year-old' },
  spanishSpeakingChild: { mrn: '90000008', about: 'Family 4 (Spanish-speaking): a 10-year-old' },
} as const;

/** A birth date such that the patient turns `age` in `days` days. */
const turningIn = (today: string, age: number, days: number) => addYears(addDays(today, days), -age);

function demoFamilies(today: string): FamilyPlan[] {
  const d = DEMO_PATIENTS;
  const families: FamilyPlan[] = [
    // Dr. Patel is family 1's PCP; Dr. Ortiz has seen family 4's toddler (services/myPatients/demoProviders.ts).
    { language: 'en', demoPcp: true, children: [{ mrn: d.sixYearOld.mrn, birthDate: turningIn(today, 7, 200) }, { mrn: d.teenWithConfidentialVisit.mrn, birthDate: turningIn(today, 15, 150), confidentialVisit: true }] },
    {
      language: 'en',
      children: [
        { mrn: d.turning18Soon.mrn, birthDate: turningIn(today, 18, 20) },
        { mrn: d.turning13Soon.mrn, birthDate: turningIn(today, 13, 45) },
        { mrn: d.turning12Soon.mrn, birthDate: turningIn(today, 12, 60) },
      ],
    },
    { language: 'en', children: [{ mrn: d.adultWithGuardian.mrn, birthDate: turningIn(today, 20, 120), courtGuardian: true }] },
    { language: 'es', children: [{ mrn: d.spanishSpeakingToddler.mrn, birthDate: turningIn(today, 4, 90), seenByDemoSpecialist: true }, { mrn: d.spanishSpeakingChild.mrn, birthDate: turningIn(today, 11, 30) }] },
  ];
  // Demo patients have something on every record page.
  return families.map((family) => ({ ...family, children: family.children.map((child) => ({ ...child, fullHistory: true })) }));
}

const DEMO_PATIENT_COUNT = Object.keys(DEMO_PATIENTS).length;

/** The directory bundle first, then one bundle per family, until `patients` patients. */
export function* syntheticBundles(options: SynthOptions): Generator<Bundle> {
  const random = seededRandom(options.seed);
  const directory = buildDirectory();
  yield directory.bundle;
  const context = { random, today: options.today, timeZone: options.timeZone ?? 'America/New_York', mrnSystem: options.mrnSystem ?? DEFAULT_MRN_SYSTEM, directory };
  let remaining = options.patients;
  if (remaining >= DEMO_PATIENT_COUNT) {
    for (const family of demoFamilies(options.today)) yield buildFamily(family, context);
    remaining -= DEMO_PATIENT_COUNT;
  }
  let nextMrn = 10_000_001;
  while (remaining > 0) {
    const size = Math.min(remaining, random.pick([1, 2, 2, 3, 3, 4]));
    const children = Array.from({ length: size }, () => randomChild(random, options.today, String(nextMrn++)));
    yield buildFamily({ language: random.chance(0.25) ? 'es' : 'en', children }, context);
    remaining -= size;
  }
}

/** Five years of a busy patient's care: 400 lab results, 60 visits with notes, 20 radiology reports. */
export const HEAVY_HISTORY: HistoryShape = { years: 5, visits: 60, labPanels: 100, imaging: 20, medications: 12, allergies: 3, upcomingAppointments: 4 };

/**
 * One family with one child who has `history` (a 9-year-old with HEAVY_HISTORY unless told),
 * referring to the same directory as syntheticBundles. Import it with (after) that directory;
 * give it a seed other than theirs so its ids are its own.
 */
export function heavyPatientBundle(options: Omit<SynthOptions, 'patients'> & { mrn: string; birthDate?: string; history?: HistoryShape }): Bundle {
  const random = seededRandom(options.seed);
  const context = { random, today: options.today, timeZone: options.timeZone ?? 'America/New_York', mrnSystem: options.mrnSystem ?? DEFAULT_MRN_SYSTEM, directory: buildDirectory() };
  const child: ChildPlan = { mrn: options.mrn, birthDate: options.birthDate ?? turningIn(options.today, 10, 100), history: options.history ?? HEAVY_HISTORY };
  return buildFamily({ language: 'en', children: [child] }, context);
}

/** Ages 0–21; a few turn 12, 13 or 18 within the next 90 days. */
function randomChild(random: Random, today: string, mrn: string): ChildPlan {
  if (random.chance(0.06)) return { mrn, birthDate: turningIn(today, random.pick([12, 13, 18]), random.int(1, 90)), confidentialVisit: random.chance(0.5) };
  return { mrn, birthDate: addDays(today, -random.int(3, 22 * 365 - 1)) };
}
