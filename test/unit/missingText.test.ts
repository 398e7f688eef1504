// The `t()` every page uses: a missing text throws in development and tests, so it is found;
// in production it is logged once and the page still renders.
import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import type { Logger } from 'pino';
import { loadConfig } from '../../config.ts';
import { setUpI18n } from '../../middleware/setUpI18n.ts';
import { PRODUCTION_ENV } from '../support/productionEnv.ts';

function appIn(env: Record<string, string>, warnings: unknown[]) {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const logger = { warn: (fields: unknown, message: string) => warnings.push([fields, message]) } as unknown as Logger;
  const app = express();
  app.use(setUpI18n(config, logger));
  app.get('/', (_req, res) => {
    const t = res.locals.t as (key: string) => string;
    res.send(`${t('pagination.next')}|${t('practiceChange.notices.approved')}`);
  });
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(500).send('failed'));
  return app;
}

describe('a text missing from the catalogues', () => {
  it('stops the page in development and tests, so it is found and fixed', async () => {
    for (const env of ['development', 'test']) {
      const warnings: unknown[] = [];
      expect((await supertest(appIn({ NODE_ENV: env }, warnings)).get('/')).status, env).to.equal(500);
    }
  });

  it('in production shows the key’s last segment, and is logged once with the key and language only', async () => {
    const warnings: unknown[] = [];
    const app = appIn(PRODUCTION_ENV, warnings);
    for (const language of ['en', 'en', 'es']) {
      const page = await supertest(app).get('/').set('Accept-Language', language);
      expect(page.status).to.equal(200);
      expect(page.text).to.match(/\|approved$/);
    }
    expect(warnings).to.deep.equal([
      [{ language: 'en', key: 'practiceChange.notices.approved' }, 'missing text'],
      [{ language: 'es', key: 'practiceChange.notices.approved' }, 'missing text'],
    ]);
  });
});
