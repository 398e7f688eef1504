// MyPatients patient search, access requests, the MyPatients team's PCP queue and token
// validation, over HTTP against the real app and database (issue 8 items 3 and 6).
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, signIn, submitForm, totpCode } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';
import { accessTo, openPatientForProvider } from '../../services/myPatients/providerAccess.ts';
import { invitationCodeHash, newInvitationCode, formatInvitationCode } from '../../services/myPatients/invitationCodes.ts';
import { validateToken } from '../../services/myPatients/tokenValidation.ts';
import { SEARCHES_PER_MINUTE_PER_PROVIDER } from '../../domain/patientSearch.ts';
import { dueAfterBusinessDays } from '../../services/businessCalendar.ts';

const ORIGIN = { ip: '198.51.100.9', requestId: 'req-provider-search' };

describe('MyPatients patient search, access requests, the PCP queue and tokens', function () {
  this.timeout(60000);
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;
  const deps = () => ({ db: db(), config: context.subject.config, now: context.clock.now });

  /** Every URL asked for and every Location answered, to check that none carries PHI. */
  let urlsSeen: string[];
  beforeEach(() => {
    urlsSeen = [];
  });

  function watched(agent: Agent): Agent {
    for (const method of ['get', 'post'] as const) {
      const original = agent[method].bind(agent);
      (agent as unknown as Record<string, unknown>)[method] = (url: string) => {
        urlsSeen.push(url);
        const request = original(url);
        request.on('response', (response: { headers: Record<string, string> }) => {
          if (response.headers.location) urlsSeen.push(response.headers.location);
          if (response.headers['hx-redirect']) urlsSeen.push(response.headers['hx-redirect']);
        });
        return request;
      };
    }
    return agent;
  }

  function expectNoPhiInUrls(patient: TestPatient) {
    const [year, month, day] = patient.birthDate.split('-');
    for (const url of urlsSeen) {
      const decoded = decodeURIComponent(url).toLowerCase();
      expect(decoded, url).not.to.include(patient.familyName.toLowerCase());
      expect(decoded, url).not.to.include(patient.givenNames.toLowerCase());
      expect(decoded, url).not.to.include(patient.mrn.toLowerCase());
      expect(decoded, url).not.to.include(year!);
      expect(decoded, url).not.to.match(new RegExp(`(month|day)=0?(${Number(month)}|${Number(day)})\\b`));
    }
    expect(urlsSeen.length).to.be.greaterThan(0);
  }

  async function signedInProvider(provider: TestProvider): Promise<Agent> {
    const agent = watched(agentIn(context.subject.app, 'en'));
    expect(await signIn(agent, '/provider', provider.email)).to.equal('/provider/signin/code');
    const code = await submitForm(agent, '/provider/signin/code', { code: await totpCode(context.clock.now()) });
    expect(code.status).to.equal(303);
    return agent;
  }

  async function signedInTeam(roles: ('mypatients-team' | 'support')[] = ['mypatients-team']): Promise<Agent> {
    const email = `team-${Math.random().toString(36).slice(2)}@example.com`;
    await createAccount(db(), { kind: 'staff', email, roles, totp: true });
    const agent = watched(agentIn(context.subject.app, 'en'));
    await signIn(agent, '/staff', email);
    await submitForm(agent, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    return agent;
  }

  const dateFields = (iso: string) => {
    const [year, month, day] = iso.split('-');
    return { 'birthDate-day': String(Number(day)), 'birthDate-month': String(Number(month)), 'birthDate-year': year! };
  };

  async function searchByName(agent: Agent, fields: { familyName: string; givenName?: string; birthDate: string }, headers: Record<string, string> = {}) {
    const page = await agent.get('/provider/search');
    let request = agent.post('/provider/search').type('form');
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    return request.send({ _csrf: csrfTokenIn(page.text), by: 'name', familyName: fields.familyName, givenName: fields.givenName ?? '', ...dateFields(fields.birthDate) });
  }

  async function searchByMrn(agent: Agent, mrn: string) {
    const page = await agent.get('/provider/search');
    return agent.post('/provider/search').type('form').send({ _csrf: csrfTokenIn(page.text), by: 'mrn', mrn });
  }

  async function postFrom(agent: Agent, pagePath: string, action: string, fields: Record<string, string>) {
    const page = await agent.get(pagePath);
    return agent.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
  }

  const resultRows = (html: string) =>
    cheerio
      .load(html)('#search-results tbody tr')
      .map((_i, row) => cheerio.load(row).root().find('th a').attr('href'))
      .get();
  const searchAudit = (providerId: number) => db()('audit_events').where({ actor_id: providerId, action: 'search-patients' }).orderBy('id').select('subject_type', 'subject_id', 'outcome', 'reason');
  const makePcp = (patient: TestPatient, provider: TestProvider) => db()('patients').where({ id: patient.id }).update({ pcp_practitioner_id: provider.practitionerId, pcp_practice_id: provider.practiceId });

  describe('search', () => {
    it('by name and date of birth lists only the patients the provider may see, linking to each record, and audits counts and ids', async () => {
      const birthDate = bornYearsAgo(8);
      const mine = await createPatient(db(), { birthDate, givenNames: 'Lucía', familyName: 'Ortega' });
      const notMine = await createPatient(db(), { birthDate, givenNames: 'Marta', familyName: 'Ortega' });
      await createPatient(db(), { birthDate: bornYearsAgo(9), givenNames: 'Lucía', familyName: 'Ortega' });
      const provider = await providerAccount(db(), 'pcp');
      await makePcp(mine, provider);
      const agent = await signedInProvider(provider);

      const response = await searchByName(agent, { familyName: 'ortega', birthDate });
      expect(response.status).to.equal(200);
      expect(resultRows(response.text)).to.deep.equal([`/provider/patients/${mine.id}`]);
      const main = cheerio.load(response.text)('main').text();
      expect(main).to.include('Ortega, Lucía').and.include(mine.mrn).and.include('You or your practice are the PCP');
      expect(main).not.to.include('Marta').and.not.to.include(notMine.mrn);
      expect(cheerio.load(response.text)('#familyName').attr('value'), 'what was typed is kept').to.equal('ortega');

      expect(await searchAudit(provider.id)).to.deep.equal([
        { subject_type: null, subject_id: null, outcome: 'success', reason: 'by name: 2 found, 1 shown' },
        { subject_type: 'patient', subject_id: mine.id, outcome: 'allowed', reason: 'listed: basis pcp' },
      ]);
      expectNoPhiInUrls(mine);
    });

    it('by MRN lists a patient the provider may see; an unknown MRN finds no one', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(6), givenNames: 'Iris', familyName: 'Moreau' });
      const provider = await providerAccount(db(), 'pcp');
      await makePcp(patient, provider);
      const agent = await signedInProvider(provider);
      const found = await searchByMrn(agent, ` ${patient.mrn} `);
      expect(resultRows(found.text)).to.deep.equal([`/provider/patients/${patient.id}`]);
      const none = await searchByMrn(agent, '0000000');
      expect(none.status).to.equal(200);
      expect(cheerio.load(none.text)('#search-answer').text()).to.equal('No patient you may see matches');
      expect((await searchAudit(provider.id)).map((row) => row.reason)).to.deep.equal(['by mrn: 1 found, 1 shown', 'listed: basis pcp', 'by mrn: 0 found, 0 shown']);
      expectNoPhiInUrls(patient);
    });

    it('says what is wrong with the form and keeps what was typed (422)', async () => {
      const agent = await signedInProvider(await providerAccount(db(), 'p'));
      const page = await agent.get('/provider/search');
      const response = await agent.post('/provider/search').type('form').send({ _csrf: csrfTokenIn(page.text), by: 'name', familyName: 'Ortega', 'birthDate-day': '31', 'birthDate-month': '2', 'birthDate-year': '2015' });
      expect(response.status).to.equal(422);
      const $ = cheerio.load(response.text);
      expect($('.error-summary a').map((_i, a) => $(a).text()).get()).to.deep.equal(['Enter a real date of birth, with a 4-digit year']);
      expect($('#familyName').attr('value')).to.equal('Ortega');
      expect($('#birthDate-day').attr('value')).to.equal('31');
      expect($('title').text()).to.match(/^Error: /);
      const mrn = await searchByMrn(agent, 'no such!');
      expect(mrn.status).to.equal(422);
      expect(cheerio.load(mrn.text)('#mrn-error').text()).to.include('An MRN has only letters and numbers');
    });

    it('an exact match the provider may not see leads to the not-authorized page, showing only what was typed, with both requests', async () => {
      const birthDate = bornYearsAgo(8);
      const patient = await createPatient(db(), { birthDate, givenNames: 'Lucía', familyName: 'Ortega' });
      await linkHolder(db(), (await familyAccount(db(), 'parent')).id, patient.id, 'parent');
      const provider = await providerAccount(db(), 'stranger');
      const agent = await signedInProvider(provider);

      const response = await searchByName(agent, { familyName: 'Ortega', birthDate });
      expect(response.status).to.equal(303);
      expect(response.headers.location, 'a number private to the session, not even the patient’s id').to.equal('/provider/search/no-access/1');
      const page = await agent.get(response.headers.location!);
      expect(page.status).to.equal(200);
      const $ = cheerio.load(page.text);
      expect($('h1').text()).to.equal('You are not authorized to see this record');
      const main = $('main').text();
      expect(main).to.include('Ortega, born');
      expect(main, 'no first name, no MRN: only what was typed').not.to.include('Lucía').and.not.to.include(patient.mrn);
      expect($('main form button').map((_i, b) => $(b).text()).get()).to.deep.equal(['Request PCP access', 'Request non-PCP access']);
      expect($('#no-family-account-title').length, 'the family has an account').to.equal(0);

      expect(await searchAudit(provider.id)).to.deep.equal([
        { subject_type: null, subject_id: null, outcome: 'success', reason: 'by name: 1 found, 0 shown, not authorized' },
        { subject_type: 'patient', subject_id: patient.id, outcome: 'refused', reason: 'exact match: not-authorized' },
      ]);
      expectNoPhiInUrls(patient);
    });

    it('when the patient has no MyChildren’s account, says so and offers printable sign-up instructions', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(4), givenNames: 'Noa', familyName: 'Berg' });
      const agent = await signedInProvider(await providerAccount(db(), 'stranger'));
      const response = await searchByMrn(agent, patient.mrn);
      expect(response.status).to.equal(303);
      const $ = cheerio.load((await agent.get(response.headers.location!)).text);
      expect($('#no-family-account-title').text()).to.equal('This patient has no MyChildren’s account'.replace('’', "'"));
      expect($('main').text()).to.include(`MRN ${patient.mrn}`).and.not.include('Berg');
      const link = $('a[href="/provider/family-sign-up"]');
      expect(link.length).to.equal(1);
      const instructions = await agent.get('/provider/family-sign-up');
      expect(instructions.status).to.equal(200);
      const page = cheerio.load(instructions.text);
      expect(page('h1').text()).to.equal("How to sign up for MyChildren's");
      expect(page('main').text()).to.include('/signup').and.not.include('Berg').and.not.include(patient.mrn);
      expect(page('[data-print-action] button').text()).to.equal('Print this page');
    });

    it('opens the not-authorized page only for the provider’s own exact match (404 for anything else)', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(4) });
      const agent = await signedInProvider(await providerAccount(db(), 'stranger'));
      for (const ref of ['1', String(patient.id), 'abc']) expect((await agent.get(`/provider/search/no-access/${ref}`)).status).to.equal(404);
      const page = await agent.get('/provider/search');
      const forged = await agent.post('/provider/search/no-access/1/request').type('form').send({ _csrf: csrfTokenIn(page.text), kind: 'pcp' });
      expect(forged.status).to.equal(404);
      // Another provider's exact match is theirs alone.
      const other = await signedInProvider(await providerAccount(db(), 'other'));
      expect((await searchByMrn(other, patient.mrn)).headers.location).to.equal('/provider/search/no-access/1');
      expect((await agent.get('/provider/search/no-access/1')).status).to.equal(404);
      expect(await db()('provider_access_requests')).to.have.length(0);
    });

    it('with htmx, answers with the search region alone, and sends the browser to the not-authorized page', async () => {
      const birthDate = bornYearsAgo(8);
      const patient = await createPatient(db(), { birthDate, givenNames: 'Lucía', familyName: 'Ortega' });
      const agent = await signedInProvider(await providerAccount(db(), 'stranger'));
      const htmx = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
      const none = await searchByName(agent, { familyName: 'Nobody', birthDate }, htmx);
      expect(none.status).to.equal(200);
      expect(none.text).not.to.include('<html');
      expect(none.text).to.include('id="search-answer"');
      expect(none.headers.vary).to.include('HX-Request').and.include('HX-Request-Type');
      const exact = await searchByName(agent, { familyName: 'Ortega', birthDate }, htmx);
      expect(exact.status).to.equal(200);
      expect(exact.headers['hx-redirect']).to.equal('/provider/search/no-access/1');
      const whole = await searchByName(agent, { familyName: 'Nobody', birthDate });
      expect(whole.text, 'without htmx, the whole page').to.include('<html');
      expectNoPhiInUrls(patient);
    });

    it(`pauses a provider after ${SEARCHES_PER_MINUTE_PER_PROVIDER} searches a minute with a clear 429 page, and audits it`, async () => {
      const provider = await providerAccount(db(), 'busy');
      const agent = await signedInProvider(provider);
      const page = await agent.get('/provider/search');
      const csrf = csrfTokenIn(page.text);
      for (let i = 0; i < SEARCHES_PER_MINUTE_PER_PROVIDER; i++) {
        const response = await agent.post('/provider/search').type('form').send({ _csrf: csrf, by: 'mrn', mrn: `99${i}` });
        expect(response.status).to.equal(200);
      }
      const paused = await agent.post('/provider/search').type('form').send({ _csrf: csrf, by: 'mrn', mrn: '12345' });
      expect(paused.status).to.equal(429);
      expect(Number(paused.headers['retry-after'])).to.be.within(1, 60);
      const $ = cheerio.load(paused.text);
      expect($('h1').text()).to.equal('Too many searches');
      expect($('#paused-title').text()).to.equal('Too many searches');
      const rows = await searchAudit(provider.id);
      expect(rows).to.have.length(SEARCHES_PER_MINUTE_PER_PROVIDER + 1);
      expect(rows.at(-1)).to.deep.equal({ subject_type: null, subject_id: null, outcome: 'refused', reason: 'by mrn: throttled' });
    });
  });

  describe('access requests', () => {
    async function atNoAccessPage(patient: TestPatient, provider: TestProvider): Promise<{ agent: Agent; path: string }> {
      const agent = await signedInProvider(provider);
      const response = await searchByMrn(agent, patient.mrn);
      expect(response.status).to.equal(303);
      return { agent, path: response.headers.location! };
    }

    it('a PCP request goes to the team’s queue, due in 3 business days, and the provider is told what happens next; asking again says it is already asked', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
      const provider = await providerAccount(db(), 'new-pcp');
      const { agent, path } = await atNoAccessPage(patient, provider);
      const sent = await postFrom(agent, path, `${path}/request`, { kind: 'pcp', pcpNote: 'The family moved to our practice in May.' });
      expect(sent.status).to.equal(303);
      expect(sent.headers.location).to.equal('/provider/requests');
      const [row] = await db()('provider_access_requests');
      expect(row).to.include({ kind: 'pcp', status: 'pending', note: 'The family moved to our practice in May.' });
      expect([Number(row.patient_id), Number(row.provider_account_id)]).to.deep.equal([patient.id, provider.id]);
      expect(row.searched_as).to.deep.equal({ by: 'mrn', mrn: patient.mrn });
      // Asked on Monday 23 November 2026 (the test clock): due 3 business days on by the hospital's calendar.
      expect(row.requested_at.getTime()).to.equal(context.clock.now().getTime());
      expect(row.due_at.getTime()).to.equal(dueAfterBusinessDays(context.subject.config, context.clock.now(), 3).getTime());
      expect(row.due_at.getTime()).to.be.greaterThan(new Date('2026-11-25T00:00:00Z').getTime());

      const list = cheerio.load((await agent.get('/provider/requests')).text);
      expect(list('.banner').text()).to.include('We sent your request to the MyPatients team');
      expect(list('#requests tbody tr').length).to.equal(1);
      expect(list('#requests tbody').text()).to.include(`MRN ${patient.mrn}`).and.include('PCP access').and.include('Waiting').and.not.include('Ortega');

      const again = cheerio.load((await agent.get(path)).text);
      expect(again('main').text()).to.include('the request is waiting');
      expect(again('main form button').map((_i, b) => again(b).text()).get(), 'only the non-PCP request is left to make').to.deep.equal(['Request non-PCP access']);
      const twice = await postFrom(agent, path, `${path}/request`, { kind: 'pcp' });
      expect(twice.headers.location).to.equal('/provider/requests');
      expect(cheerio.load((await agent.get('/provider/requests')).text)('.banner').text()).to.include('You already asked for this access');
      expect(await db()('provider_access_requests')).to.have.length(1);
      const audit = await db()('audit_events').where({ actor_id: provider.id, action: 'request-pcp-access' }).orderBy('id').pluck('outcome');
      expect(audit).to.deep.equal(['success', 'refused']);
      expectNoPhiInUrls(patient);
    });

    it('a non-PCP request waits for the family, and says so', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
      await linkHolder(db(), (await familyAccount(db(), 'parent')).id, patient.id, 'parent');
      const provider = await providerAccount(db(), 'specialist');
      const { agent, path } = await atNoAccessPage(patient, provider);
      const sent = await postFrom(agent, path, `${path}/request`, { kind: 'non-pcp', nonPcpNote: 'Referred for cardiology.' });
      expect(sent.headers.location).to.equal('/provider/requests');
      const [row] = await db()('provider_access_requests');
      expect(row).to.include({ kind: 'non-pcp', status: 'pending', note: 'Referred for cardiology.', due_at: null });
      expect(cheerio.load((await agent.get('/provider/requests')).text)('.banner').text()).to.include('We sent your request to the family');
    });

    it('a non-PCP request emails each holder who may share (parent and teen), nobody else, without the patient’s name or MRN', async () => {
      const teen = await createPatient(db(), { birthDate: bornYearsAgo(14, context.clock.now()), givenNames: 'Lucía', familyName: 'Ortega' });
      const parent = await familyAccount(db(), 'parent');
      const teenSelf = await familyAccount(db(), 'teen');
      const foster = await familyAccount(db(), 'foster');
      await linkHolder(db(), parent.id, teen.id, 'parent');
      await linkHolder(db(), teenSelf.id, teen.id, 'self');
      // A foster parent never shares (nor should be linked); a stray link must not be told.
      await linkHolder(db(), foster.id, teen.id, 'foster-parent');
      const adult = await createPatient(db(), { birthDate: bornYearsAgo(18, context.clock.now(), 30), givenNames: 'Mateo', familyName: 'Ortega' });
      const adultSelf = await familyAccount(db(), 'adult');
      const formerParent = await familyAccount(db(), 'former-parent');
      await linkHolder(db(), adultSelf.id, adult.id, 'self');
      // The 18th-birthday job has not ended this link yet: a parent of an adult may not share.
      await linkHolder(db(), formerParent.id, adult.id, 'parent');
      await db()('accounts').where({ id: parent.id }).update({ preferred_language: 'es' });

      const provider = await providerAccount(db(), 'specialist');
      const agent = await signedInProvider(provider);
      for (const patient of [teen, adult]) {
        const path = (await searchByMrn(agent, patient.mrn)).headers.location!;
        expect((await postFrom(agent, path, `${path}/request`, { kind: 'non-pcp', nonPcpNote: 'Referred for cardiology.' })).headers.location).to.equal('/provider/requests');
      }

      const waiting = await db()('email_outbox').where({ template: 'sharingRequestWaiting' }).orderBy('id');
      expect(waiting.map((email) => email.recipient).sort()).to.deep.equal([parent.email, teenSelf.email, adultSelf.email].sort());
      const toParent = waiting.find((email) => email.recipient === parent.email)!;
      expect(toParent.subject, 'in the holder’s language').to.equal("Un proveedor pidió ver un expediente en MyChildren's");
      const toTeen = waiting.find((email) => email.recipient === teenSelf.email)!;
      expect(toTeen.text_body).to.include("A provider has asked to see a record on your MyChildren's account. Sign in and open Share this record to approve or decline.");
      expect(toTeen.text_body).to.include(`${context.subject.config.publicUrl}/signin`);
      for (const email of waiting) {
        for (const phi of [teen.givenNames, teen.familyName, teen.mrn, adult.givenNames, adult.mrn]) {
          expect(`${email.subject}\n${email.text_body}\n${email.html_body}`, `${email.recipient}: ${phi}`).not.to.include(phi);
        }
      }
    });

    it('a PCP request emails no family member (the team calls them)', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
      await linkHolder(db(), (await familyAccount(db(), 'parent')).id, patient.id, 'parent');
      const { agent, path } = await atNoAccessPage(patient, await providerAccount(db(), 'pcp-to-be'));
      expect((await postFrom(agent, path, `${path}/request`, { kind: 'pcp' })).headers.location).to.equal('/provider/requests');
      expect(await db()('email_outbox').where({ template: 'sharingRequestWaiting' })).to.have.length(0);
    });

    it('refuses a note that is too long, keeping it (422)', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
      const { agent, path } = await atNoAccessPage(patient, await providerAccount(db(), 'p'));
      const long = 'x'.repeat(1001);
      const response = await postFrom(agent, path, `${path}/request`, { kind: 'pcp', pcpNote: long });
      expect(response.status).to.equal(422);
      expect(cheerio.load(response.text)('#pcpNote').text()).to.equal(long);
      expect(await db()('provider_access_requests')).to.have.length(0);
    });
  });

  describe('the MyPatients team’s PCP queue', () => {
    async function pcpRequest(patient: TestPatient, provider: TestProvider): Promise<{ agent: Agent; requestId: number }> {
      const agent = await signedInProvider(provider);
      const found = await searchByMrn(agent, patient.mrn);
      const path = found.headers.location!;
      await postFrom(agent, path, `${path}/request`, { kind: 'pcp', pcpNote: 'New patient at our practice.' });
      const [row] = await db()('provider_access_requests').where({ provider_account_id: provider.id });
      return { agent, requestId: Number(row.id) };
    }

    it('end to end (PCP): the provider asks, the team confirms and approves, the provider is emailed and may see the record', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
      const provider = await providerAccount(db(), 'new-pcp');
      const { agent: providerAgent, requestId } = await pcpRequest(patient, provider);
      expect((await accessTo(deps(), provider.id, patient.id))?.decision.allowed).to.equal(false);
      expect((await providerAgent.get(`/provider/patients/${patient.id}`)).status, 'no record before the team acts').to.equal(404);

      const team = await signedInTeam();
      const home = cheerio.load((await team.get('/staff/home')).text);
      expect(home('a[href="/staff/mypatients/pcp-requests"]').text()).to.equal('PCP access requests');
      const queue = cheerio.load((await team.get('/staff/mypatients/pcp-requests')).text);
      expect(queue('#pcp-requests tbody tr').length).to.equal(1);
      expect(queue('#pcp-requests tbody th a').attr('href')).to.equal(`/staff/mypatients/pcp-requests/${requestId}`);
      expect(queue('#pcp-requests tbody').text()).to.include('Waiting').and.include('Riverside Pediatrics');
      const review = cheerio.load((await team.get(`/staff/mypatients/pcp-requests/${requestId}`)).text);
      expect(review('main').text()).to.include('Lucía Ortega').and.include(patient.mrn).and.include('New patient at our practice.').and.include('No PCP on record');

      const missing = await postFrom(team, `/staff/mypatients/pcp-requests/${requestId}`, `/staff/mypatients/pcp-requests/${requestId}/approve`, { confirmation: ' ' });
      expect(missing.status).to.equal(422);
      expect(cheerio.load(missing.text)('.error-summary').text()).to.include('Write how the family confirmed the PCP');

      const approved = await postFrom(team, `/staff/mypatients/pcp-requests/${requestId}`, `/staff/mypatients/pcp-requests/${requestId}/approve`, { confirmation: 'Mother confirmed by phone.' });
      expect(approved.status).to.equal(303);
      expect(approved.headers.location).to.equal('/staff/mypatients/pcp-requests');
      const updated = await db()('patients').where({ id: patient.id }).first();
      expect([Number(updated.pcp_practitioner_id), Number(updated.pcp_practice_id)]).to.deep.equal([provider.practitionerId, provider.practiceId]);
      const row = await db()('provider_access_requests').where({ id: requestId }).first();
      expect(row).to.include({ status: 'approved', decision_note: 'Mother confirmed by phone.' });

      const [email] = await emailsTo(db(), provider.email);
      expect(email!.template).to.equal('pcpAccessApproved');
      expect(email!.text).to.include('approved').and.include('/provider/signin');
      for (const phi of ['Lucía', 'Ortega', patient.mrn]) expect(email!.text + email!.subject).not.to.include(phi);

      // The provider now sees the record, on the PCP basis.
      expect((await accessTo(deps(), provider.id, patient.id))?.decision).to.deep.equal({ allowed: true, basis: 'pcp' });
      const record = await providerAgent.get(`/provider/patients/${patient.id}`);
      expect(record.status).to.equal(200);
      expect(cheerio.load(record.text)('main').text()).to.include("You can see this record because you are the patient's primary care provider (PCP).").and.include('Ortega');
      const list = cheerio.load((await providerAgent.get('/provider/requests')).text);
      expect(list('#requests tbody').text()).to.include('Approved');
      expect(list(`#requests a[href="/provider/patients/${patient.id}"]`).length).to.equal(1);
      const search = await searchByMrn(providerAgent, patient.mrn);
      expect(resultRows(search.text)).to.deep.equal([`/provider/patients/${patient.id}`]);

      const audit = await db()('audit_events').where({ action: 'pcp-request-approved' }).first();
      expect([audit.outcome, audit.subject_type, Number(audit.subject_id)]).to.deep.equal(['success', 'patient', patient.id]);
      expect(await db()('audit_events').where({ action: 'view-pcp-request', outcome: 'allowed', subject_id: patient.id }).first()).to.not.equal(undefined);
      const again = await postFrom(team, '/staff/mypatients/pcp-requests', `/staff/mypatients/pcp-requests/${requestId}/decline`, { reason: 'other' });
      expect(again.headers.location, 'a decided request cannot be decided again').to.equal(`/staff/mypatients/pcp-requests/${requestId}`);
      expect(cheerio.load((await team.get(again.headers.location!)).text)('.banner').first().text()).to.include('Someone has already decided this request.');
      expect((await db()('provider_access_requests').where({ id: requestId }).first()).status).to.equal('approved');
      expectNoPhiInUrls(patient);
    });

    it('shows the family’s contact details to phone: the MyChildren’s account holders and the record’s own numbers', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega', email: 'ortega.home@example.net' });
      await db()('patients').where({ id: patient.id }).update({ phone: '617-555-0131' });
      await db()('related_persons').insert({ source_id: `rp-${patient.id}`, patient_id: patient.id, relationship_code: 'MTH', given_names: 'Inés', family_name: 'Ortega', phone: '617-555-0177', is_legal_guardian: true });
      await db()('related_persons').insert({ source_id: `rp-old-${patient.id}`, patient_id: patient.id, relationship_code: 'FTH', given_names: 'Former', family_name: 'Contact', phone: '617-555-0999', active: false });
      const holder = await familyAccount(db(), 'ines');
      await db()('accounts').where({ id: holder.id }).update({ name: 'Inés Ortega' });
      await linkHolder(db(), holder.id, patient.id, 'parent');
      const { requestId } = await pcpRequest(patient, await providerAccount(db(), 'contacts'));
      const team = await signedInTeam();
      const $ = cheerio.load((await team.get(`/staff/mypatients/pcp-requests/${requestId}`)).text);
      const contacts = $('#family-contacts');
      expect(contacts.find('h2').first().text()).to.equal('Family contact details');
      expect($('#holders tbody tr').text()).to.include('Inés Ortega').and.include('Parent').and.include(holder.email);
      expect($('#record-contacts tbody tr').text()).to.include('Inés Ortega').and.include('Mother').and.include('617-555-0177').and.include('Legal guardian');
      expect($('#record-contacts tbody').text(), 'an inactive contact is not offered').to.not.include('Former');
      expect(contacts.text()).to.include('617-555-0131').and.include('ortega.home@example.net');

      const alone = await createPatient(db(), { birthDate: bornYearsAgo(9), givenNames: 'Nadie', familyName: 'Solo' });
      const { requestId: aloneId } = await pcpRequest(alone, await providerAccount(db(), 'alone'));
      const $alone = cheerio.load((await team.get(`/staff/mypatients/pcp-requests/${aloneId}`)).text);
      expect($alone('#family-contacts').text()).to.include('No MyChildren’s account holds this patient').and.include('The record has no phone number or email address for the family');
    });

    it('declines with a reason from the list, emailing the provider that reason without the patient', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
      const provider = await providerAccount(db(), 'not-pcp');
      const { requestId } = await pcpRequest(patient, provider);
      const team = await signedInTeam();
      const missing = await postFrom(team, `/staff/mypatients/pcp-requests/${requestId}`, `/staff/mypatients/pcp-requests/${requestId}/decline`, {});
      expect(missing.status).to.equal(422);
      const declined = await postFrom(team, `/staff/mypatients/pcp-requests/${requestId}`, `/staff/mypatients/pcp-requests/${requestId}/decline`, { reason: 'different-pcp' });
      expect(declined.status).to.equal(303);
      expect(await db()('provider_access_requests').where({ id: requestId }).first()).to.include({ status: 'declined', decline_reason: 'different-pcp' });
      expect((await db()('patients').where({ id: patient.id }).first()).pcp_practitioner_id).to.equal(null);
      const [email] = await emailsTo(db(), provider.email);
      expect(email!.template).to.equal('pcpAccessDeclined');
      expect(email!.text).to.include('The family told us the patient has a different PCP.');
      for (const phi of ['Lucía', 'Ortega', patient.mrn]) expect(email!.text + email!.subject).not.to.include(phi);
      const page = cheerio.load((await team.get(`/staff/mypatients/pcp-requests/${requestId}`)).text);
      expect(page('#decision-title').text()).to.match(/^Declined /);
      expect(page('main form[method="post"]').length).to.equal(0);
      expect((await db()('audit_events').where({ action: 'pcp-request-declined' }).first()).reason).to.equal(`request ${requestId}: different-pcp`);
    });

    it('is only for the MyPatients team', async () => {
      const support = await signedInTeam(['support']);
      expect((await support.get('/staff/mypatients/pcp-requests')).status).to.equal(403);
    });
  });

  describe('validating a token', () => {
    async function issuedToken(patient: TestPatient, issuedAt: Date, extra: Record<string, unknown> = {}): Promise<string> {
      const code = newInvitationCode();
      const parent = await familyAccount(db(), 'parent');
      await db()('invitation_tokens').insert({ token_hash: invitationCodeHash(code), patient_id: patient.id, issued_by_account_id: parent.id, invited_name: 'Dr Ren', invited_email: 'ren@example.com', issued_at: issuedAt, ...extra });
      return formatInvitationCode(code);
    }
    const sixMonthsAnd = (days: number) => {
      const at = new Date(context.clock.now());
      at.setUTCMonth(at.getUTCMonth() - 6);
      at.setUTCDate(at.getUTCDate() - days);
      return at;
    };
    const errorOf = (html: string) => cheerio.load(html)('.error-summary a').text();

    it('a valid token opens the record once; using it again says it was used', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
      const token = await issuedToken(patient, new Date(context.clock.now().getTime() - 86_400_000));
      const provider = await providerAccount(db(), 'invited');
      const agent = await signedInProvider(provider);
      const response = await submitForm(agent, '/provider/tokens', { token: token.toLowerCase(), mrn: patient.mrn });
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/provider/patients/${patient.id}`);
      const row = await db()('invitation_tokens').first();
      expect(Number(row.validated_by_account_id)).to.equal(provider.id);
      expect(row.used_at).to.be.instanceOf(Date);
      expect((await accessTo(deps(), provider.id, patient.id))?.decision).to.deep.equal({ allowed: true, basis: 'token' });
      const record = await agent.get(response.headers.location!);
      expect(record.status).to.equal(200);
      expect(cheerio.load(record.text)('main').text()).to.include('you validated an invitation');

      const again = await submitForm(agent, '/provider/tokens', { token, mrn: patient.mrn });
      expect(again.status).to.equal(422);
      expect(errorOf(again.text)).to.equal('This invitation code has already been used. Each code works once');
      const audit = await db()('audit_events').where({ action: 'validate-invitation-token' }).orderBy('id').pluck('outcome');
      expect(audit).to.deep.equal(['success', 'refused']);
      expectNoPhiInUrls(patient);
    });

    it('says a token issued 6 months and a day ago has expired', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
      const token = await issuedToken(patient, sixMonthsAnd(1));
      const agent = await signedInProvider(await providerAccount(db(), 'late'));
      const response = await submitForm(agent, '/provider/tokens', { token, mrn: patient.mrn });
      expect(response.status).to.equal(422);
      expect(errorOf(response.text)).to.equal('This invitation code has expired: codes work for 6 months. Ask the family to invite you again');
      expect((await db()('invitation_tokens').first()).used_at).to.equal(null);
    });

    it('says a token is not for this MRN without naming its patient, and does not recognise a made-up one', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
      const other = await createPatient(db(), { birthDate: bornYearsAgo(9) });
      const token = await issuedToken(patient, context.clock.now());
      const agent = await signedInProvider(await providerAccount(db(), 'typo'));
      const wrong = await submitForm(agent, '/provider/tokens', { token, mrn: other.mrn });
      expect(wrong.status).to.equal(422);
      expect(errorOf(wrong.text)).to.equal('This invitation code is not for this MRN. Check the MRN with the family');
      expect(cheerio.load(wrong.text)('#mrn').attr('aria-invalid')).to.equal('true');
      expect(wrong.text).not.to.include(patient.mrn).and.not.to.include('Ortega');
      const unknown = await submitForm(agent, '/provider/tokens', { token: 'ABCD-EFGH-JKMN', mrn: patient.mrn });
      expect(errorOf(unknown.text)).to.equal('We do not recognise this invitation code. Check each character against the family’s email'.replace('’', "'"));
      const rows = await db()('audit_events').where({ action: 'validate-invitation-token' }).orderBy('id').select('reason', 'subject_id');
      expect(rows).to.deep.equal([
        { reason: 'token-wrong-mrn', subject_id: null },
        { reason: 'token-unknown', subject_id: null },
      ]);
    });

    it('lets only one of two validations at the same moment succeed', async () => {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(8) });
      const token = await issuedToken(patient, context.clock.now());
      const [first, second] = [await providerAccount(db(), 'a'), await providerAccount(db(), 'b')];
      const results = await Promise.all([first, second].map((provider) => validateToken(deps(), provider.id, { token, mrn: patient.mrn }, ORIGIN)));
      expect(results.map((result) => result.outcome).sort()).to.deep.equal(['refused', 'validated']);
      expect(results.find((result) => result.outcome === 'refused')).to.deep.equal({ outcome: 'refused', reason: 'token-already-used' });
    });
  });
});
