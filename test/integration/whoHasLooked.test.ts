// "Who has looked at this record": every allowed view of this patient's record by a family member
// or a provider, newest first, 25 a page, with name, role, practice, time (hospital zone) and the
// part of the record; never another patient's views, refused attempts, staff views or addresses.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { createAccount, signIn, signInReading } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { formatDate } from '../../views/formatting.ts';
import { linkProvider, providerAccount } from '../support/provider.ts';
import { addCareTeam, addPractice } from '../support/record.ts';
import { openPatientForProvider } from '../../services/myPatients/providerAccess.ts';

const DAY = 86_400_000;

async function named(db: Knex, account: { id: number }, name: string): Promise<void> {
  await db('accounts').where('id', account.id).update({ name });
}

function providerView(db: Knex, providerId: number, patientId: number, action: string, occurredAt: Date) {
  return db('audit_events').insert({ actor_type: 'provider', actor_id: providerId, action, subject_type: 'patient', subject_id: patientId, outcome: 'allowed', ip: '203.0.113.9', occurred_at: occurredAt });
}

type Row = { who: string; role: string; practice: string; when: string; what: string };

function rowsOf(html: string): Row[] {
  const $ = cheerio.load(html);
  return $('#record-views tbody tr')
    .map((_i, row) => {
      const cells = $(row).children('th, td').map((_j, cell) => $(cell).text().trim()).get();
      return { who: cells[0]!, role: cells[1]!, practice: cells[2]!, when: cells[3]!, what: cells[4]! };
    })
    .get();
}

describe('who has looked at a record', function () {
  this.timeout(120000);
  let subject: TestApp;
  let db: Knex;
  let patientId: number;
  let otherPatientId: number;
  let providerViewAt: Date;
  const agents: Record<string, Agent> = {};

  before(async () => {
    subject = await buildTestApp();
    db = subject.database.db;
    const patient = await createPatient(db, { birthDate: bornYearsAgo(10), givenNames: 'Lucía', familyName: 'Ortega' });
    const other = await createPatient(db, { birthDate: bornYearsAgo(7), givenNames: 'Mateo', familyName: 'Ortega' });
    patientId = patient.id;
    otherPatientId = other.id;
    const parent = await familyAccount(db, 'parent');
    const guardian = await familyAccount(db, 'guardian');
    const stranger = await familyAccount(db, 'stranger');
    const otherCarer = await familyAccount(db, 'other-carer');
    await named(db, parent, 'María Ortega');
    await named(db, guardian, 'Jon Ortega');
    await named(db, stranger, 'Stella Stranger');
    await named(db, otherCarer, 'Olga Othercarer');
    await linkHolder(db, parent.id, patient.id, 'parent');
    await linkHolder(db, guardian.id, patient.id, 'legal-guardian');
    await linkHolder(db, parent.id, other.id, 'parent');
    await linkHolder(db, otherCarer.id, other.id, 'dcf-caseworker');
    const provider = await createAccount(db, { kind: 'provider', email: 'ada.okafor@example.com' });
    await named(db, { id: provider }, 'Ada Okafor');
    await linkProvider(db, provider, { practiceId: await addPractice(db, { name: 'Lakeside Pediatrics' }), familyName: 'Okafor' });
    const otherProvider = await createAccount(db, { kind: 'provider', email: 'zed.elsewhere@example.com' });
    await named(db, { id: otherProvider }, 'Zed Elsewhere');
    const staff = await createAccount(db, { kind: 'staff', email: 'sam.support@example.com', roles: ['support'] });
    await named(db, { id: staff }, 'Sam Support');

    // MyPatients does not exist yet: its views are written to the audit log directly. This one was
    // at 03:30 UTC, the evening before in Boston, so the time zone shows in the date.
    providerViewAt = new Date(Math.floor((Date.now() - 2 * DAY) / DAY) * DAY + 3.5 * 3_600_000);
    await providerView(db, provider, patientId, 'view-results', providerViewAt);
    await providerView(db, otherProvider, otherPatientId, 'view-results', new Date());
    await db('audit_events').insert({ actor_type: 'staff', actor_id: staff, action: 'view-support-patient', subject_type: 'patient', subject_id: patientId, outcome: 'allowed' });
    await db('audit_events').insert({ actor_type: 'provider', actor_id: otherProvider, action: 'view-record', subject_type: 'patient', subject_id: patientId, outcome: 'refused', reason: 'not-authorized' });
    // Reading a message is not a view of the record (and would show a parent when a teen reads theirs).
    await db('audit_events').insert({ actor_type: 'family', actor_id: parent.id, action: 'view-message-thread', subject_type: 'patient', subject_id: patientId, outcome: 'allowed' });

    for (const [who, account] of [['parent', parent], ['guardian', guardian], ['stranger', stranger], ['otherCarer', otherCarer]] as const) {
      for (const language of ['en', 'es'] as const) {
        const agent = agentIn(subject.app, language);
        expect(await signInReading(db, agent, '', account.email, language)).to.equal('/home');
        agents[`${who}-${language}`] = agent;
      }
    }
    // Views through MyChildren's, in this order.
    expect((await agents['parent-en']!.get(`/patients/${patientId}/record`)).status).to.equal(200);
    expect((await agents['guardian-en']!.get(`/patients/${patientId}/download`)).status).to.equal(200);
    expect((await agents['guardian-en']!.get(`/patients/${patientId}/download/fhir`)).status).to.equal(200);
    // Someone else's: a refused attempt, and views of the other patient.
    expect((await agents['stranger-en']!.get(`/patients/${patientId}/record`)).status).to.equal(404);
    expect((await agents['parent-en']!.get(`/patients/${otherPatientId}/record`)).status).to.equal(200);
    expect((await agents['otherCarer-en']!.get(`/patients/${otherPatientId}`)).status).to.equal(200);
  });
  after(() => subject.close());

  it('lists every view by the family and by providers, newest first, with who, role, practice, when and what', async () => {
    const response = await agents['parent-en']!.get(`/patients/${patientId}/who-has-looked`);
    expect(response.status).to.equal(200);
    const rows = rowsOf(response.text);
    expect(rows.map((row) => [row.who, row.role, row.what])).to.deep.equal([
      // Opening this page is itself a view.
      ['María Ortega', 'Parent', 'Who has looked at this record'],
      ['Jon Ortega', 'Legal guardian', 'Downloaded the record file'],
      ['Jon Ortega', 'Legal guardian', 'Download this record'],
      ['María Ortega', 'Parent', 'Summary'],
      ['Ada Okafor', 'Provider (MD)', 'Test results'],
    ]);
    // The practice of the provider's account; family members have none (a dash, read out as "not recorded").
    expect(rows[4]!.practice).to.equal('Lakeside Pediatrics');
    expect(rows[0]!.practice).to.equal('–Not recorded');
    expect(rows[4]!.when).to.equal(formatDate(providerViewAt, 'en', 'America/New_York', 'dateTime'));
    // The evening before in Boston, not the UTC date.
    expect(rows[4]!.when).not.to.include(formatDate(providerViewAt.toISOString().slice(0, 10), 'en', 'America/New_York', 'long'));
    expect(rows[4]!.when).to.match(/1[01]:30\sPM$/);
  });

  it('never shows another patient’s views, refused attempts, staff views, message reads or where anyone was', async () => {
    const response = await agents['guardian-en']!.get(`/patients/${patientId}/who-has-looked`);
    for (const name of ['Zed Elsewhere', 'Olga Othercarer', 'Stella Stranger', 'Sam Support']) expect(response.text).not.to.include(name);
    expect(response.text).not.to.include('203.0.113.9');
    expect(response.text).not.to.match(/127\.0\.0\.1|::1\b|::ffff:/);
    expect(rowsOf(response.text)).to.have.length(6);

    const other = rowsOf((await agents['parent-en']!.get(`/patients/${otherPatientId}/who-has-looked`)).text);
    expect(other.map((row) => row.who)).to.deep.equal(['María Ortega', 'Olga Othercarer', 'María Ortega', 'Zed Elsewhere']);
    expect(other.map((row) => row.role)).to.deep.equal(['Parent', 'DCF caseworker', 'Parent', 'Provider']);
    expect(other[1]!.what).to.equal('Patient overview');
  });

  it('speaks Spanish', async () => {
    const response = await agents['parent-es']!.get(`/patients/${patientId}/who-has-looked`);
    const $ = cheerio.load(response.text);
    expect($('h1').text()).to.equal('Quién ha visto esta historia clínica');
    const rows = rowsOf(response.text);
    expect(rows[0]!.role).to.equal('Padre o madre');
    expect(rows.at(-1)!.role).to.equal('Proveedor médico (MD)');
    expect(rows.at(-1)!.what).to.equal('Resultados de pruebas');
    expect(rows.at(-1)!.when).to.equal(formatDate(providerViewAt, 'es', 'America/New_York', 'dateTime'));
  });

  it('names the section of each MyPatients record page, as the provider pages audit them', async () => {
    const seen = await createPatient(db, { birthDate: bornYearsAgo(9), givenNames: 'Seen', familyName: 'Bymypatients' });
    const parent = await familyAccount(db, 'seen-parent');
    await linkHolder(db, parent.id, seen.id, 'parent');
    const doctor = await providerAccount(db, 'seen-doctor');
    await addCareTeam(db, seen.id, [{ practitionerId: doctor.practitionerId, role: 'Cardiologist' }]);
    // The page names routes/provider/patients.ts opens the record with, and what each should read as.
    const pages: [string, string][] = [
      ['provider-record-summary', 'Summary'],
      ['provider-admissions', 'Visits'],
      ['provider-visits', 'Visits'],
      ['provider-notes', 'Clinical notes'],
      ['provider-note', 'Clinical notes'],
      ['provider-medications', 'Medicines'],
      ['provider-results', 'Test results'],
      ['provider-reports', 'Imaging and other reports'],
      ['provider-report', 'Imaging and other reports'],
      ['provider-something-new', 'Health record'],
    ];
    // One after another (the page lists newest first; the audit log is append-only, so times are as written).
    for (const [page] of pages) {
      expect(await openPatientForProvider({ db, config: subject.config }, doctor.id, seen.id, page, { ip: '203.0.113.9', requestId: `req-${page}` }), page).to.not.equal(undefined);
    }
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '', parent.email)).to.equal('/home');
    const providerRows = rowsOf((await agent.get(`/patients/${seen.id}/who-has-looked`)).text).filter((row) => row.role.startsWith('Provider'));
    expect(providerRows.map((row) => row.what).reverse()).to.deep.equal(pages.map(([, what]) => what));
  });

  it('pages 25 views at a time, and a bad or too-large page number never fails', async () => {
    const busy = await createPatient(db, { birthDate: bornYearsAgo(12), givenNames: 'Busy', familyName: 'Record' });
    const parent = await familyAccount(db, 'busy-parent');
    await linkHolder(db, parent.id, busy.id, 'parent');
    const provider = await createAccount(db, { kind: 'provider', email: 'many.views@example.com' });
    const start = Date.now() - 10 * DAY;
    for (let n = 0; n < 30; n++) await providerView(db, provider, busy.id, n % 2 ? 'view-notes' : 'view-something-new', new Date(start + n * 60_000));
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '', parent.email)).to.equal('/home');

    // 30 provider views and this page's own views: 31 on the first visit.
    const first = await agent.get(`/patients/${busy.id}/who-has-looked`);
    expect(rowsOf(first.text)).to.have.length(25);
    const $ = cheerio.load(first.text);
    expect($('nav.pagination a[rel="next"]').attr('href')).to.equal(`/patients/${busy.id}/who-has-looked?page=2`);
    expect($('caption').text()).to.include('Page 1 of 2');

    const second = await agent.get(`/patients/${busy.id}/who-has-looked?page=2`);
    const rows = rowsOf(second.text);
    // 32 views now; page 2 holds the 7 oldest, the very oldest last.
    expect(rows).to.have.length(7);
    expect(rows.at(-1)!.what).to.equal('Health record');
    expect(rows.at(-2)!.what).to.equal('Clinical notes');
    expect(cheerio.load(second.text)('nav.pagination a[rel="prev"]').attr('href')).to.equal(`/patients/${busy.id}/who-has-looked`);

    for (const query of ['?page=99', '?page=abc', '?page=-1', '?page=1&page=2', '?page[x]=1']) {
      const response = await agent.get(`/patients/${busy.id}/who-has-looked${query}`);
      expect(response.status, query).to.equal(200);
      expect(rowsOf(response.text).length, query).to.be.greaterThan(0);
    }
    expect(cheerio.load((await agent.get(`/patients/${busy.id}/who-has-looked?page=99`)).text)('caption').text()).to.match(/Page 2 of 2/);
  });

  it('answers 404 to someone not linked to the patient', async () => {
    const response = await agents['stranger-en']!.get(`/patients/${patientId}/who-has-looked`);
    expect(response.status).to.equal(404);
    expect(response.text).not.to.include('María Ortega');
  });
});
