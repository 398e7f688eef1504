// Who opens a page in the gates: an account made for that one visit in the test database,
// signed in by posting the real forms (with a TOTP code when the account has one) from supertest
// or from a Chromium context's request client. Also the emailed links some pages are opened from, issued the same way.
// A fresh account per visit, because a TOTP code is accepted only once per account.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { BrowserContext, Page } from 'playwright-core';
import { homePath, PORTAL_PREFIX, type AccountKind, type StaffRole } from '../../domain/accounts.ts';
import { MINIMUM_ARGON2_PARAMETERS } from '../../domain/argon2Parameters.ts';
import type { Language } from '../../domain/language.ts';
import { issueLinkToken } from '../../services/identity/accountTokens.ts';
import { hashPassword } from '../../services/identity/passwordHashing.ts';
import { createAccount, PASSWORD, totpCode } from './identity.ts';
import { csrfTokenIn, type Agent } from './http.ts';
import { FRESH, type PageVisit, type Visitor } from './pages.ts';
import { FIXTURES, fillPlaceholders } from './fixtures.ts';

/** How far each visitor gets: fully signed in, waiting for the code, or made to enrol a second factor first. */
type Stage = 'signed-in' | 'awaiting-code' | 'enrolling';

const VISITORS: Record<Visitor, { kind: AccountKind; roles?: StaffRole[]; totp: boolean; stage: Stage }> = {
  family: { kind: 'family', totp: false, stage: 'signed-in' },
  'family-with-totp': { kind: 'family', totp: true, stage: 'signed-in' },
  provider: { kind: 'provider', totp: true, stage: 'signed-in' },
  'provider-awaiting-code': { kind: 'provider', totp: true, stage: 'awaiting-code' },
  'staff-admin': { kind: 'staff', roles: ['admin'], totp: true, stage: 'signed-in' },
  'staff-support': { kind: 'staff', roles: ['support'], totp: true, stage: 'signed-in' },
  'staff-care-team': { kind: 'staff', roles: ['care-team'], totp: true, stage: 'signed-in' },
  'staff-mypatients': { kind: 'staff', roles: ['mypatients-team'], totp: true, stage: 'signed-in' },
  'staff-enrolling': { kind: 'staff', roles: ['support'], totp: false, stage: 'enrolling' },
};

export interface VisitorAccount {
  id: number;
  email: string;
  kind: AccountKind;
  totp: boolean;
  stage: Stage;
}

/** A page ready to open: its path (with a link's token) and its fields (with FRESH filled in). */
export interface PreparedVisit {
  path: string;
  submit?: Record<string, string>;
  visitor?: VisitorAccount;
}

let visits = 0;
/** A new address each call, unique across test files run at the same time. */
export function freshEmail(label = 'visitor'): string {
  return `${label}-${++visits}-${randomBytes(3).toString('hex')}@example.com`;
}

// Hashing once keeps a few hundred visits fast; every account still has the same PASSWORD.
let passwordHash: Promise<string> | undefined;
function accountFor(db: Knex, account: Parameters<typeof createAccount>[1]): Promise<number> {
  passwordHash ??= hashPassword(PASSWORD, MINIMUM_ARGON2_PARAMETERS);
  return passwordHash.then((hash) => createAccount(db, { ...account, passwordHash: hash }));
}

/** `language` is the account's own, which the pages are shown in from sign-in on. */
export async function createVisitor(db: Knex, visitor: Visitor, language: Language = 'en'): Promise<VisitorAccount> {
  const { kind, roles, totp, stage } = VISITORS[visitor];
  const email = freshEmail(visitor);
  const id = await accountFor(db, { kind, email, roles, totp, preferredLanguage: language });
  return { id, email, kind, totp, stage };
}

/** Makes what `page` needs, for a visitor reading `language`; only pages with a visitor or a link need the database. */
export async function preparePage(page: PageVisit, db?: Knex, language: Language = 'en'): Promise<PreparedVisit> {
  if ((page.signedInAs || page.link || page.fixture) && !db) throw new Error(`${page.name}: needs the test database to make its account`);
  const submit = page.submit && Object.fromEntries(Object.entries(page.submit).map(([name, value]) => [name, value === FRESH ? freshEmail('typed') : value]));
  const visitor = page.signedInAs && db && (await createVisitor(db, page.signedInAs, language));
  let path = page.path;
  if (page.fixture && db) path = fillPlaceholders(path, await FIXTURES[page.fixture](db, visitor ? visitor.id : 0));
  if (page.link && db) {
    const { kind, purpose } = page.link;
    const email = freshEmail(purpose);
    const accountId = await accountFor(db, { kind, email, status: purpose === 'confirm-email' ? 'unconfirmed' : 'active' });
    const now = new Date();
    const token = await issueLinkToken(db, { accountId, purpose, expiresAt: new Date(now.getTime() + 3_600_000), now, ...(purpose === 'change-email' ? { newEmail: freshEmail('new') } : {}) });
    path += `?token=${token}`;
  }
  return { path, ...(submit ? { submit } : {}), ...(visitor ? { visitor } : {}) };
}

/** Where the password form should leave each visitor. */
function afterPassword(visitor: VisitorAccount): string {
  if (visitor.stage === 'enrolling') return `${PORTAL_PREFIX[visitor.kind]}/account/two-factor`;
  return visitor.totp ? `${PORTAL_PREFIX[visitor.kind]}/signin/code` : homePath(visitor.kind);
}

/** The two requests a sign-in needs, made by supertest or by a browser context's own request client. */
interface FormClient {
  /** The page's HTML. */
  get(path: string): Promise<string>;
  /** Posts a form (not following redirects): its status and Location. */
  post(path: string, fields: Record<string, string>): Promise<{ status: number; location?: string }>;
}

/** Signs in through the real forms (password, then the TOTP code when the visitor has one), as posted by `client`. */
async function signInWith(client: FormClient, visitor: VisitorAccount): Promise<void> {
  const prefix = PORTAL_PREFIX[visitor.kind];
  const submit = async (path: string, fields: Record<string, string>, location: string) => {
    const html = await client.get(path);
    const response = await client.post(path, { _csrf: csrfTokenIn(html), ...fields });
    if (response.status !== 303 || response.location !== location) {
      throw new Error(`signing in ${visitor.email}: expected a redirect to ${location}, got ${response.status} ${response.location ?? ''}`);
    }
  };
  await submit(`${prefix}/signin`, { email: visitor.email, password: PASSWORD }, afterPassword(visitor));
  if (visitor.totp && visitor.stage === 'signed-in') await submit(`${prefix}/signin/code`, { code: await totpCode(new Date()) }, homePath(visitor.kind));
}

export function signInOverHttp(agent: Agent, visitor: VisitorAccount): Promise<void> {
  return signInWith(
    {
      get: async (path) => (await agent.get(path)).text,
      post: async (path, fields) => {
        const response = await agent.post(path).type('form').send(fields);
        return { status: response.status, location: response.headers.location as string | undefined };
      },
    },
    visitor,
  );
}

/**
 * Signs a browser context in by posting the sign-in forms from the context's own request client,
 * which shares the context's cookies: the session is the browser's, at HTTP speed. The forms
 * themselves are clicked through in test/browser/identity.test.ts.
 */
export function signInContext(context: BrowserContext, origin: string, visitor: VisitorAccount): Promise<void> {
  return signInWith(
    {
      get: async (path) => (await context.request.get(origin + path)).text(),
      post: async (path, fields) => {
        const response = await context.request.post(origin + path, { form: fields, maxRedirects: 0 });
        return { status: response.status(), location: response.headers().location };
      },
    },
    visitor,
  );
}

/** Signs the tab's browser in (see signInContext) and opens the visitor's home page, where the forms would have left them. */
export async function signInInBrowser(tab: Page, origin: string, visitor: VisitorAccount): Promise<void> {
  await signInContext(tab.context(), origin, visitor);
  await tab.goto(origin + (visitor.stage === 'signed-in' ? homePath(visitor.kind) : afterPassword(visitor)));
}
