// Demo accounts for trying the portal: created by `npm start` on an empty database (outside
// production). The README lists them; the shared TOTP secret can be added to any authenticator app.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { sealSecret } from './sealedSecrets.ts';
import type { AccountKind, StaffRole } from '../../domain/accounts.ts';
import type { Language } from '../../domain/language.ts';
import { findAccountByEmail, insertAccount } from '../../data/accounts.ts';
import { insertPatientLink } from '../../data/patientLinks.ts';
import { insertGuardianshipPapers, reviewGuardianshipPapers } from '../../data/guardianshipPapers.ts';
import { insertLinkRequest } from '../../data/linkRequests.ts';
import type { Relationship } from '../../domain/eligibility.ts';
import { DEMO_PATIENTS, findDemoPatients, type DemoPatientKey } from '../demoData.ts';
import { hashPassword } from './passwordHashing.ts';
import { careTeamRows } from '../../data/record/healthRecord.ts';
import { clinicVisitsOf, insertThread, markRead } from '../../data/messages.ts';
import { recipientChoices, type MessageSubject, type Recipient } from '../../domain/messaging.ts';
import { storeMessage, type MessagingDeps } from '../messaging/store.ts';

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
  { kind: 'family', email: 'riley.morgan@example.com', name: 'Riley Morgan', preferredLanguage: 'en', totp: false },
  { kind: 'family', email: 'chris.baker@example.com', name: 'Chris Baker', preferredLanguage: 'en', totp: false },
  { kind: 'family', email: 'sam.nguyen@example.com', name: 'Sam Nguyen', preferredLanguage: 'en', totp: false },
  { kind: 'provider', email: 'dr.patel@example.com', name: 'Dr. Priya Patel', preferredLanguage: 'en', totp: true },
  { kind: 'provider', email: 'dr.ortiz@example.com', name: 'Dr. Luis Ortiz', preferredLanguage: 'es', totp: true },
  { kind: 'staff', email: 'admin@example.com', name: 'Ada Admin', preferredLanguage: 'en', roles: ['admin', 'support'], totp: true },
  { kind: 'staff', email: 'support@example.com', name: 'Sam Support', preferredLanguage: 'en', roles: ['support'], totp: true },
  { kind: 'staff', email: 'nurse@example.com', name: 'Nia Nurse', preferredLanguage: 'en', roles: ['care-team'], totp: true },
  { kind: 'staff', email: 'mypatients@example.com', name: 'Max MyPatients', preferredLanguage: 'en', roles: ['mypatients-team'], totp: true },
];

/** Creates the demo accounts when there are no accounts at all; returns how many it made. */
export async function createDemoAccounts(db: Knex, config: Config, now: Date): Promise<number> {
  const [row] = await db('accounts').count({ count: '*' });
  if (Number(row?.count) > 0) return 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD, config.passwords.argon2);
  await db.transaction(async (trx) => {
    for (const account of DEMO_ACCOUNTS) {
      await insertAccount(trx, { ...account, passwordHash, status: 'active', sealedTotpSecret: account.totp ? sealSecret(config.encryptionKeys, DEMO_TOTP_SECRET) : null }, now);
    }
  });
  return DEMO_ACCOUNTS.length;
}

/** Which demo family account is linked to which well-known demo patient, and how. */
export const DEMO_FAMILY_LINKS: readonly { email: string; patient: DemoPatientKey; relationship: Relationship }[] = [
  { email: 'alex.morgan@example.com', patient: 'sixYearOld', relationship: 'parent' },
  { email: 'alex.morgan@example.com', patient: 'teenWithConfidentialVisit', relationship: 'parent' },
  // The 14-year-old's own account: their confidential visit and messages stay with them.
  { email: 'riley.morgan@example.com', patient: 'teenWithConfidentialVisit', relationship: 'self' },
  { email: 'jordan.lee@example.com', patient: 'turning18Soon', relationship: 'parent' },
  { email: 'jordan.lee@example.com', patient: 'turning13Soon', relationship: 'parent' },
  { email: 'jordan.lee@example.com', patient: 'turning12Soon', relationship: 'parent' },
  // A court-appointed guardian of an adult, whose papers support has accepted.
  { email: 'chris.baker@example.com', patient: 'adultWithGuardian', relationship: 'court-appointed-guardian' },
  { email: 'maria.garcia@example.com', patient: 'spanishSpeakingToddler', relationship: 'parent' },
  { email: 'maria.garcia@example.com', patient: 'spanishSpeakingChild', relationship: 'parent' },
];

/** Stands in for a scanned court order in the demo: a one-page PDF with no content. */
const DEMO_PAPERS_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/**
 * Links the demo families to their demo children, once both exist and nothing is linked yet;
 * records the guardian's papers as accepted; and leaves one request waiting in the support
 * queue, from a parent whose details match the record. Returns how many links it made.
 */
export async function linkDemoFamilies(db: Knex, now: Date, timeZone: string): Promise<number> {
  const [row] = await db('patient_links').count({ count: '*' });
  if (Number(row?.count) > 0) return 0;
  const patients = await findDemoPatients(db);
  let links = 0;
  await db.transaction(async (trx) => {
    const support = await findAccountByEmail(trx, 'staff', 'support@example.com');
    for (const { email, patient: key, relationship } of DEMO_FAMILY_LINKS) {
      const account = await findAccountByEmail(trx, 'family', email);
      const patient = patients[key];
      if (!account || !patient) continue;
      await insertPatientLink(trx, { accountId: account.id, patientId: patient.id, relationship }, now);
      links++;
      if (relationship === 'court-appointed-guardian' && support) {
        const papersId = await insertGuardianshipPapers(trx, { patientId: patient.id, accountId: account.id, fileName: 'court-order.pdf', content: DEMO_PAPERS_PDF, uploadedBy: support.id, uploadedAt: now });
        await reviewGuardianshipPapers(trx, papersId, { status: 'accepted', reviewedBy: support.id, reviewedAt: now });
      }
    }
    await giveTheNurseTheDemoInboxes(trx, Object.values(patients).flatMap((patient) => (patient ? [patient.id] : [])));
    const requester = await findAccountByEmail(trx, 'family', 'sam.nguyen@example.com');
    const child = await aChildWithAVisit(trx, now, timeZone);
    if (requester && child) {
      await insertLinkRequest(trx, {
        accountId: requester.id,
        relationship: 'parent',
        typedPatientName: child.name,
        typedBirthDate: child.birthDate,
        typedMrn: child.mrn,
        typedVisitDate: child.visitDate,
        patientId: child.id,
        createdAt: now,
        dueAt: new Date(now.getTime() + 86_400_000),
      });
    }
  });
  return links;
}

/**
 * The demo care-team nurse works the message inboxes of every clinic the demo patients have
 * visits with and of their care-team practitioners, so a demo family's message has an owner.
 */
async function giveTheNurseTheDemoInboxes(trx: Knex.Transaction, patientIds: number[]): Promise<void> {
  const nurse = await findAccountByEmail(trx, 'staff', 'nurse@example.com');
  if (!nurse || patientIds.length === 0) return;
  const clinics = await trx('encounters as e').join('clinics as c', 'c.department_code', 'e.department_code').whereIn('e.patient_id', patientIds).distinct('c.department_code');
  const practitioners = await trx('care_team_members as m').join('care_teams as t', 't.id', 'm.care_team_id').whereIn('t.patient_id', patientIds).distinct('m.practitioner_id');
  const rows = [
    ...clinics.map((row) => ({ account_id: nurse.id, department_code: row.department_code })),
    ...practitioners.map((row) => ({ account_id: nurse.id, practitioner_id: row.practitioner_id })),
  ];
  if (rows.length > 0) await trx('care_team_staff').insert(rows);
}

/** A synthetic patient under 13, not one of the fixed demo patients, with a past visit. */
async function aChildWithAVisit(db: Knex, now: Date, timeZone: string): Promise<{ id: number; name: string; birthDate: string; mrn: string; visitDate: string } | undefined> {
  const row = await db('patients as p')
    .join('encounters as e', 'e.patient_id', 'p.id')
    .whereNotIn('p.mrn', Object.values(DEMO_PATIENTS).map((patient) => patient.mrn))
    .andWhere('p.birth_date', '>', new Date(now.getTime() - 12 * 365 * 86_400_000))
    .andWhere('e.period_start', '<', now)
    .orderBy('p.mrn')
    .first('p.id', 'p.given_names', 'p.family_name', 'p.mrn', db.raw(`to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date`), db.raw(`to_char(e.period_start AT TIME ZONE ?, 'YYYY-MM-DD') AS visit_date`, [timeZone]));
  return row && { id: Number(row.id), name: `${row.given_names} ${row.family_name}`, birthDate: row.birth_date, mrn: row.mrn, visitDate: row.visit_date };
}

/** The demo families' questions waiting in the care team's inbox: one overdue, one just sent. */
const DEMO_THREADS: readonly { email: string; patient: DemoPatientKey; subject: MessageSubject; body: string; daysAgo: number }[] = [
  {
    email: 'alex.morgan@example.com',
    patient: 'sixYearOld',
    subject: 'prescription',
    body: 'Hello,\nThe inhaler prescription runs out next week. Could you send a refill to the same pharmacy?\nThank you,\nAlex',
    daysAgo: 7,
  },
  {
    email: 'jordan.lee@example.com',
    patient: 'turning13Soon',
    subject: 'medical-question',
    body: 'Hi,\nIs it all right to go back to soccer practice this week after the sprain?\nJordan',
    daysAgo: 0,
  },
];

/**
 * Starts the demo families' threads, once (when there are no threads at all), so the demo nurse's
 * inbox is not empty; each goes to the first recipient the family would be offered. Returns how
 * many it started.
 */
export async function startDemoThreads(deps: Pick<MessagingDeps, 'db' | 'config'>, now: Date): Promise<number> {
  const [row] = await deps.db('message_threads').count({ count: '*' });
  if (Number(row?.count) > 0) return 0;
  const patients = await findDemoPatients(deps.db);
  // Whom each family would be offered, read first (these reads run side by side, so not in the transaction).
  const planned: ((typeof DEMO_THREADS)[number] & { accountId: number; patientId: number; recipient: Recipient })[] = [];
  for (const demo of DEMO_THREADS) {
    const account = await findAccountByEmail(deps.db, 'family', demo.email);
    const patient = patients[demo.patient];
    if (!account || !patient) continue;
    const [careTeam, visits] = await Promise.all([careTeamRows(deps.db, patient.id), clinicVisitsOf(deps.db, patient.id)]);
    const [choice] = recipientChoices({ careTeam: careTeam.members.map((member) => ({ practitionerId: member.id, name: member.name })), visits, viewer: 'guardian' });
    if (choice) planned.push({ ...demo, accountId: account.id, patientId: patient.id, recipient: choice.recipient });
  }
  await deps.db.transaction(async (trx) => {
    for (const demo of planned) {
      const sentAt = new Date(now.getTime() - demo.daysAgo * 86_400_000);
      const threadId = await insertThread(trx, { patientId: demo.patientId, recipient: demo.recipient, subject: demo.subject, familyParty: 'guardian', startedByAccountId: demo.accountId, startedAt: sentAt });
      const stored = await storeMessage(trx, deps, { id: threadId, awaitingSince: null, dueAt: null }, { authorKind: 'family', authorAccountId: demo.accountId, body: demo.body, attachments: [] }, sentAt);
      await markRead(trx, demo.accountId, threadId, stored.messageId);
    }
  });
  return planned.length;
}
