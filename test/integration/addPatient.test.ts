import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { emailsTo, signIn, signInReading, submitForm } from '../support/identity.ts';
import { bornYearsAgo, dateFields, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { issueSignupToken } from '../../services/family/signupTokens.ts';
import { endHolderAccess } from '../../services/family/patientAccess.ts';
import { REQUESTS_PER_DAY, TOKEN_FAILURES_PER_ACCOUNT, TOKEN_FAILURES_PER_NETWORK } from '../../services/family/addPatient.ts';
import { approveRequest, declineRequest } from '../../services/family/linkRequests.ts';
import { LINK_REFUSALS } from '../../domain/eligibility.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';
import { createAccount } from '../support/identity.ts';
import { createLinkRequest, createPapers } from '../support/family.ts';
import { reviewGuardianshipPapers } from '../../data/guardianshipPapers.ts';

describe('adding a patient to a MyChildren’s account', function () {
  this.timeout(60000);
  let subject: TestApp;
  let staffId: number;
  before(async () => {
    subject = await buildTestApp();
    staffId = await createAccount(subject.database.db, { kind: 'staff', email: 'support@example.com', roles: ['support'], totp: true });
  });
  after(() => subject.close());

  const db = () => subject.database.db;
  const tokenFor = async (patient: TestPatient) => (await issueSignupToken({ db: db(), config: subject.config, now: () => new Date() }, patient.id, staffId, {})).code;

  async function signedIn(label: string): Promise<{ agent: Agent; id: number; email: string }> {
    const account = await familyAccount(db(), label);
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '', account.email)).to.equal('/home');
    return { agent, ...account };
  }

  describe('with a sign-up token and the date of birth', () => {
    it('links at once, shows whose record it is, and the token works only once', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(6), givenNames: 'Lucía', familyName: 'Ortega' });
      const code = await tokenFor(patient);
      const parent = await signedIn('parent');
      const typed = code.toLowerCase().replaceAll('-', ' '); // case and separators do not matter
      const added = await submitForm(parent.agent, '/patients/add/token', { code: typed, ...dateFields('birthDate', patient.birthDate), relationship: 'parent' });
      expect(added.status).to.equal(303);
      expect(added.headers.location).to.equal(`/patients/${patient.id}`);
      const page = cheerio.load((await parent.agent.get(String(added.headers.location))).text);
      expect(page('.patient-banner').text()).to.include('Lucía Ortega');
      expect(page('.banner').text()).to.include('has been added');
      expect(page('h1').text()).to.equal('Lucía Ortega');

      const other = await signedIn('other');
      const reused = await submitForm(other.agent, '/patients/add/token', { code, ...dateFields('birthDate', patient.birthDate), relationship: 'parent' });
      expect(reused.status).to.equal(422);
      expect(cheerio.load(reused.text)('#code-error').text()).to.include('already been used');
      expect(await db()('patient_links').where({ patient_id: patient.id }).count().first()).to.deep.equal({ count: 1 });
    });

    it('refuses a wrong date of birth with one message that gives nothing away, keeping what was typed', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(9) });
      const code = await tokenFor(patient);
      const parent = await signedIn('parent');
      const wrong = await submitForm(parent.agent, '/patients/add/token', { code, ...dateFields('birthDate', bornYearsAgo(10)), relationship: 'parent' });
      expect(wrong.status).to.equal(422);
      const $ = cheerio.load(wrong.text);
      expect($('.error-summary').text()).to.include('do not match our records');
      expect($('#code').val()).to.equal(code);
      expect($('#relationship').attr('checked')).to.equal('checked');
      const unknown = await submitForm(parent.agent, '/patients/add/token', { code: 'ABCD-EFGH-JKMN', ...dateFields('birthDate', patient.birthDate), relationship: 'parent' });
      expect(cheerio.load(unknown.text)('#code-error').text()).to.equal(cheerio.load(wrong.text)('#code-error').text());
    });

    it('explains empty and impossible fields', async () => {
      const parent = await signedIn('parent');
      const empty = await submitForm(parent.agent, '/patients/add/token', {});
      expect(empty.status).to.equal(422);
      expect(cheerio.load(empty.text)('.error-summary li').map((_i, li) => cheerio.load(li).text()).get()).to.deep.equal([
        'Enter the sign-up code from your letter',
        'Enter the patient\u2019s date of birth'.replace('\u2019', "'"),
        'Choose how you are related to the patient',
      ]);
      const impossible = await submitForm(parent.agent, '/patients/add/token', { code: 'X', 'birthDate-day': '31', 'birthDate-month': '2', 'birthDate-year': '2015', relationship: 'parent' });
      const $ = cheerio.load(impossible.text);
      expect($('#birthDate-error').text()).to.include('real date');
      expect($('#birthDate-day').val()).to.equal('31');
    });

    it('says a token has expired only to someone with the right date of birth, and links nothing', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
      const issuedLongAgo = new Date(Date.now() - (subject.config.familyAccess.signupTokenDays + 1) * 86_400_000);
      const { code } = await issueSignupToken({ db: db(), config: subject.config, now: () => issuedLongAgo }, patient.id, staffId, {});
      const parent = await signedIn('parent');
      const expired = await submitForm(parent.agent, '/patients/add/token', { code, ...dateFields('birthDate', patient.birthDate), relationship: 'parent' });
      expect(expired.status).to.equal(422);
      expect(cheerio.load(expired.text)('#code-error').text()).to.include('has expired');
      expect(await db()('patient_links').where({ patient_id: patient.id }).count().first()).to.deep.equal({ count: 0 });
    });

    it('says so when the patient is already on the account, without using the token', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(5) });
      const parent = await signedIn('parent');
      await linkHolder(db(), parent.id, patient.id, 'parent');
      const again = await submitForm(parent.agent, '/patients/add/token', { code: await tokenFor(patient), ...dateFields('birthDate', patient.birthDate), relationship: 'parent' });
      expect(again.headers.location).to.equal(`/patients/${patient.id}`);
      expect(cheerio.load((await parent.agent.get(String(again.headers.location))).text)('.banner').text()).to.include('already on your account');
      expect(await db()('signup_tokens').where({ patient_id: patient.id }).first().then((t) => t.used_at)).to.equal(null);
    });

    it('counts only accepted papers for a court-appointed guardian of an adult: rejected papers do not', async () => {
      const adult = await createPatient(db(), { birthDate: bornYearsAgo(20) });
      const guardian = await signedIn('guardian');
      const papersId = await createPapers(db(), { patientId: adult.id, accountId: guardian.id, uploadedBy: staffId });
      await reviewGuardianshipPapers(db(), papersId, { status: 'rejected', reviewedBy: staffId, reviewedAt: new Date() });
      const code = await tokenFor(adult);
      const fields = { code, ...dateFields('birthDate', adult.birthDate), relationship: 'court-appointed-guardian' };
      expect((await submitForm(guardian.agent, '/patients/add/token', fields)).headers.location).to.equal('/patients/add/not-eligible/guardianship-papers-required');
      const accepted = await createPapers(db(), { patientId: adult.id, accountId: guardian.id, uploadedBy: staffId });
      await reviewGuardianshipPapers(db(), accepted, { status: 'accepted', reviewedBy: staffId, reviewedAt: new Date() });
      expect((await submitForm(guardian.agent, '/patients/add/token', fields)).headers.location).to.equal(`/patients/${adult.id}`);
    });

    it('sends a foster parent to a page that explains the caseworker is the guardian, and keeps the token unused', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(7) });
      const code = await tokenFor(patient);
      const foster = await signedIn('foster');
      const refused = await submitForm(foster.agent, '/patients/add/token', { code, ...dateFields('birthDate', patient.birthDate), relationship: 'foster-parent' });
      expect(refused.headers.location).to.equal('/patients/add/not-eligible/foster-parent-not-guardian');
      const outcome = cheerio.load((await foster.agent.get(String(refused.headers.location))).text);
      expect(outcome('h1').text()).to.include('Foster parents');
      expect(outcome('main').text()).to.include('caseworker');
      expect(await db()('signup_tokens').where({ patient_id: patient.id }).first().then((t) => t.used_at)).to.equal(null);
      expect(await db()('audit_events').where({ actor_id: foster.id, action: 'link-patient', outcome: 'refused' }).first()).to.include({ reason: 'foster-parent-not-guardian' });
    });

    it('refuses a patient under 13 their own account, and a parent an adult patient', async () => {
      const child = await createPatient(db(), { birthDate: bornYearsAgo(12) });
      const adult = await createPatient(db(), { birthDate: bornYearsAgo(19) });
      const someone = await signedIn('someone');
      const self = await submitForm(someone.agent, '/patients/add/token', { code: await tokenFor(child), ...dateFields('birthDate', child.birthDate), relationship: 'self' });
      expect(self.headers.location).to.equal('/patients/add/not-eligible/self-under-13');
      const parent = await submitForm(someone.agent, '/patients/add/token', { code: await tokenFor(adult), ...dateFields('birthDate', adult.birthDate), relationship: 'parent' });
      expect(parent.headers.location).to.equal('/patients/add/not-eligible/patient-is-adult');
    });

    it('explains every refusal in English and in Spanish', async () => {
      const someone = await signedIn('someone');
      const spanish = agentIn(subject.app, 'es');
      await signInReading(db(), spanish, '', someone.email, 'es');
      const titles = new Set<string>();
      for (const reason of LINK_REFUSALS) {
        for (const agent of [someone.agent, spanish]) {
          const page = await agent.get(`/patients/add/not-eligible/${reason}`);
          expect(page.status, reason).to.equal(200);
          titles.add(cheerio.load(page.text)('h1').text());
        }
      }
      expect(titles.size).to.equal(LINK_REFUSALS.length * 2);
      expect((await someone.agent.get('/patients/add/not-eligible/made-up')).status).to.equal(404);
    });

    it('pauses an account after repeated wrong tokens', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(4) });
      const code = await tokenFor(patient);
      const guesser = await signedIn('guesser');
      for (let attempt = 0; attempt < TOKEN_FAILURES_PER_ACCOUNT; attempt++) {
        expect((await submitForm(guesser.agent, '/patients/add/token', { code: `ABCD-EFGH-JK${'23456789'[attempt % 8]}${'23456789'[attempt % 8]}`, ...dateFields('birthDate', patient.birthDate), relationship: 'parent' })).status).to.equal(422);
      }
      // Even the right token is refused while paused.
      const paused = await submitForm(guesser.agent, '/patients/add/token', { code, ...dateFields('birthDate', patient.birthDate), relationship: 'parent' });
      expect(paused.status).to.equal(429);
      expect(Number(paused.headers['retry-after'])).to.be.within(1, 3600);
      expect(cheerio.load(paused.text)('h1').text()).to.equal('Too many tries');
    });
  });

  describe('a teenager’s own account', () => {
    it('tells the parents of a 13- or 14-year-old, and not those of a 15-year-old', async () => {
      for (const [age, told] of [[13, true], [14, true], [15, false]] as const) {
        const teen = await createPatient(db(), { birthDate: bornYearsAgo(age, new Date(), 10) });
        const mother = await familyAccount(db(), 'mother');
        await linkHolder(db(), mother.id, teen.id, 'parent');
        const own = await signedIn('teen');
        const added = await submitForm(own.agent, '/patients/add/token', { code: await tokenFor(teen), ...dateFields('birthDate', teen.birthDate), relationship: 'self' });
        expect(added.headers.location).to.equal(`/patients/${teen.id}`);
        const page = cheerio.load((await own.agent.get(String(added.headers.location))).text);
        expect(page('.banner').text().includes('we will let the parents'), `notice at ${age}`).to.equal(told);
        const emails = await emailsTo(db(), mother.email);
        expect(emails.map((email) => email.template), `emails at ${age}`).to.deep.equal(told ? ['teenOwnAccount'] : []);
        for (const email of emails) expect(email.text).not.to.include(teen.givenNames); // no names in email
        // The parent still sees the teen, and is told what stays private.
        const parentAgent = agentIn(subject.app, 'en');
        await signIn(parentAgent, '', mother.email);
        expect(cheerio.load((await parentAgent.get(`/patients/${teen.id}`)).text)('main').text()).to.include('has their own account');
      }
    });
  });

  describe('with the MRN and the date of a visit', () => {
    const serviceDeps = () => ({ db: db(), config: subject.config, queue: subject.queue, views: createViewEnvironment({ reloadTemplates: false, timeZone: subject.config.hospital.timeZone }), now: () => new Date() });

    it('refuses a foster parent at once, before any request reaches support', async () => {
      const foster = await signedIn('foster');
      const refused = await submitForm(foster.agent, '/patients/add/mrn', { patientName: 'Kim Park', ...dateFields('birthDate', bornYearsAgo(6)), mrn: '1234', ...dateFields('visitDate', bornYearsAgo(1)), relationship: 'foster-parent' });
      expect(refused.headers.location).to.equal('/patients/add/not-eligible/foster-parent-not-guardian');
      expect(await db()('link_requests').where({ account_id: foster.id }).count().first()).to.deep.equal({ count: 0 });
    });

    it('tells the parents when support approves a 13-year-old’s own request', async () => {
      const teen = await createPatient(db(), { birthDate: bornYearsAgo(13, new Date(), 20) });
      const father = await familyAccount(db(), 'father');
      await linkHolder(db(), father.id, teen.id, 'parent');
      const own = await familyAccount(db(), 'teen');
      const requestId = await createLinkRequest(db(), { accountId: own.id, patient: teen, relationship: 'self' });
      expect(await approveRequest(serviceDeps(), staffId, requestId, {})).to.deep.equal({ outcome: 'linked', patientId: teen.id });
      expect((await emailsTo(db(), father.email)).map((email) => email.template)).to.deep.equal(['teenOwnAccount']);
    });

    it('shows the family why support declined, in their language', async () => {
      const parent = await signedIn('parent');
      const requestId = await createLinkRequest(db(), { accountId: parent.id, patient: await createPatient(db(), { birthDate: bornYearsAgo(4) }) });
      expect(await declineRequest(serviceDeps(), staffId, requestId, 'details-do-not-match', {})).to.deep.equal({ outcome: 'declined' });
      const page = cheerio.load((await parent.agent.get(`/patients/add/requests/${requestId}`)).text);
      expect(page('h1').text()).to.equal('Request not approved');
      expect(page('main').text()).to.include('do not match the hospital\'s record');
      const spanish = agentIn(subject.app, 'es');
      await signInReading(db(), spanish, '', parent.email, 'es');
      expect(cheerio.load((await spanish.get(`/patients/add/requests/${requestId}`)).text)('main').text()).to.include('no coinciden con el expediente');
      expect(cheerio.load((await parent.agent.get('/home')).text)('.request-list').text()).to.include('not approved');
    });

    it('limits requests to a number a day, even when support answers them quickly', async () => {
      const parent = await signedIn('parent');
      const fields = { patientName: 'Kim Park', ...dateFields('birthDate', '2015-02-01'), mrn: '1234', ...dateFields('visitDate', '2020-01-01'), relationship: 'parent' };
      for (let n = 0; n < REQUESTS_PER_DAY; n++) {
        expect((await submitForm(parent.agent, '/patients/add/mrn', fields)).status).to.equal(303);
        await db()('link_requests').where({ account_id: parent.id, status: 'pending' }).update({ status: 'declined' });
      }
      const paused = await submitForm(parent.agent, '/patients/add/mrn', fields);
      expect(paused.status).to.equal(429);
      expect(Number(paused.headers['retry-after'])).to.be.within(1, 86_400);
    });

    it('queues a request with a due date one business day away, and shows it on the home page', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Emma', familyName: 'Lind' });
      const parent = await signedIn('parent');
      const sent = await submitForm(parent.agent, '/patients/add/mrn', {
        patientName: 'Emma Lind',
        ...dateFields('birthDate', patient.birthDate),
        mrn: ` ${patient.mrn} `,
        ...dateFields('visitDate', bornYearsAgo(1)),
        relationship: 'parent',
      });
      expect(sent.status).to.equal(303);
      const request = await db()('link_requests').where({ account_id: parent.id }).first();
      expect(sent.headers.location).to.equal(`/patients/add/requests/${request.id}`);
      expect(request).to.include({ status: 'pending', typed_mrn: patient.mrn, relationship: 'parent' });
      expect(Number(request.patient_id)).to.equal(patient.id);
      expect(request.due_at.getTime()).to.be.greaterThan(request.created_at.getTime());
      const confirmation = cheerio.load((await parent.agent.get(String(sent.headers.location))).text);
      expect(confirmation('h1').text()).to.equal('Request sent');
      expect(confirmation('main').text()).to.include('We aim to answer by');
      const home = cheerio.load((await parent.agent.get('/home')).text);
      expect(home('.request-list').text()).to.include(`Request ${request.id}`).and.to.include('waiting for support');
      expect(await db()('patient_links').where({ account_id: parent.id }).count().first()).to.deep.equal({ count: 0 });
      // Another family cannot read the request.
      const stranger = await signedIn('stranger');
      expect((await stranger.agent.get(String(sent.headers.location))).status).to.equal(404);
    });

    it('checks the dates, keeps what was typed, and limits waiting requests', async () => {
      const parent = await signedIn('parent');
      const future = await submitForm(parent.agent, '/patients/add/mrn', { patientName: 'Kim Park', ...dateFields('birthDate', '2015-02-01'), mrn: '12-34', ...dateFields('visitDate', '2014-01-01'), relationship: 'parent' });
      expect(future.status).to.equal(422);
      const $ = cheerio.load(future.text);
      expect($('#visitDate-error').text()).to.include('after the date of birth');
      expect($('#mrn').val()).to.equal('12-34');
      expect($('#patientName').val()).to.equal('Kim Park');
      const fields = { patientName: 'Kim Park', ...dateFields('birthDate', '2015-02-01'), mrn: '1234', ...dateFields('visitDate', '2020-01-01'), relationship: 'parent' };
      for (let n = 0; n < 3; n++) expect((await submitForm(parent.agent, '/patients/add/mrn', fields)).status).to.equal(303);
      const fourth = await submitForm(parent.agent, '/patients/add/mrn', fields);
      expect(fourth.status).to.equal(422);
      expect(cheerio.load(fourth.text)('#mrn-error').text()).to.include('3 requests waiting');
    });
  });

  describe('patient pages', () => {
    it('answer 404 for another family’s patient and for ids that do not exist, and audit the refusal', async () => {
      const theirs = await createPatient(db(), { birthDate: bornYearsAgo(3) });
      await linkHolder(db(), (await familyAccount(db(), 'owner')).id, theirs.id, 'parent');
      const nosy = await signedIn('nosy');
      for (const path of [`/patients/${theirs.id}`, '/patients/999999999', '/patients/abc']) {
        const response = await nosy.agent.get(path);
        expect(response.status, path).to.equal(404);
        expect(response.text).not.to.include(theirs.familyName);
      }
      const refusals = await db()('audit_events').where({ actor_id: nosy.id, outcome: 'refused', action: 'view-patient-overview' }).select('subject_id', 'reason');
      expect(refusals).to.deep.equal([
        { subject_id: theirs.id, reason: 'not-linked' },
        { subject_id: 999999999, reason: 'not-linked' },
      ]);
    });

    it('close to a parent from the 18th birthday even before the scheduled job has ended the link', async () => {
      const parent = await signedIn('parent');
      const turnedYesterday = await createPatient(db(), { birthDate: bornYearsAgo(18, new Date(), 1) });
      const turnsTomorrow = await createPatient(db(), { birthDate: bornYearsAgo(18, new Date(), -1) });
      await linkHolder(db(), parent.id, turnedYesterday.id, 'parent');
      await linkHolder(db(), parent.id, turnsTomorrow.id, 'parent');
      expect((await parent.agent.get(`/patients/${turnedYesterday.id}`)).status).to.equal(404);
      expect((await parent.agent.get(`/patients/${turnsTomorrow.id}`)).status).to.equal(200);
      const home = cheerio.load((await parent.agent.get('/home')).text);
      expect(home('.patient-list a.patient-list__name').map((_i, a) => home(a).attr('href')).get()).to.deep.equal([`/patients/${turnsTomorrow.id}`]);
      expect(await db()('audit_events').where({ actor_id: parent.id, subject_id: turnedYesterday.id }).first('outcome', 'reason')).to.deep.equal({ outcome: 'refused', reason: 'turned-18' });
    });

    it('switch between the account’s patients with a plain form', async () => {
      const parent = await signedIn('parent');
      const older = await createPatient(db(), { birthDate: bornYearsAgo(10), givenNames: 'Ana' });
      const younger = await createPatient(db(), { birthDate: bornYearsAgo(2), givenNames: 'Leo' });
      await linkHolder(db(), parent.id, older.id, 'parent');
      await linkHolder(db(), parent.id, younger.id, 'parent');
      const page = cheerio.load((await parent.agent.get(`/patients/${older.id}`)).text);
      expect(page('#switch-patient option').map((_i, o) => page(o).text()).get()).to.deep.equal(['Leo Rivera', 'Ana Rivera']);
      expect(page('#switch-patient option[selected]').text()).to.equal('Ana Rivera');
      const switched = await parent.agent.get(`/patients/switch?patient=${younger.id}`);
      expect(switched.headers.location).to.equal(`/patients/${younger.id}`);
      expect((await parent.agent.get(`/patients/switch?patient=${younger.id}&section=results`)).headers.location).to.equal(`/patients/${younger.id}/results`);
      expect((await parent.agent.get(`/patients/switch?patient=${younger.id}&section=//evil.example`)).headers.location).to.equal(`/patients/${younger.id}`);
    });

    it('show an adult patient who is linked, and say plainly that parents cannot be added back', async () => {
      const adult = await createPatient(db(), { birthDate: bornYearsAgo(19) });
      const patient = await signedIn('adult');
      await linkHolder(db(), patient.id, adult.id, 'self');
      const guardian = await familyAccount(db(), 'guardian');
      await linkHolder(db(), guardian.id, adult.id, 'court-appointed-guardian');
      const $ = cheerio.load((await patient.agent.get(`/patients/${adult.id}`)).text);
      expect($('#holders tbody tr').length).to.equal(2);
      expect($('#holders').text()).to.include('Court-appointed legal guardian');
      expect($('main').text()).to.include('Parents cannot be given access to it again');
    });

    it('close at once in every open session when support ends the link', async () => {
      const child = await createPatient(db(), { birthDate: bornYearsAgo(5) });
      const parent = await signedIn('parent');
      const secondSession = agentIn(subject.app, 'es');
      await signIn(secondSession, '', parent.email);
      const linkId = await linkHolder(db(), parent.id, child.id, 'parent');
      expect((await parent.agent.get(`/patients/${child.id}`)).status).to.equal(200);
      expect((await secondSession.get(`/patients/${child.id}`)).status).to.equal(200);
      expect(await endHolderAccess({ db: db(), now: () => new Date() }, staffId, linkId, {})).to.deep.equal({ ended: true, patientId: child.id });
      expect((await parent.agent.get(`/patients/${child.id}`)).status).to.equal(404);
      expect((await secondSession.get(`/patients/${child.id}`)).status).to.equal(404);
      expect(cheerio.load((await parent.agent.get('/home')).text)('.patient-list').length).to.equal(0);
    });
  });

  describe('from one network address', () => {
    let shared: TestApp;
    before(async () => (shared = await buildTestApp()));
    after(() => shared.close());

    it('pauses every account there after many wrong tokens between them', async () => {
      const patient = await createPatient(shared.database.db, { birthDate: bornYearsAgo(6) });
      const agents: Agent[] = [];
      // Each account stays under its own limit; together they reach the address's.
      const accounts = Math.ceil(TOKEN_FAILURES_PER_NETWORK / (TOKEN_FAILURES_PER_ACCOUNT - 1));
      for (let n = 0; n < accounts; n++) {
        const account = await familyAccount(shared.database.db, `neighbour-${n}`);
        const agent = agentIn(shared.app, 'en');
        await signIn(agent, '', account.email);
        agents.push(agent);
      }
      const wrong = { code: 'ABCD-EFGH-JKMN', ...dateFields('birthDate', patient.birthDate), relationship: 'parent' };
      for (let failure = 0; failure < TOKEN_FAILURES_PER_NETWORK; failure++) {
        expect((await submitForm(agents[failure % accounts]!, '/patients/add/token', wrong)).status).to.equal(422);
      }
      const fresh = await familyAccount(shared.database.db, 'newcomer');
      const newcomer = agentIn(shared.app, 'en');
      await signIn(newcomer, '', fresh.email);
      expect((await submitForm(newcomer, '/patients/add/token', wrong)).status).to.equal(429);
    });
  });
});
