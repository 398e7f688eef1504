// Demo data: when the record is empty, about 200 synthetic patients (seed 1) through the same
// import path as real data, as one all-or-nothing import. Several instances starting at once
// agree through an advisory lock, so only one of them imports.
import type { Database } from '../data/database.ts';
import { patientIdsByMrn, recordIsEmpty } from '../data/record/patients.ts';
import { DEMO_PATIENTS, syntheticBundles } from '../synth/index.ts';
import { entriesFromBundles, importFhir } from './fhirImport/index.ts';
import { DEFAULT_MRN_SYSTEM } from './fhirImport/systems.ts';

export const DEMO_SEED = 1;
export const DEMO_PATIENT_COUNT = 200;
// Any fixed number: the key of the advisory lock that serialises demo imports.
const DEMO_IMPORT_LOCK = 4_420_261;

export interface DemoDataOptions {
  /** 'YYYY-MM-DD' in the hospital's time zone: ages and visits are generated around it. */
  today: string;
  timeZone?: string;
  mrnSystem?: string;
}

export async function importDemoData(db: Database, options: DemoDataOptions): Promise<{ imported: boolean; patients: number }> {
  return db.transaction(async (lock) => {
    await lock.raw('SELECT pg_advisory_xact_lock(?)', [DEMO_IMPORT_LOCK]);
    if (!(await recordIsEmpty(db))) return { imported: false, patients: 0 };
    const timeZone = options.timeZone ?? 'America/New_York';
    const bundles = syntheticBundles({ patients: DEMO_PATIENT_COUNT, seed: DEMO_SEED, today: options.today, timeZone, mrnSystem: options.mrnSystem ?? DEFAULT_MRN_SYSTEM });
    const result = await importFhir(db, entriesFromBundles(bundles), { timeZone, mrnSystem: options.mrnSystem, actor: { type: 'system' } });
    if (!result.ok) throw new Error(`Demo data was refused: ${result.problems[0]?.location} ${result.problems[0]?.message}`);
    return { imported: true, patients: result.patientCount };
  });
}

export type DemoPatientKey = keyof typeof DEMO_PATIENTS;

/** The well-known demo patients' row ids (absent when the demo data is not loaded). */
export async function findDemoPatients(db: Database): Promise<Partial<Record<DemoPatientKey, { id: number; mrn: string; about: string }>>> {
  const ids = await patientIdsByMrn(db, Object.values(DEMO_PATIENTS).map((patient) => patient.mrn));
  const found: Partial<Record<DemoPatientKey, { id: number; mrn: string; about: string }>> = {};
  for (const [key, patient] of Object.entries(DEMO_PATIENTS) as [DemoPatientKey, (typeof DEMO_PATIENTS)[DemoPatientKey]][]) {
    const id = ids.get(patient.mrn);
    if (id !== undefined) found[key] = { id, mrn: patient.mrn, about: patient.about };
  }
  return found;
}

export { DEMO_PATIENTS };
