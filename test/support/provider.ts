// MyPatients providers made directly in the test database: an account of kind 'provider' (with
// TOTP) linked to a practitioner and a practice, as an approved registration leaves it.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createAccount } from './identity.ts';
import { addPractice, addPractitioner, freshNpi } from './record.ts';

export interface TestProvider {
  id: number;
  email: string;
  practitionerId: number;
  practiceId: number;
}

/** Links an existing provider account (a page-gate visitor, say) to a new practitioner, in `practiceId` or a new practice. */
export async function linkProvider(db: Knex, accountId: number, options: { practiceId?: number; familyName?: string } = {}): Promise<Omit<TestProvider, 'id' | 'email'>> {
  const practiceId = options.practiceId ?? (await addPractice(db, { name: `Riverside Pediatrics ${randomBytes(2).toString('hex')}` }));
  const practitionerId = await addPractitioner(db, { familyName: options.familyName ?? 'Nakamura', givenNames: 'Ren', credential: 'MD', npi: freshNpi() });
  await db('provider_accounts').insert({ account_id: accountId, practitioner_id: practitionerId, practice_id: practiceId, created_at: new Date() });
  return { practitionerId, practiceId };
}

export async function providerAccount(db: Knex, label: string, options: { practiceId?: number; familyName?: string } = {}): Promise<TestProvider> {
  const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
  const id = await createAccount(db, { kind: 'provider', email, totp: true });
  return { id, email, ...(await linkProvider(db, id, options)) };
}
