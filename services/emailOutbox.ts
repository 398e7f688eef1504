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

/**
 * Templates whose body carries a single-use secret (a link's token, a pass code, an invitation or
 * sign-up code). Once the email is delivered its bodies are replaced with DELIVERED_SECRET_BODY, so
 * the outbox never keeps a working secret beside the hash the token tables keep.
 */
export const SECRET_BEARING_TEMPLATES: ReadonlySet<EmailTemplate> = new Set<EmailTemplate>([
  'confirmEmail',
  'passwordResetLink',
  'passwordResetCode',
  'confirmNewEmail',
  'accountInvitation',
  'ownAccountAt18',
  'providerRegistrationApproved',
  'sharingInvitation',
]);

export const DELIVERED_SECRET_BODY = '(Delivered. The body carried a single-use secret, so it is not kept.)';

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
  // A template that starts carrying a secret must join the list, or the outbox would keep it.
  const secret = email.params?.code !== undefined || /[?&]token=/.test(String(email.params?.actionUrl ?? ''));
  if (secret && !SECRET_BEARING_TEMPLATES.has(email.template)) throw new Error(`email template ${email.template} carries a secret: add it to SECRET_BEARING_TEMPLATES`);
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
