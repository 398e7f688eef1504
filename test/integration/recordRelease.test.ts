// The release policy and the adolescent rules, end to end: one patient whose record has an item
// for every rule, read through every record page, every htmx fragment and the download, by the
// patient (a 15-year-old with their own account) and by a parent, in English and Spanish.
// Held items never appear to anyone; the teen's confidential items never appear to the parent;
// shown items do appear (so a page that showed nothing would fail too).
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { signIn } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { fillRecordForEveryRule, RECORD_TEST_ENV, type RecordMarkers } from '../support/record.ts';
import { LANGUAGES } from '../support/pages.ts';

/** Every record address of the patient: pages, their htmx fragments (same path, HX-Request), and the download. */
export function recordAddresses(patientId: number, ids: RecordMarkers['ids']): { path: string; fragment?: boolean }[] {
  const base = `/patients/${patientId}`;
  const pages = [
    `${base}`,
    `${base}/record`,
    `${base}/download`,
    `${base}/who-has-looked`,
    `${base}/visits`,
    `${base}/visits?when=past`,
    `${base}/visits?when=upcoming`,
    `${base}/notes`,
    `${base}/notes/${ids.noteId}`,
    `${base}/results`,
    `${base}/results?period=1y`,
    `${base}/results?flagged=1`,
    `${base}/results/${ids.labId}/history`,
    `${base}/reports`,
    `${base}/reports/${ids.reportId}`,
    `${base}/medications`,
    `${base}/allergies`,
    `${base}/immunizations`,
    `${base}/care-team`,
    `${base}/insurance`,
    `${base}/sharing`,
    `${base}/messages/new`,
  ];
  // Files, not pages: no fragment form.
  const files = [
    `${base}/download/fhir`,
  ];
  return [...pages.flatMap((path) => [{ path }, { path, fragment: true }]), ...files.map((path) => ({ path }))];
}

/** Everything a response carries that a person could read, with base64 attachments (notes in the download) decoded. */
function readableText(body: string): string {
  const decoded = [...body.matchAll(/"data"\s*:\s*"([A-Za-z0-9+/=]+)"/g)].map((match) => Buffer.from(match[1]!, 'base64').toString('utf8'));
  return [body, ...decoded].join('\n');
}

describe('what each family member sees of a record with an item for every rule', function () {
  this.timeout(120000);
  let subject: TestApp;
  let markers: RecordMarkers;
  let patientId: number;
  const agents: Record<string, Agent> = {};

  before(async () => {
    subject = await buildTestApp({ env: RECORD_TEST_ENV });
    const { db } = subject.database;
    const patient = await createPatient(db, { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    patientId = patient.id;
    markers = await fillRecordForEveryRule(db, patient.id);
    const parent = await familyAccount(db, 'parent');
    const teen = await familyAccount(db, 'teen');
    await linkHolder(db, parent.id, patient.id, 'parent');
    await linkHolder(db, teen.id, patient.id, 'self');
    for (const language of LANGUAGES) {
      for (const [who, account] of [['parent', parent], ['teen', teen]] as const) {
        const agent = agentIn(subject.app, language);
        expect(await signIn(agent, '', account.email)).to.equal('/home');
        agents[`${who}-${language}`] = agent;
      }
    }
  });
  after(() => subject.close());

  async function everythingSeenBy(who: 'parent' | 'teen', language: string): Promise<string> {
    const agent = agents[`${who}-${language}`]!;
    const texts: string[] = [];
    for (const address of recordAddresses(patientId, markers.ids)) {
      const request = agent.get(address.path);
      const response = await (address.fragment ? request.set('HX-Request', 'true').set('HX-Request-Type', 'partial') : request);
      expect(response.status, `${address.path}${address.fragment ? ' (fragment)' : ''}`).to.equal(200);
      texts.push(readableText(response.text));
    }
    return texts.join('\n');
  }

  it('audits a note or report page once the item is looked up, naming it; one not shown is refused by name', async () => {
    const db = subject.database.db;
    const before = Number((await db('audit_events').max({ id: 'id' }).first())?.id ?? 0);
    const agent = agents['parent-en']!;
    const base = `/patients/${patientId}`;
    expect((await agent.get(`${base}/notes/${markers.ids.noteId}`)).status).to.equal(200);
    expect((await agent.get(`${base}/notes/${markers.ids.heldNoteId}`)).status).to.equal(404);
    expect((await agent.get(`${base}/reports/${markers.ids.teenReportId}`)).status).to.equal(404);
    expect((await agent.get(`${base}/notes/not-a-number`)).status).to.equal(404);
    const rows = await db('audit_events').where('id', '>', before).orderBy('id').select('action', 'outcome', 'reason');
    expect(rows).to.deep.equal([
      { action: 'view-note', outcome: 'allowed', reason: `note ${markers.ids.noteId}` },
      { action: 'view-note', outcome: 'refused', reason: `note ${markers.ids.heldNoteId} not shown` },
      { action: 'view-report', outcome: 'refused', reason: `report ${markers.ids.teenReportId} not shown` },
      { action: 'view-note', outcome: 'refused', reason: 'note (no such id) not shown' },
    ]);
  });

  for (const language of LANGUAGES) {
    it(`never shows a held item to the patient, and shows them their confidential care (${language})`, async () => {
      const seen = await everythingSeenBy('teen', language);
      for (const marker of markers.held) expect(seen, marker).not.to.include(marker);
      for (const marker of [...markers.shown, ...markers.teen]) expect(seen, marker).to.include(marker);
    });

    it(`never shows a held item or the teen's confidential care to a parent (${language})`, async () => {
      const seen = await everythingSeenBy('parent', language);
      for (const marker of [...markers.held, ...markers.teen]) expect(seen, marker).not.to.include(marker);
      for (const marker of markers.shown) expect(seen, marker).to.include(marker);
    });
  }
});
