// MyChildren's secure messaging, per patient: the inbox and sent lists, writing to the care team,
// each conversation with its replies, and attachments.
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import type { Config } from '../../../config.ts';
import { messageUploads } from '../../../services/messaging/uploads.ts';
import { sessionFullySignedIn } from '../../../middleware/setUpAuthentication.ts';
import { mailboxRoutes } from './mailbox.ts';
import { composeRoutes, COMPOSE_PATH } from './compose.ts';
import { threadRoutes, REPLY_PATH } from './thread.ts';

export function messageRoutes(services: Services): Router {
  const router = Router();
  router.use(mailboxRoutes(services));
  router.use(composeRoutes(services));
  router.use(threadRoutes(services));
  return router;
}

/**
 * A message's files come in a multipart body, which also carries the CSRF token, so they are read
 * before the CSRF check: app.ts mounts this ahead of it. Only a fully signed-in family session's
 * upload is read.
 */
export function familyMessageUploads(config: Config): Router {
  const router = Router();
  const readUpload = messageUploads({ limits: config.messageUploads });
  router.post([COMPOSE_PATH, REPLY_PATH], (req, res, next) => {
    if (!sessionFullySignedIn(req, 'family')) return next();
    readUpload(req, res, next);
  });
  return router;
}
