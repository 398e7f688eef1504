// What one family member sees of each item of a patient's record in MyChildren's: the hospital's
// release policy first, then the adolescent rules (confidential care stays with the patient).
// Every record page, fragment and download decides through these functions, and a family is
// told only the general category of what is held (domain/release.ts explains the order).
import { familyMaySeeRecordItem, type FamilyViewer, type RecordItemRefusal } from './adolescentPrivacy.ts';
import { ADULT_AGE, ageOn } from './age.ts';
import { OWN_ACCOUNT_MIN_AGE } from './eligibility.ts';
import {
  isConfidential,
  labResultRelease,
  medicationRelease,
  noteRelease,
  reportRelease,
  type HeldReason,
  type LabResultForRelease,
  type MedicationForRelease,
  type NoteForRelease,
  type ReleasePolicy,
  type ReportForRelease,
} from './release.ts';

export type WithheldReason = HeldReason | RecordItemRefusal;
export type FamilyDecision = { readonly shown: true } | { readonly shown: false; readonly reason: WithheldReason };

/** Who is looking, at whose record, and when. */
export interface FamilyViewContext {
  readonly viewer: FamilyViewer;
  readonly patientBirthDate: string;
  readonly now: Date;
  readonly timeZone: string;
  readonly policy: ReleasePolicy;
}

const SHOWN: FamilyDecision = Object.freeze({ shown: true });
// Statuses that mean an item was recorded by mistake: it is not part of the record at all.
const ERROR_STATUSES: readonly string[] = ['entered-in-error'];

/** The adolescent rule for an item the release policy lets through. */
function adolescentRule(item: { confidential?: boolean | undefined; encounterConfidential?: boolean | undefined }, context: FamilyViewContext): FamilyDecision {
  const visibility = familyMaySeeRecordItem({
    viewer: context.viewer,
    confidential: isConfidential(item),
    patientBirthDate: context.patientBirthDate,
    now: context.now,
    timeZone: context.timeZone,
  });
  return visibility.allowed ? SHOWN : { shown: false, reason: visibility.reason };
}

function releaseThenAdolescentRule(release: FamilyDecision, item: Parameters<typeof adolescentRule>[0], context: FamilyViewContext): FamilyDecision {
  return release.shown ? adolescentRule(item, context) : release;
}

export function familyNoteDecision(note: NoteForRelease, context: FamilyViewContext): FamilyDecision {
  return releaseThenAdolescentRule(noteRelease(note, context.now, context.policy), note, context);
}

/**
 * A lab result, and the panel it belongs to: a result is held with its panel when the panel
 * itself is withdrawn or sensitive, because the panel's name would say what the test was. A panel
 * that is only incomplete does not hold back the results that are already final.
 */
export function familyLabResultDecision(result: LabResultForRelease, panel: ReportForRelease | null, context: FamilyViewContext): FamilyDecision {
  if (panel) {
    const panelDecision = reportRelease(panel, context.now, context.policy);
    if (!panelDecision.shown && (panelDecision.reason === 'withdrawn' || panelDecision.reason === 'sensitive')) return panelDecision;
    const panelAdolescent = adolescentRule(panel, context);
    if (!panelAdolescent.shown) return panelAdolescent;
  }
  return releaseThenAdolescentRule(labResultRelease(result, context.now, context.policy), result, context);
}

export function familyReportDecision(report: ReportForRelease, context: FamilyViewContext): FamilyDecision {
  return releaseThenAdolescentRule(reportRelease(report, context.now, context.policy), report, context);
}

/** A past or upcoming visit: a confidential visit is the patient's own; one entered in error never happened. */
export function familyVisitDecision(visit: { status: string; confidential: boolean }, context: FamilyViewContext): FamilyDecision {
  if (ERROR_STATUSES.includes(visit.status)) return { shown: false, reason: 'withdrawn' };
  return adolescentRule(visit, context);
}

/**
 * A medicine: the release policy first (entries in error and sensitive-labelled ones are held),
 * then the adolescent rule: a confidential prescription, or one written at a confidential visit,
 * is the teen's own (contraception, for one).
 */
export function familyMedicationDecision(medication: MedicationForRelease, context: FamilyViewContext): FamilyDecision {
  return releaseThenAdolescentRule(medicationRelease(medication, context.policy), medication, context);
}

/** A visit that ties a clinician on the care team to the patient. */
export interface CareTeamVisit {
  status: string;
  confidential: boolean;
  departmentCode: string | null;
}

/**
 * Whether a care-team clinician may be named to someone other than the patient (a parent, a
 * guardian). Not when every visit tying them to the patient was confidential or in a department
 * whose care is held: naming them would say where the teen's private care is. A clinician with
 * no visit on record (a coordinator, the PCP's colleague) is named.
 */
export function careTeamMemberNamedToGuardians(member: { visits: readonly CareTeamVisit[] }, policy: Pick<ReleasePolicy, 'heldNoteDepartments'>): boolean {
  const visits = member.visits.filter((visit) => !ERROR_STATUSES.includes(visit.status));
  return visits.length === 0 || visits.some((visit) => !visit.confidential && !(visit.departmentCode !== null && policy.heldNoteDepartments.includes(visit.departmentCode)));
}

/** The care-team members a viewer may see named: all of them for the patient, else as above. */
export function careTeamMembersFor<T extends { visits: readonly CareTeamVisit[] }>(members: readonly T[], viewer: FamilyViewer, policy: Pick<ReleasePolicy, 'heldNoteDepartments'>): T[] {
  return viewer === 'patient' ? [...members] : members.filter((member) => careTeamMemberNamedToGuardians(member, policy));
}

/** Allergies, immunizations, insurance: everything except entries made in error. */
export function familyListItemDecision(item: { status: string | null }): FamilyDecision {
  return item.status !== null && ERROR_STATUSES.includes(item.status) ? { shown: false, reason: 'withdrawn' } : SHOWN;
}

/** What a family is told about held items, in general terms and never item by item. */
export type WithheldNotice = 'confidential' | 'adolescent-confidential' | 'sensitive' | 'hospital-notes' | 'department-notes' | 'not-complete' | 'release-delay';

const NOTICE_FOR: Readonly<Record<WithheldReason, WithheldNotice | null>> = {
  // An item withdrawn from the record, or a second copy of one, is not held: there is nothing more to see.
  withdrawn: null,
  duplicate: null,
  confidential: 'confidential',
  'adolescent-confidential': 'adolescent-confidential',
  sensitive: 'sensitive',
  'inpatient-or-emergency-note': 'hospital-notes',
  'discharge-summary': 'hospital-notes',
  'department-not-shared': 'department-notes',
  'not-complete': 'not-complete',
  'release-delay': 'release-delay',
};

const NOTICE_ORDER: readonly WithheldNotice[] = ['adolescent-confidential', 'confidential', 'sensitive', 'department-notes', 'hospital-notes', 'not-complete', 'release-delay'];

/**
 * The notices for a page where these reasons held items back, each once, in a fixed order. A
 * guardian of a 13-to-17-year-old always reads the adolescent notice, held item or not, so that its
 * appearing never tells a parent that their teen had confidential care.
 */
export function withheldNotices(reasons: Iterable<WithheldReason>, context: Pick<FamilyViewContext, 'viewer' | 'patientBirthDate' | 'now' | 'timeZone'>): WithheldNotice[] {
  const notices = new Set<WithheldNotice>();
  for (const reason of reasons) {
    const notice = NOTICE_FOR[reason];
    if (notice) notices.add(notice);
  }
  const age = ageOn(context.patientBirthDate, context.now, context.timeZone);
  if (context.viewer === 'guardian' && age >= OWN_ACCOUNT_MIN_AGE && age < ADULT_AGE) {
    notices.add('adolescent-confidential');
    notices.delete('confidential');
  }
  return NOTICE_ORDER.filter((notice) => notices.has(notice));
}

/** The notices of several sections on one page (the summary), each once, in the usual order. */
export function combineNotices(...lists: readonly WithheldNotice[][]): WithheldNotice[] {
  const all = new Set(lists.flat());
  return NOTICE_ORDER.filter((notice) => all.has(notice));
}
