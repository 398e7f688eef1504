// The FHIR endpoint for integration clients: POST /fhir/import with a bearer API token.
// Mounted before the session and CSRF middleware: no cookies, its own body handling, and
// every answer (errors included) is an OperationOutcome, never an HTML page.
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Services } from '../../app.ts';
import { isDatabaseUnavailable } from '../../data/database.ts';
import { recordAnonymousRefusal } from '../../services/audit.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { authenticateApiToken, type ApiClient } from '../../services/apiTokens.ts';
import { importFhir, ImportTooLargeError, sourceFor } from '../../services/fhirImport/index.ts';
import { ACCEPTED_CONTENT_TYPES, formatOf, limitedBody } from './requestBody.ts';

const FHIR_JSON = 'application/fhir+json';

declare module 'express-serve-static-core' {
  interface Locals {
    apiClient?: ApiClient;
  }
}

export function fhirRoutes(services: Services): Router {
  const router = Router();
  const { config, db, logger } = services;

  const requireApiToken: RequestHandler = async (req, res, next) => {
    try {
      const token = /^Bearer +(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
      const client = token ? await authenticateApiToken(db, token) : undefined;
      if (client) {
        res.locals.apiClient = client;
        return next();
      }
      await recordAnonymousRefusal(db, { actorType: 'anonymous', action: 'fhir.import', outcome: 'refused', reason: token ? 'bad-token' : 'missing-token' }, requestOrigin(req));
      res.setHeader('WWW-Authenticate', token ? 'Bearer realm="fhir", error="invalid_token"' : 'Bearer realm="fhir"');
      sendOutcome(res, 401, 'login', token ? 'The API token is not valid.' : 'An API token is required (Authorization: Bearer …).');
    } catch (error) {
      next(error);
    }
  };

  router.post('/fhir/import', requireApiToken, async (req, res, next) => {
    const format = formatOf(req.get('content-type'));
    if (!format) return sendOutcome(res, 415, 'not-supported', `Send the body as one of: ${ACCEPTED_CONTENT_TYPES.join(', ')}.`);
    if (Number(req.get('content-length') ?? 0) > config.fhir.importMaxBytes) return tooLarge(res, config.fhir.importMaxBytes);
    const client = res.locals.apiClient!;
    try {
      const result = await importFhir(db, sourceFor(format, limitedBody(req, config.fhir.importMaxBytes)), {
        timeZone: config.hospital.timeZone,
        mrnSystem: config.fhir.mrnSystem,
        actor: { type: 'integration', id: client.id, ip: req.ip ?? null, requestId: String(req.id) },
        collectEntryResults: true,
      });
      if (result.ok) {
        logger.info({ reqId: req.id, apiClient: client.id, created: result.counts.created, updated: result.counts.updated, patients: result.patientCount }, 'FHIR import stored');
        return res.status(200).type(FHIR_JSON).json(result.response);
      }
      logger.info({ reqId: req.id, apiClient: client.id, problems: result.problemCount }, 'FHIR import refused');
      // Unreadable input (not JSON, not a bundle) is a bad request; readable but wrong is unprocessable.
      const unreadable = result.problems.every((problem) => problem.code === 'structure' || problem.code === 'not-supported');
      res.status(unreadable ? 400 : 422).type(FHIR_JSON).json(result.outcome);
    } catch (error) {
      if (error instanceof ImportTooLargeError) return tooLarge(res, error.limitBytes);
      next(error);
    }
  });

  router.all('/fhir/{*rest}', (_req, res) => sendOutcome(res, 404, 'not-found', 'This FHIR endpoint offers only POST /fhir/import.'));
  router.use('/fhir', fhirErrors(services.logger));
  return router;
}

function tooLarge(res: Response, limitBytes: number): void {
  // The rest of the body is not read; close the connection rather than drain it.
  res.setHeader('Connection', 'close');
  sendOutcome(res, 413, 'too-costly', `The body is larger than ${limitBytes} bytes. Split it into several imports.`);
}

function sendOutcome(res: Response, status: number, code: string, diagnostics: string): void {
  res.status(status).type(FHIR_JSON).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });
}

function fhirErrors(logger: Services['logger']): ErrorRequestHandler {
  return (error, req: Request, res, next) => {
    if (res.headersSent) return next(error);
    if (isDatabaseUnavailable(error)) {
      res.setHeader('Retry-After', '30');
      return sendOutcome(res, 503, 'transient', 'The record is unavailable. Try again soon.');
    }
    logger.error({ reqId: req.id, err: { message: error?.message, stack: error?.stack } }, 'FHIR import failed');
    sendOutcome(res, 500, 'exception', 'The import failed on our side; nothing was stored.');
  };
}
