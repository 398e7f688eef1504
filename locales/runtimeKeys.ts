// Keys that views and code build at run time ('practiceChange.statuses.' + status) cannot be
// found by reading the templates. Each one is written here as a pattern (`*` is the part filled
// in) with every value the code can put there. A list typed with `everyOf<Union>()` must name
// each member of the code's own union, so tsc refuses it when the union grows; the locale test
// walks every pattern × value in both languages, and fails on a built key that has no pattern.
import type { SessionData } from 'express-session';
import { ACCOUNT_KINDS, STAFF_ROLES } from '../domain/accounts.ts';
import type { AccessBasis } from '../domain/access.ts';
import { LINK_REFUSALS, RELATIONSHIPS, type GrantDecision } from '../domain/eligibility.ts';
import type { WithheldNotice } from '../domain/familyRecord.ts';
import type { OutOfRange } from '../domain/labInterpretation.ts';
import { PLAIN_TEST_WORDS } from '../domain/labTests.ts';
import { MESSAGE_SUBJECTS, type MessageAuthorKind, type ThreadStatus } from '../domain/messaging.ts';
import { PASSWORD_PROFILES, type PasswordFailure } from '../domain/passwordRules.ts';
import { ACCESS_REQUEST_KINDS, PCP_DECLINE_REASONS } from '../domain/patientSearch.ts';
import type { BasisWording } from '../domain/providerRecord.ts';
import { PROVIDER_CREDENTIALS, REGISTRATION_DECLINE_REASONS, REGISTRATION_DOCUMENTS, REGISTRATION_STATUSES, type DocumentRefusal } from '../domain/providerRegistration.ts';
import { RECORD_SECTIONS } from '../domain/recordSections.ts';
import { RESULT_PERIODS, VISIT_FILTERS } from '../domain/recordLists.ts';
import {
  ALLERGY_CRITICALITIES,
  ALLERGY_STATUSES,
  CARE_TEAM_ROLE_WORDS,
  COVERAGE_STATUSES,
  IMMUNIZATION_STATUSES,
  MEDICATION_STATUSES,
  REPORT_CATEGORY_WORDS,
  SUBSCRIBER_RELATIONSHIPS,
} from '../domain/recordTerms.ts';
import type { EncounterClass } from '../domain/release.ts';
import { SHARING_REFUSALS, type Sharers } from '../domain/sharing.ts';
import type { StaffRecordBasis } from '../domain/staffRecordAccess.ts';
import type { LinkRequestStatus } from '../data/linkRequests.ts';
import type { PapersStatus } from '../data/guardianshipPapers.ts';
import type { DeclineReason } from '../services/family/linkRequests.ts';
import type { TokenPurpose } from '../services/identity/accountTokens.ts';
import type { Mailbox } from '../services/messaging/threads.ts';
import type { ApprovalOutcome } from '../services/myPatients/registrations.ts';

/** A list of every member of T: tsc names the members a list leaves out. */
export function everyOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): L => list;
}

/** A term from the record the page has words for, or 'other' (termOf in domain/recordTerms.ts). */
const withOther = <L extends readonly string[]>(list: L) => [...list, 'other'] as const;

/**
 * What each back-office form's notice can say. The session holds the full key, so a notice read
 * by another queue's page (a second tab, a redirect not followed) still finds its own words.
 */
export const STAFF_NOTICES = {
  support: [
    'approved',
    'declined',
    'alreadyDecided',
    'letterShownOnce',
    'accessEnded',
    'papersUploaded',
    'papersAccepted',
    'papersRejected',
    'papersAlreadyReviewed',
  ],
  careTeamMessages: ['replySent', 'assigned', 'closed', 'alreadyClosed'],
  myPatientsTeam: ['approved', 'declined', 'alreadyDecided'],
  pcpRequestsTeam: ['approved', 'declined', 'alreadyDecided'],
  practiceChange: ['done', 'alreadyDone'],
} as const;
type StaffNotices = typeof STAFF_NOTICES;
export type StaffNoticeKey = { [Area in keyof StaffNotices]: `${Area}.notices.${StaffNotices[Area][number]}` }[keyof StaffNotices];

/** The notice a family's next page shows after a form: the session fields' own unions. */
type Notice<Field extends keyof SessionData> = Extract<NonNullable<SessionData[Field]>, string>;
type KeyedNotice<Field extends keyof SessionData> = NonNullable<SessionData[Field]> extends { key: infer K extends string } ? K : never;

/** The email templates (each is `emails.<name>` in both catalogues). */
export const EMAIL_TEMPLATES = [
  'supportRequestReceived',
  'accountAlreadyExists',
  'confirmEmail',
  'passwordResetLink',
  'passwordResetCode',
  'passwordChanged',
  'confirmNewEmail',
  'emailChanged',
  'accountInvitation',
  'teenOwnAccount',
  'linkRequestApproved',
  'linkRequestDeclined',
  'messageWaiting',
  'turning18Reminder',
  'accessEndedAt18',
  'ownAccountAt18',
  'providerRegistrationReceived',
  'providerRegistrationApproved',
  'providerRegistrationDeclined',
  'pcpAccessApproved',
  'pcpAccessDeclined',
  'sharingRecordShared',
  'sharingInvitation',
  'sharingRequestApproved',
  'sharingRequestDeclined',
  'sharingRequestWaiting',
] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

const decided = ['approved', 'declined'] as const;
const requestStatuses = everyOf<LinkRequestStatus>()(['pending', ...decided]);
const linkDeclineReasons = everyOf<DeclineReason>()(['details-do-not-match', 'no-record-found', 'papers-needed', 'not-eligible']);
const mailboxes = everyOf<Mailbox>()(['inbox', 'sent']);
const linkProblems = everyOf<'unknown' | 'used' | 'expired'>()(['unknown', 'used', 'expired']);
const eligibilityRefusals = everyOf<Extract<GrantDecision, { allowed: false }>['reason']>()([...LINK_REFUSALS, 'adult-cannot-regrant-parent']);

/** Every key built at run time: pattern → the values that fill its `*`. */
export const RUNTIME_KEYS: Readonly<Record<string, readonly string[]>> = {
  'auth.account.notices.*': everyOf<Notice<'accountNotice'>>()(['passwordChanged', 'secondFactorOff', 'detailsChanged']),
  'auth.account.outcomes.*': ['success', 'failure', 'refused'],
  'auth.checkEmail.*': ['signed-up', 'unconfirmed', 'reset', 'change-email'],
  'auth.languages.*': ['en', 'es'],
  'auth.linkProblem.*': linkProblems,
  'auth.linkProblem.title.*': linkProblems,
  'auth.newPassword.title.*': everyOf<Extract<TokenPurpose, `${string}-password`>>()(['reset-password', 'set-password']),
  'auth.signIn.heading.*': ACCOUNT_KINDS,
  'auth.signIn.notices.*.title': ['timedOut', 'signedOut', 'confirmed', 'passwordSet'],
  'auth.signIn.notices.*.text': ['timedOut', 'signedOut', 'confirmed', 'passwordSet'],
  'careTeamMessages.notices.*': STAFF_NOTICES.careTeamMessages,
  'careTeamMessages.sides.*': everyOf<MessageAuthorKind>()(['family', 'staff']),
  'careTeamMessages.thread.statuses.*': everyOf<ThreadStatus>()(['open', 'closed']),
  'contact.portals.*': ['family', 'provider', 'other'],
  'contact.topics.*': ['signUp', 'signIn', 'record', 'messages', 'visits', 'billing', 'technical', 'other'],
  'dev.mailbox.status.*': ['pending', 'sent', 'held'],
  'eligibility.refusal.*.title': eligibilityRefusals,
  'eligibility.refusal.*.body': eligibilityRefusals,
  'emails.*': EMAIL_TEMPLATES,
  'forms.date.*': ['day', 'month', 'year'],
  'home.signedIn.title.*': ACCOUNT_KINDS,
  'home.signedIn.comingSoon.*': ['provider', 'staff'],
  'messages.*.title': mailboxes,
  'messages.*.intro': mailboxes,
  'messages.*.caption': mailboxes,
  'messages.*.empty': mailboxes,
  'messages.errors.*Missing': ['recipient', 'subject', 'body'],
  'messages.notices.*': everyOf<Notice<'messageNotice'>>()(['sent', 'replied']),
  'messaging.subjects.*': MESSAGE_SUBJECTS,
  'myPatientsTeam.declineReasons.*': REGISTRATION_DECLINE_REASONS,
  // The approvals that fail for a reason the form shows (the others redirect or answer 404).
  'myPatientsTeam.errors.*': everyOf<Exclude<ApprovalOutcome['outcome'], 'approved' | 'not-found' | 'already-decided'>>()(['email-taken', 'practitioner-has-account', 'no-such-practice']),
  'myPatientsTeam.notices.*': STAFF_NOTICES.myPatientsTeam,
  'myPatientsTeam.registration.decided.*': decided,
  'myPatientsTeam.statuses.*': REGISTRATION_STATUSES,
  'passwords.failures.*': everyOf<PasswordFailure>()(['too-short', 'too-long', 'no-number', 'no-capital', 'too-common', 'contains-email']),
  'passwords.hint.*': PASSWORD_PROFILES,
  'patients.add.who.*': ['parents', 'courtGuardians', 'patients', 'caseworkers'],
  'patients.declineReasons.*': linkDeclineReasons,
  'patients.errors.*': ['token-expired', 'token-used'],
  'patients.notices.*': everyOf<Notice<'patientNotice'>>()(['added', 'already-linked']),
  'patients.relationships.*': RELATIONSHIPS,
  'patients.requestStatus.*': requestStatuses,
  'patients.requested.title.*': requestStatuses,
  'pcpRequestsTeam.declineReasons.*': PCP_DECLINE_REASONS,
  'pcpRequestsTeam.notices.*': STAFF_NOTICES.pcpRequestsTeam,
  'pcpRequestsTeam.request.decided.*': decided,
  'portals.*.name': ACCOUNT_KINDS,
  'portals.*.path': ACCOUNT_KINDS,
  'practiceChange.notices.*': STAFF_NOTICES.practiceChange,
  'practiceChange.statuses.*': ['pending', 'done'],
  'providerRecord.basis.*': everyOf<BasisWording>()(['pcp', 'pcp-practice', 'care-team', 'granted', 'token', 'sponsor-practice-pcp']),
  'providerRecord.encounter.class.*': everyOf<EncounterClass>()(['ambulatory', 'inpatient', 'emergency', 'virtual']),
  'providerRecord.nav.*': ['summary', 'admissions', 'visits', 'notes', 'medications', 'results', 'reports'],
  'providerRecord.saved.notice.*': everyOf<Notice<'savedPatientNotice'>>()(['saved', 'removed', 'removedHidden']),
  'providerRegistration.credentials.*': PROVIDER_CREDENTIALS,
  'providerRegistration.documentErrors.*': everyOf<DocumentRefusal>()(['missing', 'empty', 'too-large', 'wrong-type', 'content-mismatch']),
  'providerRegistration.documents.*.name': REGISTRATION_DOCUMENTS,
  'providerRegistration.documents.*.label': REGISTRATION_DOCUMENTS,
  'providerRegistration.documents.*.hint': REGISTRATION_DOCUMENTS,
  'providerRequests.kinds.*': ACCESS_REQUEST_KINDS,
  'providerRequests.notices.*': everyOf<KeyedNotice<'providerRequestNotice'>>()(['requestedPcp', 'requestedNonPcp', 'alreadyRequested']),
  'providerRequests.statuses.*': requestStatuses,
  'providerRequests.waiting.*': ACCESS_REQUEST_KINDS,
  'providerSearch.basis.*': everyOf<AccessBasis>()(['pcp', 'care-team', 'granted', 'token', 'sponsor-practice-pcp']),
  'record.allergies.criticality.*': withOther(ALLERGY_CRITICALITIES),
  'record.allergies.status.*': withOther(ALLERGY_STATUSES),
  'record.immunizations.status.*': withOther(IMMUNIZATION_STATUSES),
  'record.insurance.relationship.*': withOther(SUBSCRIBER_RELATIONSHIPS),
  'record.insurance.status.*': withOther(COVERAGE_STATUSES),
  'record.medications.status.*': withOther(MEDICATION_STATUSES),
  'record.nav.*': RECORD_SECTIONS,
  'record.reports.category.*': REPORT_CATEGORY_WORDS,
  'careTeamRecord.basis.*': everyOf<StaffRecordBasis>()(['care-team-practitioner', 'clinic-visit', 'message-thread']),
  'record.careTeam.roles.*': CARE_TEAM_ROLE_WORDS,
  'record.results.testNames.*': PLAIN_TEST_WORDS,
  'record.results.outOfRange.*': everyOf<OutOfRange>()(['critically-low', 'low', 'high', 'critically-high', 'abnormal']),
  'record.results.period.*': RESULT_PERIODS,
  'record.visits.when.*': VISIT_FILTERS,
  'record.withheld.*': everyOf<WithheldNotice>()([
    'confidential',
    'adolescent-confidential',
    'sensitive',
    'hospital-notes',
    'department-notes',
    'not-complete',
    'release-delay',
  ]),
  'relationships.*': RELATIONSHIPS,
  'sharing.basis.*': ['pcp', 'pcp-practice', 'care-team', 'care-team-role', 'invitation', 'approved-request', 'token'],
  'sharing.notAllowed.*': SHARING_REFUSALS,
  'sharing.notices.*': everyOf<KeyedNotice<'sharingNotice'>>()([
    'shared',
    'alreadyShared',
    'invited',
    'revoked',
    'alreadyEnded',
    'approved',
    'declined',
    'alreadyDecided',
    'mayNotShare',
  ]),
  'sharing.revoke.title.*': ['grant', 'token', 'invitation'],
  'sharing.revoke.lead.*': ['grant', 'token', 'invitation'],
  'sharing.revoke.confirm.*': ['grant', 'token', 'invitation'],
  'sharing.rule.*': everyOf<Sharers>()(['guardians', 'guardians-and-patient', 'patient-and-court-appointed-guardian']),
  'staffAdmin.roles.*': STAFF_ROLES,
  'support.declineReasons.*': linkDeclineReasons,
  'support.errors.*': ['papersMissing', 'papersTooLarge', 'papersUnreadable', 'papersEmpty', 'papersNotPdf'],
  'support.notices.*': STAFF_NOTICES.support,
  'support.papers.statuses.*': everyOf<PapersStatus>()(['pending', 'accepted', 'rejected']),
  'support.request.decided.*': decided,
};

/** Every key the patterns make, for the locale test. */
export function runtimeKeys(): { pattern: string; key: string }[] {
  return Object.entries(RUNTIME_KEYS).flatMap(([pattern, values]) => values.map((value) => ({ pattern, key: pattern.replace('*', value) })));
}
