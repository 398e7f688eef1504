// Every patient-data address of the MyPatients portal (routes/provider/patientPaths.ts), requested
// by a signed-in provider with no basis for a real patient: each answers 404, exactly like a
// patient that does not exist, shows nothing of the patient, and leaves one refused audit row.
// The one exception is removing a saved patient, which needs no access: it answers the same
// redirect whether the patient exists or not, shows nothing, and is audited as a removal.
// The same addresses answer a provider on the care team, so a 404 here is the refusal and not a
// wrong address. A page added to PROVIDER_PATIENT_PATHS joins this test by being listed there.
import * as cheerio from 'cheerio';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { addCareTeam, fillRecordForEveryRule, RECORD_TEST_ENV } from '../support/record.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';
import { signInOverHttp } from '../support/visitors.ts';
import { PROVIDER_PATIENT_PATHS, providerPatientHref, type ProviderPatientPath } from '../../routes/provider/patientPaths.ts';

interface Address {
  method: ProviderPatientPath['method'];
  path: string;
}

/** Every address, with every id of the patient's items in place of each item placeholder. */
export function everyProviderPatientAddress(patientId: number, itemIds: Record<string, number[]>): Address[] {
  return Object.values(PROVIDER_PATIENT_PATHS as Record<string, ProviderPatientPath>).flatMap(({ method, path }) => {
    const placeholders = [...path.matchAll(/:([a-zA-Z]+)/g)].map((match) => match[1]!).filter((name) => name !== 'patientId');
    if (placeholders.length > 1) throw new Error(`${path}: teach this test to fill more than one item id`);
    const [item] = placeholders;
    if (!item) return [{ method, path: providerPatientHref(path, { patientId }) }];
    const ids = itemIds[item];
    if (!ids?.length) throw new Error(`${path}: no ids for :${item}; add them to itemIds`);
    return ids.map((id) => ({ method, path: providerPatientHref(path, { patientId, [item]: id }) }));
  });
}

describe('a provider with no basis asks for every patient address of MyPatients', function () {
  this.timeout(120000);
  let subject: TestApp;
  let patientId: number;
  let mrn: string;
  let addresses: Address[];
  const db = () => subject.database.db;

  async function signedIn(account: TestProvider): Promise<{ agent: Agent; csrf: string }> {
    const agent = agentIn(subject.app, 'en');
    await signInOverHttp(agent, { id: account.id, email: account.email, kind: 'provider', totp: true, stage: 'signed-in' });
    return { agent, csrf: csrfTokenIn((await agent.get('/provider/home')).text) };
  }

  const request = ({ agent, csrf }: { agent: Agent; csrf: string }, address: Address) =>
    address.method === 'GET' ? agent.get(address.path) : agent.post(address.path).type('form').send({ _csrf: csrf });

  before(async () => {
    subject = await buildTestApp({ env: RECORD_TEST_ENV });
    const patient = await createPatient(db(), { birthDate: bornYearsAgo(15), givenNames: 'Noa', familyName: 'Berg' });
    patientId = patient.id;
    mrn = patient.mrn;
    await fillRecordForEveryRule(db(), patientId);
    await linkHolder(db(), (await familyAccount(db(), 'parent')).id, patientId, 'parent');
    const idsOf = async (table: string) => (await db()(table).where({ patient_id: patientId }).orderBy('id').pluck('id')).map(Number);
    // Every note and every report of the patient, shown or hidden: none may answer.
    addresses = everyProviderPatientAddress(patientId, { noteId: await idsOf('clinical_notes'), reportId: await idsOf('diagnostic_reports') });
  });
  after(() => subject.close());

  it('covers every listed address, item pages once per item', () => {
    const listed = Object.keys(PROVIDER_PATIENT_PATHS).length;
    expect(addresses.length).to.be.greaterThan(listed + 10);
    for (const address of addresses) expect(address.path, 'every placeholder filled').not.to.include(':');
  });

  it('answers 404 for each, shows nothing of the patient, and audits each refusal', async () => {
    const stranger = await providerAccount(db(), 'stranger');
    const session = await signedIn(stranger);
    const removePath = providerPatientHref(PROVIDER_PATIENT_PATHS.remove.path, { patientId });
    for (const address of addresses) {
      const response = await request(session, address);
      if (address.path === removePath) {
        const madeUp = await request(session, { method: 'POST', path: providerPatientHref(PROVIDER_PATIENT_PATHS.remove.path, { patientId: 987654321 }) });
        const back = (id: number) => providerPatientHref(PROVIDER_PATIENT_PATHS.summary.path, { patientId: id });
        expect([response.status, response.headers.location, madeUp.status, madeUp.headers.location], 'remove: the same answer as for a patient that does not exist').to.deep.equal([303, back(patientId), 303, back(987654321)]);
        continue;
      }
      expect(response.status, `${address.method} ${address.path}`).to.equal(404);
      const text = cheerio.load(response.text)('main').text();
      for (const revealing of ['Berg', mrn, 'SHOWN', 'TEEN']) expect(text, `${address.path} shows ${revealing}`).not.to.include(revealing);
    }
    const refused = await db()('audit_events').where({ actor_id: stranger.id, actor_type: 'provider', subject_type: 'patient', subject_id: patientId }).orderBy('id');
    expect(refused.length, 'one audit row per request').to.equal(addresses.length);
    for (const row of refused) expect([row.outcome, row.reason]).to.deep.equal(row.action === 'remove-saved-patient' ? ['success', 'not saved'] : ['refused', 'not-authorized']);
    expect(await db()('saved_patients').where({ provider_account_id: stranger.id })).to.have.length(0);
  });

  it('answers the same addresses for a provider on the care team (so the 404s are refusals, not wrong addresses)', async () => {
    const member = await providerAccount(db(), 'member');
    await addCareTeam(db(), patientId, [{ practitionerId: member.practitionerId, role: 'Cardiologist' }]);
    const session = await signedIn(member);
    const statuses = new Map<string, number>();
    for (const address of addresses) statuses.set(`${address.method} ${address.path}`, (await request(session, address)).status);
    // Pages and changes answer; only item pages of hidden items are 404 for a provider with a basis.
    for (const [address, status] of statuses) {
      const itemPage = /\/(notes|reports)\/\d+$/.test(address);
      if (!itemPage) expect(status, address).to.be.oneOf([200, 303]);
    }
    const itemPagesShown = [...statuses].filter(([address, status]) => /\/(notes|reports)\/\d+$/.test(address) && status === 200);
    expect(itemPagesShown.length, 'some notes and reports are shown to a provider with a basis').to.be.greaterThan(3);
  });
});
