// csrf-sync: a token kept in the session and sent back in a hidden `_csrf` field on
// every POST. The token is only created when a page renders a form, so reading
// public pages never creates a session.
import { csrfSync } from 'csrf-sync';
import { Router, type Request } from 'express';

const { generateToken, csrfSynchronisedProtection, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req: Request) => (req.body as { _csrf?: unknown } | undefined)?._csrf as string | undefined,
});

export { invalidCsrfTokenError };

export function setUpCsrf(): Router {
  const router = Router();
  router.use((req, res, next) => {
    res.locals.csrfToken = () => generateToken(req);
    next();
  });
  router.use(csrfSynchronisedProtection);
  return router;
}

export function isCsrfError(error: unknown): boolean {
  return error === invalidCsrfTokenError || (error as { code?: unknown } | null)?.code === 'EBADCSRFTOKEN';
}
