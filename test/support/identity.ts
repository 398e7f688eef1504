// Helpers for identity tests: accounts made directly, the emails sent, and signing in over HTTP.
import * as cheerio from 'cheerio';
import { generate } from 'otplib';
import type { Knex } from 'knex';
import type { AccountKind, StaffRole } from '../../domain/accounts.ts';
import type { Language } from '../../domain/language.ts';
import { insertAccount } from '../../data/accounts.ts';
import { hashPassword } from '../../services/identity/passwordHashing.ts';
import { MINIMUM_ARGON2_PARAMETERS } from '../../domain/argon2Parameters.ts';
import { loadConfig } from '../../config.ts';
import { sealSecret } from '../../services/identity/sealedSecrets.ts';
import { csrfTokenIn, type Agent } from './http.ts';
import { eventually } from './eventually.ts';

export const PASSWORD = 'Correct-Horse-42';
export const TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** The keys every test app has (loadConfig's development key), so accounts made here work there. */
const TEST_ENCRYPTION_KEYS = loadConfig({ NODE_ENV: 'test' }).encryptionKeys;

export async function createAccount(
  db: Knex,
  account: { kind: AccountKind; email: string; roles?: StaffRole[]; totp?: boolean; status?: 'active' | 'unconfirmed'; passwordHash?: string; preferredLanguage?: Language },
  now = new Date(),
): Promise<number> {
  return insertAccount(
    db,
    {
      kind: account.kind,
      email: account.email,
      name: 'Test Person',
      preferredLanguage: account.preferredLanguage ?? 'en',
      passwordHash: account.passwordHash ?? (await hashPassword(PASSWORD, MINIMUM_ARGON2_PARAMETERS)),
      status: account.status ?? 'active',
      roles: account.roles ?? [],
      sealedTotpSecret: account.totp ? sealSecret(TEST_ENCRYPTION_KEYS, TOTP_SECRET) : null,
    },
    now,
  );
}

export function totpCode(at: Date, secret = TOTP_SECRET): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export interface SentEmail {
  subject: string;
  text: string;
  html: string;
  template: string;
}

export async function emailsTo(db: Knex, address: string): Promise<SentEmail[]> {
  const rows = await db('email_outbox').where({ recipient: address }).orderBy('id');
  return rows.map((row) => ({ subject: row.subject, text: row.text_body, html: row.html_body, template: row.template }));
}

/** The emails to `address` once there are `count` of them: a job (forgot password) sends some. */
export function emailsOnceThere(db: Knex, address: string, count: number): Promise<SentEmail[]> {
  return eventually(`${count} email(s) to ${address}`, async () => {
    const emails = await emailsTo(db, address);
    return emails.length >= count ? emails : undefined;
  });
}

/** Resolves once `count` forgot-password requests have been worked (sent or, for no account, dropped). */
export async function passwordResetsWorked(db: Knex, count: number): Promise<void> {
  await eventually(`${count} forgot-password request(s) worked`, async () => {
    const row = await db('pgboss.job').where({ name: 'password-reset', state: 'completed' }).count({ n: '*' }).first();
    return Number(row?.n) >= count ? true : undefined;
  });
}

/** The link in the newest email to `address`, as a path and query on this site. */
export async function linkInLatestEmail(db: Knex, address: string): Promise<string> {
  const latest = (await emailsTo(db, address)).at(-1);
  const match = latest?.text.match(/https?:\/\/[^\s]+/);
  if (!match) throw new Error(`no link in the latest email to ${address}`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

/** Submits the (first POST) form on the page at `path` with `fields`; returns the response. */
export async function submitForm(agent: Agent, path: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(path);
  const $ = cheerio.load(page.text);
  const form = $('main form[method="post"]').first();
  const action = form.attr('action') ?? path;
  const hidden = Object.fromEntries(form.find('input[type="hidden"]').map((_i, input) => [[$(input).attr('name'), $(input).attr('value')]]).get());
  return agent.post(action).type('form').send({ ...hidden, _csrf: csrfTokenIn(page.text), ...fields });
}

/**
 * Signs in a session that reads `language`: the account's language is the page language from
 * sign-in on, so it is set first (for tests that read one account's pages in both languages).
 */
export async function signInReading(db: Knex, agent: Agent, prefix: string, email: string, language: Language): Promise<string> {
  await db('accounts').where({ email }).update({ preferred_language: language });
  return signIn(agent, prefix, email);
}

/** Signs in with email and password; returns the redirect's location. */
export async function signIn(agent: Agent, prefix: string, email: string, password = PASSWORD, returnTo?: string): Promise<string> {
  const response = await submitForm(agent, `${prefix}/signin${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`, { email, password });
  return response.status === 303 ? String(response.headers.location) : `status ${response.status}`;
}

