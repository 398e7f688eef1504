// The visits, clinical notes and test results pages over HTTP: filters, paging (bad values fall
// back to defaults, a page past the end shows the last page), the htmx fragment versus the full
// page, 404s for anything the viewer may not see, and the audit row of each view.
import * as cheerio from 'cheerio';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { signIn, signInReading } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { addLabResult, fillLongRecord, fillRecordForEveryRule, RECORD_TEST_ENV, type LongRecord, type RecordMarkers } from '../support/record.ts';

const markersIn = (html: string, pattern: RegExp) => [...new Set(html.match(pattern) ?? [])];

describe('record lists: visits, clinical notes and test results', function () {
  this.timeout(60000);
  let subject: TestApp;
  let parent: Agent;
  let parentId: number;
  let childId: number;
  let teenId: number;
  let strangerChildId: number;
  let long: LongRecord;
  let teenRecord: RecordMarkers;
  let strangerRecord: LongRecord;

  before(async () => {
    subject = await buildTestApp({ env: RECORD_TEST_ENV });
    const { db } = subject.database;
    const account = await familyAccount(db, 'parent');
    parentId = account.id;
    const child = await createPatient(db, { birthDate: bornYearsAgo(8), givenNames: 'Lucía', familyName: 'Ortega' });
    childId = child.id;
    await linkHolder(db, account.id, child.id, 'parent');
    long = await fillLongRecord(db, child.id);
    // A teen of the same parent, with their own account: their confidential items are theirs.
    const teen = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Ortega' });
    teenId = teen.id;
    await linkHolder(db, account.id, teen.id, 'parent');
    await linkHolder(db, (await familyAccount(db, 'teen')).id, teen.id, 'self');
    teenRecord = await fillRecordForEveryRule(db, teen.id);
    // Another family's child.
    const stranger = await createPatient(db, { birthDate: bornYearsAgo(6), givenNames: 'Emma', familyName: 'Lind' });
    strangerChildId = stranger.id;
    await linkHolder(db, (await familyAccount(db, 'stranger')).id, stranger.id, 'parent');
    strangerRecord = await fillLongRecord(db, stranger.id);
    parent = agentIn(subject.app, 'en');
    expect(await signIn(parent, '', account.email)).to.equal('/home');
  });
  after(() => subject.close());

  const get = (path: string) => parent.get(path);
  const fragment = (path: string) => parent.get(path).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
  const auditActions = async () => subject.database.db('audit_events').where({ actor_id: parentId }).orderBy('id').pluck('action');

  describe('visits', () => {
    const visits = () => `/patients/${childId}/visits`;

    it('lists every upcoming visit soonest first and the newest 20 past visits, with how, who and whether cancelled', async () => {
      const response = await get(visits());
      expect(response.status).to.equal(200);
      const $ = cheerio.load(response.text);
      expect(markersIn($('#upcoming-visits tbody').text(), /LONGSOON\d/g)).to.deep.equal(['LONGSOON1', 'LONGSOON2', 'LONGSOON3']);
      expect(markersIn($('#past-visits tbody').text(), /LONGVISIT\d\d/g)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `LONGVISIT${String(i + 1).padStart(2, '0')}`));
      expect($('.list-count').text()).to.equal('Upcoming visits: 3. Past visits: 1 to 20 of 45.');
      const soon2 = $('#upcoming-visits tr').filter((_i, row) => $(row).text().includes('LONGSOON2')).text();
      expect(soon2).to.include('Video visit');
      const soon3 = $('#upcoming-visits tr').filter((_i, row) => $(row).text().includes('LONGSOON3')).text();
      expect(soon3).to.include('Cancelled');
      expect($('#upcoming-visits tr').filter((_i, row) => $(row).text().includes('LONGSOON1')).text()).to.include('In person').and.not.include('Cancelled');
      expect($('#past-visits tr').filter((_i, row) => $(row).text().includes('LONGVISIT03')).text()).to.include('Cancelled');
      expect($('.pagination a[rel="next"]').attr('href')).to.equal(`${visits()}?page=2`);
    });

    it('pages the past visits, and a page past the end or a page that is no number falls back', async () => {
      const last = cheerio.load((await get(`${visits()}?page=3`)).text);
      expect(markersIn(last('#past-visits tbody').text(), /LONGVISIT\d\d/g)).to.deep.equal(['LONGVISIT41', 'LONGVISIT42', 'LONGVISIT43', 'LONGVISIT44', 'LONGVISIT45']);
      const beyond = await get(`${visits()}?page=99`);
      expect(beyond.status).to.equal(200);
      expect(cheerio.load(beyond.text)('.pagination a[aria-current="page"]').text()).to.equal('3');
      for (const bad of ['page=abc', 'page=-2', 'page=0', 'page=1.5', 'page=1e400', 'page=2&page=3', 'when=never', 'when[x]=1', 'page=%ZZ']) {
        const response = await get(`${visits()}?${bad}`);
        expect(response.status, bad).to.equal(200);
        expect(cheerio.load(response.text)('.list-count').text(), bad).to.equal('Upcoming visits: 3. Past visits: 1 to 20 of 45.');
      }
    });

    it('filters upcoming or past visits, keeping the filter in the page links', async () => {
      const upcoming = cheerio.load((await get(`${visits()}?when=upcoming`)).text);
      expect(upcoming('#upcoming-heading').length).to.equal(1);
      expect(upcoming('#past-heading').length).to.equal(0);
      expect(upcoming('input[name="when"][value="upcoming"]').attr('checked')).to.not.equal(undefined);
      const past = cheerio.load((await get(`${visits()}?when=past&page=2`)).text);
      expect(past('#upcoming-heading').length).to.equal(0);
      expect(markersIn(past('#past-visits tbody').text(), /LONGVISIT\d\d/g)[0]).to.equal('LONGVISIT21');
      expect(past('.pagination a[rel="next"]').attr('href')).to.equal(`${visits()}?when=past&page=3`);
      expect(past('.pagination a[rel="next"]').attr('data-hx-get')).to.equal(`${visits()}?when=past&page=3`);
      expect(past('.pagination a[rel="prev"]').attr('href')).to.equal(`${visits()}?when=past`);
    });

    it('answers htmx with the list region only, and says the answer varies with the htmx headers', async () => {
      const page = await get(`${visits()}?page=2`);
      expect(page.headers.vary).to.include('HX-Request').and.include('HX-Request-Type');
      expect(page.text).to.include('<html');
      const part = await fragment(`${visits()}?page=2`);
      expect(part.status).to.equal(200);
      expect(part.headers.vary).to.include('HX-Request').and.include('HX-Request-Type');
      expect(part.text).not.to.include('<html').and.not.to.include('<form').and.not.to.include('record-nav');
      const $ = cheerio.load(part.text);
      expect($('.list-count').text()).to.equal('Upcoming visits: 3. Past visits: 21 to 40 of 45.');
      // The region of the full page is the same template.
      expect(cheerio.load(page.text)('#visit-list').html()!.trim()).to.equal(cheerio.load(part.text, null, false).html().trim());
      // A history restore (htmx targets the body) gets the whole page.
      const restore = await parent.get(`${visits()}?page=2`).set('HX-Request', 'true').set('HX-Request-Type', 'full');
      expect(restore.text).to.include('<html');
    });

    it('writes an audit row for each view, fragments included', async () => {
      const before = (await auditActions()).filter((action) => action === 'view-visits').length;
      await get(visits());
      await fragment(visits());
      expect((await auditActions()).filter((action) => action === 'view-visits').length).to.equal(before + 2);
    });

    it('answers 404 for another family’s patient', async () => {
      expect((await get(`/patients/${strangerChildId}/visits`)).status).to.equal(404);
      expect((await fragment(`/patients/${strangerChildId}/visits`)).status).to.equal(404);
    });
  });

  describe('clinical notes', () => {
    const notes = () => `/patients/${childId}/notes`;

    it('lists notes newest first, 20 a page, each linking to its text', async () => {
      const $ = cheerio.load((await get(notes())).text);
      expect(markersIn($('#notes tbody').text(), /LONGNOTE\d\d/g)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `LONGNOTE${String(i + 1).padStart(2, '0')}`));
      expect($('#notes thead').text()).to.include('Department').and.include('Written by').and.include('Signed');
      expect($('#notes tbody tr').first().find('a').attr('href')).to.equal(`${notes()}/${long.ids.firstNoteId}`);
      const second = cheerio.load((await get(`${notes()}?page=2`)).text);
      expect(markersIn(second('#notes tbody').text(), /LONGNOTE\d\d/g)).to.have.length(5);
      expect(cheerio.load((await get(`${notes()}?page=banana`)).text)('.list-count').text()).to.include('1 to 20 of 25');
      expect(cheerio.load((await get(`${notes()}?page=40`)).text)('.list-count').text()).to.include('21 to 25 of 25');
    });

    it('shows a note’s text as plain text with its line breaks', async () => {
      const response = await get(`${notes()}/${long.ids.firstNoteId}`);
      expect(response.status).to.equal(200);
      const text = cheerio.load(response.text)('.note-text');
      expect(text.text()).to.equal('First line LONGNOTETEXT.\nSecond line <b>not bold</b> & more.\n\nAfter a blank line.');
      expect(text.find('b').length).to.equal(0);
      expect(cheerio.load(response.text)('h1').text()).to.equal('Progress note LONGNOTE01');
    });

    it('answers 404, never 403, for a held note, another patient’s note and a made-up id', async () => {
      const addresses = [
        `/patients/${teenId}/notes/${teenRecord.ids.heldNoteId}`,
        `/patients/${childId}/notes/${teenRecord.ids.noteId}`,
        `/patients/${childId}/notes/${strangerRecord.ids.firstNoteId}`,
        `/patients/${strangerChildId}/notes/${strangerRecord.ids.firstNoteId}`,
        `/patients/${childId}/notes/999999999`,
        `/patients/${childId}/notes/abc`,
      ];
      const notFound = await get('/no-such-page');
      for (const address of addresses) {
        const response = await get(address);
        expect(response.status, address).to.equal(404);
        expect(cheerio.load(response.text)('h1').text(), address).to.equal(cheerio.load(notFound.text)('h1').text());
      }
      expect((await get(`/patients/${teenId}/notes/${teenRecord.ids.noteId}`)).status).to.equal(200);
    });

    it('writes view-notes and view-note audit rows', async () => {
      await get(notes());
      await get(`${notes()}/${long.ids.firstNoteId}`);
      const actions = await auditActions();
      expect(actions.slice(-2)).to.deep.equal(['view-notes', 'view-note']);
    });
  });

  describe('test results', () => {
    const results = () => `/patients/${childId}/results`;
    // The fixture's names carry the panel's marker; the page shows them under "full names".
    const panelsIn = (html: string) => markersIn(cheerio.load(html)('.full-names').text(), /LONGPANEL\d\d/g);
    const number = (n: number) => `LONGPANEL${String(n).padStart(2, '0')}`;

    it('lists panels newest first, 10 a page, with value, range and the flag in words', async () => {
      const response = await get(results());
      expect(panelsIn(response.text)).to.deep.equal(Array.from({ length: 10 }, (_, i) => number(i + 1)));
      const $ = cheerio.load(response.text);
      expect($('.list-count').text()).to.equal('Groups of results 1 to 10 of 25, newest first.');
      const white = $('table.lab-panel').first().find('tr').filter((_i, row) => $(row).text().includes('White blood cells')).text();
      expect(white).to.include('17.2').and.include('4.5–13.5').and.include('High');
      expect(panelsIn((await get(`${results()}?page=3`)).text)).to.deep.equal([21, 22, 23, 24, 25].map(number));
      expect(panelsIn((await get(`${results()}?page=300`)).text)).to.deep.equal([21, 22, 23, 24, 25].map(number));
    });

    it('names each test and panel in plain words, keeps the full names a click away, and writes units as people read them', async () => {
      const { db } = subject.database;
      const firstPanel = Number((await db('lab_observations').where({ id: long.ids.firstHemoglobinId }).first('report_id')).report_id);
      // As a hospital's system sends them: LOINC long names and UCUM units.
      await db('diagnostic_reports').where({ id: firstPanel }).update({ display: 'CBC panel - Blood by Automated count' });
      await db('lab_observations').where({ report_id: firstPanel, code: '6690-2' }).update({ display: 'Leukocytes [#/volume] in Blood by Automated count' });
      try {
        for (const [language, panel, whiteCells, hemoglobin, fullNames] of [
          ['en', 'Complete blood count (CBC)', 'White blood cells', 'Hemoglobin', 'Full names of these tests'],
          ['es', 'Hemograma completo', 'Glóbulos blancos', 'Hemoglobina', 'Nombres completos de estas pruebas'],
        ] as const) {
          const agent = language === 'en' ? parent : agentIn(subject.app, 'es');
          if (language === 'es') await signInReading(db, agent, '', (await db('accounts').where({ id: parentId }).first('email')).email, 'es');
          const $ = cheerio.load((await agent.get(results())).text);
          const table = $('table.lab-panel').first();
          expect(table.find('caption').text(), language).to.match(new RegExp(`^${panel.replace(/[()]/g, '\\$&')}, `));
          const rows = table.find('tbody tr').map((_i, row) => [[$(row).find('th').text().replace($(row).find('th .visually-hidden').text(), ''), $(row).find('td').first().text()]]).get() as [string, string][];
          expect(rows, language).to.deep.equal([[hemoglobin, '12.1 g/dL'], [whiteCells, '17.2 ×10³/µL']]);
          expect(table.text()).not.to.include('[#/volume]').and.not.to.include('10*3');
          // One click away: a disclosure after the table names every test as the lab does.
          const details = table.closest('.table-scroll').next('details.full-names');
          expect(details.find('summary').text(), language).to.equal(`${fullNames}: ${panel}`);
          const pairs = details.find('dt').map((_i, dt) => `${$(dt).text()} = ${$(dt).next('dd').text()}`).get();
          expect(pairs, language).to.deep.equal([
            `${panel} = CBC panel - Blood by Automated count`,
            `${hemoglobin} = Hemoglobin LONGPANEL01`,
            `${whiteCells} = Leukocytes [#/volume] in Blood by Automated count`,
          ]);
        }
      } finally {
        await db('diagnostic_reports').where({ id: firstPanel }).update({ display: 'Blood count LONGPANEL01' });
        await db('lab_observations').where({ report_id: firstPanel, code: '6690-2' }).update({ display: 'White cells LONGPANEL01' });
      }
    });

    it('filters by period, measured back from now by the date the sample was taken', async () => {
      expect(panelsIn((await get(`${results()}?period=3m`)).text)).to.deep.equal([1, 2].map(number));
      expect(panelsIn((await get(`${results()}?period=1y`)).text)).to.deep.equal([1, 2, 3, 4, 5].map(number));
      const fiveYears = cheerio.load((await get(`${results()}?period=5y&page=3`)).text);
      expect(fiveYears('.list-count').text()).to.equal('Groups of results 21 to 23 of 23, newest first.');
      expect(fiveYears('select[name="period"] option[selected]').attr('value')).to.equal('5y');
    });

    it('shows only out-of-range results with "flagged", and keeps both filters in the page links', async () => {
      const flagged = await get(`${results()}?flagged=1`);
      expect(panelsIn(flagged.text)).to.deep.equal([1, 4, 7, 10, 13, 16, 19, 22, 25].map(number));
      const $ = cheerio.load(flagged.text);
      expect($('#result-list tbody').text()).not.to.include('Hemoglobin');
      expect($('#result-list tbody tr')).to.have.length(9);
      expect($('input[name="flagged"]').attr('checked')).to.not.equal(undefined);
      expect(panelsIn((await get(`${results()}?period=1y&flagged=1`)).text)).to.deep.equal([1, 4].map(number));
      const paged = cheerio.load((await get(`${results()}?period=5y&flagged=1`)).text);
      expect(paged('.pagination').length).to.equal(0);
      const all = cheerio.load((await get(`${results()}?period=all&flagged=&page=2`)).text);
      expect(all('.pagination a[rel="next"]').attr('href')).to.equal(`${results()}?page=3`);
      const filtered = cheerio.load((await get(`${results()}?period=5y&page=2`)).text);
      expect(filtered('.pagination a[rel="prev"]').attr('href')).to.equal(`${results()}?period=5y`);
      expect(filtered('.pagination a[rel="next"]').attr('data-hx-get')).to.equal(`${results()}?period=5y&page=3`);
    });

    it('falls back to every result for filter values it does not know, never a 500', async () => {
      for (const bad of ['period=10y', 'period=', 'flagged=yes', 'flagged=1&flagged=1', 'period=3m&period=1y', 'page=-1', 'page=%ZZ']) {
        const response = await get(`${results()}?${bad}`);
        expect(response.status, bad).to.equal(200);
        expect(cheerio.load(response.text)('.list-count').text(), bad).to.equal('Groups of results 1 to 10 of 25, newest first.');
      }
    });

    it('says so when nothing matches', async () => {
      const { db } = subject.database;
      const account = await familyAccount(db, 'parent-empty');
      const patient = await createPatient(db, { birthDate: bornYearsAgo(4) });
      await linkHolder(db, account.id, patient.id, 'parent');
      const agent = agentIn(subject.app, 'en');
      await signIn(agent, '', account.email);
      expect(cheerio.load((await agent.get(`/patients/${patient.id}/results?flagged=1`)).text)('.list-count').text()).to.equal('No test results yet.');
      // With a result on record that the filters leave out, the page says to widen them instead.
      await addLabResult(db, patient.id, { marker: 'OLDINRANGE', resultedAt: new Date(Date.now() - 2 * 365 * 86_400_000), value: 13 });
      for (const filter of ['period=3m', 'flagged=1']) {
        const count = cheerio.load((await agent.get(`/patients/${patient.id}/results?${filter}`)).text)('.list-count').text();
        expect(count, filter).to.equal('No results match what you chose. Try a longer time or all results.');
      }
    });

    it('answers htmx with the list region only, with Vary', async () => {
      const part = await fragment(`${results()}?period=1y&flagged=1`);
      expect(part.status).to.equal(200);
      expect(part.headers.vary).to.include('HX-Request').and.include('HX-Request-Type');
      expect(part.text).not.to.include('<html').and.not.to.include('<form');
      expect(panelsIn(part.text)).to.deep.equal([1, 4].map(number));
      const page = await get(`${results()}?period=1y&flagged=1`);
      expect(page.headers.vary).to.include('HX-Request');
      expect(cheerio.load(page.text)('#result-list').html()!.trim()).to.equal(cheerio.load(part.text, null, false).html().trim());
    });

    it('shows every visible result of the same test, newest first, with the flag in words', async () => {
      const response = await get(`${results()}/${long.ids.firstHemoglobinId}/history`);
      expect(response.status).to.equal(200);
      const $ = cheerio.load(response.text);
      expect($('#history tbody tr')).to.have.length(25);
      // Panel n holds 12 + (n mod 3)/10: newest first reads 12.1, 12.2, 12, 12.1 …
      expect($('#history tbody tr').slice(0, 4).map((_i, row) => $(row).find('td').first().text().trim()).get()).to.deep.equal(['12.1 g/dL', '12.2 g/dL', '12 g/dL', '12.1 g/dL']);
      expect($('h1').text()).to.equal('Results over time: Hemoglobin');
      expect($('.full-name').text()).to.include('Hemoglobin LONGPANEL01');
      expect($('#history thead').text()).to.include('Date taken').and.include('Normal range');
      expect($('#history tbody tr').first().text()).to.include('In range');
    });

    it('answers 404 for a result that is held, the teen’s own, another patient’s, or made up', async () => {
      const addresses = [
        `/patients/${teenId}/results/${teenRecord.ids.teenLabId}/history`,
        `/patients/${childId}/results/${teenRecord.ids.labId}/history`,
        `/patients/${childId}/results/${strangerRecord.ids.firstHemoglobinId}/history`,
        `/patients/${strangerChildId}/results/${strangerRecord.ids.firstHemoglobinId}/history`,
        `/patients/${childId}/results/0/history`,
        `/patients/${childId}/results/x/history`,
      ];
      for (const address of addresses) expect((await get(address)).status, address).to.equal(404);
      expect((await get(`/patients/${teenId}/results/${teenRecord.ids.labId}/history`)).status).to.equal(200);
    });

    it('writes view-results and view-test-history audit rows', async () => {
      await get(results());
      await get(`${results()}/${long.ids.firstHemoglobinId}/history`);
      expect((await auditActions()).slice(-2)).to.deep.equal(['view-results', 'view-test-history']);
    });
  });
});
