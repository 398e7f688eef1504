import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { createApiToken, revokeApiToken } from '../../services/apiTokens.ts';

const transaction = () => readFile(new URL('../fixtures/fhir/transaction.json', import.meta.url), 'utf8');

describe('POST /fhir/import', () => {
  let subject: TestApp;
  let token: string;
  beforeEach(async () => {
    subject = await buildTestApp({ env: { FHIR_IMPORT_MAX_BYTES: '20000' } });
    token = (await createApiToken(subject.database.db, 'Hospital EHR')).token;
  });
  afterEach(() => subject.close());
  const post = (body: string, type = 'application/fhir+json') => supertest(subject.app).post('/fhir/import').set('Content-Type', type).send(body);
  const patients = async () => Number((await subject.database.db('patients').count({ n: '*' }).first())!.n);

  it('refuses a request without a token with 401 and WWW-Authenticate: Bearer, and audits it', async () => {
    const response = await post(await transaction());
    expect(response.status).to.equal(401);
    expect(response.headers['www-authenticate']).to.equal('Bearer realm="fhir"');
    expect(response.headers['content-type']).to.equal('application/fhir+json; charset=utf-8');
    expect(response.body.resourceType).to.equal('OperationOutcome');
    expect(response.headers['set-cookie']).to.equal(undefined);
    expect(await patients()).to.equal(0);
    const audit = await subject.database.db('audit_events').where({ action: 'fhir.import' }).select('actor_type', 'outcome', 'reason');
    expect(audit).to.deep.equal([{ actor_type: 'anonymous', outcome: 'refused', reason: 'missing-token' }]);
  });

  it('audits a flood of refused requests from one address in a few rows that say how many', async () => {
    for (let i = 0; i < 100; i++) expect((await post('{}')).status).to.equal(401);
    const audit = await subject.database.db('audit_events').where({ action: 'fhir.import' }).orderBy('id').pluck('reason');
    expect(audit).to.deep.equal(['missing-token', 'missing-token (10th from this address in 15 minutes)', 'missing-token (100th from this address in 15 minutes)']);
  });

  it('refuses a wrong, malformed or revoked token with 401', async () => {
    const created = await createApiToken(subject.database.db, 'Old feed');
    await revokeApiToken(subject.database.db, created.id);
    for (const header of [`Bearer ${token}x`, 'Bearer nonsense', `Basic ${token}`, `Bearer ${created.token}`]) {
      const response = await post(await transaction()).set('Authorization', header);
      expect(response.status, header).to.equal(401);
      expect(response.headers['www-authenticate'], header).to.match(/^Bearer realm="fhir"/);
    }
    expect(await patients()).to.equal(0);
  });

  it('imports a transaction with a valid token: 200, a transaction-response, and audit rows naming the client', async () => {
    const response = await post(await transaction()).set('Authorization', `Bearer ${token}`);
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/fhir+json; charset=utf-8');
    expect(response.body.type).to.equal('transaction-response');
    expect(response.body.entry[0].response.status).to.equal('201 Created');
    expect(await patients()).to.equal(1);
    const audit = await subject.database.db('audit_events').where({ actor_type: 'integration' }).orderBy('id').select('action', 'outcome', 'actor_id', 'request_id');
    expect(audit.map((row) => [row.action, row.outcome])).to.deep.equal([['record.import', 'success'], ['fhir.import', 'success']]);
    expect(audit[0]!.request_id).to.be.a('string').and.not.equal('');
    const [client] = await subject.database.db('api_tokens').where({ name: 'Hospital EHR' }).select('id', 'last_used_at', 'token_hash');
    expect(audit[0]!.actor_id).to.equal(client.id);
    expect(client.last_used_at).to.be.instanceOf(Date);
    expect(client.token_hash).to.match(/^[0-9a-f]{64}$/).and.not.include(token);
  });

  it('imports NDJSON and answers a summary OperationOutcome', async () => {
    const bundle = JSON.parse(await readFile(new URL('../fixtures/fhir/collection.json', import.meta.url), 'utf8'));
    const body = bundle.entry.map((entry: { resource: object }) => JSON.stringify(entry.resource)).join('\n');
    const response = await post(body, 'application/fhir+ndjson').set('Authorization', `Bearer ${token}`);
    expect(response.status).to.equal(200);
    expect(response.body.issue[0].diagnostics).to.equal('Stored 6 resources: 6 created, 0 updated.');
  });

  it('answers 422 with an OperationOutcome for a bundle with bad entries, and stores nothing', async () => {
    const bundle = JSON.parse(await transaction());
    bundle.entry[0].resource.birthDate = '2015-02-30';
    const response = await post(JSON.stringify(bundle)).set('Authorization', `Bearer ${token}`);
    expect(response.status).to.equal(422);
    expect(response.body.issue[0]).to.deep.equal({ severity: 'error', code: 'value', diagnostics: 'Bundle.entry[0]: Patient.birthDate is not a calendar date', expression: ['Bundle.entry[0].resource.birthDate'] });
    expect(await patients()).to.equal(0);
  });

  it('answers 400 for a body that is not JSON or not a bundle, 415 for other content types, 413 above the limit', async () => {
    const auth = `Bearer ${token}`;
    expect((await post('{"resourceType": "Bundle", "entry": [').set('Authorization', auth)).status).to.equal(400);
    const notBundle = await post('{"resourceType": "Patient"}').set('Authorization', auth);
    expect(notBundle.status).to.equal(400);
    expect(notBundle.body.issue[0].diagnostics).to.equal('Bundle: is not "Bundle"');
    const form = await post('a=1', 'application/x-www-form-urlencoded').set('Authorization', auth);
    expect(form.status).to.equal(415);
    expect(form.body.resourceType).to.equal('OperationOutcome');
    const big = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [], padding: 'x'.repeat(30000) });
    const tooLarge = await post(big).set('Authorization', auth);
    expect(tooLarge.status).to.equal(413);
    expect(tooLarge.body.issue[0].code).to.equal('too-costly');
  });

  it('refuses a body that grows past the limit without a Content-Length', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ resourceType: 'Practitioner', id: `p${i}`, name: [{ family: 'Lee' }] })).join('\n');
    const request = supertest(subject.app).post('/fhir/import').set('Content-Type', 'application/x-ndjson').set('Authorization', `Bearer ${token}`);
    // Written in pieces, the body goes chunked, with no Content-Length to check up front.
    for (let start = 0; start < lines.length; start += 8000) request.write(lines.slice(start, start + 8000));
    const response = await new Promise<supertest.Response>((resolve, reject) => request.end((error, result) => (result ? resolve(result) : reject(error))));
    expect(response.status).to.equal(413);
    expect(Number((await subject.database.db('practitioners').count({ n: '*' }).first())!.n)).to.equal(0);
  });

  it('answers other /fhir paths with a 404 OperationOutcome, not a page', async () => {
    const response = await supertest(subject.app).get('/fhir/Patient/1');
    expect(response.status).to.equal(404);
    expect(response.body.resourceType).to.equal('OperationOutcome');
  });
});
