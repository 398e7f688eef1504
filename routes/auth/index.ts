// Identity pages for each portal: the same flows under `/`, `/provider` and `/staff`.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { ACCOUNT_KINDS, PORTAL_PREFIX } from '../../domain/accounts.ts';
import { signInRoutes } from './signIn.ts';
import { signUpRoutes } from './signUp.ts';
import { passwordResetRoutes } from './passwordReset.ts';
import { accountRoutes } from './account.ts';
import { languageRoutes } from './language.ts';

export function authRoutes(services: Services): Router {
  const router = Router();
  router.use(signUpRoutes(services), languageRoutes(services));
  for (const kind of ACCOUNT_KINDS) {
    const portal = Router();
    portal.use(signInRoutes(services, kind), passwordResetRoutes(services, kind), accountRoutes(services, kind));
    router.use(PORTAL_PREFIX[kind] || '/', portal);
  }
  return router;
}
