// /healthz: the process is up. /readyz: the database answers, so a load balancer
// can stop sending traffic to an instance that cannot serve it.
import { Router } from 'express';
import { databaseIsReachable, type Database } from '../data/database.ts';

export function setUpHealthChecks(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const ready = await databaseIsReachable(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', database: ready ? 'ok' : 'unreachable' });
  });
  return router;
}
