// Values every page layout needs: which portal the page belongs to and the htmx path.
import { Router } from 'express';
import { PORTAL_PREFIX, type AccountKind } from '../domain/accounts.ts';
import { HTMX_PATH } from './setUpStaticResources.ts';

export type Portal = AccountKind;

export function portalFor(path: string): Portal {
  if (path === '/provider' || path.startsWith('/provider/')) return 'provider';
  if (path === '/staff' || path.startsWith('/staff/')) return 'staff';
  return 'family';
}

export function setUpPageDefaults(now: () => Date): Router {
  const router = Router();
  router.use((req, res, next) => {
    res.locals.portal = portalFor(req.path);
    res.locals.portalPrefix = PORTAL_PREFIX[res.locals.portal as Portal];
    res.locals.htmxPath = HTMX_PATH;
    res.locals.now = now();
    next();
  });
  return router;
}
