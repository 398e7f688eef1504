// Puts an email in the outbox within the caller's transaction and queues its delivery.
import type { Knex } from 'knex';
import type nunjucks from 'nunjucks';
import type { Language } from '../domain/language.ts';
import type { Params } from '../locales/index.ts';
import type { Config } from '../config.ts';
import { hospitalPlaceholders } from '../locales/hospitalPlaceholders.ts';
import type { EmailTemplate } from '../locales/runtimeKeys.ts';
import { renderEmail } from '../views/emails.ts';
import { inTransaction, QUEUES, type JobQueue } from '../jobs/queue.ts';

export interface OutgoingEmail {
  to: string;
  template: EmailTemplate;
  language: Language;
  params?: Params & { actionUrl?: string };
}

export interface EmailOutboxDeps {
  config: Config;
  queue: JobQueue;
  views: nunjucks.Environment;
}

export async function queueEmail(trx: Knex.Transaction, deps: EmailOutboxDeps, email: OutgoingEmail): Promise<number> {
  const rendered = renderEmail(deps.views, email.template, email.language, { ...hospitalPlaceholders(deps.config, email.language), ...email.params });
  const [row] = await trx('email_outbox')
    .insert({
      recipient: email.to,
      template: email.template,
      language: email.language,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
    })
    .returning('id');
  const outboxId = Number(row.id);
  await deps.queue.send(QUEUES.emailDelivery, { outboxId }, await inTransaction(trx));
  return outboxId;
}

/** The newest emails in the outbox, for the development mailbox. */
export function recentEmails(db: Knex, limit = 100): Promise<{ id: string; recipient: string; subject: string; status: string; created_at: Date }[]> {
  return db('email_outbox').select('id', 'recipient', 'subject', 'status', 'created_at').orderBy('id', 'desc').limit(limit);
}

export function findEmail(db: Knex, id: number): Promise<Record<string, unknown> | undefined> {
  return db('email_outbox').where({ id }).first();
}
