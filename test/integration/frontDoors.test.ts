// Issue 20 item 7: the portal's name (and `/`, `/provider`, `/staff`) takes someone signed in
// to that portal to their own home, not to the public page for visitors.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, type Agent } from '../support/http.ts';
import { createAccount, signIn, submitForm, totpCode } from '../support/identity.ts';

describe('front doors for people signed in', () => {
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;

  async function signedIn(kind: 'family' | 'provider' | 'staff'): Promise<Agent> {
    const email = `${kind}@example.com`;
    await createAccount(db(), { kind, email, totp: kind !== 'family', roles: kind === 'staff' ? ['support'] : [] });
    const agent = agentIn(context.subject.app, 'en');
    const prefix = kind === 'family' ? '' : `/${kind}`;
    await signIn(agent, prefix, email);
    if (kind !== 'family') await submitForm(agent, `${prefix}/signin/code`, { code: await totpCode(context.clock.now()) });
    return agent;
  }

  for (const [kind, door, home] of [
    ['family', '/', '/home'],
    ['provider', '/provider', '/provider/home'],
    ['staff', '/staff', '/staff/home'],
  ] as const) {
    it(`takes someone signed in to ${kind === 'family' ? "MyChildren's" : kind} from ${door} to ${home}`, async () => {
      const agent = await signedIn(kind);
      const homePage = await agent.get(home);
      expect(homePage.status).to.equal(200);
      // The portal's name in the header is the way people press.
      const nameLink = cheerio.load(homePage.text)('.site-header__name a').attr('href');
      const pressed = await agent.get(nameLink!);
      expect(pressed.status, `${nameLink}`).to.equal(303);
      expect(pressed.headers.location).to.equal(home);
      expect((await agent.get(door)).headers.location).to.equal(home);
    });
  }

  it('still shows the other portals, and every front door to visitors and to someone halfway through signing in', async () => {
    const family = await signedIn('family');
    expect((await family.get('/provider')).status).to.equal(200);
    expect((await family.get('/staff')).status).to.equal(200);

    const visitor = agentIn(context.subject.app, 'en');
    for (const door of ['/', '/provider', '/staff']) expect((await visitor.get(door)).status, door).to.equal(200);

    await createAccount(db(), { kind: 'provider', email: 'halfway@example.com', totp: true });
    const halfway = agentIn(context.subject.app, 'en');
    expect(await signIn(halfway, '/provider', 'halfway@example.com')).to.equal('/provider/signin/code');
    expect((await halfway.get('/provider')).status).to.equal(200);
  });
});
