// The last word on every request: 404, refused forms (CSRF), database outages and
// anything unexpected, each as a page in the person's language, never a stack trace.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../data/database.ts';
import { isCsrfError } from './setUpCsrf.ts';

export const notFound: RequestHandler = (_req, res) => {
  renderError(res, 404, 'errors/not-found.njk');
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (isCsrfError(error)) {
      logger.warn({ reqId: req.id, path: req.path }, 'form refused: missing or foreign CSRF token');
      return renderError(res, 403, 'errors/form-expired.njk');
    }
    if (isDatabaseUnavailable(error)) {
      logger.error({ reqId: req.id, err: { message: error.message, code: error.code } }, 'database unavailable');
      res.setHeader('Retry-After', '30');
      return renderError(res, 503, 'errors/unavailable.njk');
    }
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 404) return renderError(res, 404, 'errors/not-found.njk');
    if (status < 500) return renderError(res, status, 'errors/bad-request.njk');
    // The stack goes to the log only; error messages from our code carry no PHI.
    logger.error({ reqId: req.id, err: { message: error?.message, stack: error?.stack } }, 'unhandled error');
    return renderError(res, 500, 'errors/server-error.njk');
  };
}

function renderError(res: Response, status: number, view: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(status);
  if (!res.locals.t) {
    // Before the language is known (a failure in the earliest middleware): plain text.
    res.type('text/plain').send(status === 503 ? 'Service unavailable. Please try again soon.' : 'Something went wrong.');
    return;
  }
  res.render(view, (renderFailure: Error | null, html?: string) => {
    if (renderFailure) res.type('text/plain').send('Something went wrong. Please try again later.');
    else res.send(html);
  });
}
