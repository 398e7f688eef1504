// The age-18 transition, run by a scheduled job (jobs/turning18.ts). Before the 18th birthday the
// holders whose access will end are reminded (90, 30 and 7 days before); from 00:00 on the
// birthday, hospital time, their links end and the patient is told how to set up their own
// account. Every notice is recorded in family_notices in the transaction that queues its email,
// so running again, late, or on two instances at once never sends anything twice.
import type { Knex } from 'knex';
import { tz } from '@date-fns/tz';
import { differenceInCalendarDays } from 'date-fns';
import { localDateOf } from '../../domain/localDate.ts';
import { ADULT_AGE, birthdayInstant, TURNING_18_REMINDER_DAYS, turning18Reminders } from '../../domain/age.ts';
import { parentAccessAfter18 } from '../../domain/eligibility.ts';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../domain/language.ts';
import { currentHoldersOf, endPatientLink, patientsWithFamilyNearingAge, type PatientHolder, type PatientNearingAdulthood } from '../../data/patientLinks.ts';
import { accountsWithAcceptedPapers } from '../../data/guardianshipPapers.ts';
import { claimFamilyNotice } from '../../data/familyNotices.ts';
import { translate } from '../../locales/index.ts';
import { queueEmail, type EmailOutboxDeps } from '../emailOutbox.ts';
import { recordAudit } from '../audit.ts';
import { portalLink } from '../identity/deps.ts';
import { issueSignupToken } from './signupTokens.ts';

export interface Turning18Deps extends EmailOutboxDeps {
  db: Knex;
}

export interface Turning18Summary {
  remindersSent: number;
  linksEnded: number;
  ownAccountEmailsSent: number;
}

/** Patients looked at per query: memory and each query stay small however many are due. */
export const TURNING_18_BATCH_SIZE = 100;
/**
 * Candidates are picked in SQL a little early: PostgreSQL puts a 29 February birthday on
 * 28 February in other years (domain/age.ts puts it on 1 March), and its "today" is the hospital
 * calendar's date, not the instant. The domain functions then decide exactly.
 */
const CANDIDATE_MARGIN_DAYS = 2;

export async function runTurning18(deps: Turning18Deps, now: Date): Promise<Turning18Summary> {
  const timeZone = deps.config.hospital.timeZone;
  const today = localDateOf(now, timeZone);
  const summary: Turning18Summary = { remindersSent: 0, linksEnded: 0, ownAccountEmailsSent: 0 };
  // Adults whose only other holder is a guardian with papers come back every run; they are few,
  // and nothing is sent to them twice.
  for (let afterPatientId = 0; ; ) {
    const batch = await patientsWithFamilyNearingAge(deps.db, {
      today,
      age: ADULT_AGE,
      daysAhead: Math.max(...TURNING_18_REMINDER_DAYS) + CANDIDATE_MARGIN_DAYS,
      afterPatientId,
      limit: TURNING_18_BATCH_SIZE,
    });
    for (const patient of batch) {
      if (birthdayInstant(patient.birthDate, ADULT_AGE, timeZone) <= now) {
        const ended = await endAccessAt18(deps, patient, now);
        summary.linksEnded += ended.linksEnded;
        if (ended.ownAccountEmailSent) summary.ownAccountEmailsSent++;
      } else {
        summary.remindersSent += await remindBefore18(deps, patient, now);
      }
    }
    const last = batch.at(-1);
    if (!last || batch.length < TURNING_18_BATCH_SIZE) return summary;
    afterPatientId = last.id;
  }
}

/**
 * The holders whose access ends on the 18th birthday, by the eligibility rules: everyone but the
 * patient themself and court-appointed guardians with accepted papers.
 */
async function holdersLosingAccessAt18(trx: Knex.Transaction, patient: PatientNearingAdulthood, timeZone: string): Promise<{ losing: PatientHolder[]; patientHasOwnAccount: boolean }> {
  const holders = await currentHoldersOf(trx, patient.id);
  const papers = await accountsWithAcceptedPapers(trx, [patient.id]);
  const losing = holders.filter(
    (holder) =>
      !parentAccessAfter18({
        relationship: holder.relationship,
        patientBirthDate: patient.birthDate,
        guardianshipPapersOnFile: papers.has(`${patient.id}:${holder.accountId}`),
        timeZone,
      }).allowed,
  );
  return { losing, patientHasOwnAccount: holders.some((holder) => holder.relationship === 'self') };
}

/**
 * Sends the latest reminder now due to each holder who has not had it. After a missed day only
 * that one goes out, never the earlier ones as well; the email says how many days are left.
 */
async function remindBefore18(deps: Turning18Deps, patient: PatientNearingAdulthood, now: Date): Promise<number> {
  const timeZone = deps.config.hospital.timeZone;
  const due = turning18Reminders(patient.birthDate, timeZone)
    .filter((reminder) => reminder.dueFrom <= now)
    .at(-1);
  if (!due) return 0;
  const daysLeft = differenceInCalendarDays(birthdayInstant(patient.birthDate, ADULT_AGE, timeZone), now, { in: tz(timeZone) });
  return deps.db.transaction(async (trx) => {
    let sent = 0;
    for (const holder of (await holdersLosingAccessAt18(trx, patient, timeZone)).losing) {
      if (!(await claimFamilyNotice(trx, { patientId: patient.id, accountId: holder.accountId, notice: `turning18-reminder-${due.daysBefore}`, sentAt: now }))) continue;
      const language = holder.preferredLanguage as Language;
      await queueEmail(trx, deps, {
        to: holder.email,
        template: 'turning18Reminder',
        language,
        params: { when: whenText(language, daysLeft), actionUrl: portalLink(deps, 'family', '/signin') },
      });
      sent++;
    }
    return sent;
  });
}

/** "in 30 days", or "tomorrow", in the email's language. */
function whenText(language: Language, days: number): string {
  return days === 1 ? translate(language, 'emails.turning18Reminder.tomorrow') : translate(language, 'emails.turning18Reminder.inDays', { days });
}

/** Ends each link that does not outlast the birthday, tells each holder, and tells the patient. */
async function endAccessAt18(deps: Turning18Deps, patient: PatientNearingAdulthood, now: Date): Promise<{ linksEnded: number; ownAccountEmailSent: boolean }> {
  return deps.db.transaction(async (trx) => {
    const { losing, patientHasOwnAccount } = await holdersLosingAccessAt18(trx, patient, deps.config.hospital.timeZone);
    let linksEnded = 0;
    for (const holder of losing) {
      // Another instance may have ended it a moment ago; then that run tells the holder.
      if (!(await endPatientLink(trx, holder.linkId, 'turned-18', now))) continue;
      linksEnded++;
      await recordAudit(trx, { actorType: 'system', action: 'end-access-at-18', subjectType: 'patient', subjectId: patient.id, outcome: 'success', reason: `account ${holder.accountId}` });
      if (await claimFamilyNotice(trx, { patientId: patient.id, accountId: holder.accountId, notice: 'access-ended-at-18', sentAt: now })) {
        await queueEmail(trx, deps, { to: holder.email, template: 'accessEndedAt18', language: holder.preferredLanguage as Language, params: { actionUrl: portalLink(deps, 'family', '/signin') } });
      }
    }
    // A patient who already holds their own account needs no invitation to set one up.
    const ownAccountEmailSent = linksEnded > 0 && !patientHasOwnAccount && (await tellPatientHowToSetUpOwnAccount(trx, deps, patient, now));
    return { linksEnded, ownAccountEmailSent };
  });
}

/** Emails the patient a new sign-up token, at the address and in the language of the record. */
async function tellPatientHowToSetUpOwnAccount(trx: Knex.Transaction, deps: Turning18Deps, patient: PatientNearingAdulthood, now: Date): Promise<boolean> {
  // No address in the record: nothing is sent and nothing recorded. Support can issue a token
  // on a printed letter when the patient asks.
  if (!patient.email) return false;
  if (!(await claimFamilyNotice(trx, { patientId: patient.id, accountId: null, notice: 'own-account-at-18', sentAt: now }))) return false;
  const token = await issueSignupToken({ db: trx, config: deps.config, now: () => now }, patient.id, null, {});
  await queueEmail(trx, deps, {
    to: patient.email,
    template: 'ownAccountAt18',
    language: isLanguage(patient.preferredLanguage) ? patient.preferredLanguage : DEFAULT_LANGUAGE,
    params: { code: token.code, days: deps.config.familyAccess.signupTokenDays, actionUrl: portalLink(deps, 'family', '/signup') },
  });
  return true;
}
