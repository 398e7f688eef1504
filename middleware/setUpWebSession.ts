// Sessions live in PostgreSQL (connect-pg-simple), so any instance can serve any request.
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';

export interface SessionStoreHandle {
  /** The session, then saveBeforeRedirect. */
  middleware: RequestHandler[];
  close(): void;
}

export function setUpWebSession(config: Config, pool: pg.Pool): SessionStoreHandle {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'session',
    createTableIfMissing: false, // the migration creates it
    pruneSessionInterval: 15 * 60,
    errorLog: () => {}, // failures reach the request's error handler instead
    // The row's expiry is set when the session is saved; the limits that matter are checked by
    // setUpAuthentication, so an unchanged session costs no write.
    disableTouch: true,
  });
  const middleware = session({
    name: config.session.cookieName,
    secret: config.session.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // The cookie and the stored row outlive the longest signed-in session; the idle and absolute
    // limits per account kind are enforced by setUpAuthentication against the injectable clock.
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.session.secureCookies, path: '/', maxAge: longestSessionMs(config) },
  });
  return { middleware: [middleware, shortLivedWhenAnonymous, saveBeforeRedirect], close: () => store.close() };
}

/** Long enough to fill in any form slowly; anything longer only fills the session table. */
export const ANONYMOUS_SESSION_HOURS = 2;

/**
 * A visitor who has not signed in gets a session only for a form's CSRF token, and it lives
 * ANONYMOUS_SESSION_HOURS. Signing in regenerates the session, with the full lifetime.
 */
const shortLivedWhenAnonymous: RequestHandler = (req, _res, next) => {
  if (req.session && req.session.accountId === undefined) req.session.cookie.maxAge = ANONYMOUS_SESSION_HOURS * 3_600_000;
  next();
};

function longestSessionMs(config: Config): number {
  return Math.max(...Object.values(config.sessionLimits).map((limits) => limits.absoluteHours)) * 3_600_000;
}

/**
 * express-session saves a changed session while the response is already on its way: the status
 * and Location of a redirect reach the browser first, and a fast browser can ask for the next page
 * before the save lands (a flash message or a sign-up reference then seems lost). So a redirect
 * waits for the save. Sessions holding nothing are left alone, so public pages still set no cookie.
 */
const saveBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const holdsData = req.session && Object.keys(req.session).some((key) => key !== 'cookie');
    if (!holdsData) return redirect(...args);
    req.session.save((error) => (error ? next(error) : redirect(...args)));
  }) as typeof res.redirect;
  next();
};
