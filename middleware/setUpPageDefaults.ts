// Values every page layout needs: which portal the page belongs to and the htmx path.
import { Router } from 'express';
import { HTMX_PATH } from './setUpStaticResources.ts';

export type Portal = 'family' | 'provider' | 'staff';

export function portalFor(path: string): Portal {
  if (path === '/provider' || path.startsWith('/provider/')) return 'provider';
  if (path === '/staff' || path.startsWith('/staff/')) return 'staff';
  return 'family';
}

export function setUpPageDefaults(now: () => Date): Router {
  const router = Router();
  router.use((req, res, next) => {
    res.locals.portal = portalFor(req.path);
    res.locals.htmxPath = HTMX_PATH;
    res.locals.now = now();
    next();
  });
  return router;
}
