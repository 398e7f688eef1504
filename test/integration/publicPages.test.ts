import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, visit } from '../support/http.ts';
import { LANGUAGES, PAGES, VALID_CONTACT } from '../support/pages.ts';
import { PRODUCTION_ENV } from '../support/productionEnv.ts';

describe('public pages', () => {
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp({ env: { SUPPORT_PHONE: '555-0199', HOSPITAL_NAME: 'Harbor Children’s Hospital' } });
  });
  after(() => subject.close());

  for (const language of LANGUAGES) {
    for (const page of PAGES) {
      it(`${page.name} (${language}) answers ${page.status ?? 200} with lang="${language}", one h1 and the layout`, async () => {
        const result = await visit(agentIn(subject.app, language), page, subject.database.db);
        expect(result.status).to.equal(page.status ?? 200);
        const $ = cheerio.load(result.text);
        expect($('html').attr('lang')).to.equal(language);
        expect($('h1')).to.have.length(1);
        expect($('a.skip-link').attr('href')).to.equal('#main');
        expect($('main#main')).to.have.length(1);
        expect($('footer').text()).to.include('555-0199');
        expect(result.text).not.to.match(/\{[a-zA-Z]+\}/); // no placeholder left unfilled
        expect(result.text).not.to.match(/at .+\.ts:\d+/); // never a stack trace
        // A filled-in value that ends a sentence ("5:00 p.m.") must not get a second full stop.
        expect($('body').text(), 'a doubled full stop').not.to.match(/(?<!\.)\.\.(?!\.)/);
      });
    }
  }

  it('says what each portal is for, by name, on its front door', async () => {
    const family = cheerio.load((await supertest(subject.app).get('/')).text);
    const provider = cheerio.load((await supertest(subject.app).get('/provider')).text);
    const staff = cheerio.load((await supertest(subject.app).get('/staff')).text);
    expect(family('.site-header__name a').text()).to.equal('MyChildren\'s');
    expect(provider('.site-header__name a').text()).to.equal('MyPatients');
    expect(staff('.site-header__name a').text()).to.equal('Back office');
    expect(provider('main').text()).to.include('NPI');
    expect(family('.site-header__hospital').text()).to.equal('Harbor Children’s Hospital');
  });

  it('follows the browser language until the person chooses, then remembers the choice', async () => {
    const byBrowser = await supertest(subject.app).get('/help').set('Accept-Language', 'es-MX,es;q=0.9');
    expect(cheerio.load(byBrowser.text)('html').attr('lang')).to.equal('es');
    const agent = supertest.agent(subject.app);
    const switched = await agent.get('/language/es?back=/help');
    expect(switched.status).to.equal(303);
    expect(switched.headers.location).to.equal('/help');
    expect(switched.headers['set-cookie']![0]).to.match(/^lang=es;.*Max-Age=31536000/);
    const later = await agent.get('/privacy').set('Accept-Language', 'en');
    expect(cheerio.load(later.text)('html').attr('lang')).to.equal('es');
    expect(later.headers['content-language']).to.equal('es');
  });

  it('links the language switch back to the same page, in the other language', async () => {
    const $ = cheerio.load((await supertest(subject.app).get('/help?topic=x')).text);
    const link = $('.language-switch a');
    expect(link.attr('href')).to.equal('/language/es?back=%2Fhelp%3Ftopic%3Dx');
    expect(link.attr('lang')).to.equal('es');
    expect(link.text()).to.equal('Español');
  });

  it('never sends the language switch to another site', async () => {
    const response = await supertest(subject.app).get('/language/es?back=//evil.example/');
    expect(response.headers.location).to.equal('/');
  });

  it('shows support hours from configuration in the page language', async () => {
    const spanish = cheerio.load((await agentIn(subject.app, 'es').get('/')).text);
    expect(spanish('footer').text()).to.include('de lunes a viernes');
    expect(spanish('footer').text()).to.match(/8:00\s?a\.\s?m\./);
  });

  it('formats dates for the language in the hospital time zone', async () => {
    await visit(agentIn(subject.app, 'es'), { name: 'contact', path: '/contact', submit: VALID_CONTACT });
    await subject.database.db('email_outbox').update({ created_at: new Date('2026-07-04T03:30:00Z') });
    const english = cheerio.load((await agentIn(subject.app, 'en').get('/dev/mailbox')).text);
    const spanish = cheerio.load((await agentIn(subject.app, 'es').get('/dev/mailbox')).text);
    // 03:30 UTC on July 4 is still July 3 in New York.
    expect(english('.mailbox').text()).to.include('July 3, 2026 at 11:30 PM');
    expect(spanish('.mailbox').text()).to.include('3 de julio de 2026');
  });
});

describe('error pages', () => {
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp();
  });
  after(() => subject.close());

  it('answers an unknown page with a 404 in the person’s language', async () => {
    const response = await agentIn(subject.app, 'es').get('/provider/nothing-here');
    expect(response.status).to.equal(404);
    const $ = cheerio.load(response.text);
    expect($('h1').text()).to.equal('No encontramos la página');
    expect($('main a[href="/provider"]').text()).to.include('MyPatients');
  });

  it('answers an unexpected failure with a 500 page in the person’s language and no details', async () => {
    // A missing table is a real programming error, not an outage.
    await subject.database.db.schema.dropTable('support_requests');
    const agent = agentIn(subject.app, 'es');
    const result = await visit(agent, { name: 'contact', path: '/contact', submit: VALID_CONTACT });
    expect(result.status).to.equal(500);
    expect(result.text).to.include('Lo sentimos, algo salió mal');
    expect(result.text).not.to.include('support_requests');
    expect(result.text).not.to.include('relation');
  });
});

describe('in production', () => {
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp({
      env: { ...PRODUCTION_ENV, LOG_LEVEL: 'silent' },
    });
  });
  after(() => subject.close());

  it('has no development mailbox', async () => {
    expect((await supertest(subject.app).get('/dev/mailbox')).status).to.equal(404);
    expect((await supertest(subject.app).get('/dev/mailbox/1')).status).to.equal(404);
    expect((await supertest(subject.app).get('/')).status).to.equal(200);
  });
});

describe('the development mailbox', () => {
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp({ env: { DEV_MAILBOX: 'true', HOST: '0.0.0.0' } });
    await visit(agentIn(subject.app, 'en'), { name: 'contact', path: '/contact', submit: VALID_CONTACT });
  });
  after(() => subject.close());

  it('answers a request made on this machine', async () => {
    expect((await supertest(subject.app).get('/dev/mailbox')).status).to.equal(200);
  });

  it('answers 404 to a request a proxy forwarded, even from a proxy on this machine', async () => {
    expect((await supertest(subject.app).get('/dev/mailbox').set('X-Forwarded-For', '203.0.113.9')).status).to.equal(404);
    expect((await supertest(subject.app).get('/dev/mailbox/1').set('Forwarded', 'for=203.0.113.9')).status).to.equal(404);
  });

  it('answers 404 to a request from another address', async function () {
    // This machine's own network address: the request leaves loopback, as a remote one would.
    const external = Object.values(os.networkInterfaces()).flat().find((address) => address && !address.internal && address.family === 'IPv4');
    if (!external) return this.skip();
    const server = createServer(subject.app);
    await new Promise<void>((resolve) => server.listen(0, external.address, resolve));
    try {
      const origin = `http://${external.address}:${(server.address() as AddressInfo).port}`;
      expect((await fetch(`${origin}/dev/mailbox`)).status).to.equal(404);
      expect((await fetch(`${origin}/dev/mailbox/1`)).status).to.equal(404);
      expect((await fetch(`${origin}/contact`)).status).to.equal(200);
    } finally {
      server.close();
    }
  });

  it('is not there when the portal listens beyond this machine and nobody asked for it', async () => {
    const open = await buildTestApp({ env: { HOST: '0.0.0.0' }, database: subject.database });
    try {
      expect((await supertest(open.app).get('/dev/mailbox')).status).to.equal(404);
    } finally {
      await open.close();
    }
  });
});
