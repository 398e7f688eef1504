import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, signIn, submitForm, totpCode } from '../support/identity.ts';
import { bornYearsAgo, createLinkRequest, createPatient, familyAccount, linkHolder, TINY_PDF, type TestPatient } from '../support/family.ts';
import type { StaffRole } from '../../domain/accounts.ts';
import { findAccountById } from '../../data/accounts.ts';
import { currentLink } from '../../data/patientLinks.ts';
import { addPatientByToken, requestPatientByMrn, type AddPatientDeps } from '../../services/family/addPatient.ts';
import { PAPERS_MAX_BYTES } from '../../services/family/guardianshipPapers.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';

describe('portal support: the queue of requests to add a patient, sign-up letters, papers and access', () => {
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;

  /** The services' dependencies, reading the test clock (or a fixed time). */
  function deps(now = context.clock.now): AddPatientDeps {
    const { config, queue } = context.subject;
    return { db: db(), config, queue, views: createViewEnvironment({ reloadTemplates: false, timeZone: config.hospital.timeZone }), now };
  }

  async function signedInStaff(roles: StaffRole[] = ['support'], email = 'support@example.com'): Promise<Agent> {
    await createAccount(db(), { kind: 'staff', email, roles, totp: true });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '/staff', email);
    await submitForm(agent, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    return agent;
  }

  /** Posts to `action` with the CSRF token of the page at `pagePath` (a form that is not the page's first). */
  async function postFrom(agent: Agent, pagePath: string, action: string, fields: Record<string, string>) {
    const page = await agent.get(pagePath);
    return agent.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
  }

  async function uploadPapers(agent: Agent, patientId: number, fields: Record<string, string>, file?: { content: Buffer; name: string }) {
    const page = await agent.get(`/staff/support/patients/${patientId}`);
    let request = agent.post(`/staff/support/patients/${patientId}/papers`).field('_csrf', csrfTokenIn(page.text));
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    if (file) request = request.attach('papers', file.content, { filename: file.name, contentType: 'application/pdf' });
    return request;
  }

  const nineYearOld = () => createPatient(db(), { birthDate: bornYearsAgo(9, context.clock.now()), givenNames: 'Emma', familyName: 'Lind' });
  const auditActions = async () => (await db()('audit_events').orderBy('id').select('action', 'outcome')).map((row) => `${row.action}:${row.outcome}`);
  const requestRow = (id: number) => db()('link_requests').where({ id }).first();

  it('lists waiting requests due soonest first, with their age and due date in business days, and says which are overdue', async () => {
    const family = await findAccountById(db(), (await familyAccount(db(), 'parent')).id);
    const askFor = async (patient: TestPatient, at: string) =>
      requestPatientByMrn(
        deps(() => new Date(at)),
        family!,
        { patientName: 'Emma Lind', birthDate: patient.birthDate, mrn: patient.mrn, visitDate: '2026-11-02', relationship: 'parent' },
        {},
      );
    // Received on the Wednesday before Thanksgiving (10:00 in Boston): due on Friday, the holiday skipped.
    const later = await askFor(await nineYearOld(), '2026-11-25T15:00:00Z');
    // Received on Monday at 10:00: due on Tuesday at the close of business.
    const sooner = await askFor(await nineYearOld(), '2026-11-23T15:00:00Z');
    context.clock.advance(2 * 24 * 60); // Wednesday, 10:00
    const agent = await signedInStaff();

    const $ = cheerio.load((await agent.get('/staff/support')).text);
    const rows = $('#queue tbody tr')
      .map((_i, row) => [$(row).find('th, td').map((_j, cell) => $(cell).text().replace(/\s+/g, ' ').trim()).get()])
      .get() as string[][];
    expect(rows).to.deep.equal([
      [`Request ${(sooner as { requestId: number }).requestId}`, 'Parent', 'November 23, 2026 at 10:00 AM', '2', 'November 24, 2026 at 5:00 PM Overdue'],
      [`Request ${(later as { requestId: number }).requestId}`, 'Parent', 'November 25, 2026 at 10:00 AM', '0', 'November 27, 2026 at 5:00 PM'],
    ]);
    expect($('#queue tbody tr a').first().attr('href')).to.equal(`/staff/support/requests/${(sooner as { requestId: number }).requestId}`);
  });

  it('shows what the family typed beside the record, with a match or no match per field in words, and who is linked', async () => {
    const patient = await nineYearOld();
    await db()('encounters').insert({ source_id: 'visit-1', patient_id: patient.id, class: 'ambulatory', status: 'finished', period_start: new Date('2026-11-02T14:00:00Z') });
    const parent = await familyAccount(db(), 'first-parent');
    await db()('accounts').where({ id: parent.id }).update({ name: 'Maria Lind' });
    await linkHolder(db(), parent.id, patient.id, 'parent');
    const asking = await familyAccount(db(), 'second-parent');
    const requestId = await createLinkRequest(db(), { accountId: asking.id, patient: { ...patient, familyName: 'Lindqvist' }, visitDate: '2026-11-02' });
    const agent = await signedInStaff();

    const page = await agent.get(`/staff/support/requests/${requestId}`);
    expect(page.status).to.equal(200);
    const $ = cheerio.load(page.text);
    const comparison = $('#comparison tbody tr')
      .map((_i, row) => [$(row).find('th, td').map((_j, cell) => $(cell).text().trim()).get()])
      .get() as string[][];
    const birthDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${patient.birthDate}T00:00:00Z`));
    expect(comparison).to.deep.equal([
      ['Medical record number (MRN)', patient.mrn, patient.mrn, 'Matches'],
      ['Patient\'s name', 'Emma Lindqvist', 'Emma Lind', 'Does not match'],
      ['Date of birth', birthDate, birthDate, 'Matches'],
      ['Date of a visit', 'November 2, 2026', 'A visit on this date', 'Matches'],
    ]);
    expect($('.summary-list').text()).to.include(asking.email).and.to.include('No accepted papers on file');
    expect($('main').text()).to.include('Maria Lind, Parent, since');
    expect(await auditActions()).to.include('support-view-link-request:allowed');
  });

  it('approves a request: the family is linked and emailed, and the request leaves the queue', async () => {
    const patient = await nineYearOld();
    const family = await familyAccount(db(), 'parent');
    const requestId = await createLinkRequest(db(), { accountId: family.id, patient });
    const agent = await signedInStaff();

    const approved = await submitForm(agent, `/staff/support/requests/${requestId}`, {});
    expect(approved.status).to.equal(303);
    expect(approved.headers.location).to.equal('/staff/support');
    const queue = cheerio.load((await agent.get('/staff/support')).text);
    expect(queue('.banner').text()).to.include(`Request ${requestId} is approved`);
    expect(queue('#queue').length).to.equal(0);
    expect(await currentLink(db(), family.id, patient.id)).to.include({ relationship: 'parent' });
    expect(await requestRow(requestId)).to.include({ status: 'approved' });
    expect((await emailsTo(db(), family.email)).map((email) => email.template)).to.deep.equal(['linkRequestApproved']);
    expect((await emailsTo(db(), family.email))[0]!.text).not.to.include('Emma');
    expect(await auditActions()).to.include.members(['link-patient:success', 'approve-link-request:success']);

    const decided = cheerio.load((await agent.get(`/staff/support/requests/${requestId}`)).text);
    expect(decided('#decision-title').text()).to.match(/^Approved on November 23, 2026/);
    expect(decided('form[action$="/approve"]').length).to.equal(0);
  });

  it('declines a request only with a reason, and emails the family', async () => {
    const patient = await nineYearOld();
    const family = await familyAccount(db(), 'parent');
    const requestId = await createLinkRequest(db(), { accountId: family.id, patient });
    const agent = await signedInStaff();
    const page = `/staff/support/requests/${requestId}`;

    const missing = await postFrom(agent, page, `${page}/decline`, {});
    expect(missing.status).to.equal(422);
    expect(cheerio.load(missing.text)('.error-summary a').attr('href')).to.equal('#reason');
    expect(cheerio.load(missing.text)('#reason-error').text()).to.include('Choose a reason for declining');

    const declined = await postFrom(agent, page, `${page}/decline`, { reason: 'details-do-not-match' });
    expect(declined.headers.location).to.equal('/staff/support');
    expect(await requestRow(requestId)).to.include({ status: 'declined', decline_reason: 'details-do-not-match' });
    expect(await currentLink(db(), family.id, patient.id)).to.equal(undefined);
    expect((await emailsTo(db(), family.email)).map((email) => email.template)).to.deep.equal(['linkRequestDeclined']);
    expect(cheerio.load((await agent.get(page)).text)('.banner').text()).to.include('The details do not match the record');
    expect(await auditActions()).to.include('decline-link-request:success');

    // Deciding again changes nothing and says so.
    const again = await postFrom(agent, page, `${page}/decline`, { reason: 'not-eligible' });
    expect(again.headers.location).to.equal(page);
    expect(await requestRow(requestId)).to.include({ decline_reason: 'details-do-not-match' });
  });

  it('will not approve a parent of a patient who is now 19: the request stays waiting, with the reason shown', async () => {
    const patient = await createPatient(db(), { birthDate: bornYearsAgo(19, context.clock.now()), givenNames: 'Ilse', familyName: 'Moreau' });
    const family = await familyAccount(db(), 'parent');
    const requestId = await createLinkRequest(db(), { accountId: family.id, patient });
    const agent = await signedInStaff();

    const refused = await submitForm(agent, `/staff/support/requests/${requestId}`, {});
    expect(refused.status).to.equal(422);
    expect(cheerio.load(refused.text)('.error-summary').text()).to.include('This patient is 18 or older');
    expect(await requestRow(requestId)).to.include({ status: 'pending' });
    expect(await currentLink(db(), family.id, patient.id)).to.equal(undefined);
    expect(await emailsTo(db(), family.email)).to.deep.equal([]);
    expect(await auditActions()).to.include('link-patient:refused');
  });

  it('is for support staff only: other staff are refused, families and visitors are sent to the back-office sign-in', async () => {
    const patient = await nineYearOld();
    const requestId = await createLinkRequest(db(), { accountId: (await familyAccount(db(), 'parent')).id, patient });
    for (const roles of [['care-team'], ['admin']] as StaffRole[][]) {
      const agent = await signedInStaff(roles, `${roles[0]}@example.com`);
      expect((await agent.get('/staff/support')).status).to.equal(403);
      expect((await agent.get(`/staff/support/patients/${patient.id}`)).status).to.equal(403);
      const approve = await postFrom(agent, '/staff/home', `/staff/support/requests/${requestId}/approve`, {});
      expect(approve.status).to.equal(403);
      expect(cheerio.load((await agent.get('/staff/home')).text)('a[href="/staff/support"]').length).to.equal(0);
    }
    expect(await requestRow(requestId)).to.include({ status: 'pending' });

    const family = await familyAccount(db(), 'family');
    const familyAgent = agentIn(context.subject.app, 'en');
    await signIn(familyAgent, '', family.email);
    for (const agent of [familyAgent, agentIn(context.subject.app, 'en')]) {
      const response = await agent.get(`/staff/support/requests/${requestId}`);
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/staff/signin?returnTo=${encodeURIComponent(`/staff/support/requests/${requestId}`)}`);
    }

    const support = await signedInStaff();
    expect(cheerio.load((await support.get('/staff/home')).text)('a[href="/staff/support"]').length).to.equal(1);
    for (const path of ['/staff/support/requests/999999', '/staff/support/requests/abc', '/staff/support/patients/999999', '/staff/support/patients/1e3']) {
      expect((await support.get(path)).status, path).to.equal(404);
    }
  });

  it('finds a patient by MRN without putting it in a URL, and keeps what was typed when there is none', async () => {
    const patient = await nineYearOld();
    const agent = await signedInStaff();
    const found = await submitForm(agent, '/staff/support', { mrn: ` ${patient.mrn} ` });
    expect(found.status).to.equal(303);
    expect(found.headers.location).to.equal(`/staff/support/patients/${patient.id}`);
    const $ = cheerio.load((await agent.get(`/staff/support/patients/${patient.id}`)).text);
    expect($('h1').text()).to.equal('Emma Lind: portal access');

    const unknown = await submitForm(agent, '/staff/support', { mrn: '0000000' });
    expect(unknown.status).to.equal(422);
    expect(cheerio.load(unknown.text)('#mrn').attr('value')).to.equal('0000000');
    expect(cheerio.load(unknown.text)('#mrn-error').text()).to.include('No patient has this MRN');
    expect(await auditActions()).to.include.members(['find-patient-by-mrn:success', 'find-patient-by-mrn:failure', 'support-view-patient:allowed']);
  });

  it('issues a sign-up code on a printable letter, shown once, that then links a family with the date of birth', async () => {
    const patient = await nineYearOld();
    const agent = await signedInStaff();

    const letter = await submitForm(agent, `/staff/support/patients/${patient.id}`, {});
    expect(letter.status).to.equal(200);
    const $ = cheerio.load(letter.text);
    const code = $('.letter-code').text().trim();
    expect(code).to.match(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect($('article').text()).to.include(context.subject.config.hospital.name).and.to.include('Emma Lind').and.to.include('Add a patient');
    expect($('article').text()).to.include('until January 22, 2027'); // 60 days by default
    expect($('.screen-only').length).to.equal(1);

    // The letter cannot be shown again.
    const again = await agent.get(`/staff/support/patients/${patient.id}/letter`);
    expect(again.headers.location).to.equal(`/staff/support/patients/${patient.id}`);
    expect((await agent.get(`/staff/support/patients/${patient.id}`)).text).to.include('A sign-up code is shown only once').and.not.to.include(code);

    const family = await findAccountById(db(), (await familyAccount(db(), 'parent')).id);
    const linked = await addPatientByToken(deps(), family!, { code, birthDate: patient.birthDate, relationship: 'parent' }, {});
    expect(linked).to.deep.equal({ outcome: 'linked', patientId: patient.id });
    const tokens = cheerio.load((await agent.get(`/staff/support/patients/${patient.id}`)).text)('#tokens tbody td').last().text();
    expect(tokens).to.equal('Used on November 23, 2026');
    expect(await auditActions()).to.include('issue-signup-token:success');
  });

  it('accepted papers make a court-appointed guardian of an adult eligible: approval fails before acceptance and succeeds after', async () => {
    const patient = await createPatient(db(), { birthDate: bornYearsAgo(20, context.clock.now()), givenNames: 'Ravi', familyName: 'Shah' });
    const guardian = await familyAccount(db(), 'guardian');
    const requestId = await createLinkRequest(db(), { accountId: guardian.id, patient, relationship: 'court-appointed-guardian' });
    const agent = await signedInStaff();
    const requestPage = `/staff/support/requests/${requestId}`;

    expect(cheerio.load((await submitForm(agent, requestPage, {})).text)('.error-summary').text()).to.include('We need your guardianship papers');

    const uploaded = await uploadPapers(agent, patient.id, { holder: 'email', holderEmail: guardian.email.toUpperCase() }, { content: TINY_PDF, name: 'court order.pdf' });
    expect(uploaded.status).to.equal(303);
    const patientPage = cheerio.load((await agent.get(`/staff/support/patients/${patient.id}`)).text);
    expect(patientPage('#papers-list tbody tr td').last().text()).to.include('Waiting for review');
    // Papers waiting for review do not count yet.
    expect((await submitForm(agent, requestPage, {})).status).to.equal(422);

    const fileLink = patientPage('#papers-list a').attr('href')!;
    const file = await agent.get(fileLink).buffer(true);
    expect(file.status).to.equal(200);
    expect(file.headers['content-type']).to.equal('application/pdf');
    expect(file.headers['content-disposition']).to.equal('attachment; filename="court order.pdf"');
    expect(Buffer.compare(file.body as Buffer, TINY_PDF)).to.equal(0);

    const accepted = await postFrom(agent, `/staff/support/patients/${patient.id}`, `${fileLink}/review`, { decision: 'accepted' });
    expect(accepted.headers.location).to.equal(`/staff/support/patients/${patient.id}`);
    expect(cheerio.load((await agent.get(requestPage)).text)('.summary-list').text()).to.include('Accepted papers on file');
    expect((await submitForm(agent, requestPage, {})).headers.location).to.equal('/staff/support');
    expect(await currentLink(db(), guardian.id, patient.id)).to.include({ relationship: 'court-appointed-guardian' });
    expect(await auditActions()).to.include.members(['upload-guardianship-papers:success', 'view-guardianship-papers:allowed', 'review-guardianship-papers:success']);

    // Someone else's papers id under this patient is not found; nor is the file from outside support.
    expect((await agent.get(`/staff/support/patients/${patient.id + 1}/papers/${fileLink.split('/').pop()}`)).status).to.equal(404);
    const other = await signedInStaff(['care-team'], 'nurse@example.com');
    expect((await other.get(fileLink)).status).to.equal(403);
  });

  it('refuses papers that are not a PDF, too large, missing or for no known account, with 422 and what was chosen kept', async () => {
    const patient = await nineYearOld();
    const guardian = await familyAccount(db(), 'guardian');
    await linkHolder(db(), guardian.id, patient.id, 'legal-guardian');
    const agent = await signedInStaff();
    const chosen = { holder: String(guardian.id) };

    const notPdf = await uploadPapers(agent, patient.id, chosen, { content: Buffer.from('just some text, not a PDF'), name: 'papers.pdf' });
    expect(notPdf.status).to.equal(422);
    expect(cheerio.load(notPdf.text)('#papers-error').text()).to.include('The file must be a PDF');
    expect(cheerio.load(notPdf.text)(`input[name="holder"][value="${guardian.id}"]`).attr('checked')).to.equal('checked');

    const tooLarge = Buffer.concat([TINY_PDF, Buffer.alloc(PAPERS_MAX_BYTES)]);
    const large = await uploadPapers(agent, patient.id, chosen, { content: tooLarge, name: 'scan.pdf' });
    expect(large.status).to.equal(422);
    expect(cheerio.load(large.text)('#papers-error').text()).to.include('The file is too large. Choose a PDF of 10 MB or less');

    const missing = await uploadPapers(agent, patient.id, { holder: 'email', holderEmail: 'nobody@example.com' });
    expect(missing.status).to.equal(422);
    const $ = cheerio.load(missing.text);
    expect($('.error-summary a').map((_i, a) => $(a).attr('href')).get()).to.deep.equal(['#holderEmail', '#papers']);
    expect($('#holderEmail').attr('value')).to.equal('nobody@example.com');

    const noCsrf = await agent.post(`/staff/support/patients/${patient.id}/papers`).field('holder', String(guardian.id)).attach('papers', TINY_PDF, 'papers.pdf');
    expect(noCsrf.status).to.equal(403);
    expect(await db()('guardianship_papers').count<{ count: string }[]>('id as count').then((rows) => Number(rows[0]!.count))).to.equal(0);
  });

  it('ends a holder’s access after a confirmation: the link ends, and their next request no longer sees the patient', async () => {
    const patient = await nineYearOld();
    const parent = await familyAccount(db(), 'parent');
    await linkHolder(db(), parent.id, patient.id, 'parent');
    const familyAgent = agentIn(context.subject.app, 'en');
    await signIn(familyAgent, '', parent.email);
    expect((await familyAgent.get('/home')).text).to.include('Emma Lind');
    const agent = await signedInStaff();

    const endLink = cheerio.load((await agent.get(`/staff/support/patients/${patient.id}`)).text)('#holders a').attr('href')!;
    expect(endLink).to.equal(`/staff/support/patients/${patient.id}/holders/${parent.id}/end`);
    const confirm = await agent.get(endLink);
    expect(cheerio.load(confirm.text)('h1').text()).to.equal('End Test Person\'s access to Emma Lind\'s record?');
    const ended = await submitForm(agent, endLink, {});
    expect(ended.headers.location).to.equal(`/staff/support/patients/${patient.id}`);
    expect((await agent.get(`/staff/support/patients/${patient.id}`)).text).to.include('can no longer see this patient');

    expect(await currentLink(db(), parent.id, patient.id)).to.equal(undefined);
    expect((await familyAgent.get(`/patients/${patient.id}`)).status).to.equal(404);
    expect((await familyAgent.get('/home')).text).not.to.include('Emma Lind');
    expect(await db()('patient_links').where({ account_id: parent.id }).first()).to.include({ ended_reason: 'ended-by-support' });
    expect(await auditActions()).to.include.members(['unlink-patient:success', 'view-patient-overview:refused']);
    // The holder is gone, so the confirmation page is too.
    expect((await agent.get(endLink)).status).to.equal(404);
  });
});
