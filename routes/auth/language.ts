// The language switch for someone signed in: a form (it changes the account, so it carries the
// CSRF token) that saves the choice as the account's language and shows the pages in it.
// People who are not signed in use the plain link of middleware/setUpI18n.ts.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { isLanguage } from '../../domain/language.ts';
import { isLocalPath } from '../../domain/localPath.ts';
import { rememberLanguage } from '../../middleware/setUpI18n.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { changeLanguage } from '../../services/identity/accountSettings.ts';

export function languageRoutes(services: Services): Router {
  const router = Router();
  router.post('/language', async (req, res) => {
    const language = req.body?.language;
    const back = isLocalPath(req.body?.back) ? req.body.back : '/';
    if (isLanguage(language)) {
      // Only a fully signed-in session changes the account; halfway through sign-in it is the page only.
      if (req.account && req.session.authStage === 'signed-in') await changeLanguage(services, req.account, language, requestOrigin(req));
      rememberLanguage(res, services.config, language);
    }
    res.redirect(303, back);
  });
  return router;
}
