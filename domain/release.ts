// What the family portal (MyChildren's) may show from the record, and why it holds the rest back.
// Each decision names a category of reason a family can be told ("notes from some departments are
// not shared through the portal"), never what the held item is.
//
// When several reasons apply, the first in this order wins, so a family is never told "not complete
// yet" about something that will never appear:
//   withdrawn → confidential → sensitive → kind of note → duplicate → not complete → release delay.

export type HeldReason =
  | 'withdrawn' // cancelled or entered in error: no longer part of the record
  | 'confidential' // a confidential visit note
  | 'sensitive' // flagged sensitive, or a test on the "not on the portal" list
  | 'inpatient-or-emergency-note' // a note from a hospital stay or an emergency department visit
  | 'discharge-summary'
  | 'department-not-shared' // a note from a department whose notes are never shared online
  | 'duplicate' // another copy of an item that is shown (or held) on its own
  | 'not-complete' // not yet signed, resulted or final
  | 'release-delay'; // final, but inside the hospital's waiting time for its category

export type ReleaseDecision = { readonly shown: true } | { readonly shown: false; readonly reason: HeldReason };

export type EncounterClass = 'ambulatory' | 'inpatient' | 'emergency' | 'virtual';

/** What every item carries, whatever its kind. */
export interface ItemForRelease {
  /** 'external': from an outside hospital or clinic; such items may arrive late but follow the same rules. */
  readonly source: 'internal' | 'external';
  /** The id of the item this one duplicates. */
  readonly duplicateOf?: string | undefined;
  /** The record marks the item itself as sensitive. */
  readonly sensitive?: boolean | undefined;
  /** The item itself is marked confidential. */
  readonly confidential?: boolean | undefined;
  /** The visit the item belongs to is a confidential visit. */
  readonly encounterConfidential?: boolean | undefined;
  /** Sensitivity labels the record puts on the item (FHIR meta.security codes such as HIV or ETH). */
  readonly sensitivityLabels?: readonly string[] | undefined;
}

/** FHIR DocumentReference.docStatus. */
export type NoteStatus = 'preliminary' | 'final' | 'amended' | 'entered-in-error';

export interface NoteForRelease extends ItemForRelease {
  readonly status: NoteStatus;
  /** The note's type (LOINC document type code). */
  readonly typeCode: string;
  /** The department the note comes from; null when the record does not say. */
  readonly departmentCode: string | null;
  /** The class of the note's visit; null for a note outside any visit. */
  readonly encounterClass: EncounterClass | null;
  /** When the author signed the note. */
  readonly completedAt: Date | null;
}

/** FHIR Observation.status. */
export type LabResultStatus =
  | 'registered'
  | 'preliminary'
  | 'final'
  | 'amended'
  | 'corrected'
  | 'cancelled'
  | 'entered-in-error'
  | 'unknown';

/** What the "not on the portal" test rule looks at (lab results and reports alike). */
export interface TestForRelease {
  /** The test's code (LOINC). */
  readonly testCode: string;
}

export interface LabResultForRelease extends ItemForRelease, TestForRelease {
  readonly status: LabResultStatus;
  readonly resultedAt: Date | null;
}

/** FHIR DiagnosticReport.status. */
export type ReportStatus =
  | 'registered'
  | 'partial'
  | 'preliminary'
  | 'final'
  | 'amended'
  | 'corrected'
  | 'appended'
  | 'cancelled'
  | 'entered-in-error'
  | 'unknown';

export interface ReportForRelease extends ItemForRelease, TestForRelease {
  readonly status: ReportStatus;
  /** The report's category (HL7 v2 table 0074 code, e.g. RAD for radiology). */
  readonly category: string;
  /** When the report was first made final; the release delay counts from here. */
  readonly completedAt: Date | null;
}

/** A medicine (FHIR MedicationRequest): no signing, resulting or delay, only the marks on the item and its visit. */
export interface MedicationForRelease extends Pick<ItemForRelease, 'sensitive' | 'confidential' | 'encounterConfidential' | 'sensitivityLabels'> {
  /** FHIR MedicationRequest.status; a cancelled or stopped prescription is still part of the medicine history. */
  readonly status: string;
}

export interface ReleasePolicy {
  /** Departments whose notes are never shown. */
  readonly heldNoteDepartments: readonly string[];
  /** Note type codes that are discharge summaries. */
  readonly dischargeSummaryNoteTypes: readonly string[];
  /** Test codes never shown on the portal (exact codes: LOINC codes have no hierarchy, so no prefixes). */
  readonly notOnPortalTestCodes: readonly string[];
  /** Sensitivity labels that keep an item (a test, or a note) off the portal. */
  readonly notOnPortalSensitivityLabels: readonly string[];
  /** Whole days a final report waits before it is shown, by report category; unlisted categories wait 0 days. */
  readonly reportDelayDays: Readonly<Record<string, number>>;
}

export const defaultReleasePolicy: ReleasePolicy = Object.freeze({
  heldNoteDepartments: Object.freeze([
    'adolescent-medicine',
    'adolescent-substance-abuse',
    'child-protection',
    'gynecology',
    'psychiatry',
    'psychology',
    'social-work',
  ]),
  dischargeSummaryNoteTypes: Object.freeze([
    '18842-5', // Discharge summary
    '34105-7', // Hospital discharge summary
    '11490-0', // Physician discharge summary
    '28655-9', // Attending discharge summary
    '34106-5', // Physician hospital discharge summary
    '34745-0', // Nurse discharge summary
    '59258-4', // Emergency department discharge summary
  ]),
  // The tests most often ordered in each sensitive group; the hospital's laboratory should extend this
  // with its full list, and sensitivity labels below catch tests the list misses.
  notOnPortalTestCodes: Object.freeze([
    // HIV
    '56888-1', // HIV-1/2 antibody + HIV-1 p24 antigen, immunoassay
    '80387-4', // HIV-1/2 antibody + HIV-1 p24 antigen, rapid
    '75622-1', // HIV-1 and 2 tests
    '7917-8', // HIV-1 antibody
    '7918-6', // HIV-1/2 antibody
    '68961-2', // HIV-1 antibody, rapid
    '89365-1', // HIV-1 and 2 antibody panel, rapid
    '5221-7', // HIV-1 antibody, immunoblot
    '25836-8', // HIV-1 RNA viral load
    '9836-8', // HIV proviral DNA
    // Sexually transmitted infections
    '43304-5', // Chlamydia trachomatis rRNA, NAA
    '21613-5', // Chlamydia trachomatis DNA, NAA
    '42931-6', // Chlamydia trachomatis rRNA in urine, NAA
    '6357-8', // Chlamydia trachomatis DNA in urine, NAA
    '43305-2', // Neisseria gonorrhoeae rRNA, NAA
    '24111-7', // Neisseria gonorrhoeae DNA, NAA
    '21416-3', // Neisseria gonorrhoeae DNA in urine, NAA
    '36902-5', // Chlamydia + gonorrhoeae DNA, NAA
    '44806-8', // Chlamydia + gonorrhoeae DNA in urine, NAA
    '20507-0', // Syphilis: reagin antibody, RPR
    '31147-2', // Syphilis: reagin antibody titre, RPR
    '5292-8', // Syphilis: reagin antibody, VDRL
    '22587-0', // Syphilis: Treponema pallidum antibody
    '47236-5', // Syphilis: Treponema pallidum IgG+IgM, immunoassay
    // Pregnancy
    '2106-3', // hCG (pregnancy test), urine
    '2112-1', // hCG beta (pregnancy test), urine
    '80384-1', // hCG (pregnancy test), urine, rapid
    '2118-8', // hCG (pregnancy test), serum or plasma
    '2110-5', // hCG beta (pregnancy test), serum or plasma
    '80385-8', // hCG (pregnancy test), serum, rapid
    '19080-1', // hCG, serum or plasma, quantitative
    '21198-7', // hCG beta, serum or plasma, quantitative
    '83086-9', // hCG, serum or plasma, immunoassay
    // Genetics
    '51969-4', // Genetic analysis report
  ]),
  // HL7 v3 ActCode information-sensitivity codes.
  notOnPortalSensitivityLabels: Object.freeze(['HIV', 'STD', 'SEX', 'PREGNANT', 'GDIS', 'ETH', 'SDV']),
  reportDelayDays: Object.freeze({}),
});

/**
 * The default policy with a hospital's overrides; each given setting replaces the default one whole
 * (so a hospital can also remove a default department or test). Throws RangeError on a delay that is
 * not a whole number of days of at least 0, so a typo fails at start-up instead of hiding reports.
 */
export function releasePolicyFrom(overrides: Partial<ReleasePolicy>): ReleasePolicy {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const policy: ReleasePolicy = { ...defaultReleasePolicy, ...given };
  for (const [category, days] of Object.entries(policy.reportDelayDays)) {
    if (!Number.isInteger(days) || days < 0) {
      throw new RangeError(`Release delay for report category "${category}" must be a whole number of days (0 or more)`);
    }
  }
  return Object.freeze(policy);
}

/** The one definition of "confidential": the item, or the visit it belongs to, is marked so. */
export function isConfidential(item: Pick<ItemForRelease, 'confidential' | 'encounterConfidential'>): boolean {
  return item.confidential === true || item.encounterConfidential === true;
}

const HELD_NOTE_ENCOUNTER_CLASSES: readonly EncounterClass[] = ['inpatient', 'emergency'];
const WITHDRAWN_STATUSES: readonly string[] = ['cancelled', 'entered-in-error'];
const SIGNED_NOTE_STATUSES: readonly NoteStatus[] = ['final', 'amended'];
// Preliminary results are not "resulted": their values may still change before the laboratory verifies them.
const RESULTED_LAB_STATUSES: readonly LabResultStatus[] = ['final', 'amended', 'corrected'];
// Amended, corrected and appended reports are later versions of a final report.
const FINAL_REPORT_STATUSES: readonly ReportStatus[] = ['final', 'amended', 'corrected', 'appended'];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Clinical notes: shown once signed, except the kinds of note the portal never shows. */
export function noteRelease(note: NoteForRelease, now: Date, policy: ReleasePolicy): ReleaseDecision {
  return firstHeld(
    isWithdrawn(note.status) && 'withdrawn',
    isConfidential(note) && 'confidential',
    (note.sensitive === true || hasSensitivityLabel(note, policy)) && 'sensitive',
    listHas(policy.heldNoteDepartments, note.departmentCode) && 'department-not-shared',
    note.encounterClass !== null && HELD_NOTE_ENCOUNTER_CLASSES.includes(note.encounterClass) && 'inpatient-or-emergency-note',
    listHas(policy.dischargeSummaryNoteTypes, note.typeCode) && 'discharge-summary',
    isDuplicate(note) && 'duplicate',
    !isComplete(SIGNED_NOTE_STATUSES, note.status, note.completedAt, now) && 'not-complete',
  );
}

/** Lab results: shown as soon as resulted, except tests kept off the portal. */
export function labResultRelease(result: LabResultForRelease, now: Date, policy: ReleasePolicy): ReleaseDecision {
  return firstHeld(
    isWithdrawn(result.status) && 'withdrawn',
    isSensitiveTest(result, policy) && 'sensitive',
    isDuplicate(result) && 'duplicate',
    !isComplete(RESULTED_LAB_STATUSES, result.status, result.resultedAt, now) && 'not-complete',
  );
}

/**
 * Diagnostic and radiology reports: shown when final and the category's delay has passed. A delay of
 * N days is N × 24 hours from completion, to the millisecond: the care team gets the full time it was
 * promised to talk to the family first, and a report completed on Monday at 15:00 appears 4 days
 * later on Friday at 15:00 (one hour later or earlier by the clock in a week when the clocks change).
 */
export function reportRelease(report: ReportForRelease, now: Date, policy: ReleasePolicy): ReleaseDecision {
  const completedAt = report.completedAt;
  return firstHeld(
    isWithdrawn(report.status) && 'withdrawn',
    isSensitiveTest(report, policy) && 'sensitive',
    isDuplicate(report) && 'duplicate',
    !isComplete(FINAL_REPORT_STATUSES, report.status, completedAt, now) && 'not-complete',
    completedAt !== null &&
      now.getTime() < completedAt.getTime() + delayDays(policy, report.category) * DAY_MS &&
      'release-delay',
  );
}

/**
 * Medicines: every prescription except one entered in error, or one with a protected sensitivity
 * label (HIV, ETH …: held from the whole family, like a sensitive test). A confidential one is not
 * held here: it is the teen's own, which the adolescent rule decides (domain/familyRecord.ts).
 */
export function medicationRelease(medication: MedicationForRelease, policy: ReleasePolicy): ReleaseDecision {
  return firstHeld(
    medication.status === 'entered-in-error' && 'withdrawn',
    (medication.sensitive === true || hasSensitivityLabel(medication, policy)) && 'sensitive',
  );
}

/** Shown unless a reason applies; reasons come in order of precedence. */
function firstHeld(...reasons: (HeldReason | false)[]): ReleaseDecision {
  const reason = reasons.find((candidate) => candidate !== false);
  return reason === undefined ? { shown: true } : { shown: false, reason };
}

function isWithdrawn(status: string): boolean {
  return WITHDRAWN_STATUSES.includes(status);
}

function isDuplicate(item: ItemForRelease): boolean {
  return item.duplicateOf !== undefined && item.duplicateOf !== '';
}

/** Done and dated: an unknown or future completion time (a clock out of step) is not complete yet. */
function isComplete<S extends string>(doneStatuses: readonly S[], status: S, completedAt: Date | null, now: Date): boolean {
  return doneStatuses.includes(status) && completedAt !== null && completedAt.getTime() <= now.getTime();
}

function isSensitiveTest(item: ItemForRelease & TestForRelease, policy: ReleasePolicy): boolean {
  return item.sensitive === true || listHas(policy.notOnPortalTestCodes, item.testCode) || hasSensitivityLabel(item, policy);
}

function hasSensitivityLabel(item: Pick<ItemForRelease, 'sensitivityLabels'>, policy: ReleasePolicy): boolean {
  return (item.sensitivityLabels ?? []).some((label) => listHas(policy.notOnPortalSensitivityLabels, label));
}

function delayDays(policy: ReleasePolicy, category: string): number {
  const entry = Object.entries(policy.reportDelayDays).find(([listed]) => sameCode(listed, category));
  return entry?.[1] ?? 0;
}

/** Codes compare without regard to case or stray spaces: a mismatch here would show what must be held. */
function listHas(list: readonly string[], code: string | null): boolean {
  return code !== null && list.some((listed) => sameCode(listed, code));
}

function sameCode(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
