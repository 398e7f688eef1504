// Helpers for driving forms over HTTP with supertest, as a browser without JavaScript would.
import * as cheerio from 'cheerio';
import supertest from 'supertest';
import type { Express } from 'express';
import type { PageVisit } from './pages.ts';

export type Agent = ReturnType<typeof supertest.agent>;

export function agentIn(app: Express, language: 'en' | 'es'): Agent {
  const agent = supertest.agent(app);
  agent.set('Cookie', `lang=${language}`);
  return agent;
}

export function csrfTokenIn(html: string): string {
  const token = cheerio.load(html)('input[name="_csrf"]').attr('value');
  if (!token) throw new Error('page has no CSRF field');
  return token;
}

/** GETs the page, submits its form if asked, follows one redirect; returns the final response. */
export async function visit(agent: Agent, page: PageVisit): Promise<{ status: number; text: string; path: string }> {
  const first = await agent.get(page.path);
  if (!page.submit) return { status: first.status, text: first.text, path: page.path };
  const $ = cheerio.load(first.text);
  const action = $('form[method="post"]').attr('action') ?? page.path;
  const posted = await agent.post(action).type('form').send({ ...page.submit, _csrf: csrfTokenIn(first.text) });
  if (posted.status !== 303) return { status: posted.status, text: posted.text, path: action };
  const location = posted.headers.location as string;
  const landed = await agent.get(location);
  return { status: landed.status, text: landed.text, path: location };
}
