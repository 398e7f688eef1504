// What each account holder of a patient may see in MyChildren's when the patient is or was an
// adolescent: confidential items stay with the patient, and each side's messages with the care
// team stay with that side.
import { ADULT_AGE, ageOn, birthdayInstant } from './age.ts';
import { OWN_ACCOUNT_MIN_AGE } from './eligibility.ts';

/** The patient themself, or anyone else linked to them (parent, guardian, caseworker). */
export type FamilyViewer = 'patient' | 'guardian';

export type RecordItemRefusal = 'adolescent-confidential' | 'confidential';
export type ThreadRefusal = 'adolescent-thread-private' | 'guardian-thread-private';

export type Visibility<Reason> = { allowed: true } | { allowed: false; reason: Reason };

export interface RecordItemView {
  viewer: FamilyViewer;
  /** The visit or health information is marked confidential in the record. */
  confidential: boolean;
  patientBirthDate: string;
  now: Date;
  timeZone: string;
}

/**
 * May this viewer see a visit or a piece of health information? Confidential items are shown
 * only to the patient, whether or not an adolescent has an account of their own, so that
 * creating or closing the teen's account never exposes them. The reason tells a parent of a
 * 13–17-year-old that the item is the teen's private care; at other ages it is simply confidential.
 */
export function familyMaySeeRecordItem(view: RecordItemView): Visibility<RecordItemRefusal> {
  if (!view.confidential || view.viewer === 'patient') return { allowed: true };
  const age = ageOn(view.patientBirthDate, view.now, view.timeZone);
  const adolescent = age >= OWN_ACCOUNT_MIN_AGE && age < ADULT_AGE;
  return { allowed: false, reason: adolescent ? 'adolescent-confidential' : 'confidential' };
}

export interface ThreadView {
  viewer: FamilyViewer;
  /** Who on the family side writes in the thread with the care team. */
  familyParty: FamilyViewer;
  /** When the thread began. */
  startedAt: Date;
  patientBirthDate: string;
  timeZone: string;
}

/**
 * May this viewer see a message thread with the care team? A thread that began before the
 * patient turned 18 stays with the side that wrote it, for good: a teen's messages are not
 * opened to a guardian later, and a parent's messages (written for a child, to be kept from
 * the teen) are not opened to the patient at 18. Threads begun after 18 follow the usual rule
 * that every account holder sees them.
 */
export function familyMaySeeThread(view: ThreadView): Visibility<ThreadRefusal> {
  if (view.viewer === view.familyParty) return { allowed: true };
  const beganBeforeAdulthood = ageOn(view.patientBirthDate, view.startedAt, view.timeZone) < ADULT_AGE;
  if (!beganBeforeAdulthood) return { allowed: true };
  return { allowed: false, reason: view.viewer === 'guardian' ? 'adolescent-thread-private' : 'guardian-thread-private' };
}

/**
 * The same rule as familyMaySeeThread, for a list of one patient's threads read in SQL: the
 * viewer sees the threads of their own side, and every thread begun from `everyThreadFrom` (the
 * start of the 18th birthday, the instant from which ageOn counts 18).
 */
export interface ThreadListVisibility {
  ownParty: FamilyViewer;
  everyThreadFrom: Date;
}

export function familyThreadListVisibility(view: Pick<ThreadView, 'viewer' | 'patientBirthDate' | 'timeZone'>): ThreadListVisibility {
  return { ownParty: view.viewer, everyThreadFrom: birthdayInstant(view.patientBirthDate, ADULT_AGE, view.timeZone) };
}
