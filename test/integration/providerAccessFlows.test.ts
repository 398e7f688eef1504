// MyPatients access end to end over HTTP, across both portals: a provider asks a family for
// access (non-PCP), the family approves in MyChildren's, the provider is emailed and opens the
// record; a family invites a registered provider, and someone without an account who validates
// the emailed code with the MRN; and each time the family ends the access, the provider's very
// next request answers 404 and the refusal is audited.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { emailsTo, signIn, submitForm, totpCode } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { providerAccount, type TestProvider } from '../support/provider.ts';

describe('MyPatients access across both portals', function () {
  this.timeout(60000);
  let subject: TestApp;
  let patient: TestPatient;
  let parent: { id: number; email: string };
  let family: Agent;
  const db = () => subject.database.db;
  const record = () => `/provider/patients/${patient.id}`;
  const sharing = () => `/patients/${patient.id}/sharing`;

  beforeEach(async () => {
    subject = await buildTestApp();
    patient = await createPatient(db(), { birthDate: bornYearsAgo(9), givenNames: 'Lucía', familyName: 'Ortega' });
    parent = await familyAccount(db(), 'parent');
    await linkHolder(db(), parent.id, patient.id, 'parent');
    family = agentIn(subject.app, 'en');
    expect(await signIn(family, '', parent.email)).to.equal('/home');
  });
  afterEach(() => subject.close());

  async function signedInProvider(provider: TestProvider): Promise<Agent> {
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '/provider', provider.email)).to.equal('/provider/signin/code');
    expect((await submitForm(agent, '/provider/signin/code', { code: await totpCode(new Date()) })).status).to.equal(303);
    return agent;
  }
  async function postFrom(agent: Agent, pagePath: string, action: string, fields: Record<string, string> = {}) {
    const page = await agent.get(pagePath);
    return agent.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
  }
  const basisOn = async (agent: Agent) => {
    const response = await agent.get(record());
    return response.status === 200 ? cheerio.load(response.text)('main').text() : response.status;
  };
  const refusals = async (provider: TestProvider) =>
    Number((await db()('audit_events').where({ actor_id: provider.id, actor_type: 'provider', outcome: 'refused', subject_id: patient.id }).count<{ count: string }>('* as count').first())!.count);
  const withoutPhi = (text: string) => {
    for (const phi of ['Lucía', 'Ortega', patient.mrn]) expect(text).not.to.include(phi);
  };

  it('a provider asks, the family approves, the provider is emailed and sees the record; the family ends it and the next request is refused', async () => {
    const provider = await providerAccount(db(), 'specialist');
    const doctor = await signedInProvider(provider);
    expect(await basisOn(doctor), 'no basis yet').to.equal(404);

    const search = await postFrom(doctor, '/provider/search', '/provider/search', { by: 'mrn', mrn: patient.mrn });
    expect(search.status).to.equal(303);
    const noAccess = search.headers.location!;
    const asked = await postFrom(doctor, noAccess, `${noAccess}/request`, { kind: 'non-pcp', nonPcpNote: 'Referred for cardiology.' });
    expect(asked.headers.location).to.equal('/provider/requests');

    const requestId = Number((await db()('provider_access_requests').first('id')).id);
    const sharingPage = cheerio.load((await family.get(sharing())).text);
    expect(sharingPage('main').text()).to.include('Referred for cardiology.');
    const approved = await postFrom(family, sharing(), `${sharing()}/requests/${requestId}/approve`);
    expect(approved.status).to.equal(303);

    const [email] = await emailsTo(db(), provider.email);
    expect(email!.template).to.equal('sharingRequestApproved');
    withoutPhi(email!.text + email!.subject);
    expect(await basisOn(doctor)).to.include("the patient's family shared it with you").and.include('Ortega');

    const grantId = Number((await db()('provider_access_grants').where({ provider_account_id: provider.id }).first('id')).id);
    const before = await refusals(provider);
    expect((await postFrom(family, `${sharing()}/grants/${grantId}/revoke`, `${sharing()}/grants/${grantId}/revoke`)).status).to.equal(303);
    expect(await basisOn(doctor), 'access ends with the very next request').to.equal(404);
    expect(await refusals(provider)).to.equal(before + 1);
  });

  it('the family invites a registered provider from the directory: emailed, sees the record, then not once it is ended', async () => {
    const provider = await providerAccount(db(), 'invited', { familyName: 'Brandt' });
    const found = cheerio.load((await family.get(`${sharing()}/providers?name=Brandt`)).text);
    const action = found(`form[action="${sharing()}/providers/${provider.id}"]`);
    expect(action.length, 'the directory lists the registered provider').to.equal(1);
    expect((await postFrom(family, `${sharing()}/providers?name=Brandt`, `${sharing()}/providers/${provider.id}`)).status).to.equal(303);
    const [email] = await emailsTo(db(), provider.email);
    expect(email!.template).to.equal('sharingRecordShared');
    withoutPhi(email!.text + email!.subject);

    const doctor = await signedInProvider(provider);
    expect(await basisOn(doctor)).to.include("the patient's family shared it with you");
    const grantId = Number((await db()('provider_access_grants').where({ provider_account_id: provider.id }).first('id')).id);
    await postFrom(family, `${sharing()}/grants/${grantId}/revoke`, `${sharing()}/grants/${grantId}/revoke`);
    expect(await basisOn(doctor)).to.equal(404);
  });

  it('the family invites someone by email; they validate the code with the MRN the family gave them, see the record, and lose it when the family ends it', async () => {
    const invited = await postFrom(family, `${sharing()}/invite`, `${sharing()}/invite`, { name: 'Dr Ren Brandt', email: 'ren.brandt@example.com' });
    expect(invited.status).to.equal(303);
    const confirmation = cheerio.load((await family.get(invited.headers.location!)).text);
    const mrn = confirmation('#mrn').text();
    expect(mrn, 'the family reads the MRN on the page, to give by phone or on paper').to.equal(patient.mrn);
    const [email] = await emailsTo(db(), 'ren.brandt@example.com');
    withoutPhi(email!.text + email!.subject);
    const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(email!.text)![0];

    // They register (an approved account stands for that here) and validate the code.
    const provider = await providerAccount(db(), 'ren');
    const doctor = await signedInProvider(provider);
    const wrongMrn = await postFrom(doctor, '/provider/tokens', '/provider/tokens', { token: code, mrn: 'NOT-THIS-ONE' });
    expect(wrongMrn.status).to.equal(422);
    const validated = await postFrom(doctor, '/provider/tokens', '/provider/tokens', { token: code, mrn });
    expect(validated.headers.location).to.equal(record());
    expect(await basisOn(doctor)).to.include('you validated an invitation');

    const invitationId = Number((await db()('invitation_tokens').first('id')).id);
    await postFrom(family, `${sharing()}/invitations/${invitationId}/revoke`, `${sharing()}/invitations/${invitationId}/revoke`);
    expect(await basisOn(doctor)).to.equal(404);
  });
});
