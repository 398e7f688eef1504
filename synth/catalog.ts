// The hospital the synthetic record describes: its clinics, and the tests, vaccines,
// medicines, allergies and insurers its patients meet. Codes are real (LOINC, CVX, RxNorm,
// SNOMED CT) so the output reads like an EHR's.

export interface Clinic {
  code: string;
  name: string;
  selfScheduling: boolean;
  /** Notes from this department are never shown in MyChildren's (SPEC §1). */
  notesHeld?: boolean;
}

export const CLINICS: readonly Clinic[] = [
  { code: 'general-pediatrics', name: 'General Pediatrics', selfScheduling: true },
  { code: 'allergy', name: 'Allergy and Immunology', selfScheduling: true },
  { code: 'cardiology', name: 'Cardiology', selfScheduling: false },
  { code: 'dermatology', name: 'Dermatology', selfScheduling: true },
  { code: 'endocrinology', name: 'Endocrinology', selfScheduling: false },
  { code: 'gastroenterology', name: 'Gastroenterology', selfScheduling: false },
  { code: 'neurology', name: 'Neurology', selfScheduling: false },
  { code: 'orthopedics', name: 'Orthopedics', selfScheduling: true },
  { code: 'otolaryngology', name: 'Otolaryngology (ENT)', selfScheduling: true },
  { code: 'pulmonology', name: 'Pulmonology', selfScheduling: false },
  { code: 'radiology', name: 'Radiology', selfScheduling: false },
  { code: 'emergency', name: 'Emergency Department', selfScheduling: false },
  { code: 'inpatient-medicine', name: 'Inpatient Medicine', selfScheduling: false },
  { code: 'adolescent-medicine', name: 'Adolescent Medicine', selfScheduling: false, notesHeld: true },
  { code: 'adolescent-substance-abuse', name: 'Adolescent Substance Abuse Program', selfScheduling: false, notesHeld: true },
  { code: 'child-protection', name: 'Child Protection Team', selfScheduling: false, notesHeld: true },
  { code: 'gynecology', name: 'Gynecology', selfScheduling: false, notesHeld: true },
  { code: 'psychiatry', name: 'Psychiatry', selfScheduling: false, notesHeld: true },
  { code: 'psychology', name: 'Psychology', selfScheduling: false, notesHeld: true },
  { code: 'social-work', name: 'Social Work', selfScheduling: false, notesHeld: true },
];

/** Clinics a routine outpatient visit goes to. */
export const VISIT_CLINICS = ['general-pediatrics', 'allergy', 'cardiology', 'dermatology', 'endocrinology', 'gastroenterology', 'neurology', 'orthopedics', 'otolaryngology', 'pulmonology'];
export const HELD_NOTE_CLINICS = CLINICS.filter((c) => c.notesHeld && c.code !== 'adolescent-medicine' && c.code !== 'gynecology').map((c) => c.code);

export const NOTE_TYPES = {
  progress: { code: '11506-3', display: 'Progress note' },
  consult: { code: '11488-4', display: 'Consult note' },
  edNote: { code: '34111-5', display: 'Emergency department note' },
  hAndP: { code: '34117-2', display: 'History and physical note' },
  discharge: { code: '18842-5', display: 'Discharge summary' },
} as const;

export interface LabTest {
  code: string;
  display: string;
  unit: string;
  low: number;
  high: number;
  decimals: number;
}

export const CBC: readonly LabTest[] = [
  { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', low: 11.5, high: 15.5, decimals: 1 },
  { code: '6690-2', display: 'Leukocytes [#/volume] in Blood', unit: '10*3/uL', low: 4.5, high: 13.5, decimals: 1 },
  { code: '777-3', display: 'Platelets [#/volume] in Blood', unit: '10*3/uL', low: 150, high: 450, decimals: 0 },
  { code: '4544-3', display: 'Hematocrit [Volume Fraction] of Blood', unit: '%', low: 35, high: 45, decimals: 1 },
];

export const BMP: readonly LabTest[] = [
  { code: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', low: 135, high: 145, decimals: 0 },
  { code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', low: 3.5, high: 5.1, decimals: 1 },
  { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', unit: 'mg/dL', low: 70, high: 110, decimals: 0 },
  { code: '3094-0', display: 'Urea nitrogen [Mass/volume] in Serum or Plasma', unit: 'mg/dL', low: 5, high: 18, decimals: 0 },
];

export const PANELS = [
  { code: '58410-2', display: 'CBC panel - Blood by Automated count', tests: CBC },
  { code: '51990-0', display: 'Basic metabolic panel - Blood', tests: BMP },
] as const;

/** Tests on the default "not on the portal" list, with the security label an EHR would add. */
export const SENSITIVE_TESTS = [
  { code: '43304-5', display: 'Chlamydia trachomatis rRNA [Presence] in Specimen by NAA with probe detection', label: 'STD' },
  { code: '2106-3', display: 'Choriogonadotropin (pregnancy test) [Presence] in Urine', label: 'PREGNANT' },
  { code: '56888-1', display: 'HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay', label: 'HIV' },
] as const;

export const IMAGING = [
  { code: '36643-5', display: 'XR Chest 2 Views', conclusion: 'Lungs are clear. No acute cardiopulmonary process.' },
  { code: '37637-6', display: 'XR Wrist 2 Views', conclusion: 'No fracture or dislocation.' },
  { code: '24531-6', display: 'US Abdomen', conclusion: 'Normal abdominal ultrasound.' },
  { code: '30704-1', display: 'XR Ankle 3 Views', conclusion: 'Nondisplaced distal fibular fracture.' },
] as const;

/** Vaccines by the age (in months) they are usually given at, CVX codes. */
export const VACCINES = [
  { months: 0, code: '08', display: 'Hepatitis B vaccine, pediatric' },
  { months: 2, code: '20', display: 'DTaP vaccine' },
  { months: 2, code: '133', display: 'Pneumococcal conjugate vaccine, 13 valent' },
  { months: 4, code: '10', display: 'IPV polio vaccine' },
  { months: 12, code: '03', display: 'MMR vaccine' },
  { months: 12, code: '21', display: 'Varicella vaccine' },
  { months: 48, code: '20', display: 'DTaP vaccine' },
  { months: 132, code: '115', display: 'Tdap vaccine' },
  { months: 132, code: '62', display: 'HPV vaccine, quadrivalent' },
  { months: 132, code: '114', display: 'Meningococcal conjugate vaccine (MenACWY-D)' },
] as const;

export const MEDICATIONS = [
  { code: '308182', display: 'Amoxicillin 250 MG/5ML Oral Suspension', dosage: '5 mL by mouth twice a day for 10 days' },
  { code: '1649480', display: 'Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', dosage: '2 puffs every 4 hours as needed for wheezing' },
  { code: '198211', display: 'Cetirizine 1 MG/ML Oral Solution', dosage: '5 mL by mouth once a day' },
  { code: '351137', display: 'Fluticasone 0.05 MG/ACTUAT Nasal Spray', dosage: '1 spray in each nostril once a day' },
  { code: '313782', display: 'Acetaminophen 160 MG/5ML Oral Suspension', dosage: '7.5 mL by mouth every 6 hours as needed for fever' },
  { code: '105586', display: 'Methylphenidate 10 MG Oral Tablet', dosage: '1 tablet by mouth every morning' },
] as const;

export const ALLERGIES = [
  { code: '91935009', display: 'Allergy to peanut', reaction: 'Hives', criticality: 'high' },
  { code: '294505008', display: 'Allergy to amoxicillin', reaction: 'Rash', criticality: 'low' },
  { code: '300913006', display: 'Allergy to shellfish', reaction: 'Swelling of lips', criticality: 'high' },
  { code: '232350006', display: 'House dust mite allergy', reaction: 'Sneezing', criticality: 'low' },
] as const;

export const PAYERS = ['Commonwealth Health Plan', 'Bay State Medicaid (MassHealth)', 'Blue Harbor PPO', 'Tufts Family Health', 'Harvard Pilgrim HMO'] as const;

export const VISIT_REASONS = ['Well-child check', 'Follow-up visit', 'Ear pain', 'Asthma follow-up', 'Rash', 'Headaches', 'Sports physical', 'Abdominal pain'] as const;

export const CHARGES = [
  { description: 'Office visit, established patient', amount: 185 },
  { description: 'Office visit, new patient', amount: 260 },
  { description: 'Complete blood count', amount: 48 },
  { description: 'Chest X-ray, 2 views', amount: 210 },
  { description: 'Immunization administration', amount: 35 },
  { description: 'Emergency department visit', amount: 890 },
] as const;

export const PRACTICE_NAMES = ['Jamaica Plain Pediatrics', 'Harborside Children’s Health', 'North Shore Pediatric Associates', 'Metrowest Family Pediatrics', 'Riverside Community Health Center', 'Cape Pediatric Group'] as const;
