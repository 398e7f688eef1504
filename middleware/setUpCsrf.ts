// csrf-sync: a token kept in the session and sent back in a hidden `_csrf` field on
// every POST. The token is only created when a page renders a form, so reading
// public pages never creates a session.
import { csrfSync } from 'csrf-sync';
import { Router, type Request } from 'express';

const { generateToken, getTokenFromState, csrfSynchronisedProtection, invalidCsrfTokenError } = csrfSync({
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

/** Whether the session holds a form token at all: a request without one will be refused anyway. */
export function sessionHasFormToken(req: Request): boolean {
  return typeof getTokenFromState(req) === 'string';
}

export function isCsrfError(error: unknown): boolean {
  return error === invalidCsrfTokenError || (error as { code?: unknown } | null)?.code === 'EBADCSRFTOKEN';
}
