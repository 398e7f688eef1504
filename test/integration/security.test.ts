import { expect } from 'chai';
import supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn } from '../support/http.ts';
import { VALID_CONTACT } from '../support/pages.ts';

describe('security middleware', () => {
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp();
  });
  after(() => subject.close());

  function directives(header: string | undefined): Map<string, string> {
    return new Map((header ?? '').split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }));
  }

  it('sends a strict Content-Security-Policy with a fresh nonce on every page', async () => {
    const first = await supertest(subject.app).get('/');
    const second = await supertest(subject.app).get('/');
    const csp = directives(first.headers['content-security-policy']);
    expect(csp.get('script-src')).to.match(/^'self' 'nonce-[A-Za-z0-9+/=]{20,}'$/);
    expect(first.headers['content-security-policy']).not.to.include('unsafe-inline');
    expect(first.headers['content-security-policy']).not.to.include('unsafe-eval');
    expect(csp.get('form-action')).to.equal("'self'");
    expect(csp.get('frame-ancestors')).to.equal("'none'");
    expect(csp.get('object-src')).to.equal("'none'");
    expect(first.headers['content-security-policy']).not.to.equal(second.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(first.headers['content-security-policy'] ?? '')?.[1];
    expect(first.text).to.include(`nonce="${nonce ?? 'missing'}"`);
  });

  it('marks every dynamic page no-store and gives each request an id', async () => {
    for (const path of ['/', '/contact', '/no-such-page', '/healthz']) {
      const response = await supertest(subject.app).get(path);
      expect(response.headers['cache-control'], path).to.equal('no-store');
      expect(response.headers['x-request-id'], path).to.match(/^[0-9a-f-]{36}$/);
    }
  });

  it('serves the pinned htmx from its own origin with long caching', async () => {
    const page = await supertest(subject.app).get('/');
    const src = /<script src="([^"]+)"/.exec(page.text)![1]!;
    expect(src).to.match(/^\/assets\/htmx-4\.\d+\.\d+\.min\.js$/);
    const script = await supertest(subject.app).get(src);
    expect(script.status).to.equal(200);
    expect(script.headers['content-type']).to.include('javascript');
    expect(script.headers['cache-control']).to.include('immutable');
  });

  it('refuses methods other than GET, HEAD and POST', async () => {
    for (const method of ['put', 'delete', 'patch'] as const) {
      const response = await supertest(subject.app)[method]('/contact');
      expect(response.status, method).to.equal(405);
      expect(response.headers.allow).to.equal('GET, HEAD, POST');
    }
  });

  it('refuses a form without a CSRF token with a 403 page that explains and offers a way back', async () => {
    const response = await supertest(subject.app).post('/contact').set('Cookie', 'lang=es').type('form').send(VALID_CONTACT);
    expect(response.status).to.equal(403);
    expect(response.text).to.include('No pudimos enviar su formulario');
    expect(response.text).to.include('href="/"');
    expect(await subject.database.db('support_requests').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('refuses a token that belongs to another session', async () => {
    const mallory = agentIn(subject.app, 'en');
    const foreignToken = csrfTokenIn((await mallory.get('/contact')).text);
    const victim = agentIn(subject.app, 'en');
    await victim.get('/contact');
    const response = await victim.post('/contact').type('form').send({ ...VALID_CONTACT, _csrf: foreignToken });
    expect(response.status).to.equal(403);
    expect(response.text).to.include('Your form could not be sent');
  });

  it('creates no session for someone who only reads public pages', async () => {
    const response = await supertest(subject.app).get('/help');
    expect(response.headers['set-cookie']).to.equal(undefined);
  });

  it('sets an httpOnly, SameSite=Lax session cookie when a form is shown', async () => {
    const response = await supertest(subject.app).get('/contact');
    const cookie = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('portal.sid='))!;
    expect(cookie).to.include('HttpOnly');
    expect(cookie).to.include('SameSite=Lax');
    expect(cookie).not.to.include('Secure');
  });
});

describe('security middleware over TLS', () => {
  let subject: TestApp;
  before(async () => {
    subject = await buildTestApp({ env: { SECURE_COOKIES: 'true', TRUST_PROXY: '1' } });
  });
  after(() => subject.close());

  it('uses a Secure __Host- cookie and HSTS, trusting exactly one proxy hop', async () => {
    const response = await supertest(subject.app).get('/contact').set('X-Forwarded-Proto', 'https');
    const cookie = (response.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).to.match(/^__Host-portal\.sid=/);
    expect(cookie).to.include('Secure');
    expect(cookie).to.include('Path=/');
    expect(cookie).not.to.include('Domain=');
    expect(response.headers['strict-transport-security']).to.include('max-age=31536000');
    expect(subject.app.get('trust proxy')).to.equal(1);
  });
});
