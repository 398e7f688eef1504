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
  });
  const middleware = session({
    name: config.session.cookieName,
    secret: config.session.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // The store refreshes expiry on each request; timeouts per account kind come with sign-in.
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.session.secureCookies, path: '/', maxAge: 12 * 60 * 60 * 1000 },
  });
  return { middleware, close: () => store.close() };
}
