import { request } from 'node:http';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { listen } from '../support/browser.ts';
import { csrfTokenIn } from '../support/http.ts';
import { VALID_CONTACT } from '../support/pages.ts';

/** Sends a request and resolves as soon as the status line and headers arrive, before the body. */
function headersOf(url: string, options: { method?: string; cookie?: string; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(options.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    req.on('response', (response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
      response.resume();
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('a redirect waits for the session to be saved', () => {
  let subject: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    subject = await buildTestApp();
    server = await listen(subject.app);
    // Slow every session write down, as a busy database would, to widen the race a browser can win.
    await subject.database.db.raw(`
      CREATE FUNCTION slow_session_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.4); RETURN NEW; END $$;
      CREATE TRIGGER slow_session_write BEFORE INSERT OR UPDATE ON session FOR EACH ROW EXECUTE FUNCTION slow_session_write();
    `);
  });
  after(async () => {
    await server.close();
    await subject.close();
  });

  it('so the page a browser follows to at once already sees what the form stored', async () => {
    const form = await fetch(`${server.origin}/contact`);
    const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
    const body = new URLSearchParams({ ...VALID_CONTACT, _csrf: csrfTokenIn(await form.text()) }).toString();
    const posted = await headersOf(`${server.origin}/contact`, { method: 'POST', cookie, body });
    expect(posted.status).to.equal(303);
    // Follow the redirect the moment its headers arrive, as Chromium does.
    const followed = await fetch(server.origin + String(posted.headers.location), { headers: { cookie }, redirect: 'manual' });
    expect(followed.status).to.equal(200);
    expect(cheerio.load(await followed.text())('.reference').text()).to.match(/^SR-/);
  });
});
