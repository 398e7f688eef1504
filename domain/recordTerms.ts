// The coded values of the record's lists (report categories, statuses, criticality, who holds the
// insurance) that pages say in words. A value the hospital's system sends that we do not know is
// said as "other" rather than shown as a raw code or breaking the page.

/**
 * Diagnostic service sections (HL7 v2 table 0074), the categories a DiagnosticReport carries.
 * Each maps to the word key under record.reports.category.
 */
const REPORT_CATEGORY_KEYS: Readonly<Record<string, string>> = {
  AU: 'audiology',
  BG: 'bloodGases',
  BLB: 'bloodBank',
  CG: 'cytogenetics',
  CH: 'chemistry',
  CP: 'cytopathology',
  CT: 'ct',
  CTH: 'cardiacCatheterization',
  CUS: 'cardiacUltrasound',
  EC: 'ecg',
  EN: 'electroneuro',
  GE: 'genetics',
  HM: 'hematology',
  ICU: 'icuMonitoring',
  IMM: 'immunology',
  LAB: 'laboratory',
  MB: 'microbiology',
  MCB: 'mycobacteriology',
  MYC: 'mycology',
  NMR: 'mri',
  NMS: 'nuclearMedicine',
  NRS: 'nursing',
  OSL: 'outsideLab',
  OT: 'occupationalTherapy',
  OTH: 'other',
  OUS: 'obstetricUltrasound',
  PF: 'pulmonaryFunction',
  PHR: 'pharmacy',
  PHY: 'physician',
  PT: 'physicalTherapy',
  RAD: 'radiology',
  RC: 'respiratoryCare',
  RT: 'radiationTherapy',
  RUS: 'ultrasound',
  RX: 'xray',
  SP: 'surgicalPathology',
  SR: 'serology',
  TX: 'toxicology',
  US: 'ultrasound',
  VR: 'virology',
  VUS: 'vascularUltrasound',
  XRC: 'cineradiography',
};

/** Every word key a report category can take (for the locale test and the views). */
export const REPORT_CATEGORY_WORDS: readonly string[] = [...new Set([...Object.values(REPORT_CATEGORY_KEYS), 'other'])];

/** The word key for a report's category code; an unknown code is "other". */
export function reportCategoryWord(code: string | null | undefined): string {
  return REPORT_CATEGORY_KEYS[(code ?? '').trim().toUpperCase()] ?? 'other';
}

// FHIR R4 value sets, as far as a family needs them in words. 'entered-in-error' never reaches a
// page (domain/familyRecord.ts drops those items), so it has no words.
export const MEDICATION_STATUSES = ['active', 'on-hold', 'completed', 'stopped', 'cancelled', 'draft', 'unknown'] as const;
export const ALLERGY_STATUSES = ['active', 'inactive', 'resolved'] as const;
export const ALLERGY_CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;
export const IMMUNIZATION_STATUSES = ['completed', 'not-done'] as const;
export const COVERAGE_STATUSES = ['active', 'cancelled', 'draft'] as const;
export const SUBSCRIBER_RELATIONSHIPS = ['child', 'parent', 'spouse', 'common', 'other', 'self', 'injured'] as const;

/** Medicines the patient is taking now (or has paused), as against past prescriptions. */
export function isCurrentMedication(status: string): boolean {
  const normalised = status.trim().toLowerCase();
  return normalised === 'active' || normalised === 'on-hold';
}

/** The value when it is one of `known`; 'other' when it is something else; null when there is none. */
export function termOf(value: string | null | undefined, known: readonly string[]): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const normalised = value.trim().toLowerCase();
  return known.includes(normalised) ? normalised : 'other';
}

/**
 * Care-team roles as records write them (free text, a CareTeam participant role's display, or a
 * v3 ParticipationType code), each mapped to the word key under record.careTeam.roles. Any other
 * role is shown as the record has it: it may be a specialty ("Cardiologist") we cannot improve on.
 */
const CARE_TEAM_ROLE_KEYS: Readonly<Record<string, string>> = {
  'primary care provider': 'pcp',
  'primary care physician': 'pcp',
  'primary care doctor': 'pcp',
  'primary care': 'pcp',
  pcp: 'pcp',
  specialist: 'specialist',
  'specialist physician': 'specialist',
  attending: 'attending',
  'attending physician': 'attending',
  atnd: 'attending',
  consultant: 'consultant',
  con: 'consultant',
  nurse: 'nurse',
  'registered nurse': 'nurse',
  'care coordinator': 'careCoordinator',
  'case manager': 'careCoordinator',
  'social worker': 'socialWorker',
  dietitian: 'dietitian',
  pharmacist: 'pharmacist',
};

/** Every word key a care-team role can take (for the locale test). */
export const CARE_TEAM_ROLE_WORDS: readonly string[] = [...new Set(Object.values(CARE_TEAM_ROLE_KEYS))];

/** The word key for a care-team role; null when the role is unknown (show it as recorded) or absent. */
export function careTeamRoleWord(role: string | null | undefined): string | null {
  const normalised = (role ?? '').trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.:;,]+$/, '');
  return CARE_TEAM_ROLE_KEYS[normalised] ?? null;
}
