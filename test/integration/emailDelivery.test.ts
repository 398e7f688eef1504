import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { freePort } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { agentIn, visit } from '../support/http.ts';
import { VALID_CONTACT } from '../support/pages.ts';
import { DELIVERED_SECRET_BODY } from '../../services/emailOutbox.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server that refuses the first `refusals` messages with a temporary error. */
async function startSmtpSink(refusals: number): Promise<{ url: string; received: Received[]; attempts: () => number; close(): Promise<void> }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      attempts++;
      if (attempts <= refusals) {
        const refusal = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
        return callback(refusal);
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('email delivery over SMTP', function () {
  // pg-boss schedules a retry with backoff and jitter; on a busy machine delivery can take over 20 s.
  this.timeout(90000);
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let subject: TestApp;

  before(async () => {
    smtp = await startSmtpSink(1);
    subject = await buildTestApp({
      env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Portal <portal@hospital.test>' },
      deliverEmail: true,
      emailRetry: { retryLimit: 3, retryDelaySeconds: 1 },
    });
  });
  after(async () => {
    await subject.close();
    await smtp.close();
  });

  it('retries after the server first refuses, then delivers once and records it', async () => {
    await visit(agentIn(subject.app, 'en'), { name: 'contact', path: '/contact', submit: VALID_CONTACT });
    const sent = await eventually(
      'the email to be sent',
      async () => {
        const row = await subject.database.db('email_outbox').first();
        return row?.status === 'sent' ? row : undefined;
      },
      60_000,
    );
    expect(smtp.attempts()).to.equal(2);
    expect(sent.attempts).to.equal(2);
    expect(sent.last_error).to.equal(null);
    expect(smtp.received).to.have.length(1);
    const [message] = smtp.received;
    expect(message!.from).to.equal('portal@hospital.test');
    expect(message!.to).to.deep.equal(['ana.diaz@example.com']);
    expect(message!.raw).to.match(/Subject: We received your message \(SR-[A-Z0-9]{8}\)/);
    expect(message!.raw).not.to.include('sign-in page');
  });

  it('keeps no single-use secret in the outbox once the email carrying it is delivered', async () => {
    const email = 'new.parent@example.com';
    await visit(agentIn(subject.app, 'en'), { name: 'sign-up', path: '/signup', submit: { name: 'Ana', email, password: 'Blue-Lantern-7', preferredLanguage: 'en' } });
    const delivered = await eventually('the confirmation to be sent', async () => {
      const row = await subject.database.db('email_outbox').where({ recipient: email }).first();
      return row?.status === 'sent' ? row : undefined;
    }, 60_000);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(smtp.received.find((message) => message.to.includes(email))!.raw.replace(/=\r\n/g, ''))?.[1];
    expect(token, 'the delivered email carried the link').to.be.a('string');
    expect(delivered.template).to.equal('confirmEmail');
    expect([delivered.text_body, delivered.html_body]).to.deep.equal([DELIVERED_SECRET_BODY, DELIVERED_SECRET_BODY]);
    expect(JSON.stringify(await subject.database.db('email_outbox').select())).not.to.include(token!);
    // An email without a secret keeps its body, for support to answer "what did you send me?".
    const acknowledgement = await subject.database.db('email_outbox').where({ template: 'supportRequestReceived' }).first();
    expect(acknowledgement.text_body).to.include('Your reference number is');
  });
});
