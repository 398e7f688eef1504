// Demo data: the two demo MyPatients accounts are linked to practitioners in the demo record, so
// they can find and open patients: Dr. Patel is the PCP of family 1's children, Dr. Ortiz is on
// the care team of family 4's toddler (someone other than that child's PCP where there is one).
import type { Knex } from 'knex';
import { DEMO_PATIENTS } from '../../synth/index.ts';

const DEMO_PROVIDERS = [
  { email: 'dr.patel@example.com', mrn: DEMO_PATIENTS.sixYearOld.mrn, as: 'pcp' },
  { email: 'dr.ortiz@example.com', mrn: DEMO_PATIENTS.spanishSpeakingToddler.mrn, as: 'care-team' },
] as const;

/** Links each demo provider account not linked yet; returns how many it linked. */
export async function linkDemoProviders(db: Knex, now: Date): Promise<number> {
  let linked = 0;
  for (const demo of DEMO_PROVIDERS) {
    const account = await db('accounts').where({ kind: 'provider', email: demo.email }).first('id');
    if (!account || (await db('provider_accounts').where({ account_id: account.id }).first())) continue;
    const patient = await db('patients').where({ mrn: demo.mrn }).first('id', 'pcp_practitioner_id', 'pcp_practice_id');
    if (!patient) continue;
    const taken = db('provider_accounts').select('practitioner_id');
    const practitionerId =
      demo.as === 'pcp'
        ? patient.pcp_practitioner_id
        : (
            await db('care_team_members as m')
              .join('care_teams as t', 't.id', 'm.care_team_id')
              .where('t.patient_id', patient.id)
              .whereNot('m.practitioner_id', patient.pcp_practitioner_id ?? 0)
              .whereNotIn('m.practitioner_id', taken)
              .first('m.practitioner_id')
          )?.practitioner_id;
    if (!practitionerId || (await db('provider_accounts').where({ practitioner_id: practitionerId }).first())) continue;
    // The practice the record names for this practitioner, else any practice of the record.
    const role = await db('practitioner_roles').where({ practitioner_id: practitionerId }).whereNotNull('practice_id').first('practice_id');
    const practiceId = (demo.as === 'pcp' ? patient.pcp_practice_id : null) ?? role?.practice_id ?? (await db('practices').orderBy('id').first('id'))?.id;
    if (!practiceId) continue;
    await db('provider_accounts').insert({ account_id: account.id, practitioner_id: practitionerId, practice_id: practiceId, created_at: now });
    linked += 1;
  }
  return linked;
}
