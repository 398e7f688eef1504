// What MyPatients (outside clinicians) shows of a patient's record, once the access policy
// (domain/access.ts) has let the provider in. These are not the family release rules
// (domain/release.ts + domain/familyRecord.ts): a clinician needs hospital stays, emergency
// visits, discharge summaries and results the moment they exist. What they share is the short list
// of things that are never part of what an outside provider sees.
//
// Decided here, in this order (the first reason that applies wins):
//   withdrawn   – cancelled or entered in error: not part of the record at all.
//   confidential – the item, or the visit it belongs to, is marked confidential (release.ts
//                  isConfidential). Honoured at EVERY age, not only 13–17: doing it by age would
//                  open a teen's confidential care to outside providers on their 18th birthday, and
//                  a confidential mark on a younger child's item is just as binding.
//   sensitive   – a test on the hospital's "not on the portal" list (HIV, STI, pregnancy, genetics)
//                  or an item with a protected sensitivity label (HIV, STD, ETH …): these are where
//                  minor-consent care lives, and they are shared clinician to clinician by the
//                  hospital directly, not through a self-service portal. A lab result whose panel is
//                  sensitive, confidential or withdrawn goes with the panel (its name says what it is).
//   department-not-shared – notes from the departments whose notes are never shared online
//                  (adolescent medicine, substance use, child protection, gynaecology, psychiatry,
//                  psychology, social work): the same list the family portal uses.
//   duplicate   – a second copy of an item (from an outside source): the original is shown.
//   not-ready   – nothing to read yet: a note the author has not signed (preliminary draft), a test
//                  only registered (ordered, no value), a result or report whose status is unknown.
//
// Shown, unlike the family portal: notes from hospital stays and emergency visits, discharge
// summaries, radiology reports at once (no release delay: the delay gives the care team time to talk
// to the family, not to outside clinicians), and PRELIMINARY lab results and reports (partial,
// preliminary), labelled as preliminary on every page that shows them.
// Medicines follow the same short list: an entry in error, a confidential prescription (or one
// written at a confidential visit) and one with a protected sensitivity label are not shown; a
// cancelled or stopped one is part of the medicine history and is.
import { isConfidential, type EncounterClass, type ItemForRelease, type LabResultStatus, type MedicationForRelease, type NoteStatus, type ReleasePolicy, type ReportStatus } from './release.ts';
import type { AccessBasis } from './access.ts';

export type ProviderHiddenReason = 'withdrawn' | 'confidential' | 'sensitive' | 'department-not-shared' | 'duplicate' | 'not-ready';

export type ProviderDecision =
  | { readonly shown: true; /** Values or text may still change: say so beside the item. */ readonly preliminary: boolean }
  | { readonly shown: false; readonly reason: ProviderHiddenReason };

/** The parts of the release policy MyPatients honours: the sensitive lists, not the delays or the hospital-note rules. */
export type ProviderRecordPolicy = Pick<ReleasePolicy, 'heldNoteDepartments' | 'notOnPortalTestCodes' | 'notOnPortalSensitivityLabels'>;

const FINAL: ProviderDecision = Object.freeze({ shown: true, preliminary: false });
const PRELIMINARY: ProviderDecision = Object.freeze({ shown: true, preliminary: true });
const WITHDRAWN_STATUSES: readonly string[] = ['cancelled', 'entered-in-error'];

const FINAL_NOTE_STATUSES: readonly NoteStatus[] = ['final', 'amended'];
const FINAL_LAB_STATUSES: readonly LabResultStatus[] = ['final', 'amended', 'corrected'];
const PRELIMINARY_LAB_STATUSES: readonly LabResultStatus[] = ['preliminary'];
const FINAL_REPORT_STATUSES: readonly ReportStatus[] = ['final', 'amended', 'corrected', 'appended'];
const PRELIMINARY_REPORT_STATUSES: readonly ReportStatus[] = ['partial', 'preliminary'];

export interface NoteForProvider extends ItemForRelease {
  readonly status: NoteStatus;
  readonly departmentCode: string | null;
}

export interface TestForProvider extends ItemForRelease {
  readonly testCode: string;
}

export interface LabResultForProvider extends TestForProvider {
  readonly status: LabResultStatus;
}

export interface ReportForProvider extends TestForProvider {
  readonly status: ReportStatus;
}

export interface EncounterForProvider {
  readonly status: string;
  readonly confidential: boolean;
}

function hidden(reason: ProviderHiddenReason): ProviderDecision {
  return { shown: false, reason };
}

/** The first reason that applies, in the order the header explains; shown (final or preliminary) when none does. */
function firstReason(reasons: (ProviderHiddenReason | false)[], shown: ProviderDecision): ProviderDecision {
  const reason = reasons.find((candidate) => candidate !== false);
  return reason === undefined ? shown : hidden(reason);
}

export function providerNoteDecision(note: NoteForProvider, policy: ProviderRecordPolicy): ProviderDecision {
  return firstReason(
    [
      isWithdrawn(note.status) && 'withdrawn',
      isConfidential(note) && 'confidential',
      hasSensitivityLabel(note, policy) && 'sensitive',
      listHas(policy.heldNoteDepartments, note.departmentCode) && 'department-not-shared',
      isDuplicate(note) && 'duplicate',
      !FINAL_NOTE_STATUSES.includes(note.status) && 'not-ready',
    ],
    FINAL,
  );
}

/** A lab result, with the panel (report) it belongs to, if any. */
export function providerLabResultDecision(result: LabResultForProvider, panel: ReportForProvider | null, policy: ProviderRecordPolicy): ProviderDecision {
  if (panel) {
    const panelDecision = providerReportDecision(panel, policy);
    if (!panelDecision.shown && panelDecision.reason !== 'not-ready' && panelDecision.reason !== 'duplicate') return panelDecision;
  }
  return firstReason(
    [
      isWithdrawn(result.status) && 'withdrawn',
      isConfidential(result) && 'confidential',
      isSensitiveTest(result, policy) && 'sensitive',
      isDuplicate(result) && 'duplicate',
      !FINAL_LAB_STATUSES.includes(result.status) && !PRELIMINARY_LAB_STATUSES.includes(result.status) && 'not-ready',
    ],
    PRELIMINARY_LAB_STATUSES.includes(result.status) ? PRELIMINARY : FINAL,
  );
}

/** Diagnostic reports, and lab panels (a panel is a report of category LAB). */
export function providerReportDecision(report: ReportForProvider, policy: ProviderRecordPolicy): ProviderDecision {
  return firstReason(
    [
      isWithdrawn(report.status) && 'withdrawn',
      isConfidential(report) && 'confidential',
      isSensitiveTest(report, policy) && 'sensitive',
      isDuplicate(report) && 'duplicate',
      !FINAL_REPORT_STATUSES.includes(report.status) && !PRELIMINARY_REPORT_STATUSES.includes(report.status) && 'not-ready',
    ],
    PRELIMINARY_REPORT_STATUSES.includes(report.status) ? PRELIMINARY : FINAL,
  );
}

/** Hospital stays, emergency visits and clinic visits: a confidential visit, and everything recorded in it, is never shown. */
export function providerEncounterDecision(encounter: EncounterForProvider): ProviderDecision {
  return firstReason([isWithdrawn(encounter.status) && 'withdrawn', encounter.confidential && 'confidential'], FINAL);
}

/** Medicines: everything except entries made in error, confidential prescriptions and sensitive ones. */
export function providerMedicationDecision(medication: MedicationForRelease, policy: ProviderRecordPolicy): ProviderDecision {
  return firstReason(
    [
      medication.status === 'entered-in-error' && 'withdrawn',
      isConfidential(medication) && 'confidential',
      hasSensitivityLabel(medication, policy) && 'sensitive',
    ],
    FINAL,
  );
}

/** Where an encounter goes in the viewer: admissions and discharges (stays and emergency visits), or specialty visits. */
export type EncounterSection = 'admissions' | 'visits';

export function encounterSection(encounterClass: EncounterClass | null): EncounterSection {
  return encounterClass === 'inpatient' || encounterClass === 'emergency' ? 'admissions' : 'visits';
}

/**
 * The sentence on top of every record page saying why this provider may see it. The policy's
 * 'pcp' basis covers the PCP and the PCP's practice colleagues; the page tells them apart.
 */
export type BasisWording = 'pcp' | 'pcp-practice' | 'care-team' | 'granted' | 'token' | 'sponsor-practice-pcp';

export function basisWording(basis: AccessBasis, isThePatientsPcp: boolean): BasisWording {
  if (basis === 'pcp') return isThePatientsPcp ? 'pcp' : 'pcp-practice';
  return basis;
}

function isWithdrawn(status: string): boolean {
  return WITHDRAWN_STATUSES.includes(status);
}

function isDuplicate(item: ItemForRelease): boolean {
  return item.duplicateOf !== undefined && item.duplicateOf !== '';
}

function isSensitiveTest(item: TestForProvider, policy: ProviderRecordPolicy): boolean {
  return listHas(policy.notOnPortalTestCodes, item.testCode) || hasSensitivityLabel(item, policy);
}

function hasSensitivityLabel(item: Pick<ItemForRelease, 'sensitive' | 'sensitivityLabels'>, policy: ProviderRecordPolicy): boolean {
  return item.sensitive === true || (item.sensitivityLabels ?? []).some((label) => listHas(policy.notOnPortalSensitivityLabels, label));
}

/** Codes compare without regard to case or stray spaces: a mismatch here would show what must be hidden. */
function listHas(list: readonly string[], code: string | null): boolean {
  return code !== null && list.some((listed) => listed.trim().toLowerCase() === code.trim().toLowerCase());
}
