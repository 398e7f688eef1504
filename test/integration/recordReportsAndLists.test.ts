// The record's reports, medicines, allergies, immunizations, care team and insurance pages, read
// over HTTP by the patient (a 15-year-old), a parent, and a parent whose child has nothing on
// record yet: what each page says, in words, what it leaves out, and who gets a 404.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { signInReading } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { addMedication, addPractitioner, addReport, fillRecordForEveryRule, RECORD_TEST_ENV, type RecordMarkers } from '../support/record.ts';

const DAY = 86_400_000;
const PAGES = ['reports', 'medications', 'allergies', 'immunizations', 'care-team', 'insurance'] as const;

describe('the record’s reports, lists, care team and insurance pages', function () {
  this.timeout(120000);
  let subject: TestApp;
  let markers: RecordMarkers;
  let teenId: number;
  let childId: number;
  let otherFamilysReportId: number;
  let otherPatientId: number;
  let panelId: number;
  const accounts: Record<string, { id: number; email: string }> = {};
  const agents: Record<string, Agent> = {};
  const db = () => subject.database.db;

  before(async () => {
    subject = await buildTestApp({ env: RECORD_TEST_ENV });
    const now = new Date();
    const teen = await createPatient(db(), { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    teenId = teen.id;
    markers = await fillRecordForEveryRule(db(), teen.id, now);
    panelId = Number((await db()('diagnostic_reports').where({ patient_id: teen.id, category: 'LAB' }).orderBy('id').first('id')).id);
    // More of the teen's record than the rules need: reports of other kinds, and past medicines with a prescriber.
    await addReport(db(), teen.id, { marker: 'SHOWNCTSCAN', completedAt: new Date(now.getTime() - 40 * DAY), category: 'CT' });
    await addReport(db(), teen.id, { marker: 'SHOWNODDREPORT', completedAt: new Date(now.getTime() - 50 * DAY), category: 'ZZZ' });
    const prescriber = await addPractitioner(db(), { familyName: 'Lindqvist', givenNames: 'Maja', credential: 'NP' });
    const paused = await addMedication(db(), teen.id, { name: 'SHOWNPAUSEDMEDICINE', status: 'on-hold', authoredAt: new Date(now.getTime() - 20 * DAY) });
    await db()('medications').where('id', paused).update({ prescriber_id: prescriber });
    await addMedication(db(), teen.id, { name: 'SHOWNFINISHEDMEDICINE', status: 'completed', authoredAt: new Date(now.getTime() - 300 * DAY), dosage: '250 mg three times a day for 10 days' });

    const child = await createPatient(db(), { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
    childId = child.id;
    const other = await createPatient(db(), { birthDate: bornYearsAgo(6), givenNames: 'Ines', familyName: 'Strand' });
    otherPatientId = other.id;
    otherFamilysReportId = await addReport(db(), other.id, { marker: 'OTHERFAMILYREPORT', completedAt: new Date(now.getTime() - 20 * DAY) });

    accounts.parent = await familyAccount(db(), 'parent');
    accounts.teen = await familyAccount(db(), 'teen');
    await linkHolder(db(), accounts.parent.id, teen.id, 'parent');
    await linkHolder(db(), accounts.parent.id, child.id, 'parent');
    await linkHolder(db(), accounts.teen.id, teen.id, 'self');
    await linkHolder(db(), (await familyAccount(db(), 'other')).id, other.id, 'parent');
    for (const [who, language] of [['parent', 'en'], ['teen', 'en'], ['parent', 'es']] as const) {
      const agent = agentIn(subject.app, language);
      expect(await signInReading(db(), agent, '', accounts[who]!.email, language)).to.equal('/home');
      agents[`${who}-${language}`] = agent;
    }
  });
  after(() => subject.close());

  async function page(who: 'parent' | 'teen', path: string, language: 'en' | 'es' = 'en') {
    const response = await agents[`${who}-${language}`]!.get(path);
    expect(response.status, path).to.equal(200);
    return cheerio.load(response.text);
  }
  const rowsOf = ($: cheerio.CheerioAPI, table: string) => $(`${table} tbody tr`).map((_i, row) => [$(row).children().map((_j, cell) => $(cell).text().trim()).get()]).get() as string[][];
  const auditRows = (accountId: number, action: string) => db()('audit_events').where({ actor_id: accountId, action }).select('subject_id', 'outcome');

  describe('imaging and other reports', () => {
    it('lists the teen’s reports newest first, each type in words, linked to the report, without lab panels or held reports', async () => {
      const $ = await page('teen', `/patients/${teenId}/reports`);
      expect($('h1').text()).to.equal('Imaging and other reports');
      const rows = rowsOf($, '#reports');
      expect(rows.map((row) => row[0]!.replace(/^Chest X-ray /, ''))).to.deep.equal(['SHOWNREPORT', 'TEENREPORT', 'SHOWNCTSCAN', 'SHOWNODDREPORT']);
      expect(rows.map((row) => row[1])).to.deep.equal(['Radiology (X-ray or imaging)', 'Ultrasound', 'CT scan', 'Other report']);
      expect($('#reports tbody a').first().attr('href')).to.equal(`/patients/${teenId}/reports/${markers.ids.reportId}`);
      const text = $('main').text();
      for (const marker of [...markers.held, 'SHOWNPANEL']) expect(text).not.to.include(marker);
      // The radiology report finished an hour ago waits 4 days: the family is told that some reports come later.
      expect($('.withheld').text()).to.include('appear a few days after they are finished');
    });

    it('leaves the teen’s confidential report out for the parent, in Spanish too', async () => {
      const english = await page('parent', `/patients/${teenId}/reports`);
      expect(english('main').text()).to.include('SHOWNREPORT').and.not.include('TEENREPORT');
      const spanish = await page('parent', `/patients/${teenId}/reports`, 'es');
      expect(spanish('h1').text()).to.equal('Imágenes y otros informes');
      expect(rowsOf(spanish, '#reports').map((row) => row[1])).to.deep.equal(['Radiología (radiografía u otra imagen)', 'Tomografía (TC)', 'Otro informe']);
      expect(spanish('main').text()).not.to.include('TEENREPORT');
    });

    it('opens a report with what it found', async () => {
      const $ = await page('parent', `/patients/${teenId}/reports/${markers.ids.reportId}`);
      expect($('h1').text()).to.equal('Chest X-ray SHOWNREPORT');
      expect($('.summary-list').text()).to.include('Radiology (X-ray or imaging)');
      expect($('.report-text').text()).to.equal('No acute findings. SHOWNREPORT.');
      expect($('.record-nav a[aria-current="page"]').attr('href')).to.equal(`/patients/${teenId}/reports`);
      const teen = await page('teen', `/patients/${teenId}/reports/${markers.ids.teenReportId}`);
      expect(teen('.report-text').text()).to.include('TEENREPORT');
    });

    it('answers 404, like a page that does not exist, for reports held back, another patient’s, lab panels and made-up ids', async () => {
      const missing = await agents['parent-en']!.get('/no-such-page');
      expect(missing.status).to.equal(404);
      const notFoundTitle = cheerio.load(missing.text)('h1').text();
      const refused = [markers.ids.heldReportId, markers.ids.teenReportId, otherFamilysReportId, panelId, 999999999, 'abc', '0'];
      for (const reportId of refused) {
        const response = await agents['parent-en']!.get(`/patients/${teenId}/reports/${reportId}`);
        expect(response.status, String(reportId)).to.equal(404);
        expect(cheerio.load(response.text)('h1').text(), String(reportId)).to.equal(notFoundTitle);
        expect(response.text).not.to.match(/HELD|TEEN|OTHERFAMILY/);
      }
      // The held report is not the teen's to read either.
      expect((await agents['teen-en']!.get(`/patients/${teenId}/reports/${markers.ids.heldReportId}`)).status).to.equal(404);
    });

    it('audits the list and each report opened', async () => {
      await page('teen', `/patients/${teenId}/reports`);
      await page('teen', `/patients/${teenId}/reports/${markers.ids.reportId}`);
      expect(await auditRows(accounts.teen!.id, 'view-reports')).to.deep.include({ subject_id: teenId, outcome: 'allowed' });
      expect(await auditRows(accounts.teen!.id, 'view-report')).to.deep.include({ subject_id: teenId, outcome: 'allowed' });
    });
  });

  describe('medicines, allergies and immunizations', () => {
    it('splits medicines into current (taking or paused) and past, with dosage, prescriber, date and status in words', async () => {
      const $ = await page('parent', `/patients/${teenId}/medications`);
      expect($('h1').text()).to.equal('Medicines');
      const current = rowsOf($, '#current-medications');
      expect(current.map((row) => [row[0], row[4]])).to.deep.equal([
        ['SHOWNPAUSEDMEDICINE', 'Paused'],
        ['SHOWNMEDICATION', 'Taking now'],
      ]);
      expect(current[0]![2]).to.equal('Maja Lindqvist, NP');
      expect(current[1]![1]).to.equal('5 mL by mouth twice a day');
      expect(current[1]![2]).to.equal('Not recorded');
      expect(current[1]![3]).to.match(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
      expect(rowsOf($, '#past-medications').map((row) => [row[0], row[1], row[4]])).to.deep.equal([['SHOWNFINISHEDMEDICINE', '250 mg three times a day for 10 days', 'Finished']]);
      expect($('main').text()).not.to.include('HELDERRORMEDICATION');
    });

    it('shows allergies with the reaction, how serious in words, and whether current', async () => {
      const $ = await page('teen', `/patients/${teenId}/allergies`);
      expect($('h1').text()).to.equal('Allergies');
      const [allergy] = rowsOf($, '#allergies');
      expect(allergy!.slice(0, 4)).to.deep.equal(['SHOWNALLERGY', 'Hives', 'High risk: could be serious', 'Current']);
      const spanish = await page('parent', `/patients/${teenId}/allergies`, 'es');
      expect(rowsOf(spanish, '#allergies')[0]!.slice(2, 4)).to.deep.equal(['Riesgo alto: podría ser grave', 'Actual']);
    });

    it('shows immunizations with the date given and status, without entries made in error', async () => {
      const $ = await page('parent', `/patients/${teenId}/immunizations`);
      expect($('h1').text()).to.equal('Immunizations');
      const rows = rowsOf($, '#immunizations');
      expect(rows).to.have.length(1);
      expect(rows[0]![0]).to.equal('SHOWNVACCINE');
      expect(rows[0]![2]).to.equal('Given');
      expect($('main').text()).not.to.include('HELDERRORVACCINE');
    });

    it('say that nothing is recorded when the record has none', async () => {
      const medications = await page('parent', `/patients/${childId}/medications`);
      expect(medications('main').text()).to.include('No current medicines are recorded.').and.include('No past medicines are recorded.');
      expect(medications('table')).to.have.length(0);
      const allergies = await page('parent', `/patients/${childId}/allergies`);
      expect(allergies('main').text()).to.include('No allergies are recorded.');
      const immunizations = await page('parent', `/patients/${childId}/immunizations`, 'es');
      expect(immunizations('main').text()).to.include('No hay vacunas registradas.');
      const reports = await page('parent', `/patients/${childId}/reports`);
      expect(reports('main').text()).to.include('No imaging or other reports are recorded.');
    });
  });

  describe('care team and insurance', () => {
    it('shows the PCP with the practice’s address, phone and fax, how to correct it, and the care team with roles and phones', async () => {
      const $ = await page('parent', `/patients/${teenId}/care-team`);
      expect($('h1').text()).to.equal('Care team and PCP');
      const details = $('.summary-list__row').map((_i, row) => `${$(row).find('dt').text()}: ${$(row).find('dd').text()}`).get();
      expect(details).to.deep.equal(['PCP: Ada Okafor, MD', 'Practice: Harbor Pediatrics', 'Address: 1 Main Street, Boston, MA 02115', 'Phone: 555 010 4000', 'Fax: 555 010 4001']);
      expect($('main').text()).to.include('as the hospital has it on record').and.include('To correct your PCP, contact the PCP’s office');
      expect(rowsOf($, '#care-team')).to.deep.equal([['Ada Okafor, MD', 'Primary care provider', '555 010 5000']]);
      expect($('main form[method="post"]')).to.have.length(0);
    });

    it('says the care-team roles the record codes in English in Spanish, and a role it does not know as the record has it', async () => {
      const spanish = await page('parent', `/patients/${teenId}/care-team`, 'es');
      expect(rowsOf(spanish, '#care-team')).to.deep.equal([['Ada Okafor, MD', 'Proveedor de atención primaria', '555 010 5000']]);
      const summary = await page('parent', `/patients/${teenId}/record`, 'es');
      expect(summary('main').text()).to.include('Ada Okafor, MD: Proveedor de atención primaria').and.not.include('Primary care provider');
      const member = await db()('care_team_members as m').join('care_teams as t', 't.id', 'm.care_team_id').where('t.patient_id', teenId).first('m.id');
      for (const [role, english, spanishWord] of [['Specialist', 'Specialist', 'Especialista'], ['Pediatric sleep medicine', 'Pediatric sleep medicine', 'Pediatric sleep medicine']]) {
        await db()('care_team_members').where({ id: member.id }).update({ role });
        expect(rowsOf(await page('parent', `/patients/${teenId}/care-team`), '#care-team')[0]![1]).to.equal(english);
        expect(rowsOf(await page('parent', `/patients/${teenId}/care-team`, 'es'), '#care-team')[0]![1]).to.equal(spanishWord);
      }
      await db()('care_team_members').where({ id: member.id }).update({ role: 'Primary care provider' });
    });

    it('shows the insurance on file, read-only, and how to update it by phone', async () => {
      const $ = await page('teen', `/patients/${teenId}/insurance`);
      expect($('h1').text()).to.equal('Insurance');
      expect($('main h2').first().text()).to.equal('SHOWNPAYER');
      const details = $('.summary-list__row').map((_i, row) => `${$(row).find('dt').text()}: ${$(row).find('dd').text()}`).get();
      expect(details).to.deep.equal([
        'Insurance company: SHOWNPAYER',
        'Plan: Family Plan',
        'Member ID: M123456789',
        'Group number: G12345',
        'Patient’s relationship to the policyholder: Child of the policyholder',
        'Coverage period: From January 1, 2026',
        'Status: Active',
      ]);
      expect($('main').text()).to.include(`To update insurance, call billing and registration at ${subject.config.hospital.mainPhone}.`).and.not.include('HELDERRORPAYER');
      expect($('main form[method="post"]')).to.have.length(0);
    });

    it('say that nothing is recorded for a patient without a PCP, care team or insurance, and still say how to correct them', async () => {
      const careTeam = await page('parent', `/patients/${childId}/care-team`);
      expect(careTeam('main').text()).to.include('No primary care provider (PCP) is recorded.').and.include('No care team members are recorded.').and.include('contact the PCP’s office');
      const insurance = await page('parent', `/patients/${childId}/insurance`, 'es');
      expect(insurance('h1').text()).to.equal('Seguro médico');
      expect(insurance('main').text()).to.include('No hay seguro médico registrado.').and.include(`llame a facturación y admisión al ${subject.config.hospital.mainPhone}`);
    });
  });

  describe('every page', () => {
    it('answers 404 for another family’s patient and audits the refusal; audits each page opened', async () => {
      const parent = agents['parent-en']!;
      for (const name of PAGES) {
        const response = await parent.get(`/patients/${otherPatientId}/${name}`);
        expect(response.status, name).to.equal(404);
        expect(response.text).not.to.include('Strand');
        expect(await auditRows(accounts.parent!.id, `view-${name}`), name).to.deep.include({ subject_id: otherPatientId, outcome: 'refused' });
        expect((await parent.get(`/patients/${teenId}/${name}`)).status, name).to.equal(200);
        expect(await auditRows(accounts.parent!.id, `view-${name}`), name).to.deep.include({ subject_id: teenId, outcome: 'allowed' });
      }
    });

    it('marks its own entry in the record navigation and names the patient for print', async () => {
      for (const name of PAGES) {
        const $ = await page('parent', `/patients/${teenId}/${name}`);
        expect($('.record-nav a[aria-current="page"]').attr('href'), name).to.equal(`/patients/${teenId}/${name}`);
        expect($('.print-header').text(), name).to.include('Noa Berg');
      }
    });
  });
});
