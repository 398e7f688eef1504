import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn } from '../support/http.ts';
import { signIn } from '../support/identity.ts';
import { importDemoData } from '../../services/demoData.ts';
import { createDemoAccounts, DEMO_PASSWORD, linkDemoFamilies } from '../../services/identity/demoAccounts.ts';

describe('demo accounts linked to the demo record', function () {
  this.timeout(120000);
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp();
    const { db } = subject.database;
    expect(await createDemoAccounts(db, subject.config, new Date())).to.equal(8);
    await importDemoData(db, { today: '2026-11-22' });
    expect(await linkDemoFamilies(db, new Date())).to.equal(7);
    expect(await linkDemoFamilies(db, new Date())).to.equal(0); // a second start links nothing again
  });
  after(() => subject.close());

  it('shows a demo parent the demo children on their home page, and only theirs', async () => {
    const agent = agentIn(subject.app, 'en');
    expect(await signIn(agent, '', 'alex.morgan@example.com', DEMO_PASSWORD)).to.equal('/home');
    const $ = cheerio.load((await agent.get('/home')).text);
    const names = $('main .patient-list li a').map((_i, a) => $(a).text()).get();
    const expected = await subject.database.db('patients').whereIn('mrn', ['90000001', '90000002']).orderBy('birth_date', 'desc').select('given_names', 'family_name');
    expect(names).to.deep.equal(expected.map((p) => `${p.given_names} ${p.family_name}`));
  });
});
