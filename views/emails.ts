// Renders an email from its locale entry (subject, paragraphs, an optional action link)
// into a subject, a plain-text body and an HTML body. Emails never carry health information.
import type nunjucks from 'nunjucks';
import type { Language } from '../domain/language.ts';
import { translate, translateContent, type Params } from '../locales/index.ts';
import type { EmailTemplate } from '../locales/runtimeKeys.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface EmailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string };
}

export function renderEmail(views: nunjucks.Environment, template: EmailTemplate, language: Language, params: Params & { actionUrl?: string }): RenderedEmail {
  const content = translateContent(language, `emails.${template}`, params) as EmailContent;
  const signOff = translate(language, 'emails.signOff', params);
  const action = content.action && params.actionUrl ? { label: content.action.label, url: String(params.actionUrl) } : undefined;
  const text = [content.greeting, ...content.paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), signOff].join('\n\n') + '\n';
  const html = views.render('emails/layout.njk', { lang: language, subject: content.subject, content, action, signOff });
  return { subject: content.subject, text, html };
}
