// Delivers queued emails over SMTP. A failure is recorded and thrown, so pg-boss
// retries with back-off. Without SMTP (development), emails stay in the outbox for /dev/mailbox.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Database } from '../data/database.ts';
import { QUEUES, type JobQueue } from './queue.ts';
import { DELIVERED_SECRET_BODY, SECRET_BEARING_TEMPLATES } from '../services/emailOutbox.ts';

interface Options {
  db: Database;
  queue: JobQueue;
  logger: Logger;
  smtpUrl: string | undefined;
  from: string;
  pollingIntervalSeconds?: number;
}

export async function startEmailDelivery(options: Options): Promise<void> {
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  await options.queue.work<{ outboxId: number }>(
    QUEUES.emailDelivery,
    { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async ([job]) => {
      if (!job) return;
      await deliver(job.data.outboxId, options, transport);
    },
  );
}

async function deliver(outboxId: number, options: Options, transport: Transporter | undefined): Promise<void> {
  const email = await options.db('email_outbox').where({ id: outboxId }).first();
  if (!email || email.status === 'sent') return;
  if (!transport) {
    await options.db('email_outbox').where({ id: outboxId }).update({ status: 'held' });
    return;
  }
  try {
    await transport.sendMail({ from: options.from, to: email.recipient, subject: email.subject, text: email.text_body, html: email.html_body });
    // A secret stays only as long as the email still has to go out (services/emailOutbox.ts).
    const bodies = SECRET_BEARING_TEMPLATES.has(email.template) ? { text_body: DELIVERED_SECRET_BODY, html_body: DELIVERED_SECRET_BODY } : {};
    await options.db('email_outbox').where({ id: outboxId }).update({ status: 'sent', sent_at: new Date(), attempts: email.attempts + 1, last_error: null, ...bodies });
    options.logger.info({ outboxId, template: email.template }, 'email sent');
  } catch (error) {
    const message = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
    await options.db('email_outbox').where({ id: outboxId }).update({ attempts: email.attempts + 1, last_error: message });
    options.logger.warn({ outboxId, template: email.template, attempt: email.attempts + 1 }, 'email delivery failed; will retry');
    throw error;
  }
}
