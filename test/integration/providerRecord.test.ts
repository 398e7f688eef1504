// The MyPatients record viewer end to end over HTTP: a provider on the care team of a 15-year-old
// whose record has an item for every rule (test/support/record.ts) reads every section. The teen's
// confidential care (TEEN… markers) and what the provider rules hide never appear on any page;
// what a clinician needs (hospital and emergency notes, discharge summaries, preliminary results,
// reports inside the family's release delay) does. Also: the basis sentence for each basis, the
// clinicians on each encounter, the saved-patients list (add, open, remove, hidden when access
// ends), and one audit row per page with the basis.
import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { submitForm } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { addCareTeam, addPractice, addPractitioner, fillRecordForEveryRule, RECORD_TEST_ENV, type RecordMarkers } from '../support/record.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';
import { signInOverHttp } from '../support/visitors.ts';
import { LANGUAGES } from '../support/pages.ts';
import { PROVIDER_PATIENT_PATHS, PROVIDER_RECORD_SECTIONS, providerPatientHref } from '../../routes/provider/patientPaths.ts';

/** Shown to a provider: the family's SHOWN items that the viewer has sections for, and the family-held items a clinician needs. */
const PROVIDER_SHOWN = [
  'SHOWNVISIT', 'SHOWNSTAY', 'SHOWNEMERGENCY', 'SHOWNNOTE', 'SHOWNPANEL', 'SHOWNLAB', 'SHOWNOLDLAB', 'SHOWNREPORT', 'SHOWNMEDICATION',
  'HELDINPATIENTNOTE', 'HELDEMERGENCYNOTE', 'HELDDISCHARGESUMMARY', 'HELDDELAYEDREPORT', 'HELDPRELIMINARYLAB', 'HELDPRELIMINARYREPORT',
  'CLINICIANONSTAY', '555 010 6000', 'Lakeside Cardiology', 'CLINICIANONVISIT',
];
/** Never shown to a provider: confidential (the teen's), sensitive, held departments, duplicates, drafts, errors. */
const PROVIDER_HIDDEN = [
  'HELDERRORVISIT', 'HELDPSYCHIATRYNOTE', 'HELDCONFIDENTIALVISITNOTE', 'HELDCONFIDENTIALNOTE', 'HELDUNSIGNEDNOTE', 'HELDERRORNOTE', 'HELDLABELLEDNOTE',
  'HELDCOPYNOTE', 'HELDHIVTEST', 'HELDLABELLEDLAB', 'HELDERRORLAB', 'HELDCOPYLAB', 'HELDGENETICPANEL', 'HELDGENETICRESULT', 'HELDCANCELLEDREPORT',
  'HELDSENSITIVEREPORT', 'HELDERRORMEDICATION', 'HELDLABELLEDMEDICATION', 'TEENCLINICIAN',
];

const provider = (id: number, email: string) => ({ id, email, kind: 'provider' as const, totp: true, stage: 'signed-in' as const });

async function signedInAgent(subject: TestApp, account: { id: number; email: string }, language: 'en' | 'es' = 'en'): Promise<Agent> {
  const agent = agentIn(subject.app, language);
  await signInOverHttp(agent, provider(account.id, account.email));
  return agent;
}

describe('the MyPatients record viewer', function () {
  this.timeout(120000);
  let subject: TestApp;
  let markers: RecordMarkers;
  let patientId: number;
  let specialist: TestProvider;
  /** The specialist, signed in once per language (a TOTP code is accepted only once per account). */
  const specialistAgents: Record<string, Agent> = {};
  let ids: { teenNoteId: number; heldNoteId: number; heldReportId: number; teenReportId: number; preliminaryReportId: number };
  const db = () => subject.database.db;
  const href = (section: keyof typeof PROVIDER_PATIENT_PATHS, values: Record<string, number> = {}) => providerPatientHref(PROVIDER_PATIENT_PATHS[section].path, { patientId, ...values });
  const idOf = async (table: string, column: string, marker: string) => Number((await db()(table).where(column, 'like', `%${marker}%`).first('id')).id);

  before(async () => {
    subject = await buildTestApp({ env: RECORD_TEST_ENV });
    const patient = await createPatient(db(), { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    patientId = patient.id;
    markers = await fillRecordForEveryRule(db(), patient.id);
    specialist = await providerAccount(db(), 'specialist');
    await addCareTeam(db(), patient.id, [{ practitionerId: specialist.practitionerId, role: 'Cardiologist' }]);
    // Clinicians on the stay, the clinic visit, and the teen's confidential visit, with their practice.
    const practice = await addPractice(db(), { name: 'Lakeside Cardiology', phone: '555 010 6000' });
    const onStay = await addPractitioner(db(), { familyName: 'CLINICIANONSTAY', givenNames: 'Ines', credential: 'MD', phone: '555 010 6100' });
    const onVisit = await addPractitioner(db(), { familyName: 'CLINICIANONVISIT', givenNames: 'Tom', credential: 'NP' });
    const onTeenVisit = await addPractitioner(db(), { familyName: 'TEENCLINICIAN', givenNames: 'Ada', credential: 'MD', phone: '555 010 6200' });
    await db()('practitioner_roles').insert({ source_id: `role-${onStay}`, practitioner_id: onStay, practice_id: practice, active: true });
    const encounter = (reason: string) => idOf('encounters', 'reason', reason);
    await db()('encounter_participants').insert([
      { encounter_id: await encounter('SHOWNSTAY'), practitioner_id: onStay, role: 'attending' },
      { encounter_id: await encounter('SHOWNVISIT'), practitioner_id: onVisit, role: 'primary performer' },
      { encounter_id: await encounter('TEENVISIT'), practitioner_id: onTeenVisit, role: 'attending' },
    ]);
    ids = {
      teenNoteId: await idOf('clinical_notes', 'type_display', 'HELDCONFIDENTIALVISITNOTE'),
      heldNoteId: markers.ids.heldNoteId,
      heldReportId: markers.ids.heldReportId,
      teenReportId: markers.ids.teenReportId,
      preliminaryReportId: await idOf('diagnostic_reports', 'display', 'HELDPRELIMINARYREPORT'),
    };
    specialistAgents.en = await signedInAgent(subject, specialist, 'en');
    // Another sign-in would need the next TOTP code: a second specialist on the care team reads in Spanish.
    const spanish = await providerAccount(db(), 'specialist-es');
    await addCareTeam(db(), patient.id, [{ practitionerId: spanish.practitionerId, role: 'Cardiologist' }]);
    specialistAgents.es = await signedInAgent(subject, spanish, 'es');
  });
  after(() => subject.close());

  /** Every page of the viewer for this record, and the item pages of items a provider may see. */
  const everyPage = () => [
    ...PROVIDER_RECORD_SECTIONS.map((section) => href(section)),
    href('note', { noteId: markers.ids.noteId }),
    href('note', { noteId: ids.heldNoteId }),
    href('report', { reportId: markers.ids.reportId }),
    href('report', { reportId: ids.heldReportId }),
    href('report', { reportId: ids.preliminaryReportId }),
  ];

  for (const language of LANGUAGES) {
    it(`shows what a clinician needs and never the teen’s confidential care or hidden items (${language})`, async () => {
      const agent = specialistAgents[language]!;
      const texts: string[] = [];
      for (const path of everyPage()) {
        const response = await agent.get(path);
        expect(response.status, path).to.equal(200);
        expect(response.headers['cache-control'], path).to.include('no-store');
        texts.push(response.text);
      }
      const seen = texts.join('\n');
      for (const marker of [...markers.teen, ...PROVIDER_HIDDEN]) expect(seen, marker).not.to.include(marker);
      for (const marker of PROVIDER_SHOWN) expect(seen, marker).to.include(marker);
    });
  }

  it('puts each item in its section: stays and emergencies, clinic visits, notes, results, reports, medicines', async () => {
    const agent = specialistAgents.en!;
    const text = async (section: keyof typeof PROVIDER_PATIENT_PATHS) => cheerio.load((await agent.get(href(section))).text)('main').text();
    const admissions = await text('admissions');
    expect(admissions).to.include('SHOWNSTAY').and.include('SHOWNEMERGENCY').and.include('CLINICIANONSTAY').and.include('Admitted').and.include('Discharged');
    expect(admissions).to.include('Practice: Lakeside Cardiology.').and.include('Phone: 555 010 6100.');
    expect(admissions).not.to.include('SHOWNVISIT');
    const visits = await text('visits');
    expect(visits).to.include('SHOWNVISIT').and.include('General Pediatrics').and.include('CLINICIANONVISIT');
    expect(visits).not.to.include('SHOWNSTAY');
    const notes = await text('notes');
    expect(notes).to.include('SHOWNNOTE').and.include('HELDDISCHARGESUMMARY').and.not.include('SHOWNLAB');
    const results = cheerio.load((await agent.get(href('results'))).text);
    const preliminaryRow = results('tr').filter((_i, row) => results(row).text().includes('HELDPRELIMINARYLAB'));
    expect(preliminaryRow.text(), 'a preliminary result says so').to.include('Preliminary');
    expect(results('tr').filter((_i, row) => results(row).text().includes('SHOWNLAB')).text()).to.include('Final').and.include('Low');
    const reports = await text('reports');
    expect(reports).to.include('SHOWNREPORT').and.include('HELDPRELIMINARYREPORT').and.not.include('SHOWNPANEL');
    expect(cheerio.load((await agent.get(href('report', { reportId: ids.preliminaryReportId }))).text)('main').text()).to.include('This report is preliminary');
    expect(await text('medications')).to.include('SHOWNMEDICATION');
  });

  it('answers 404 for a hidden item, another patient’s item, or a made-up id, inside a record the provider may see', async () => {
    const agent = specialistAgents.en!;
    const other = await createPatient(db(), { birthDate: bornYearsAgo(9) });
    const otherMarkers = await fillRecordForEveryRule(db(), other.id);
    for (const path of [
      href('note', { noteId: ids.teenNoteId }),
      href('report', { reportId: ids.teenReportId }),
      href('note', { noteId: otherMarkers.ids.noteId }),
      href('report', { reportId: otherMarkers.ids.reportId }),
      href('note', { noteId: 99_999_999 }),
      `/provider/patients/${patientId}/notes/abc`,
      '/provider/patients/abc',
    ]) {
      expect((await agent.get(path)).status, path).to.equal(404);
    }
  });

  it('says on top why the provider may see the record, for each basis', async () => {
    const parent = await familyAccount(db(), 'parent');
    await linkHolder(db(), parent.id, patientId, 'parent');
    const pcp = await providerAccount(db(), 'pcp');
    const colleague = await providerAccount(db(), 'colleague', { practiceId: pcp.practiceId });
    await db()('patients').where({ id: patientId }).update({ pcp_practitioner_id: pcp.practitionerId, pcp_practice_id: null });
    const granted = await providerAccount(db(), 'granted');
    await db()('provider_access_grants').insert({ patient_id: patientId, provider_account_id: granted.id, via: 'approved-request', granted_by_account_id: parent.id, granted_at: new Date() });
    const tokenHolder = await providerAccount(db(), 'token');
    await db()('invitation_tokens').insert({
      token_hash: createHash('sha256').update(`basis-${patientId}`).digest('hex'), patient_id: patientId, issued_by_account_id: parent.id,
      invited_name: 'Dr Ren', invited_email: 'ren@example.com', issued_at: new Date(), used_at: new Date(), validated_by_account_id: tokenHolder.id,
    });
    const expected: [TestProvider, string, string][] = [
      [pcp, 'pcp', 'because you are the patient\'s primary care provider (PCP)'],
      [colleague, 'pcp-practice', 'because you are in the practice of the patient\'s primary care provider'],
      [specialist, 'care-team', 'because you are on the patient\'s care team'],
      [granted, 'granted', 'because the patient\'s family shared it with you'],
      [tokenHolder, 'token', 'because you validated an invitation from the patient\'s family'],
    ];
    for (const [account, basis, sentence] of expected) {
      const agent = account === specialist ? specialistAgents.en! : await signedInAgent(subject, account);
      for (const section of ['summary', 'notes'] as const) {
        const $ = cheerio.load((await agent.get(href(section))).text);
        expect($('.access-basis').attr('data-basis'), `${basis} on ${section}`).to.equal(basis);
        expect($('.access-basis').text(), basis).to.include(sentence);
      }
    }
  });

  it('writes one audit row per page viewed, with the basis', async () => {
    const reader = await providerAccount(db(), 'reader');
    await addCareTeam(db(), patientId, [{ practitionerId: reader.practitionerId, role: 'Nephrologist' }]);
    const agent = await signedInAgent(subject, reader);
    const pages = everyPage();
    for (const path of pages) expect((await agent.get(path)).status, path).to.equal(200);
    const rows = await db()('audit_events').where({ actor_id: reader.id, actor_type: 'provider', subject_type: 'patient' }).orderBy('id');
    expect(rows.map((row) => row.action)).to.deep.equal([
      'view-provider-record-summary', 'view-provider-admissions', 'view-provider-visits', 'view-provider-notes', 'view-provider-medications', 'view-provider-results',
      'view-provider-reports', 'view-provider-note', 'view-provider-note', 'view-provider-report', 'view-provider-report', 'view-provider-report',
    ]);
    for (const row of rows) {
      // A note's or report's row is written once it has been found, and names it.
      const item = /^view-provider-(note|report)$/.exec(row.action)?.[1];
      expect([Number(row.subject_id), row.outcome], row.action).to.deep.equal([patientId, 'allowed']);
      expect(row.reason, row.action).to.match(item ? new RegExp(`^basis care-team; ${item} \\d+$`) : /^basis care-team$/);
    }
    // One that is held is refused by name, not "allowed" before anyone looked.
    expect((await agent.get(href('note', { noteId: ids.teenNoteId }))).status).to.equal(404);
    const held = await db()('audit_events').where({ actor_id: reader.id }).orderBy('id', 'desc').first();
    expect([held.action, held.outcome, held.reason]).to.deep.equal(['view-provider-note', 'refused', `note ${ids.teenNoteId} not shown`]);
  });

  it('saves a patient from the record, lists and opens them, removes them from the list; every change audited', async () => {
    const keeper = await providerAccount(db(), 'keeper');
    await addCareTeam(db(), patientId, [{ practitionerId: keeper.practitionerId, role: 'Neurologist' }]);
    const agent = await signedInAgent(subject, keeper);
    const empty = cheerio.load((await agent.get('/provider/patients')).text);
    expect(empty('main').text()).to.include('You have not saved any patients yet');
    expect(empty('main a[href="/provider/search"]').text()).to.equal('Find a patient');

    const saved = await submitForm(agent, href('summary'), {});
    expect([saved.status, saved.headers.location]).to.deep.equal([303, href('summary')]);
    const summary = cheerio.load((await agent.get(href('summary'))).text);
    expect(summary('[role="status"]').text()).to.include('The patient was added to your patients.');
    expect(summary('form.save-patient').attr('action')).to.equal(href('remove'));
    expect(summary('form.save-patient button').text()).to.include('Remove from my patients');

    const list = cheerio.load((await agent.get('/provider/patients')).text);
    const link = list('#saved-patients tbody th a');
    expect([link.text(), link.attr('href')]).to.deep.equal(['Berg, Noa', href('summary')]);
    expect((await agent.get(link.attr('href')!)).status).to.equal(200);

    const removed = await submitForm(agent, '/provider/patients', {});
    expect([removed.status, removed.headers.location]).to.deep.equal([303, '/provider/patients']);
    const after = cheerio.load((await agent.get('/provider/patients')).text);
    expect(after('[role="status"]').text()).to.include('The patient was removed from your patients.');
    expect(after('#saved-patients').length).to.equal(0);

    const changes = await db()('audit_events').where({ actor_id: keeper.id }).whereIn('action', ['save-patient', 'remove-saved-patient']).orderBy('id');
    expect(changes.map((row) => [row.action, Number(row.subject_id), row.outcome, row.reason])).to.deep.equal([
      ['save-patient', patientId, 'allowed', 'basis care-team'],
      ['remove-saved-patient', patientId, 'success', 'removed'],
    ]);
    expect(await db()('saved_patients').where({ provider_account_id: keeper.id })).to.have.length(0);
  });

  it('does not list a saved patient once access ends, and says how many are hidden', async () => {
    const parent = await familyAccount(db(), 'granting-parent');
    const other = await createPatient(db(), { birthDate: bornYearsAgo(7), givenNames: 'Ivo', familyName: 'Lund' });
    await linkHolder(db(), parent.id, other.id, 'parent');
    const guest = await providerAccount(db(), 'guest');
    const [grant] = await db()('provider_access_grants').insert({ patient_id: other.id, provider_account_id: guest.id, via: 'invitation', granted_by_account_id: parent.id, granted_at: new Date() }).returning('id');
    const agent = await signedInAgent(subject, guest);
    expect((await submitForm(agent, providerPatientHref(PROVIDER_PATIENT_PATHS.summary.path, { patientId: other.id }), {})).status).to.equal(303);
    expect(cheerio.load((await agent.get('/provider/patients')).text)('#saved-patients tbody tr').length).to.equal(1);

    await db()('provider_access_grants').where({ id: grant.id }).update({ revoked_at: new Date(), revoked_by_account_id: parent.id });
    const $ = cheerio.load((await agent.get('/provider/patients')).text);
    expect($('#saved-patients').length).to.equal(0);
    expect($('main').text()).to.include('1 saved patient(s) are not listed because your access to their record has ended.').and.not.include('Lund');
    const listed = await db()('audit_events').where({ actor_id: guest.id, action: 'view-saved-patients' }).orderBy('id').pluck('reason');
    expect(listed).to.deep.equal(['listed 1, hidden 0', 'listed 0, hidden 1']);
  });

  it('removes a saved patient whose access ended, one by one or all the hidden ones at once, answering the same whether saved or not', async () => {
    const parent = await familyAccount(db(), 'granting-parent');
    const guest = await providerAccount(db(), 'guest');
    const patients = [];
    for (const name of ['Lund', 'Moe', 'Nyberg']) {
      const patient = await createPatient(db(), { birthDate: bornYearsAgo(7), givenNames: 'Ivo', familyName: name });
      await linkHolder(db(), parent.id, patient.id, 'parent');
      await db()('saved_patients').insert({ provider_account_id: guest.id, patient_id: patient.id, saved_at: new Date() });
      patients.push(patient);
    }
    const [lund, moe, nyberg] = patients as [TestPatient, TestPatient, TestPatient];
    // Nyberg stays visible (the guest is on the care team); the guest may not see Lund or Moe.
    await addCareTeam(db(), nyberg.id, [{ practitionerId: guest.practitionerId, role: 'Neurologist' }]);
    const stranger = await createPatient(db(), { birthDate: bornYearsAgo(9), givenNames: 'Ada', familyName: 'Stranger' });
    const agent = await signedInAgent(subject, guest);
    const list = cheerio.load((await agent.get('/provider/patients')).text);
    expect(list('main').text()).to.include('2 saved patient(s) are not listed');
    expect(list('form[action="/provider/patients/remove-hidden"] button').text()).to.equal('Remove the ones you can no longer see');

    // One by one, without access: the same answer for a saved patient, one never saved, and one that does not exist.
    const csrf = csrfTokenIn(list.html());
    const remove = (patientId: number) => agent.post(providerPatientHref(PROVIDER_PATIENT_PATHS.remove.path, { patientId })).type('form').send({ _csrf: csrf, returnTo: 'list' });
    const answers = [await remove(lund.id), await remove(stranger.id), await remove(987654321)];
    for (const answer of answers) expect([answer.status, answer.headers.location, answer.text]).to.deep.equal([answers[0]!.status, '/provider/patients', answers[0]!.text]);
    expect(answers[0]!.status).to.equal(303);
    expect(await db()('saved_patients').where({ provider_account_id: guest.id }).orderBy('patient_id').pluck('patient_id')).to.deep.equal([moe.id, nyberg.id].sort((a, b) => a - b));

    const removedAll = await submitForm(agent, '/provider/patients', {});
    expect([removedAll.status, removedAll.headers.location]).to.deep.equal([303, '/provider/patients']);
    const after = cheerio.load((await agent.get('/provider/patients')).text);
    expect(after('[role="status"]').text()).to.include('The saved patients you can no longer see were removed.');
    expect(after('main').text()).not.to.include('not listed');
    expect(after('#saved-patients tbody tr').length, 'the visible one stays').to.equal(1);
    expect(await db()('saved_patients').where({ provider_account_id: guest.id }).pluck('patient_id')).to.deep.equal([nyberg.id]);

    const audit = await db()('audit_events').where({ actor_id: guest.id, action: 'remove-saved-patient' }).orderBy('id');
    expect(audit.map((row) => [Number(row.subject_id), row.outcome, row.reason])).to.deep.equal([
      [lund.id, 'success', 'removed'],
      [stranger.id, 'success', 'not saved'],
      [987654321, 'success', 'not saved'],
      [moe.id, 'success', 'removed: no access now'],
    ]);
  });

  it('prints the patient’s name, birth date and MRN on the record pages, and links home to the new pages', async () => {
    const agent = specialistAgents.en!;
    const $ = cheerio.load((await agent.get(href('results'))).text);
    const mrn = (await db()('patients').where({ id: patientId }).first('mrn')).mrn;
    expect($('main > .print-header').text()).to.match(new RegExp(`^Record of Noa Berg, born .+, MRN ${mrn}\\. MyPatients, printed .+\\.$`));
    const home = cheerio.load((await agent.get('/provider/home')).text);
    expect(home('main a').map((_i, a) => home(a).attr('href')).get()).to.include.members(['/provider/patients', '/provider/search', '/provider/tokens']);
  });
});
