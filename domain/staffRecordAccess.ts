// May a care-team staff member open a patient's record in the back office (the read-only view
// linked from a message thread)? Only when they are on that patient's care team: they work the
// inbox of a practitioner on the patient's care team, or of a clinic the patient has been seen
// in, or a message thread of the patient's is addressed to their inbox or assigned to them.
import { sameRecipient, type Recipient } from './messaging.ts';

export interface StaffMember {
  accountId: number;
  /** Clinics and practitioners whose inboxes they work (care_team_staff). */
  departmentCodes: readonly string[];
  practitionerIds: readonly number[];
}

export interface PatientCareTies {
  careTeamPractitionerIds: readonly number[];
  visits: readonly { departmentCode: string; status: string }[];
  threads: readonly { recipient: Recipient; assignedStaffId: number | null }[];
}

export type StaffRecordBasis = 'care-team-practitioner' | 'clinic-visit' | 'message-thread';
export type StaffRecordDecision = { allowed: true; basis: StaffRecordBasis } | { allowed: false; reason: 'not-on-care-team' };

/** Visits that did not happen say nothing about who cares for the patient. */
const VISITS_THAT_DID_NOT_HAPPEN = new Set(['cancelled', 'entered-in-error']);

export function staffMayOpenRecord(staff: StaffMember, patient: PatientCareTies): StaffRecordDecision {
  if (patient.careTeamPractitionerIds.some((id) => staff.practitionerIds.includes(id))) return { allowed: true, basis: 'care-team-practitioner' };
  if (patient.visits.some((visit) => !VISITS_THAT_DID_NOT_HAPPEN.has(visit.status) && staff.departmentCodes.includes(visit.departmentCode))) return { allowed: true, basis: 'clinic-visit' };
  const works = (recipient: Recipient) =>
    recipient.kind === 'clinic' ? staff.departmentCodes.includes(recipient.departmentCode) : staff.practitionerIds.some((id) => sameRecipient(recipient, { kind: 'practitioner', practitionerId: id }));
  if (patient.threads.some((thread) => thread.assignedStaffId === staff.accountId || works(thread.recipient))) return { allowed: true, basis: 'message-thread' };
  return { allowed: false, reason: 'not-on-care-team' };
}
