// Every address of the MyPatients portal that names a patient, in one list. The routes register
// themselves from it, and test/integration/providerNoBasis.test.ts requests each one as a provider
// with no basis and expects 404 (and a refused audit row) for all of them: a page added here is
// covered by that test, and a page that names a patient must be added here.
// Placeholders: :patientId, and the ids of the items inside the record (:noteId, :reportId).

export interface ProviderPatientPath {
  method: 'GET' | 'POST';
  path: string;
}

export const PROVIDER_PATIENT_PATHS = {
  summary: { method: 'GET', path: '/provider/patients/:patientId' },
  admissions: { method: 'GET', path: '/provider/patients/:patientId/admissions' },
  visits: { method: 'GET', path: '/provider/patients/:patientId/visits' },
  notes: { method: 'GET', path: '/provider/patients/:patientId/notes' },
  note: { method: 'GET', path: '/provider/patients/:patientId/notes/:noteId' },
  medications: { method: 'GET', path: '/provider/patients/:patientId/medications' },
  results: { method: 'GET', path: '/provider/patients/:patientId/results' },
  reports: { method: 'GET', path: '/provider/patients/:patientId/reports' },
  report: { method: 'GET', path: '/provider/patients/:patientId/reports/:reportId' },
  save: { method: 'POST', path: '/provider/patients/:patientId/save' },
  remove: { method: 'POST', path: '/provider/patients/:patientId/remove' },
} as const satisfies Record<string, ProviderPatientPath>;

/** The saved-patients list: it names patients, but only those the provider may see now. */
export const SAVED_PATIENTS_PATH = '/provider/patients';
/** Removes every saved patient the provider may no longer see (names nobody). */
export const REMOVE_HIDDEN_SAVED_PATIENTS_PATH = '/provider/patients/remove-hidden';

/** The record's sections, in the order of its navigation; each is a key of PROVIDER_PATIENT_PATHS. */
export const PROVIDER_RECORD_SECTIONS = ['summary', 'admissions', 'visits', 'notes', 'medications', 'results', 'reports'] as const;
export type ProviderRecordSection = (typeof PROVIDER_RECORD_SECTIONS)[number];

/** A path with its placeholders filled in. */
export function providerPatientHref(path: string, values: Record<string, number>): string {
  return path.replace(/:([a-zA-Z]+)/g, (placeholder, name: string) => (name in values ? String(values[name]) : placeholder));
}
