// Development only: read the email outbox in the browser instead of a real mailbox.
// Not mounted in production (app.ts), so these URLs answer 404 there.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { findEmail, recentEmails } from '../../services/emailOutbox.ts';

export function devRoutes(services: Services): Router {
  const router = Router();

  router.get('/dev/mailbox', async (_req, res) => {
    const emails = await recentEmails(services.db);
    res.render('dev/mailbox.njk', { emails });
  });

  router.get('/dev/mailbox/:id', async (req, res, next) => {
    const id = Number(req.params.id);
    const email = Number.isSafeInteger(id) ? await findEmail(services.db, id) : undefined;
    if (!email) return next();
    res.render('dev/email.njk', { email });
  });

  return router;
}
