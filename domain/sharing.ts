// Who may share a patient's record with outside providers in MyChildren's ("Share this record":
// inviting providers, approving their requests, ending access), under the adolescent rules.
//
// The rule, in words:
// - Under 18, the parents and legal guardians (a DCF caseworker for a child in state custody, a
//   court-appointed guardian) decide about the child's care, so they may share. A foster parent
//   is never linked, so never shares.
// - A patient aged 13–17 with their own account may share too: the record is theirs, and
//   MyPatients never shows providers the confidential adolescent items, so sharing cannot expose
//   what the teen keeps private. Parents keep the right to share while the patient is a minor.
//   Everyone who may share sees the same list of who has access, and the page tells the teen so.
// - From 18 the patient decides alone, together with a court-appointed guardian who keeps access
//   (papers on file). Parents' access ended at 18, so they can neither share nor see the list.
// Ending someone's access is always the safer direction: anyone who may share may end any
// sharing, whoever started it.
import { ADULT_AGE, ageOn } from './age.ts';
import { OWN_ACCOUNT_MIN_AGE, type Relationship } from './eligibility.ts';

export const SHARING_REFUSALS = ['adult-patient-decides', 'guardianship-papers-required', 'foster-parent-not-guardian', 'self-under-13'] as const;
export type SharingRefusal = (typeof SHARING_REFUSALS)[number];

/** Who the person sharing is, for the page's words. */
export type SharerRole = 'guardian' | 'adolescent-patient' | 'adult-patient' | 'guardian-of-adult';

export type SharingDecision = { allowed: true; as: SharerRole } | { allowed: false; reason: SharingRefusal };

export interface SharingQuestion {
  /** How the account holder is related to the patient. */
  relationship: Relationship;
  /** The patient's birth date from the record, 'YYYY-MM-DD'. */
  patientBirthDate: string;
  /** Court-appointed guardians of adults: papers uploaded and accepted by support. */
  guardianshipPapersOnFile: boolean;
  now: Date;
  timeZone: string;
}

/** May this account holder share the patient's record with providers, and end sharing, now? */
export function mayShareRecord(question: SharingQuestion): SharingDecision {
  const age = ageOn(question.patientBirthDate, question.now, question.timeZone);
  const adult = age >= ADULT_AGE;
  switch (question.relationship) {
    case 'self':
      if (adult) return { allowed: true, as: 'adult-patient' };
      return age >= OWN_ACCOUNT_MIN_AGE ? { allowed: true, as: 'adolescent-patient' } : { allowed: false, reason: 'self-under-13' };
    case 'court-appointed-guardian':
      if (!adult) return { allowed: true, as: 'guardian' };
      return question.guardianshipPapersOnFile ? { allowed: true, as: 'guardian-of-adult' } : { allowed: false, reason: 'guardianship-papers-required' };
    case 'parent':
    case 'legal-guardian':
    case 'dcf-caseworker':
      return adult ? { allowed: false, reason: 'adult-patient-decides' } : { allowed: true, as: 'guardian' };
    case 'foster-parent':
      return { allowed: false, reason: 'foster-parent-not-guardian' };
  }
}

/** Who may share this patient's record, in one phrase for the page: it depends on age and whether the patient has their own account. */
export type Sharers = 'guardians' | 'guardians-and-patient' | 'patient-and-court-appointed-guardian';

export function sharersOf(patient: { birthDate: string; hasOwnAccount: boolean; now: Date; timeZone: string }): Sharers {
  const age = ageOn(patient.birthDate, patient.now, patient.timeZone);
  if (age >= ADULT_AGE) return 'patient-and-court-appointed-guardian';
  return age >= OWN_ACCOUNT_MIN_AGE && patient.hasOwnAccount ? 'guardians-and-patient' : 'guardians';
}
