// The care team's read-only look at a patient's record in the back office, linked from a message
// thread so whoever answers can see the patient's visits, care team and medicines. Only staff on
// the patient's care team may open it (domain/staffRecordAccess.ts); every look is audited,
// allowed or refused, and a refusal answers like an unknown patient. It reads through the same
// rules as MyPatients (ProviderRecord): confidential and sensitive items never appear here.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { clinicVisitsOf, teamsOfStaff, threadRecipientsOf } from '../../data/messages.ts';
import { patientIdentity, type PatientIdentity } from '../../data/providerAccess.ts';
import type { CareTeamRow, MedicationRow } from '../../data/record/healthRecord.ts';
import { staffMayOpenRecord, type StaffRecordBasis } from '../../domain/staffRecordAccess.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { ProviderRecord, type ProviderEncounter } from '../myPatients/providerRecord.ts';

export type StaffRecordDeps = { db: Knex; config: Pick<Config, 'hospital' | 'releasePolicy'> };

/** The page lists this many of the newest visits; the clinical system has the rest. */
export const STAFF_RECORD_VISITS = 20;

export interface StaffRecordView {
  patient: PatientIdentity;
  basis: StaffRecordBasis;
  careTeam: CareTeamRow;
  visits: ProviderEncounter[];
  moreVisits: boolean;
  medications: MedicationRow[];
}

export async function openStaffRecord(deps: StaffRecordDeps, staffId: number, patientId: number, origin: RequestOrigin): Promise<StaffRecordView | undefined> {
  const audit = (outcome: 'allowed' | 'refused', reason: string) =>
    recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-staff-record', subjectType: 'patient', subjectId: patientId, outcome, reason }, origin);
  const patient = await patientIdentity(deps.db, patientId);
  if (!patient) {
    await audit('refused', 'not-found');
    return undefined;
  }
  const record = new ProviderRecord(deps.db, patientId, deps.config.releasePolicy);
  const [teams, careTeam, visits, threads] = await Promise.all([teamsOfStaff(deps.db, staffId), record.careTeam(), clinicVisitsOf(deps.db, patientId), threadRecipientsOf(deps.db, patientId)]);
  const decision = staffMayOpenRecord(
    { accountId: staffId, ...teams },
    { careTeamPractitionerIds: careTeam.members.map((member) => member.id), visits, threads },
  );
  if (!decision.allowed) {
    await audit('refused', decision.reason);
    return undefined;
  }
  await audit('allowed', decision.basis);
  const [encounters, medications] = await Promise.all([record.encounters(), record.medications()]);
  return { patient, basis: decision.basis, careTeam, visits: encounters.slice(0, STAFF_RECORD_VISITS), moreVisits: encounters.length > STAFF_RECORD_VISITS, medications };
}
