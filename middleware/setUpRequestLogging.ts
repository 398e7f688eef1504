// JSON request logs with a request id. Only the method, the path without its query
// string, the status and the timing are logged: never bodies, cookies or query values.
import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function setUpRequestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    // A load balancer's id is kept so one request can be followed across systems.
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, path: (req.url ?? '').split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // Health checks are polled constantly; logging them only adds noise.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  }) as unknown as RequestHandler;
}
