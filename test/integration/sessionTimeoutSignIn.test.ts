import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { testClock, type TestClock } from '../support/clock.ts';
import { agentIn } from '../support/http.ts';
import { createAccount, PASSWORD, signIn } from '../support/identity.ts';

// The idle warning's script sends the browser to the sign-in page when the time is up. The
// server ends the session then and shows that page, keeping where the person was.
describe('sign-in page reached by an idle timeout', () => {
  let subject: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = testClock();
    subject = await buildTestApp({ now: clock.now });
  });
  afterEach(() => subject.close());

  it('shows the sign-in page itself, signed out, and signing in returns to the page', async () => {
    await createAccount(subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    clock.advance(31);
    const page = await agent.get('/signin?timedOut=1&returnTo=%2Faccount');
    expect(page.status).to.equal(200);
    const $ = cheerio.load(page.text);
    expect($('#notice-title').text()).to.equal('You were signed out');
    expect($('input[name="returnTo"]').attr('value')).to.equal('/account');
    expect($('nav').text()).not.to.include('Sign out');
    expect(await subject.database.db('audit_events').where({ action: 'session-timeout' }).pluck('reason')).to.deep.equal(['idle-timeout']);
    expect(await signIn(agent, '', 'parent@example.com', PASSWORD, '/account')).to.equal('/account');
  });

  it('still sends any other page to sign in, to come back to it', async () => {
    await createAccount(subject.database.db, { kind: 'provider', email: 'dr@example.com', totp: true });
    const agent = agentIn(subject.app, 'en');
    await signIn(agent, '/provider', 'dr@example.com');
    clock.advance(16);
    expect((await agent.get('/provider/signin')).status).to.equal(200);
    expect(await signIn(agent, '/provider', 'dr@example.com')).to.equal('/provider/signin/code');
    clock.advance(16);
    expect((await agent.get('/help')).headers.location).to.equal('/provider/signin?timedOut=1&returnTo=%2Fhelp');
  });

  it('sends someone still signed in (another tab kept the session going) back to the page instead', async () => {
    await createAccount(subject.database.db, { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    clock.advance(20);
    const page = await agent.get('/signin?timedOut=1&returnTo=%2Faccount');
    expect([page.status, page.headers.location]).to.deep.equal([303, '/account']);
    expect((await agent.get('/signin')).headers.location).to.equal('/home');
    expect((await agent.get('/provider/signin')).status).to.equal(200);
  });
});
