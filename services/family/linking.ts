// Linking an account holder to a patient, whichever way the request came (a token, or support
// approving a request): the eligibility rules decide with the record's date of birth, and a
// 13- or 14-year-old's own new account is announced to the parents already linked.
import type { Knex } from 'knex';
import type { Account } from '../../data/accounts.ts';
import { currentHoldersOf, currentLink, insertPatientLink } from '../../data/patientLinks.ts';
import { hasAcceptedPapers } from '../../data/guardianshipPapers.ts';
import { mayLinkPatient, type LinkDecision, type LinkRefusal, type Relationship } from '../../domain/eligibility.ts';
import type { Language } from '../../domain/language.ts';
import type { EmailOutboxDeps } from '../emailOutbox.ts';
import { queueEmail } from '../emailOutbox.ts';
import { recordAudit, type AuditEvent, type RequestOrigin } from '../audit.ts';
import { portalLink } from '../identity/deps.ts';

export interface LinkingDeps extends EmailOutboxDeps {
  db: Knex;
  now: () => Date;
}

export type LinkOutcome =
  | { outcome: 'linked'; patientId: number }
  | { outcome: 'already-linked'; patientId: number }
  | { outcome: 'ineligible'; reason: LinkRefusal };

export interface LinkAttempt {
  account: Pick<Account, 'id' | 'kind'>;
  patient: { id: number; birthDate: string };
  relationship: Relationship;
  /** How the request came: 'signup-token' or 'support-approval'. */
  via: string;
  /** Who acted: the family (by token) or the support worker approving. */
  actor: Pick<AuditEvent, 'actorType' | 'actorId'>;
}

/**
 * What the eligibility rules say now about this holder and patient, counting the holder's
 * accepted guardianship papers: for a new link, and for every page an existing link opens.
 */
export async function eligibilityNow(
  db: Knex,
  link: { accountId: number; patientId: number; patientBirthDate: string; relationship: Relationship },
  now: Date,
  timeZone: string,
): Promise<LinkDecision> {
  const papersCount = link.relationship === 'court-appointed-guardian';
  return mayLinkPatient({
    relationship: link.relationship,
    patientBirthDate: link.patientBirthDate,
    guardianshipPapersOnFile: papersCount && (await hasAcceptedPapers(db, link.patientId, link.accountId)),
    now,
    timeZone,
  });
}

/** Links the account holder to the patient within `trx`, if the rules allow it now. */
export async function linkPatient(trx: Knex.Transaction, deps: LinkingDeps, attempt: LinkAttempt, origin: RequestOrigin): Promise<LinkOutcome> {
  const now = deps.now();
  const { account, patient, relationship } = attempt;
  const audit = (outcome: AuditEvent['outcome'], reason: string) =>
    recordAudit(trx, { ...attempt.actor, action: 'link-patient', subjectType: 'patient', subjectId: patient.id, outcome, reason }, origin);

  if (await currentLink(trx, account.id, patient.id)) return { outcome: 'already-linked', patientId: patient.id };
  const decision = await eligibilityNow(trx, { accountId: account.id, patientId: patient.id, patientBirthDate: patient.birthDate, relationship }, now, deps.config.hospital.timeZone);
  if (!decision.allowed) {
    await audit('refused', decision.reason);
    return { outcome: 'ineligible', reason: decision.reason };
  }
  await insertPatientLink(trx, { accountId: account.id, patientId: patient.id, relationship }, now);
  await audit('success', attempt.via);
  if (decision.notifyGuardians) await tellGuardiansOfOwnAccount(trx, deps, patient.id, account.id);
  return { outcome: 'linked', patientId: patient.id };
}

/** The email names no one: it says a patient on the account now has their own, and where to look. */
async function tellGuardiansOfOwnAccount(trx: Knex.Transaction, deps: LinkingDeps, patientId: number, patientAccountId: number): Promise<void> {
  const guardians = (await currentHoldersOf(trx, patientId)).filter((holder) => holder.accountId !== patientAccountId && holder.relationship !== 'self');
  for (const guardian of guardians) {
    await queueEmail(trx, deps, {
      to: guardian.email,
      template: 'teenOwnAccount',
      language: guardian.preferredLanguage as Language,
      params: { actionUrl: portalLink(deps, 'family', '/home') },
    });
  }
}
