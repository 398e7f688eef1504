// Demo data: the two demo MyPatients accounts are linked to the practitioners of the demo record
// who carry their names (synth/directory.ts DEMO_CLINICIANS, found by NPI): Dr. Patel is a PCP at
// a practice and the PCP of family 1's children; Dr. Ortiz is a clinician of the hospital's allergy
// clinic, on the care teams of the patients he saw, family 4's toddler among them.
import type { Knex } from 'knex';
import { DEMO_CLINICIANS } from '../../synth/directory.ts';

const DEMO_PROVIDERS = [
  { email: 'dr.patel@example.com', npi: DEMO_CLINICIANS.patel.npi },
  { email: 'dr.ortiz@example.com', npi: DEMO_CLINICIANS.ortiz.npi },
] as const;

/** Links each demo provider account not linked yet; returns how many it linked. */
export async function linkDemoProviders(db: Knex, now: Date): Promise<number> {
  let linked = 0;
  for (const demo of DEMO_PROVIDERS) {
    const account = await db('accounts').where({ kind: 'provider', email: demo.email }).first('id');
    if (!account || (await db('provider_accounts').where({ account_id: account.id }).first())) continue;
    const practitioner = await db('practitioners').where({ npi: demo.npi }).first('id');
    if (!practitioner || (await db('provider_accounts').where({ practitioner_id: practitioner.id }).first())) continue;
    // The practice the record names for this practitioner (the hospital, for a hospital clinician).
    const role = await db('practitioner_roles').where({ practitioner_id: practitioner.id }).whereNotNull('practice_id').orderBy('id').first('practice_id');
    if (!role) continue;
    await db('provider_accounts').insert({ account_id: account.id, practitioner_id: practitioner.id, practice_id: role.practice_id, created_at: now });
    linked += 1;
  }
  return linked;
}
