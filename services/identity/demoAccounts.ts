// Demo accounts for trying the portal: created by `npm start` on an empty database (outside
// production). The README lists them; the shared TOTP secret can be added to any authenticator app.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import type { AccountKind, StaffRole } from '../../domain/accounts.ts';
import type { Language } from '../../domain/language.ts';
import { findAccountByEmail, insertAccount } from '../../data/accounts.ts';
import { insertPatientLink } from '../../data/patientLinks.ts';
import { findDemoPatients, type DemoPatientKey } from '../demoData.ts';
import { hashPassword } from './passwordHashing.ts';

export const DEMO_PASSWORD = 'Portal-Demo-2026';
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface DemoAccount {
  kind: AccountKind;
  email: string;
  name: string;
  preferredLanguage: Language;
  roles?: StaffRole[];
  /** Whether the account has the shared TOTP secret (always for providers and staff). */
  totp: boolean;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { kind: 'family', email: 'alex.morgan@example.com', name: 'Alex Morgan', preferredLanguage: 'en', totp: false },
  { kind: 'family', email: 'maria.garcia@example.com', name: 'María García', preferredLanguage: 'es', totp: false },
  { kind: 'family', email: 'jordan.lee@example.com', name: 'Jordan Lee', preferredLanguage: 'en', totp: true },
  { kind: 'provider', email: 'dr.patel@example.com', name: 'Dr. Priya Patel', preferredLanguage: 'en', totp: true },
  { kind: 'provider', email: 'dr.ortiz@example.com', name: 'Dr. Luis Ortiz', preferredLanguage: 'es', totp: true },
  { kind: 'staff', email: 'admin@example.com', name: 'Ada Admin', preferredLanguage: 'en', roles: ['admin', 'support'], totp: true },
  { kind: 'staff', email: 'support@example.com', name: 'Sam Support', preferredLanguage: 'en', roles: ['support'], totp: true },
  { kind: 'staff', email: 'nurse@example.com', name: 'Nia Nurse', preferredLanguage: 'en', roles: ['care-team'], totp: true },
];

/** Creates the demo accounts when there are no accounts at all; returns how many it made. */
export async function createDemoAccounts(db: Knex, config: Config, now: Date): Promise<number> {
  const [row] = await db('accounts').count({ count: '*' });
  if (Number(row?.count) > 0) return 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD, config.passwords.argon2);
  await db.transaction(async (trx) => {
    for (const account of DEMO_ACCOUNTS) {
      await insertAccount(trx, { ...account, passwordHash, status: 'active', totpSecret: account.totp ? DEMO_TOTP_SECRET : null }, now);
    }
  });
  return DEMO_ACCOUNTS.length;
}

/** Which demo family account is the parent of which well-known demo patient. */
export const DEMO_FAMILY_LINKS: Readonly<Record<string, readonly DemoPatientKey[]>> = {
  'alex.morgan@example.com': ['sixYearOld', 'teenWithConfidentialVisit'],
  'jordan.lee@example.com': ['turning18Soon', 'turning13Soon', 'turning12Soon'],
  'maria.garcia@example.com': ['spanishSpeakingToddler', 'spanishSpeakingChild'],
};

/** Links the demo parents to their demo children, once both exist and nothing is linked yet. */
export async function linkDemoFamilies(db: Knex, now: Date): Promise<number> {
  const [row] = await db('patient_links').count({ count: '*' });
  if (Number(row?.count) > 0) return 0;
  const patients = await findDemoPatients(db);
  let links = 0;
  await db.transaction(async (trx) => {
    for (const [email, keys] of Object.entries(DEMO_FAMILY_LINKS)) {
      const account = await findAccountByEmail(trx, 'family', email);
      for (const key of keys) {
        const patient = patients[key];
        if (!account || !patient) continue;
        await insertPatientLink(trx, { accountId: account.id, patientId: patient.id, relationship: 'parent' }, now);
        links++;
      }
    }
  });
  return links;
}
