// What the MyPatients access policy (domain/access.ts) reads: the provider behind an account, and
// a patient's PCP, care team, family grants and invitation tokens. Provider ids in the policy are
// practitioner ids, and practice ids are practices', both as strings.
import type { Knex } from 'knex';
import type { InvitationToken, PatientAccessFacts } from '../domain/access.ts';
import { PCP_PRACTICE_ID, patientsWithPcpPractice } from './record/patients.ts';

export interface ProviderProfile {
  accountId: number;
  practitionerId: number;
  practiceId: number;
  name: string;
  email: string;
}

/** The provider an account belongs to; undefined for an account not linked to a practitioner yet. */
export async function providerProfile(db: Knex, accountId: number): Promise<ProviderProfile | undefined> {
  const row = await db('provider_accounts as pa')
    .join('accounts as a', 'a.id', 'pa.account_id')
    .where('pa.account_id', accountId)
    .first('pa.account_id', 'pa.practitioner_id', 'pa.practice_id', 'a.name', 'a.email');
  return row && { accountId: Number(row.account_id), practitionerId: Number(row.practitioner_id), practiceId: Number(row.practice_id), name: row.name, email: row.email };
}

export interface PatientIdentity {
  id: number;
  mrn: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
}

export async function patientIdentity(db: Knex, patientId: number): Promise<PatientIdentity | undefined> {
  const row = await db('patients').where('id', patientId).first('id', 'mrn', 'given_names', 'family_name', db.raw(`to_char(birth_date, 'YYYY-MM-DD') AS birth_date`));
  return row && { id: Number(row.id), mrn: row.mrn, givenNames: row.given_names, familyName: row.family_name, birthDate: row.birth_date };
}

/**
 * Everything the policy weighs for one patient. The PCP's practice is the one the record names,
 * or else the practice of the PCP's MyPatients account.
 */
export async function accessFactsOf(db: Knex, patientId: number): Promise<PatientAccessFacts | undefined> {
  const patient = await patientsWithPcpPractice(db)
    .where('p.id', patientId)
    .first('p.mrn', 'p.pcp_practitioner_id', db.raw(`${PCP_PRACTICE_ID} AS pcp_practice_id`));
  if (!patient) return undefined;
  const [careTeam, grants, tokens] = await Promise.all([
    db('care_team_members as m')
      .join('care_teams as t', 't.id', 'm.care_team_id')
      .where('t.patient_id', patientId)
      .andWhere((query) => query.whereNull('t.status').orWhereNotIn('t.status', ['inactive', 'entered-in-error']))
      .distinct('m.practitioner_id'),
    db('provider_access_grants as g').join('provider_accounts as pa', 'pa.account_id', 'g.provider_account_id').where('g.patient_id', patientId).select('pa.practitioner_id', 'g.via', 'g.revoked_at'),
    db('invitation_tokens as i')
      .leftJoin('provider_accounts as pa', 'pa.account_id', 'i.validated_by_account_id')
      .where('i.patient_id', patientId)
      .whereNotNull('i.validated_by_account_id')
      .select('pa.practitioner_id', 'i.issued_at', 'i.used_at', 'i.revoked_at'),
  ]);
  return {
    mrn: patient.mrn,
    pcp: patient.pcp_practitioner_id === null ? null : { providerId: String(patient.pcp_practitioner_id), practiceId: patient.pcp_practice_id === null ? '' : String(patient.pcp_practice_id) },
    careTeamProviderIds: careTeam.map((row) => String(row.practitioner_id)),
    familyGrants: grants.map((row) => ({ providerId: String(row.practitioner_id), via: row.via, revokedAt: row.revoked_at })),
    invitationTokens: tokens.map(
      (row): InvitationToken => ({ mrn: patient.mrn, issuedAt: row.issued_at, usedAt: row.used_at, validatedBy: row.practitioner_id === null ? null : String(row.practitioner_id), revokedAt: row.revoked_at }),
    ),
  };
}
