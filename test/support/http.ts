// Helpers for driving forms over HTTP with supertest, as a browser without JavaScript would.
import * as cheerio from 'cheerio';
import supertest from 'supertest';
import type { Express } from 'express';
import type { Knex } from 'knex';
import type { PageVisit } from './pages.ts';
import { preparePage, signInOverHttp } from './visitors.ts';
import { pageFile } from './providerRegistration.ts';

export type Agent = ReturnType<typeof supertest.agent>;

// The language each agent reads, so the accounts `visit` signs in with it speak it too (an
// account's language is the page language from sign-in on).
const agentLanguages = new WeakMap<Agent, 'en' | 'es'>();

export function agentIn(app: Express, language: 'en' | 'es'): Agent {
  const agent = supertest.agent(app);
  agent.set('Cookie', `lang=${language}`);
  agentLanguages.set(agent, language);
  return agent;
}

export function csrfTokenIn(html: string): string {
  const token = cheerio.load(html)('input[name="_csrf"]').attr('value');
  if (!token) throw new Error('page has no CSRF field');
  return token;
}

/**
 * Signs in first if the page asks for a visitor, GETs the page, submits its form if asked,
 * follows one redirect; returns the final response. `db` makes the visitor's account and links.
 */
export async function visit(agent: Agent, page: PageVisit, db?: Knex): Promise<{ status: number; text: string; path: string }> {
  const prepared = await preparePage(page, db, agentLanguages.get(agent));
  if (prepared.visitor) await signInOverHttp(agent, prepared.visitor);
  const first = await agent.get(prepared.path);
  if (!prepared.submit) return { status: first.status, text: first.text, path: prepared.path };
  const $ = cheerio.load(first.text);
  const form = $('main form[method="post"]').first();
  const action = form.attr('action') ?? prepared.path;
  const hidden = Object.fromEntries(form.find('input[type="hidden"]').map((_i, input) => [[$(input).attr('name'), $(input).attr('value')]]).get());
  const posted = page.files ? await sendMultipart(agent, action, { ...hidden, ...prepared.submit }, page.files) : await agent.post(action).type('form').send({ ...hidden, ...prepared.submit });
  if (posted.status !== 303) return { status: posted.status, text: posted.text, path: action };
  const location = posted.headers.location as string;
  const landed = await agent.get(location);
  return { status: landed.status, text: landed.text, path: location };
}

/** Sends a form with files as a browser does: multipart, the fields, then the files. */
function sendMultipart(agent: Agent, action: string, fields: Record<string, string>, files: NonNullable<PageVisit['files']>) {
  let request = agent.post(action);
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
  for (const [name, chosen] of Object.entries(files)) {
    const file = pageFile(chosen);
    request = request.attach(name, file.buffer, { filename: file.name, contentType: file.mimeType });
  }
  return request;
}
