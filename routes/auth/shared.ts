// Pieces every identity page shares: the fields' rules, the password check with its messages,
// and starting a session at sign-in.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { homePath, PORTAL_PREFIX, type AccountKind } from '../../domain/accounts.ts';
import { isLocalPath } from '../../domain/localPath.ts';
import { checkPassword, PASSWORD_RULES } from '../../domain/passwordRules.ts';
import type { Account } from '../../data/accounts.ts';
import type { AuthStage } from '../../middleware/setUpAuthentication.ts';
import { portalFor } from '../../middleware/setUpPageDefaults.ts';
import { addProblem, type FormProblems } from '../forms.ts';

export const emailField = z
  .string()
  .trim()
  .min(1, 'auth.errors.emailMissing')
  .max(254, 'auth.errors.emailInvalid')
  .pipe(z.email('auth.errors.emailInvalid'));

/** Passwords are never trimmed: every character counts. The rules are checked separately. */
export const passwordField = (missing: string) => z.string().min(1, missing).max(4096, 'passwords.failures.too-long');

export const returnToField = z
  .string()
  .optional()
  .transform((value) => (isLocalPath(value) ? value : undefined));

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Adds, as one message on the password field, every rule a new password breaks. */
export function addPasswordProblems(problems: FormProblems, t: Translate, config: Config, password: string, email: string): void {
  const profile = config.passwords.profile;
  const check = password ? checkPassword(password, { email }, profile) : { ok: true as const };
  if (check.ok) return;
  const { minimumLength: minimum, maximumLength: maximum } = PASSWORD_RULES[profile];
  addProblem(problems, 'password', check.failures.map((failure) => t(`passwords.failures.${failure}`, { minimum, maximum })).join(' '));
}

export function passwordHint(t: Translate, config: Config): string {
  const profile = config.passwords.profile;
  return t(`passwords.hint.${profile}`, { minimum: PASSWORD_RULES[profile].minimumLength });
}

/** Signing in or stepping up: a new session id every time, so a planted or stolen id is worthless. */
export async function beginSession(req: Request, account: Account, stage: AuthStage, now: Date, returnTo?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
  Object.assign(req.session, {
    accountId: account.id,
    accountKind: account.kind,
    authStage: stage,
    signedInAt: now.getTime(),
    lastSeenAt: now.getTime(),
    returnTo,
  });
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

export function afterSignIn(req: Request, kind: AccountKind): string {
  const returnTo = req.session.returnTo;
  delete req.session.returnTo;
  // Only back into the portal just signed in to: a family session is no use on a MyPatients page.
  return isLocalPath(returnTo) && portalFor(returnTo.split('?')[0]!) === kind ? returnTo : homePath(kind);
}

export function portalPath(kind: AccountKind, path: string): string {
  return `${PORTAL_PREFIX[kind]}${path}`;
}

/** The page a form is shown on again, with what was typed (never the password) and the errors. */
export function renderForm(res: Response, status: number, view: string, locals: Record<string, unknown>): void {
  res.status(status).render(view, { errors: [], fieldErrors: {}, values: {}, ...locals });
}

/** A form that sends email reached its limit (services/emailLimits.ts): nothing was sent. */
export function renderEmailPaused(res: Response, paused: { retryAfterSeconds: number }): void {
  res.setHeader('Retry-After', String(paused.retryAfterSeconds));
  res.status(429).render('auth/email-paused.njk', { minutes: Math.ceil(paused.retryAfterSeconds / 60) });
}

declare module 'express-session' {
  interface SessionData {
    returnTo?: string;
  }
}
