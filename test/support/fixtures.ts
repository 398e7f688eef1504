// What a page in the gates needs in the database before it is opened: patients linked to the
// visitor, a request waiting for support, papers waiting for review. Each returns the values of
// the placeholders (:patientId, :requestId, :papersId) in the page's path.
import type { Knex } from 'knex';
import { decideLinkRequest } from '../../data/linkRequests.ts';
import { bornYearsAgo, createLinkRequest, createPapers, createPatient, familyAccount, linkHolder } from './family.ts';
import { createAccount } from './identity.ts';
import { addCareTeam, addEncounter, addPractitioner, ensureClinic, fillRecordForEveryRule, setPcp } from './record.ts';
import { insertAttachment, insertMessage, insertThread, updateThreadAfterMessage } from '../../data/messages.ts';
import { TINY_PDF, TINY_PNG } from './attachmentSamples.ts';
import { createRegistration } from './providerRegistration.ts';
import { linkProvider, providerAccount } from './provider.ts';
import { createFamilyThread, joinClinicTeam } from './messaging.ts';
import { countEmailRequest, EMAILS_PER_RECIPIENT_PER_HOUR } from '../../services/emailLimits.ts';

export const FIXTURES = {
  /** The visitor is the parent of an 8-year-old. */
  async child(db: Knex, visitorId: number): Promise<{ patientId: number }> {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
    await linkHolder(db, visitorId, patient.id, 'parent');
    return { patientId: patient.id };
  },
  /** The visitor is the parent of two children, so the patient switcher shows. */
  async twoChildren(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const { patientId } = await FIXTURES.child(db, visitorId);
    const sibling = await createPatient(db, { birthDate: bornYearsAgo(5), givenNames: 'Mateo', familyName: 'Ortega' });
    await linkHolder(db, visitorId, sibling.id, 'parent');
    return { patientId, siblingId: sibling.id };
  },
  /** The visitor is the parent of a 15-year-old with their own account, whose record has an item for every release rule. */
  async teenRecordAsParent(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    await linkHolder(db, visitorId, patient.id, 'parent');
    await linkHolder(db, (await familyAccount(db, 'teen')).id, patient.id, 'self');
    const { ids } = await fillRecordForEveryRule(db, patient.id);
    return { patientId: patient.id, noteId: ids.noteId, resultId: ids.labId, reportId: ids.reportId };
  },
  /** The visitor is that 15-year-old, reading their own record (confidential care included). */
  async teenRecordAsPatient(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    await linkHolder(db, visitorId, patient.id, 'self');
    const { ids } = await fillRecordForEveryRule(db, patient.id);
    return { patientId: patient.id, noteId: ids.noteId, resultId: ids.teenLabId, reportId: ids.teenReportId };
  },
  /** The visitor is a 15-year-old patient's parent, and the teen has their own account. */
  async teenWithOwnAccount(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    await linkHolder(db, visitorId, patient.id, 'parent');
    await linkHolder(db, (await familyAccount(db, 'teen')).id, patient.id, 'self');
    return { patientId: patient.id };
  },
  /** The visitor is a 19-year-old patient, with a court-appointed guardian also linked. */
  async ownAdultRecord(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(19), givenNames: 'Ravi', familyName: 'Shah' });
    await linkHolder(db, visitorId, patient.id, 'self');
    await linkHolder(db, (await familyAccount(db, 'guardian')).id, patient.id, 'court-appointed-guardian');
    return { patientId: patient.id };
  },
  /**
   * The visitor is the parent of a 9-year-old seen in cardiology, with a doctor on the care team,
   * and a conversation with the clinic: the parent's question with a PDF, the care team's answer,
   * and the parent's follow-up waiting for an answer.
   */
  async messageThread(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Lucía', familyName: 'Ortega' });
    await linkHolder(db, visitorId, patient.id, 'parent');
    await ensureClinic(db, 'CARD', 'Cardiology');
    await addEncounter(db, patient.id, { start: new Date(Date.now() - 30 * 86_400_000), reason: 'Check-up', department: 'CARD' });
    await addCareTeam(db, patient.id, [{ practitionerId: await addPractitioner(db, { familyName: 'Okafor', givenNames: 'Ada', credential: 'MD' }), role: 'attending' }]);
    const nurse = await createAccount(db, { kind: 'staff', email: `nurse-${patient.id}@example.com`, roles: ['care-team'] });
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
    const threadId = await insertThread(db, { patientId: patient.id, recipient: { kind: 'clinic', departmentCode: 'CARD' }, subject: 'test-result', familyParty: 'guardian', startedByAccountId: visitorId, startedAt: at(50) });
    const question = await insertMessage(db, { threadId, authorKind: 'family', authorAccountId: visitorId, body: 'Is the echo result normal?\nThe school form is attached.', sentAt: at(50) });
    await insertAttachment(db, { messageId: question, displayName: 'school form.pdf', contentType: 'application/pdf', content: TINY_PDF });
    await insertMessage(db, { threadId, authorKind: 'staff', authorAccountId: nurse, body: 'Yes, it is normal. We signed the form.', sentAt: at(26) });
    await insertMessage(db, { threadId, authorKind: 'family', authorAccountId: visitorId, body: 'Thank you. Does she need a follow-up?', sentAt: at(2) });
    await updateThreadAfterMessage(db, threadId, { lastMessageAt: at(2), awaitingSince: at(2), dueAt: new Date(Date.now() + 48 * 3_600_000) });
    return { patientId: patient.id, threadId };
  },
  /** The visitor's thread as above, its answer now two days late (the clinic's number is in the record). */
  async lateMessageThread(db: Knex, visitorId: number): Promise<{ patientId: number; threadId: number }> {
    const ids: { patientId: number; threadId: number } = await FIXTURES.messageThread(db, visitorId);
    await db('clinics').where({ department_code: 'CARD' }).update({ phone: '555-0142' });
    await db('message_threads').where({ id: ids.threadId }).update({ due_at: new Date(Date.now() - 2 * 86_400_000) });
    return ids;
  },
  /** The visitor asked to add a patient by MRN; support has not answered yet. */
  async ownRequest(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(11), givenNames: 'Iris', familyName: 'Moreau' });
    return { requestId: await createLinkRequest(db, { accountId: visitorId, patient }) };
  },
  /** Another family asked to add a patient by MRN; support has not answered yet. */
  async pendingRequest(db: Knex) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(10), givenNames: 'Emma', familyName: 'Lind' });
    const requestId = await createLinkRequest(db, { accountId: (await familyAccount(db, 'requester')).id, patient });
    return { requestId, patientId: patient.id };
  },
  /** A parent asked to add a patient who is now 19: support cannot approve it. */
  async requestForAdult(db: Knex) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(19), givenNames: 'Ilse', familyName: 'Moreau' });
    const requestId = await createLinkRequest(db, { accountId: (await familyAccount(db, 'parent-of-adult')).id, patient });
    return { requestId, patientId: patient.id };
  },
  /** A request the visitor (support) has declined. */
  async declinedRequest(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const { requestId, patientId } = await FIXTURES.pendingRequest(db);
    await decideLinkRequest(db, requestId, { status: 'declined', decidedBy: visitorId, decidedAt: new Date(), declineReason: 'details-do-not-match' });
    return { requestId, patientId };
  },
  /** A patient with a parent linked and a guardian's papers waiting for review. */
  async patientWithPapers(db: Knex) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(17, new Date(), -20), givenNames: 'Jonah', familyName: 'Weiss' });
    const guardian = await familyAccount(db, 'guardian');
    await linkHolder(db, guardian.id, patient.id, 'court-appointed-guardian');
    const uploadedBy = await createAccount(db, { kind: 'staff', email: `uploader-${patient.id}@example.com`, roles: ['support'] });
    const papersId = await createPapers(db, { patientId: patient.id, accountId: guardian.id, uploadedBy });
    return { patientId: patient.id, papersId, accountId: guardian.id };
  },
  /**
   * The visitor (care team) works the inbox of a clinic, with a colleague: a parent's thread there
   * is overdue (with a picture attached, its message over two lines) and another is not yet due.
   */
  async careTeamThread(db: Knex, visitorId: number) {
    const patient = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Tomás', familyName: 'Ibarra' });
    const parent = await familyAccount(db, 'parent');
    await linkHolder(db, parent.id, patient.id, 'parent');
    const colleague = await createAccount(db, { kind: 'staff', email: `colleague-${patient.id}@example.com`, roles: ['care-team'] });
    // A clinic of its own, so each visitor's inbox holds just these two threads.
    const clinic = `ENDO-${patient.id}`;
    await joinClinicTeam(db, clinic, 'Endocrinology', [visitorId, colleague]);
    await addEncounter(db, patient.id, { start: new Date(Date.now() - 30 * 86_400_000), reason: 'Check-up', department: clinic });
    const day = 86_400_000;
    const { threadId } = await createFamilyThread(db, {
      patientId: patient.id,
      accountId: parent.id,
      departmentCode: clinic,
      subject: 'photo-upload',
      body: 'The rash is back on his arm.\nA photo is attached.',
      sentAt: new Date(Date.now() - 6 * day),
      dueAt: new Date(Date.now() - 2 * day),
      attachments: [{ displayName: 'rash photo.png', contentType: 'image/png', content: TINY_PNG }],
    });
    await createFamilyThread(db, { patientId: patient.id, accountId: parent.id, departmentCode: clinic, subject: 'prescription', body: 'Can we get a refill?', sentAt: new Date(), dueAt: new Date(Date.now() + 2 * day) });
    return { threadId, patientId: patient.id };
  },
  /** A provider's application waiting for the MyPatients team, with a practice of a similar name in the record. */
  async pendingRegistration(db: Knex) {
    await db('practices').insert({ source_id: `fixture-practice-${Date.now()}-${Math.random()}`, name: 'Lakeside Pediatrics Group', address_line: '1 Main St', city: 'Chicago', state: 'IL', postal_code: '60611' });
    return { registrationId: await createRegistration(db) };
  },
  /** An application the visitor (MyPatients team) has declined. */
  async declinedRegistration(db: Knex, visitorId: number) {
    const registrationId = await createRegistration(db);
    await db('provider_registrations').where({ id: registrationId }).update({ status: 'declined', decline_reason: 'documents-unreadable', decided_by_account_id: visitorId, decided_at: new Date() });
    return { registrationId };
  },
  /** The visitor (a provider) is the PCP of Ada Gatekeeper, born 9 April 2016, whom the search finds. */
  async providerWithPatient(db: Knex, visitorId: number) {
    const { practitionerId, practiceId } = await linkProvider(db, visitorId);
    const patient = await createPatient(db, { birthDate: '2016-04-09', givenNames: 'Ada', familyName: 'Gatekeeper' });
    await db('patients').where({ id: patient.id }).update({ pcp_practitioner_id: practitionerId, pcp_practice_id: practiceId });
    return { patientId: patient.id };
  },
  /**
   * The visitor (a provider) may not see Milo Unseenkid, born 2 June 2015, who has no MyChildren's
   * account; he is the only patient with that name and birth date (earlier visits' are renamed), so
   * a search for him is an exact match and leads to the "not authorized" page.
   */
  async providerAndUnseenPatient(db: Knex, visitorId: number) {
    await linkProvider(db, visitorId);
    await db('patients').where({ family_name: 'Unseenkid' }).update({ family_name: db.raw(`'Seen-' || id`) });
    const patient = await createPatient(db, { birthDate: '2015-06-02', givenNames: 'Milo', familyName: 'Unseenkid' });
    return { patientId: patient.id };
  },
  /** The visitor (a provider) asked for PCP access to one patient (waiting) and non-PCP access to another (declined). */
  async providerRequests(db: Knex, visitorId: number) {
    await linkProvider(db, visitorId);
    const first = await createPatient(db, { birthDate: '2015-06-02', givenNames: 'Milo', familyName: 'Unseen' });
    const second = await createPatient(db, { birthDate: bornYearsAgo(7), givenNames: 'Ivy', familyName: 'Lund' });
    const now = new Date();
    await db('provider_access_requests').insert([
      { patient_id: first.id, provider_account_id: visitorId, kind: 'pcp', note: 'New patient.', searched_as: JSON.stringify({ by: 'name', familyName: 'Unseen', givenName: '', birthDate: '2015-06-02' }), requested_at: now, due_at: new Date(now.getTime() + 3 * 86_400_000) },
      { patient_id: second.id, provider_account_id: visitorId, kind: 'pcp', status: 'declined', searched_as: JSON.stringify({ by: 'mrn', mrn: second.mrn }), requested_at: new Date(now.getTime() - 9 * 86_400_000), decided_at: now, decline_reason: 'family-unreachable' },
    ]);
    return { patientId: first.id };
  },
  /** A provider asked the MyPatients team for PCP access to a patient. */
  async pendingPcpRequest(db: Knex): Promise<{ requestId: number; patientId: number }> {
    const provider = await providerAccount(db, 'pcp-requester');
    const patient = await createPatient(db, { birthDate: bornYearsAgo(6), givenNames: 'Lena', familyName: 'Park' });
    // Someone for the team to phone: a MyChildren's holder, and a guardian with a number in the record.
    await linkHolder(db, (await familyAccount(db, 'park-parent')).id, patient.id, 'parent');
    await db('patients').where({ id: patient.id }).update({ phone: '555-0160' });
    await db('related_persons').insert({ source_id: `fixture-rp-${patient.id}`, patient_id: patient.id, relationship_code: 'MTH', given_names: 'Mina', family_name: 'Park', phone: '555-0161', is_legal_guardian: true });
    const [row] = await db('provider_access_requests')
      .insert({ patient_id: patient.id, provider_account_id: provider.id, kind: 'pcp', note: 'The family chose our practice in May.', searched_as: JSON.stringify({ by: 'mrn', mrn: patient.mrn }), requested_at: new Date(Date.now() - 5 * 86_400_000), due_at: new Date(Date.now() - 86_400_000) })
      .returning('id');
    return { requestId: Number(row.id), patientId: patient.id };
  },
  /** A PCP request the visitor (MyPatients team) has declined. */
  async declinedPcpRequest(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const { requestId, patientId } = await FIXTURES.pendingPcpRequest(db);
    await db('provider_access_requests').where({ id: requestId }).update({ status: 'declined', decline_reason: 'family-did-not-confirm', decided_by_account_id: visitorId, decided_at: new Date() });
    return { requestId, patientId };
  },
  /**
   * The visitor is a MyPatients provider on the care team of a 15-year-old whose record has an item
   * for every rule, and has saved the patient; the ids are of a note and a report a provider may see.
   */
  async providerCareTeamRecord(db: Knex, visitorId: number) {
    const { practitionerId } = await linkProvider(db, visitorId);
    const patient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    const { ids } = await fillRecordForEveryRule(db, patient.id);
    await addCareTeam(db, patient.id, [{ practitionerId, role: 'Cardiologist' }]);
    const stay = await db('encounters').where({ patient_id: patient.id, class: 'inpatient' }).first('id');
    await db('encounter_participants').insert({ encounter_id: stay.id, practitioner_id: practitionerId, role: 'consultant' });
    await db('saved_patients').insert({ provider_account_id: visitorId, patient_id: patient.id, saved_at: new Date() });
    return { patientId: patient.id, noteId: ids.noteId, reportId: ids.reportId };
  },
  /** As providerCareTeamRecord, without saving the patient (the summary offers "Add to my patients"). */
  async providerCareTeamRecordNotSaved(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const values = await FIXTURES.providerCareTeamRecord(db, visitorId);
    await db('saved_patients').where({ provider_account_id: visitorId }).delete();
    return values;
  },
  /** As providerCareTeamRecord, plus a saved patient the visitor may no longer see (the list says one is not listed). */
  async providerWithHiddenSavedPatient(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const values = await FIXTURES.providerCareTeamRecord(db, visitorId);
    const gone = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Ivo', familyName: 'Lund' });
    await db('saved_patients').insert({ provider_account_id: visitorId, patient_id: gone.id, saved_at: new Date() });
    return values;
  },
  /** The visitor is a MyPatients provider with no saved patients. */
  async providerWithoutPatients(db: Knex, visitorId: number) {
    await linkProvider(db, visitorId);
    return {};
  },
  /**
   * The visitor is the parent of an 8-year-old whose record is shared every way there is: a PCP,
   * a care-team doctor, a provider the family invited, one who validated a token, an invitation
   * not used yet, and a provider's request waiting for the family.
   */
  async sharedRecord(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const { patientId } = await FIXTURES.child(db, visitorId);
    const pcp = await providerAccount(db, 'pcp', { familyName: 'Adeyemi' });
    await setPcp(db, patientId, pcp.practitionerId, 'Harbor Pediatrics');
    await addCareTeam(db, patientId, [{ practitionerId: await addPractitioner(db, { familyName: 'Okafor', givenNames: 'Ada', credential: 'MD' }), role: 'Cardiologist' }]);
    const invited = await providerAccount(db, 'invited', { familyName: 'Reyes' });
    const holder = await providerAccount(db, 'holder', { familyName: 'Holt' });
    const asking = await providerAccount(db, 'asking', { familyName: 'Brandt' });
    const now = Date.now();
    const [grant] = await db('provider_access_grants').insert({ patient_id: patientId, provider_account_id: invited.id, via: 'invitation', granted_by_account_id: visitorId, granted_at: new Date(now - 86_400_000) }).returning('id');
    const hash = (letter: string) => `${letter}${patientId}`.padEnd(64, letter);
    await db('invitation_tokens').insert({ token_hash: hash('a'), patient_id: patientId, issued_by_account_id: visitorId, invited_name: 'Dr Holt', invited_email: 'holt@clinic.example', issued_at: new Date(now - 5 * 86_400_000), used_at: new Date(now - 86_400_000), validated_by_account_id: holder.id });
    const [invitation] = await db('invitation_tokens').insert({ token_hash: hash('b'), patient_id: patientId, issued_by_account_id: visitorId, invited_name: 'Dr Vidal', invited_email: 'vidal@clinic.example', issued_at: new Date(now - 3_600_000) }).returning('id');
    await db('provider_access_requests').insert({ patient_id: patientId, provider_account_id: asking.id, kind: 'non-pcp', status: 'pending', note: 'Referred for a consult', requested_at: new Date(now - 7_200_000) });
    return { patientId, grantId: Number(grant.id), invitationId: Number(invitation.id) };
  },
  /** The visitor (a provider) is placed in a practice with an NPI, as an approved registration leaves them. */
  async placedProvider(db: Knex, visitorId: number) {
    const { practiceId } = await linkProvider(db, visitorId);
    await db('practices').where({ id: practiceId }).update({ address_line: '12 River Rd', city: 'Boston', state: 'MA', postal_code: '02115', phone: '617 555 0100', fax: '617 555 0101' });
    return { practiceId };
  },
  /** A provider's change of practice waiting for the MyPatients team. */
  async pendingPracticeChange(db: Knex): Promise<Record<string, number>> {
    const provider = await providerAccount(db, 'mover');
    const [row] = await db('practice_change_requests')
      .insert({
        provider_account_id: provider.id,
        old_practice_id: provider.practiceId,
        old_practice_name: 'Riverside Pediatrics',
        old_address: '12 River Rd, Boston, MA 02115',
        old_phone: '617 555 0100',
        old_fax: '617 555 0101',
        new_practice_name: 'Harbor Kids',
        new_address_line: '9 Dock St',
        new_city: 'Salem',
        new_state: 'MA',
        new_postal_code: '01970',
        new_phone: '978 555 0199',
        new_fax: '978 555 0198',
        was_sponsor: true,
        submitted_at: new Date(Date.now() - 3_600_000),
        due_at: new Date(Date.now() + 3 * 86_400_000),
      })
      .returning('id');
    return { changeId: Number(row.id) };
  },
  /** A change of practice the visitor (MyPatients team) has marked done. */
  async donePracticeChange(db: Knex, visitorId: number): Promise<Record<string, number>> {
    const changeId = (await FIXTURES.pendingPracticeChange(db)).changeId!;
    await db('practice_change_requests').where({ id: changeId }).update({ status: 'done', done_at: new Date(), done_by_account_id: visitorId, done_note: 'Practice updated in the record.' });
    return { changeId };
  },
  /** LIMITED_ADDRESS has been sent as many emails this hour as the forms allow. */
  async emailLimitReached(db: Knex): Promise<Record<string, number>> {
    for (let i = 0; i < EMAILS_PER_RECIPIENT_PER_HOUR; i++) await countEmailRequest({ db }, { form: 'contact', recipient: LIMITED_ADDRESS }, { ip: `192.0.2.${i}` });
    return {};
  },
} satisfies Record<string, (db: Knex, visitorId: number) => Promise<Record<string, number>>>;

export const LIMITED_ADDRESS = 'limited@example.com';

export type Fixture = keyof typeof FIXTURES;

/** Puts the fixture's values into the path's placeholders. */
export function fillPlaceholders(path: string, values: Record<string, number>): string {
  return path.replace(/:([a-zA-Z]+)/g, (placeholder, name: string) => (name in values ? String(values[name]) : placeholder));
}
