// Development only: read the email outbox in the browser instead of a real mailbox.
// Mounted only when config.devMailbox is on (never in production), and it answers only requests
// made on this machine: the emails hold reset links, so anyone who reads them can take an account.
import { Router, type RequestHandler } from 'express';
import { isLoopbackAddress } from '../../domain/loopback.ts';
import type { Services } from '../../app.ts';
import { findEmail, recentEmails } from '../../services/emailOutbox.ts';

export function devRoutes(services: Services): Router {
  const router = Router();
  router.use('/dev', onlyFromThisMachine);

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

/** A loopback peer that no proxy speaks for: a request forwarded by a proxy on this host is remote. */
const onlyFromThisMachine: RequestHandler = (req, _res, next) => {
  const loopback = isLoopbackAddress(req.socket.remoteAddress ?? '');
  const forwarded = req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined;
  // 'router' skips the mailbox's routes, so the request ends in the ordinary 404 page.
  next(loopback && !forwarded ? undefined : 'router');
};
