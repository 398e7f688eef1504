import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, visit } from '../support/http.ts';
import { VALID_CONTACT } from '../support/pages.ts';
import { queueEmail } from '../../services/emailOutbox.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';

describe('support contact form', () => {
  let subject: TestApp;
  beforeEach(async () => {
    subject = await buildTestApp();
  });
  afterEach(() => subject.close());

  it('names every problem, links the summary to the fields, and keeps what was typed', async () => {
    const typed = { name: '  ', email: 'ana@', phone: 'call me', portal: '', topic: 'nonsense', message: '' };
    const result = await visit(agentIn(subject.app, 'en'), { name: 'contact', path: '/contact', submit: typed });
    expect(result.status).to.equal(422);
    const $ = cheerio.load(result.text);
    expect($('title').text()).to.match(/^Error: /);
    const summary = $('.error-summary a').map((_i, a) => [[$(a).attr('href'), $(a).text()]]).get();
    expect(summary).to.deep.equal([
      ['#name', 'Enter your full name'],
      ['#email', 'Enter an email address in the correct format, like name@example.com'],
      ['#phone', 'Enter a phone number using only numbers, spaces, brackets, dashes and +'],
      ['#portal', 'Select which portal this is about'],
      ['#topic', 'Choose what you need help with'],
      ['#message', 'Enter your message'],
    ]);
    expect($('#email').attr('value')).to.equal('ana@');
    expect($('#phone').attr('value')).to.equal('call me');
    expect($('#email').attr('aria-describedby')).to.equal('email-hint email-error');
    expect($('#email').attr('aria-invalid')).to.equal('true');
    expect(await subject.database.db('support_requests').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('keeps a long message word for word when another field is wrong', async () => {
    const message = 'Line one\nLíne two with “quotes” & <angle brackets>\n'.repeat(20);
    const result = await visit(agentIn(subject.app, 'es'), { name: 'contact', path: '/contact', submit: { ...VALID_CONTACT, email: '', message } });
    expect(result.status).to.equal(422);
    const $ = cheerio.load(result.text);
    expect($('#message').text()).to.equal(message);
    expect($('.error-summary a').text()).to.equal('Escriba su correo electrónico');
  });

  it('stores the request, thanks the person with a reference and queues an acknowledgement without the message', async () => {
    const result = await visit(agentIn(subject.app, 'es'), { name: 'contact', path: '/contact', submit: VALID_CONTACT });
    expect(result.path).to.equal('/contact/sent');
    const reference = cheerio.load(result.text)('.reference').text();
    expect(reference).to.match(/^SR-[2-9A-HJKMNP-Z]{8}$/);
    const stored = await subject.database.db('support_requests').first();
    expect(stored).to.include({ reference, name: 'Ana Díaz', email: 'ana.diaz@example.com', portal: 'family', topic: 'signIn', language: 'es' });
    const email = await subject.database.db('email_outbox').first();
    expect(email).to.include({ recipient: 'ana.diaz@example.com', language: 'es', status: 'pending' });
    expect(email.subject).to.equal(`Recibimos su mensaje (${reference})`);
    expect(email.text_body).not.to.include('sign-in page');
    expect(email.html_body).to.include('<html lang="es">');
    const jobs = await subject.database.db('pgboss.job').where({ name: 'email-delivery' });
    expect(jobs.map((job) => job.data)).to.deep.equal([{ outboxId: Number(email.id) }]);
  });

  it('sends someone who opens the thank-you page directly back to the form', async () => {
    const response = await agentIn(subject.app, 'en').get('/contact/sent');
    expect(response.status).to.equal(303);
    expect(response.headers.location).to.equal('/contact');
  });

  it('writes the outbox row and its delivery job in the caller’s transaction, or neither', async () => {
    const views = createViewEnvironment({ reloadTemplates: false, timeZone: 'America/New_York' });
    const failure = subject.database.db.transaction(async (trx) => {
      await queueEmail(trx, { config: subject.config, queue: subject.queue, views }, { to: 'x@example.com', template: 'supportRequestReceived', language: 'en', params: { reference: 'SR-TEST' } });
      throw new Error('the change that caused the email failed');
    });
    await failure.then(() => expect.fail('should have rolled back'), () => undefined);
    expect(await subject.database.db('email_outbox').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await subject.database.db('pgboss.job').where({ name: 'email-delivery' }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });
});
