// Issue 20 item 1: an account's saved language ("Language for emails and the portal") is the
// page language from sign-in on, and the language switch and the account setting stay in step.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, PASSWORD, signIn, submitForm, totpCode } from '../support/identity.ts';

describe('the account language from sign-in on', () => {
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;

  const pageLanguage = async (agent: Agent, path: string) => {
    const response = await agent.get(path);
    expect(response.status, path).to.equal(200);
    return { lang: cheerio.load(response.text)('html').attr('lang'), header: response.headers['content-language'], text: response.text };
  };

  /** Presses the language switch in the page header, as a browser without JavaScript would. */
  async function pressLanguageSwitch(agent: Agent, path: string) {
    const page = await agent.get(path);
    const $ = cheerio.load(page.text);
    const form = $('header form.language-switch');
    expect(form.length, 'the switch is a form once signed in').to.equal(1);
    const fields = Object.fromEntries(form.find('input[type="hidden"]').map((_i, input) => [[$(input).attr('name'), $(input).attr('value')]]).get());
    return agent.post(form.attr('action')!).type('form').send(fields);
  }

  it('shows a family their saved Spanish after signing in from an English browser and cookie', async () => {
    await createAccount(db(), { kind: 'family', email: 'maria@example.com', preferredLanguage: 'es' });
    const agent = agentIn(context.subject.app, 'en').set('Accept-Language', 'en-US,en;q=0.9');
    expect((await pageLanguage(agent, '/signin')).lang).to.equal('en');
    expect(await signIn(agent, '', 'maria@example.com')).to.equal('/home');
    const home = await pageLanguage(agent, '/home');
    expect(home).to.include({ lang: 'es', header: 'es' });
    expect(home.text).to.include('Cerrar sesión');
  });

  it('shows a provider their saved Spanish from the second-factor step on', async () => {
    await createAccount(db(), { kind: 'provider', email: 'ortiz@example.com', preferredLanguage: 'es', totp: true });
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '/provider', 'ortiz@example.com')).to.equal('/provider/signin/code');
    expect((await pageLanguage(agent, '/provider/signin/code')).lang).to.equal('es');
    const code = await submitForm(agent, '/provider/signin/code', { code: await totpCode(context.clock.now()) });
    expect(code.headers.location).to.equal('/provider/home');
    expect((await pageLanguage(agent, '/provider/home')).lang).to.equal('es');
  });

  it('saves the language switch to the account, so emails and the next sign-in follow it', async () => {
    await createAccount(db(), { kind: 'family', email: 'maria@example.com', preferredLanguage: 'es' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'maria@example.com');
    const switched = await pressLanguageSwitch(agent, '/account');
    expect(switched.status).to.equal(303);
    expect(switched.headers.location).to.equal('/account');
    expect((await pageLanguage(agent, '/account')).lang).to.equal('en');
    expect((await db()('accounts').where({ email: 'maria@example.com' }).first()).preferred_language).to.equal('en');
    const audit = await db()('audit_events').where({ action: 'language-change' }).first();
    expect(audit).to.include({ outcome: 'success', subject_type: 'account' });

    // Another device, set to Spanish: the account now says English.
    const other = agentIn(context.subject.app, 'es');
    await signIn(other, '', 'maria@example.com');
    expect((await pageLanguage(other, '/home')).lang).to.equal('en');
    await submitForm(agent, '/account/password', { currentPassword: PASSWORD, password: 'Quiet-River-2031' });
    expect((await emailsTo(db(), 'maria@example.com')).at(-1)?.subject).to.equal('Your password was changed');
  });

  it('shows the pages in the language chosen in the account details at once', async () => {
    await createAccount(db(), { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    const saved = await submitForm(agent, '/account/details', { name: 'Ana Díaz', preferredLanguage: 'es' });
    expect(saved.headers.location).to.equal('/account');
    expect((await pageLanguage(agent, '/account')).lang).to.equal('es');
    expect((await pageLanguage(agent, '/account/details')).lang).to.equal('es');
  });

  it('keeps the plain link for people who are not signed in, and refuses a switch without the form token', async () => {
    const anonymous = agentIn(context.subject.app, 'en');
    const $ = cheerio.load((await anonymous.get('/')).text);
    expect($('header .language-switch a').attr('href')).to.equal('/language/es?back=%2F');
    expect($('header form.language-switch').length).to.equal(0);

    await createAccount(db(), { kind: 'family', email: 'parent@example.com' });
    const agent = agentIn(context.subject.app, 'en');
    await signIn(agent, '', 'parent@example.com');
    const forged = await agent.post('/language').type('form').send({ language: 'es', back: '/home' });
    expect(forged.status).to.equal(403);
    expect((await db()('accounts').where({ email: 'parent@example.com' }).first()).preferred_language).to.equal('en');
    // An unknown language or an outside address changes nothing and goes home.
    const csrf = csrfTokenIn((await agent.get('/home')).text);
    const odd = await agent.post('/language').type('form').send({ _csrf: csrf, language: 'fr', back: '//evil.example/' });
    expect(odd.status).to.equal(303);
    expect(odd.headers.location).to.equal('/');
    expect((await db()('accounts').where({ email: 'parent@example.com' }).first()).preferred_language).to.equal('en');
  });
});
