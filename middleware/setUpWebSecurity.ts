// Security headers (a strict Content-Security-Policy with a fresh nonce per request),
// the allowed HTTP methods, and no caching of dynamic pages.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST']);

export function setUpWebSecurity(options: { secureCookies: boolean }): Router {
  const router = Router();

  router.use((req, res, next) => {
    if (ALLOWED_METHODS.has(req.method)) return next();
    res.setHeader('Allow', 'GET, HEAD, POST');
    res.status(405).type('text/plain').send('Method not allowed');
  });

  router.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });

  const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as Response).locals.cspNonce}'`;
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", nonce],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          ...(options.secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // HSTS only makes sense when the site is served over TLS.
      strictTransportSecurity: options.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    }) as RequestHandler,
  );
  return router;
}

/** Pages are built for one person at one moment: never store them in any cache. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
