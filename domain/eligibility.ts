// Who may link a patient to a MyChildren's account, and which links outlast the 18th birthday.
import { ADULT_AGE, ageOn, birthdayInstant } from './age.ts';

export const RELATIONSHIPS = [
  'parent',
  'legal-guardian',
  'court-appointed-guardian',
  'dcf-caseworker',
  'foster-parent',
  'self',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** The youngest a patient may be to hold their own account. */
export const OWN_ACCOUNT_MIN_AGE = 13;
/** Parents and guardians are told when a patient younger than this creates their own account. */
export const NOTIFY_GUARDIANS_UNDER_AGE = 15;

export const LINK_REFUSALS = ['self-under-13', 'patient-is-adult', 'guardianship-papers-required', 'foster-parent-not-guardian'] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];
export type LinkDecision = { allowed: true; notifyGuardians: boolean } | { allowed: false; reason: LinkRefusal };

export interface LinkRequest {
  /** How the account holder is related to the patient. */
  relationship: Relationship;
  /** The patient's birth date from the record, 'YYYY-MM-DD'. */
  patientBirthDate: string;
  /** Guardianship papers uploaded and accepted by support. */
  guardianshipPapersOnFile: boolean;
  now: Date;
  /** The hospital's IANA time zone. */
  timeZone: string;
}

/** May this account holder link this patient now? */
export function mayLinkPatient(request: LinkRequest): LinkDecision {
  const age = ageOn(request.patientBirthDate, request.now, request.timeZone);
  switch (request.relationship) {
    case 'self':
      if (age < OWN_ACCOUNT_MIN_AGE) return { allowed: false, reason: 'self-under-13' };
      return { allowed: true, notifyGuardians: age < NOTIFY_GUARDIANS_UNDER_AGE };
    case 'parent':
    case 'legal-guardian':
    case 'dcf-caseworker':
      // A guardian of an adult is court-appointed and needs papers: that is its own relationship.
      return age < ADULT_AGE ? { allowed: true, notifyGuardians: false } : { allowed: false, reason: 'patient-is-adult' };
    case 'court-appointed-guardian':
      if (age >= ADULT_AGE && !request.guardianshipPapersOnFile) return { allowed: false, reason: 'guardianship-papers-required' };
      return { allowed: true, notifyGuardians: false };
    case 'foster-parent':
      // The DCF caseworker is the legal guardian of a child in state custody.
      return { allowed: false, reason: 'foster-parent-not-guardian' };
  }
}

/**
 * Whether an existing link still stands from the 18th birthday (00:00 local time) on: only the
 * patient's own account and court-appointed guardians with papers on file keep access.
 * Used to warn ahead of the birthday and to end links on it.
 */
export function parentAccessAfter18(link: Omit<LinkRequest, 'now'>): LinkDecision {
  return mayLinkPatient({ ...link, now: birthdayInstant(link.patientBirthDate, ADULT_AGE, link.timeZone) });
}

export type GrantDecision = LinkDecision | { allowed: false; reason: 'adult-cannot-regrant-parent' };

export interface GrantRequest extends Omit<LinkRequest, 'relationship'> {
  /** Who the patient wants to give access to. */
  granteeRelationship: Exclude<Relationship, 'self'>;
}

/**
 * May the patient give a family member access to their record? A grant never widens who may
 * link; and an adult patient cannot give a parent back the access that ended at 18. A
 * court-appointed guardian of an adult still qualifies only through papers on file.
 */
export function patientMayGrantAccess(request: GrantRequest): GrantDecision {
  const { granteeRelationship, ...patient } = request;
  const patientIsAdult = ageOn(patient.patientBirthDate, patient.now, patient.timeZone) >= ADULT_AGE;
  if (patientIsAdult && granteeRelationship !== 'court-appointed-guardian') {
    return { allowed: false, reason: 'adult-cannot-regrant-parent' };
  }
  return mayLinkPatient({ ...patient, relationship: granteeRelationship });
}
