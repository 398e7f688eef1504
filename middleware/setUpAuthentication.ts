// Who is signed in: loads the account on every request (so a disabled account or a reset
// takes effect at once), ends sessions that have timed out, and guards signed-in pages.
import { Router, type Request, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { PORTAL_PREFIX, sessionState, type AccountKind, type StaffRole } from '../domain/accounts.ts';
import { isLocalPath } from '../domain/localPath.ts';
import { findAccountById, type Account } from '../data/accounts.ts';
import { recordAudit } from '../services/audit.ts';

export type AuthStage = 'second-factor' | 'enrol-second-factor' | 'signed-in';

declare module 'express-session' {
  interface SessionData {
    accountId?: number;
    accountKind?: AccountKind;
    authStage?: AuthStage;
    signedInAt?: number;
    lastSeenAt?: number;
    /** Shown once on the next patient page: 'added' or 'already-linked'. */
    patientNotice?: 'added' | 'already-linked';
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    account?: Account;
  }
}

/**
 * Whether the session has passed every factor for `kind`'s portal. Upload parsers run before this
 * module's checks (the CSRF token is inside the multipart body) and read files only when it holds.
 */
export function sessionFullySignedIn(req: Request, kind: AccountKind): boolean {
  return req.session?.accountKind === kind && req.session.authStage === 'signed-in';
}

interface AuthenticationDeps {
  db: Knex;
  config: Config;
  now: () => Date;
}

export function setUpAuthentication(deps: AuthenticationDeps): Router {
  const router = Router();
  router.use(async (req, res, next) => {
    const { session } = req;
    if (session?.accountId === undefined || !session.accountKind) return next();
    const kind = session.accountKind;
    const now = deps.now();
    const state = sessionState(
      { signedInAt: new Date(session.signedInAt ?? 0), lastSeenAt: new Date(session.lastSeenAt ?? 0) },
      deps.config.sessionLimits[kind],
      now,
    );
    if (!state.active) {
      await recordAudit(deps.db, { actorType: kind, actorId: session.accountId, action: 'session-timeout', subjectType: 'account', subjectId: session.accountId, outcome: 'success', reason: state.reason }, requestOrigin(req));
      await endSession(req);
      // Already on the way to sign in (the idle warning's script sends people there): show that page.
      if (req.method === 'GET' && req.path === signInPath(kind)) return next();
      // A page asked for with GET is shown again after signing in; a form sent too late is not resent.
      return res.redirect(303, signInPath(kind, { timedOut: '1', ...(req.method === 'GET' ? { returnTo: req.originalUrl } : {}) }));
    }
    const account = await findAccountById(deps.db, session.accountId);
    if (!account || account.status === 'disabled' || account.kind !== kind) {
      await endSession(req);
      return next();
    }
    req.account = account;
    // Recorded only after a tenth of the idle limit (at most a minute) has passed, so a busy page
    // does not rewrite its session row on every request; the limit may end that much early, never late.
    const resolutionMs = Math.min(60_000, (deps.config.sessionLimits[kind].idleMinutes * 60_000) / 10);
    if (now.getTime() - (session.lastSeenAt ?? 0) >= resolutionMs) session.lastSeenAt = now.getTime();
    if (session.authStage === 'signed-in') {
      res.locals.account = account;
      res.locals.accountPrefix = PORTAL_PREFIX[kind];
      res.locals.sessionIdleSeconds = deps.config.sessionLimits[kind].idleMinutes * 60;
    }
    next();
  });
  return router;
}

/** Only for someone fully signed in to `kind`'s portal; others are sent to sign in and brought back. */
export function requireSignedIn(kind: AccountKind, options: { duringEnrolment?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const { session } = req;
    if (!req.account || session.accountKind !== kind) {
      const signIn = signInPath(kind, req.method === 'GET' ? { returnTo: req.originalUrl } : {});
      // htmx follows a redirect inside fetch and would pour the sign-in page into the region it updates.
      if (req.get('HX-Request') === 'true') return res.status(401).set('HX-Redirect', signIn).end();
      return res.redirect(303, signIn);
    }
    if (session.authStage === 'second-factor') return res.redirect(303, `${PORTAL_PREFIX[kind]}/signin/code`);
    if (session.authStage === 'enrol-second-factor' && !options.duringEnrolment) return res.redirect(303, `${PORTAL_PREFIX[kind]}/account/two-factor`);
    next();
  };
}

export function requireRole(role: StaffRole): RequestHandler {
  return (req, res, next) => {
    if (req.account?.roles.includes(role)) return next();
    res.status(403).render('errors/not-allowed.njk');
  };
}

export function signInPath(kind: AccountKind, query: Record<string, string> = {}): string {
  const returnTo = query.returnTo;
  const cleaned = { ...query };
  if (returnTo !== undefined && !isLocalPath(returnTo)) delete cleaned.returnTo;
  const search = new URLSearchParams(cleaned).toString();
  return `${PORTAL_PREFIX[kind]}/signin${search ? `?${search}` : ''}`;
}

/** Replaces the session with an empty one (the old id stops working). */
export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

export function requestOrigin(req: Request): { ip: string | undefined; requestId: string | undefined } {
  return { ip: req.ip, requestId: typeof req.id === 'string' ? req.id : req.id === undefined ? undefined : String(req.id) };
}
