// Sessions live in PostgreSQL (connect-pg-simple), so any instance can serve any request.
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';

export interface SessionStoreHandle {
  middleware: RequestHandler;
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
  return { middleware, close: () => store.close() };
}

function longestSessionMs(config: Config): number {
  return Math.max(...Object.values(config.sessionLimits).map((limits) => limits.absoluteHours)) * 3_600_000;
}
