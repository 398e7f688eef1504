// Every page the app has, in one list. The accessibility, HTML-validity and
// JavaScript-off gates all walk it, so a new page joins every gate by being added here.
// A page is reached by a GET, optionally followed by submitting the form on it, as an
// anonymous visitor or one signed in first (test/support/visitors.ts does both for every gate).
import type { AccountKind } from '../../domain/accounts.ts';
import type { TokenPurpose } from '../../services/identity/accountTokens.ts';
import type { Fixture } from './fixtures.ts';

/** A file chosen in a form: one of the tiny real samples (test/support/attachmentSamples.ts), by kind. */
export interface PageFile {
  name: string;
  sample: 'pdf' | 'png' | 'jpeg';
}

/** Who is signed in when the page is opened: a new account of this sort, made for the visit. */
export type Visitor =
  | 'family'
  | 'family-with-totp'
  | 'provider'
  /** Password accepted, the TOTP code not yet entered. */
  | 'provider-awaiting-code'
  | 'staff-admin'
  | 'staff-support'
  /** A care-team nurse: the fixture puts them on a clinic's team (care_team_staff). */
  | 'staff-care-team'
  | 'staff-mypatients'
  /** Password accepted, made to enrol a second factor before anything else. */
  | 'staff-enrolling';

/** In `submit`, stands for a new email address on every visit (so repeated visits never collide). */
export const FRESH = '<fresh email address>';

export interface PageVisit {
  name: string;
  path: string;
  /** Expected status of the page that is checked (after any form submission). */
  status?: number;
  /** Fill these fields of the page's form and submit it; the result is the page checked. */
  submit?: Record<string, string>;
  /** Where the browser should end up after `submit` (a path), when it redirects. */
  landsOn?: string;
  signedInAs?: Visitor;
  /** Opened from an emailed link: a new account of `kind` gets a valid token, added to `path`. */
  link?: { kind: AccountKind; purpose: TokenPurpose };
  /** Made in the database first (test/support/fixtures.ts); fills :placeholders in `path`. */
  fixture?: Fixture;
  /** Files chosen in the form's file inputs before `submit` (the form is then sent as multipart). */
  files?: Record<string, PageFile>;
}

export const VALID_CONTACT = {
  name: 'Ana Díaz',
  email: 'ana.diaz@example.com',
  phone: '555 010 2030',
  portal: 'family',
  topic: 'signIn',
  message: 'I cannot find the sign-in page.',
};

/** A complete MyPatients application (its files in REGISTRATION_FILES). */
export const VALID_REGISTRATION = {
  givenNames: 'Dana',
  familyName: 'Reyes',
  credential: 'MD',
  npi: '1234567893',
  email: 'dana.reyes@lakeside-peds.example',
  practiceName: 'Lakeside Pediatrics',
  addressLine: '400 N Lake Shore Dr',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60611',
  phone: '312 555 0142',
  fax: '312 555 0143',
};

export const REGISTRATION_FILES: Record<string, PageFile> = {
  certification: { name: 'certification.pdf', sample: 'pdf' },
  identity: { name: 'passport.jpg', sample: 'jpeg' },
};

export const PAGES: PageVisit[] = [
  { name: 'MyChildren’s home', path: '/' },
  { name: 'MyPatients home', path: '/provider' },
  { name: 'back office home', path: '/staff' },
  { name: 'help', path: '/help' },
  { name: 'privacy', path: '/privacy' },
  { name: 'emergency', path: '/emergency' },
  { name: 'contact form', path: '/contact' },
  { name: 'contact form with errors', path: '/contact', submit: { name: '', email: 'not-an-email', message: '' }, status: 422 },
  { name: 'contact form sent', path: '/contact', submit: VALID_CONTACT, landsOn: '/contact/sent' },
  { name: 'development mailbox', path: '/dev/mailbox' },
  { name: 'page not found', path: '/no-such-page', status: 404 },

  // Signing up and in, anonymously
  { name: 'MyChildren’s sign-in', path: '/signin' },
  { name: 'MyPatients sign-in', path: '/provider/signin' },
  { name: 'back-office sign-in', path: '/staff/signin' },
  { name: 'sign-in after an idle timeout', path: '/signin?timedOut=1' },
  { name: 'sign-in with a wrong password', path: '/signin', submit: { email: FRESH, password: 'Wrong-Password-1' }, status: 422 },
  { name: 'sign-up', path: '/signup' },
  { name: 'sign-up with errors', path: '/signup', submit: { name: '', email: 'not-an-email', password: 'short' }, status: 422 },
  { name: 'sign-up: check your email', path: '/signup', submit: { name: 'Ana Díaz', email: FRESH, password: 'Blue-Lantern-7', preferredLanguage: 'es' }, landsOn: '/signup/check-email' },
  { name: 'sign-up confirmation link', path: '/signup/confirm', link: { kind: 'family', purpose: 'confirm-email' } },
  { name: 'link that does not work', path: '/signup/confirm?token=nope', status: 410 },
  { name: 'MyChildren’s forgot password', path: '/forgot-password' },
  { name: 'MyChildren’s reset link sent', path: '/forgot-password', submit: { email: FRESH }, landsOn: '/forgot-password/sent' },
  { name: 'MyChildren’s new password from a link', path: '/reset-password', link: { kind: 'family', purpose: 'reset-password' } },
  { name: 'MyChildren’s new password with errors', path: '/reset-password', link: { kind: 'family', purpose: 'reset-password' }, submit: { password: 'short' }, status: 422 },
  { name: 'too many emails asked for', path: '/forgot-password', fixture: 'emailLimitReached', submit: { email: 'limited@example.com' }, status: 429 },
  { name: 'MyPatients forgot password', path: '/provider/forgot-password' },
  { name: 'back-office forgot password', path: '/staff/forgot-password' },
  { name: 'MyPatients reset with a pass code', path: '/provider/reset-password' },
  { name: 'MyPatients reset with a pass code, with errors', path: '/provider/reset-password', submit: { email: '', code: '', password: '' }, status: 422 },
  { name: 'back-office invitation: set a password', path: '/staff/set-password', link: { kind: 'staff', purpose: 'set-password' } },
  { name: 'new email address: confirm', path: '/account/email/confirm', link: { kind: 'family', purpose: 'change-email' } },
  { name: 'new email address: confirmed', path: '/account/email/confirm', link: { kind: 'family', purpose: 'change-email' }, submit: {} },

  // Signed in
  { name: 'MyPatients second-factor code', path: '/provider/signin/code', signedInAs: 'provider-awaiting-code' },
  { name: 'MyChildren’s signed-in home', path: '/home', signedInAs: 'family' },
  { name: 'MyPatients signed-in home', path: '/provider/home', signedInAs: 'provider' },
  { name: 'back-office signed-in home', path: '/staff/home', signedInAs: 'staff-admin' },
  { name: 'MyChildren’s account', path: '/account', signedInAs: 'family' },
  { name: 'MyPatients account', path: '/provider/account', signedInAs: 'provider' },
  { name: 'change password', path: '/account/password', signedInAs: 'family' },
  { name: 'change password with errors', path: '/account/password', signedInAs: 'family', submit: { currentPassword: '', password: 'short' }, status: 422 },
  { name: 'change email address', path: '/account/email', signedInAs: 'family' },
  { name: 'change email address with errors', path: '/account/email', signedInAs: 'family', submit: { email: 'not-an-email', currentPassword: '' }, status: 422 },
  { name: 'two-factor enrolment', path: '/account/two-factor', signedInAs: 'family' },
  { name: 'two-factor enrolment with a wrong code', path: '/account/two-factor', signedInAs: 'family', submit: { code: '000000' }, status: 422 },
  { name: 'two-factor enrolment required', path: '/staff/account/two-factor', signedInAs: 'staff-enrolling' },
  { name: 'two-factor on (family)', path: '/account/two-factor', signedInAs: 'family-with-totp' },
  { name: 'two-factor on (provider)', path: '/provider/account/two-factor', signedInAs: 'provider' },
  { name: 'new recovery codes', path: '/account/two-factor', signedInAs: 'family-with-totp', submit: {}, landsOn: '/account/recovery-codes' },
  { name: 'staff invitation', path: '/staff/admin/invite', signedInAs: 'staff-admin' },
  { name: 'staff invitation with errors', path: '/staff/admin/invite', signedInAs: 'staff-admin', submit: { name: '', email: 'not-an-email' }, status: 422 },
  { name: 'staff invitation sent', path: '/staff/admin/invite', signedInAs: 'staff-admin', submit: { name: 'Nia Nurse', email: FRESH, roles: 'care-team', preferredLanguage: 'en' }, landsOn: '/staff/admin/invited' },
  { name: 'not allowed (support opening admin)', path: '/staff/admin/invite', signedInAs: 'staff-support', status: 403 },

  // MyChildren's: adding a patient, and the patient's pages
  { name: 'family home with a patient and a request', path: '/home', signedInAs: 'family', fixture: 'ownRequest' },
  { name: 'family home with a provider’s request waiting', path: '/home', signedInAs: 'family', fixture: 'sharedRecord' },
  { name: 'add a patient', path: '/patients/add', signedInAs: 'family' },
  { name: 'add a patient with a token', path: '/patients/add/token', signedInAs: 'family' },
  { name: 'add a patient with a token, with errors', path: '/patients/add/token', signedInAs: 'family', submit: { code: '', 'birthDate-day': '31', 'birthDate-month': '2', 'birthDate-year': '2015' }, status: 422 },
  { name: 'ask to add a patient by MRN', path: '/patients/add/mrn', signedInAs: 'family' },
  { name: 'ask to add a patient by MRN, with errors', path: '/patients/add/mrn', signedInAs: 'family', submit: { patientName: '', mrn: 'no such!' }, status: 422 },
  { name: 'request to add a patient, waiting', path: '/patients/add/requests/:requestId', signedInAs: 'family', fixture: 'ownRequest' },
  { name: 'not eligible: foster parent', path: '/patients/add/not-eligible/foster-parent-not-guardian', signedInAs: 'family' },
  { name: 'not eligible: guardianship papers needed', path: '/patients/add/not-eligible/guardianship-papers-required', signedInAs: 'family' },
  { name: 'patient overview (parent)', path: '/patients/:patientId', signedInAs: 'family', fixture: 'child' },
  { name: 'patient overview with the patient switcher', path: '/patients/:patientId', signedInAs: 'family', fixture: 'twoChildren' },
  { name: 'patient overview (parent of a teen with their own account)', path: '/patients/:patientId', signedInAs: 'family', fixture: 'teenWithOwnAccount' },
  { name: 'patient overview (adult patient, who is linked)', path: '/patients/:patientId', signedInAs: 'family', fixture: 'ownAdultRecord' },

  // MyChildren's: the health record
  { name: 'record summary (parent of a teen)', path: '/patients/:patientId/record', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record summary (the teen)', path: '/patients/:patientId/record', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record summary (nothing on record yet)', path: '/patients/:patientId/record', signedInAs: 'family', fixture: 'child' },
  { name: 'download this record (parent of a teen)', path: '/patients/:patientId/download', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'download this record (the teen)', path: '/patients/:patientId/download', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'download this record (nothing on record yet)', path: '/patients/:patientId/download', signedInAs: 'family', fixture: 'child' },
  { name: 'who has looked at this record (parent of a teen)', path: '/patients/:patientId/who-has-looked', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'who has looked at this record (the teen)', path: '/patients/:patientId/who-has-looked', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'who has looked at this record (no one else yet)', path: '/patients/:patientId/who-has-looked', signedInAs: 'family', fixture: 'child' },
  // MyChildren's: messages
  { name: 'messages inbox', path: '/patients/:patientId/messages', signedInAs: 'family', fixture: 'messageThread' },
  { name: 'messages inbox (nothing yet)', path: '/patients/:patientId/messages', signedInAs: 'family', fixture: 'child' },
  { name: 'messages sent', path: '/patients/:patientId/messages/sent', signedInAs: 'family', fixture: 'messageThread' },
  { name: 'write a message', path: '/patients/:patientId/messages/new', signedInAs: 'family', fixture: 'messageThread' },
  { name: 'write a message (no one to write to yet)', path: '/patients/:patientId/messages/new', signedInAs: 'family', fixture: 'child' },
  { name: 'write a message with errors', path: '/patients/:patientId/messages/new', signedInAs: 'family', fixture: 'messageThread', submit: { recipient: 'clinic:CARD', body: '' }, status: 422 },
  { name: 'message conversation', path: '/patients/:patientId/messages/:threadId', signedInAs: 'family', fixture: 'messageThread' },
  { name: 'message conversation, answer late', path: '/patients/:patientId/messages/:threadId', signedInAs: 'family', fixture: 'lateMessageThread' },
  { name: 'message conversation, reply with errors', path: '/patients/:patientId/messages/:threadId', signedInAs: 'family', fixture: 'messageThread', submit: { body: ' ' }, status: 422 },
  { name: 'visits (parent of a teen)', path: '/patients/:patientId/visits', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'visits (the teen)', path: '/patients/:patientId/visits', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'visits, past only', path: '/patients/:patientId/visits?when=past', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'visits (nothing on record yet)', path: '/patients/:patientId/visits', signedInAs: 'family', fixture: 'child' },
  { name: 'clinical notes (parent of a teen)', path: '/patients/:patientId/notes', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'clinical notes (the teen)', path: '/patients/:patientId/notes', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'clinical notes (nothing on record yet)', path: '/patients/:patientId/notes', signedInAs: 'family', fixture: 'child' },
  { name: 'clinical note (parent of a teen)', path: '/patients/:patientId/notes/:noteId', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'clinical note (the teen)', path: '/patients/:patientId/notes/:noteId', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'test results (parent of a teen)', path: '/patients/:patientId/results', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'test results (the teen)', path: '/patients/:patientId/results', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'test results, out of range in the last year', path: '/patients/:patientId/results?period=1y&flagged=1', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'test results, none match', path: '/patients/:patientId/results?period=3m&flagged=1', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'test results (nothing on record yet)', path: '/patients/:patientId/results', signedInAs: 'family', fixture: 'child' },
  { name: 'test history (parent of a teen)', path: '/patients/:patientId/results/:resultId/history', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'test history (the teen)', path: '/patients/:patientId/results/:resultId/history', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record imaging and other reports (parent of a teen)', path: '/patients/:patientId/reports', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record imaging and other reports (the teen)', path: '/patients/:patientId/reports', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record imaging and other reports (nothing on record yet)', path: '/patients/:patientId/reports', signedInAs: 'family', fixture: 'child' },
  { name: 'record report (parent of a teen)', path: '/patients/:patientId/reports/:reportId', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record report (the teen)', path: '/patients/:patientId/reports/:reportId', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record medicines (parent of a teen)', path: '/patients/:patientId/medications', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record medicines (the teen)', path: '/patients/:patientId/medications', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record medicines (nothing on record yet)', path: '/patients/:patientId/medications', signedInAs: 'family', fixture: 'child' },
  { name: 'record allergies (parent of a teen)', path: '/patients/:patientId/allergies', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record allergies (the teen)', path: '/patients/:patientId/allergies', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record allergies (nothing on record yet)', path: '/patients/:patientId/allergies', signedInAs: 'family', fixture: 'child' },
  { name: 'record immunizations (parent of a teen)', path: '/patients/:patientId/immunizations', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record immunizations (the teen)', path: '/patients/:patientId/immunizations', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record immunizations (nothing on record yet)', path: '/patients/:patientId/immunizations', signedInAs: 'family', fixture: 'child' },
  { name: 'record care team and PCP (parent of a teen)', path: '/patients/:patientId/care-team', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record care team and PCP (the teen)', path: '/patients/:patientId/care-team', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record care team and PCP (nothing on record yet)', path: '/patients/:patientId/care-team', signedInAs: 'family', fixture: 'child' },
  { name: 'record insurance (parent of a teen)', path: '/patients/:patientId/insurance', signedInAs: 'family', fixture: 'teenRecordAsParent' },
  { name: 'record insurance (the teen)', path: '/patients/:patientId/insurance', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'record insurance (nothing on record yet)', path: '/patients/:patientId/insurance', signedInAs: 'family', fixture: 'child' },

  // MyChildren's: sharing the record with providers
  { name: 'share this record (everyone with access, and a request)', path: '/patients/:patientId/sharing', signedInAs: 'family', fixture: 'sharedRecord' },
  { name: 'share this record (nobody yet)', path: '/patients/:patientId/sharing', signedInAs: 'family', fixture: 'child' },
  { name: 'share this record (parent of a teen with their own account)', path: '/patients/:patientId/sharing', signedInAs: 'family', fixture: 'teenWithOwnAccount' },
  { name: 'share this record (the teen)', path: '/patients/:patientId/sharing', signedInAs: 'family', fixture: 'teenRecordAsPatient' },
  { name: 'share this record (adult patient)', path: '/patients/:patientId/sharing', signedInAs: 'family', fixture: 'ownAdultRecord' },
  { name: 'find a provider', path: '/patients/:patientId/sharing/providers', signedInAs: 'family', fixture: 'child' },
  { name: 'find a provider, with results', path: '/patients/:patientId/sharing/providers?name=Reyes', signedInAs: 'family', fixture: 'sharedRecord' },
  { name: 'find a provider, none found', path: '/patients/:patientId/sharing/providers?name=Nobody%20Here', signedInAs: 'family', fixture: 'child' },
  { name: 'invite a provider by email', path: '/patients/:patientId/sharing/invite', signedInAs: 'family', fixture: 'child' },
  { name: 'invite a provider by email, with errors', path: '/patients/:patientId/sharing/invite', signedInAs: 'family', fixture: 'child', submit: { name: '', email: 'not-an-email' }, status: 422 },
  { name: 'invitation sent: the MRN to give', path: '/patients/:patientId/sharing/invitations/:invitationId', signedInAs: 'family', fixture: 'sharedRecord' },
  { name: 'end a provider’s access: confirm', path: '/patients/:patientId/sharing/grants/:grantId/revoke', signedInAs: 'family', fixture: 'sharedRecord' },
  { name: 'withdraw an invitation: confirm', path: '/patients/:patientId/sharing/invitations/:invitationId/revoke', signedInAs: 'family', fixture: 'sharedRecord' },

  // Portal support
  { name: 'back-office signed-in home (support)', path: '/staff/home', signedInAs: 'staff-support' },
  { name: 'support queue', path: '/staff/support', signedInAs: 'staff-support', fixture: 'pendingRequest' },
  { name: 'support queue: no patient with that MRN', path: '/staff/support', signedInAs: 'staff-support', submit: { mrn: '0000000' }, status: 422 },
  { name: 'support request', path: '/staff/support/requests/:requestId', signedInAs: 'staff-support', fixture: 'pendingRequest' },
  { name: 'support request that cannot be approved', path: '/staff/support/requests/:requestId', signedInAs: 'staff-support', fixture: 'requestForAdult', submit: {}, status: 422 },
  { name: 'support request, declined', path: '/staff/support/requests/:requestId', signedInAs: 'staff-support', fixture: 'declinedRequest' },
  { name: 'support patient page', path: '/staff/support/patients/:patientId', signedInAs: 'staff-support', fixture: 'patientWithPapers' },
  { name: 'support sign-up letter', path: '/staff/support/patients/:patientId', signedInAs: 'staff-support', fixture: 'patientWithPapers', submit: {} },
  { name: 'support end access: confirm', path: '/staff/support/patients/:patientId/holders/:accountId/end', signedInAs: 'staff-support', fixture: 'patientWithPapers' },
  { name: 'not allowed (admin opening the support queue)', path: '/staff/support', signedInAs: 'staff-admin', status: 403 },

  // MyPatients: saved patients and the record viewer (a provider on the care team of a teen with an item for every rule)
  { name: 'MyPatients saved patients', path: '/provider/patients', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients saved patients (none yet)', path: '/provider/patients', signedInAs: 'provider', fixture: 'providerWithoutPatients' },
  { name: 'MyPatients saved patients, one no longer visible', path: '/provider/patients', signedInAs: 'provider', fixture: 'providerWithHiddenSavedPatient' },
  { name: 'MyPatients saved patients, hidden ones removed', path: '/provider/patients', signedInAs: 'provider', fixture: 'providerWithHiddenSavedPatient', submit: {}, landsOn: '/provider/patients' },
  { name: 'MyPatients saved patients, one removed', path: '/provider/patients', signedInAs: 'provider', fixture: 'providerCareTeamRecord', submit: {}, landsOn: '/provider/patients' },
  { name: 'MyPatients record summary', path: '/provider/patients/:patientId', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients record summary (not saved)', path: '/provider/patients/:patientId', signedInAs: 'provider', fixture: 'providerCareTeamRecordNotSaved' },
  { name: 'MyPatients admissions and discharges', path: '/provider/patients/:patientId/admissions', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients specialty visits', path: '/provider/patients/:patientId/visits', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients clinical notes', path: '/provider/patients/:patientId/notes', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients clinical note', path: '/provider/patients/:patientId/notes/:noteId', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients medications', path: '/provider/patients/:patientId/medications', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients lab results', path: '/provider/patients/:patientId/results', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients diagnostic reports', path: '/provider/patients/:patientId/reports', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },
  { name: 'MyPatients diagnostic report', path: '/provider/patients/:patientId/reports/:reportId', signedInAs: 'provider', fixture: 'providerCareTeamRecord' },

  // The care team's messages
  { name: 'back-office signed-in home (care team)', path: '/staff/home', signedInAs: 'staff-care-team' },
  { name: 'care team inbox', path: '/staff/messages', signedInAs: 'staff-care-team', fixture: 'careTeamThread' },
  { name: 'care team inbox, empty', path: '/staff/messages', signedInAs: 'staff-care-team' },
  { name: 'care team thread', path: '/staff/messages/:threadId', signedInAs: 'staff-care-team', fixture: 'careTeamThread' },
  { name: 'care team thread, reply with errors', path: '/staff/messages/:threadId', signedInAs: 'staff-care-team', fixture: 'careTeamThread', submit: { body: '' }, status: 422 },
  { name: 'care team patient record', path: '/staff/patients/:patientId/record', signedInAs: 'staff-care-team', fixture: 'careTeamThread' },
  { name: 'not allowed (support opening the care team inbox)', path: '/staff/messages', signedInAs: 'staff-support', status: 403 },
  // MyPatients registration, and the MyPatients team's queue
  { name: 'MyPatients registration', path: '/provider/register' },
  { name: 'MyPatients registration with errors', path: '/provider/register', submit: { givenNames: '', npi: '1234567890', email: 'not-an-email' }, status: 422 },
  { name: 'MyPatients registration sent', path: '/provider/register', submit: VALID_REGISTRATION, files: REGISTRATION_FILES, landsOn: '/provider/register/sent' },
  { name: 'back-office signed-in home (MyPatients team)', path: '/staff/home', signedInAs: 'staff-mypatients' },
  { name: 'provider registrations queue', path: '/staff/mypatients/registrations', signedInAs: 'staff-mypatients', fixture: 'pendingRegistration' },
  { name: 'provider registration', path: '/staff/mypatients/registrations/:registrationId', signedInAs: 'staff-mypatients', fixture: 'pendingRegistration' },
  { name: 'provider registration, approved without a practice', path: '/staff/mypatients/registrations/:registrationId', signedInAs: 'staff-mypatients', fixture: 'pendingRegistration', submit: {}, status: 422 },
  { name: 'provider registration, declined', path: '/staff/mypatients/registrations/:registrationId', signedInAs: 'staff-mypatients', fixture: 'declinedRegistration' },
  // MyPatients: the provider's account, and the team's queue of changes of practice
  { name: 'MyPatients account (provider in a practice)', path: '/provider/account', signedInAs: 'provider', fixture: 'placedProvider' },
  { name: 'MyPatients change email address', path: '/provider/account/email', signedInAs: 'provider', fixture: 'placedProvider' },
  { name: 'MyPatients change email address (no NPI: ask the sponsor)', path: '/provider/account/email', signedInAs: 'provider', status: 403 },
  { name: 'request a change of practice', path: '/provider/account/practice', signedInAs: 'provider', fixture: 'placedProvider' },
  { name: 'request a change of practice, with errors', path: '/provider/account/practice', signedInAs: 'provider', fixture: 'placedProvider', submit: { oldPracticeName: 'Riverside Pediatrics', newPracticeName: '', newPostalCode: 'nope' }, status: 422 },
  {
    name: 'change of practice sent',
    path: '/provider/account/practice',
    signedInAs: 'provider',
    fixture: 'placedProvider',
    submit: { oldPracticeName: 'Riverside Pediatrics', oldAddress: '12 River Rd', oldPhone: '617 555 0100', oldFax: '617 555 0101', wasSponsor: 'no', newPracticeName: 'Harbor Kids', newAddressLine: '9 Dock St', newCity: 'Salem', newState: 'MA', newPostalCode: '01970', newPhone: '978 555 0199', newFax: '978 555 0198' },
    landsOn: '/provider/account/practice/sent',
  },
  { name: 'changes of practice queue', path: '/staff/mypatients/practice-changes', signedInAs: 'staff-mypatients', fixture: 'pendingPracticeChange' },
  { name: 'change of practice', path: '/staff/mypatients/practice-changes/:changeId', signedInAs: 'staff-mypatients', fixture: 'pendingPracticeChange' },
  { name: 'change of practice, marked done without a note', path: '/staff/mypatients/practice-changes/:changeId', signedInAs: 'staff-mypatients', fixture: 'pendingPracticeChange', submit: { note: '' }, status: 422 },
  { name: 'change of practice, marked done without a practice', path: '/staff/mypatients/practice-changes/:changeId', signedInAs: 'staff-mypatients', fixture: 'pendingPracticeChange', submit: { note: 'Practice updated.' }, status: 422 },
  { name: 'change of practice, done', path: '/staff/mypatients/practice-changes/:changeId', signedInAs: 'staff-mypatients', fixture: 'donePracticeChange' },
  { name: 'not allowed (support opening the provider registrations)', path: '/staff/mypatients/registrations', signedInAs: 'staff-support', status: 403 },

  // MyPatients patient search, access requests and tokens; the MyPatients team's PCP requests
  { name: 'MyPatients patient search', path: '/provider/search', signedInAs: 'provider', fixture: 'providerWithPatient' },
  { name: 'MyPatients patient search with errors', path: '/provider/search', signedInAs: 'provider', fixture: 'providerWithPatient', submit: { familyName: '', 'birthDate-day': '31', 'birthDate-month': '2' }, status: 422 },
  { name: 'MyPatients patient search results', path: '/provider/search', signedInAs: 'provider', fixture: 'providerWithPatient', submit: { familyName: 'Gatekeeper', 'birthDate-month': '4', 'birthDate-day': '9', 'birthDate-year': '2016' } },
  { name: 'MyPatients patient search, no patient matches', path: '/provider/search', signedInAs: 'provider', fixture: 'providerWithPatient', submit: { familyName: 'Nobodyhere', 'birthDate-month': '4', 'birthDate-day': '9', 'birthDate-year': '2016' } },
  { name: 'MyPatients not authorized (no MyChildren’s account)', path: '/provider/search', signedInAs: 'provider', fixture: 'providerAndUnseenPatient', submit: { familyName: 'Unseenkid', 'birthDate-month': '6', 'birthDate-day': '2', 'birthDate-year': '2015' }, landsOn: '/provider/search/no-access/1' },
  { name: 'MyPatients family sign-up instructions', path: '/provider/family-sign-up', signedInAs: 'provider' },
  { name: 'MyPatients access requests', path: '/provider/requests', signedInAs: 'provider', fixture: 'providerRequests' },
  { name: 'MyPatients access requests (none yet)', path: '/provider/requests', signedInAs: 'provider' },
  { name: 'MyPatients validate a token', path: '/provider/tokens', signedInAs: 'provider' },
  { name: 'MyPatients validate a token with errors', path: '/provider/tokens', signedInAs: 'provider', submit: { token: 'ABCD-EFGH-JKMN', mrn: '' }, status: 422 },
  { name: 'PCP access requests queue', path: '/staff/mypatients/pcp-requests', signedInAs: 'staff-mypatients', fixture: 'pendingPcpRequest' },
  { name: 'PCP access request', path: '/staff/mypatients/pcp-requests/:requestId', signedInAs: 'staff-mypatients', fixture: 'pendingPcpRequest' },
  { name: 'PCP access request, approved without a note', path: '/staff/mypatients/pcp-requests/:requestId', signedInAs: 'staff-mypatients', fixture: 'pendingPcpRequest', submit: {}, status: 422 },
  { name: 'PCP access request, declined', path: '/staff/mypatients/pcp-requests/:requestId', signedInAs: 'staff-mypatients', fixture: 'declinedPcpRequest' },
  { name: 'not allowed (support opening the PCP access requests)', path: '/staff/mypatients/pcp-requests', signedInAs: 'staff-support', status: 403 },
];

export const LANGUAGES = ['en', 'es'] as const;
