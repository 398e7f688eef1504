import { expect } from 'chai';
import pino from 'pino';
import supertest from 'supertest';
import { createApp, type App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { createDatabase, createPool, type Database } from '../../data/database.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../data/embeddedPostgres.ts';
import { migrateToLatest } from '../../data/migrate.ts';
import { startJobQueue, type JobQueue } from '../../jobs/queue.ts';
import { freePort, temporaryDirectory } from '../support/database.ts';

// Uses its own PostgreSQL server, so stopping it disturbs no other test.
describe('when PostgreSQL stops and comes back', function () {
  this.timeout(60000);
  let server: EmbeddedServer;
  let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
  let db: Database;
  let pool: ReturnType<typeof createPool>;
  let queue: JobQueue;
  let built: App;

  before(async () => {
    dir = await temporaryDirectory('portal-outage-');
    server = await startEmbeddedPostgres({ dataDir: dir.path, port: await freePort() });
    await server.createDatabaseIfMissing('portal');
    const url = server.urlFor('portal');
    db = createDatabase(url, 3);
    await migrateToLatest(db);
    pool = createPool(url, 2, () => {});
    queue = await startJobQueue(url, pino({ level: 'silent' }));
    built = createApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), db, sessionPool: pool, queue, logger: pino({ level: 'silent' }) });
  });

  after(async () => {
    await queue.stop({ graceful: false, wait: true, close: true }).catch(() => {});
    built.close();
    await pool.end().catch(() => {});
    await db.destroy();
    await server.stop();
    await dir.remove();
  });

  it('answers a friendly 503, keeps the process up, and recovers by itself', async () => {
    const agent = supertest.agent(built.app);
    expect((await agent.get('/readyz')).status).to.equal(200);
    expect((await agent.get('/contact')).status).to.equal(200); // holds a session from here on

    await server.stop();

    const ready = await agent.get('/readyz');
    expect(ready.status).to.equal(503);
    expect(ready.body).to.deep.equal({ status: 'unavailable', database: 'unreachable' });
    expect((await agent.get('/healthz')).status).to.equal(200);
    const page = await agent.get('/contact').set('Cookie', 'lang=es');
    expect(page.status).to.equal(503);
    expect(page.headers['retry-after']).to.equal('30');
    expect(page.text).to.include('el servicio no está disponible');
    // A visitor without a session reads public pages without touching the database.
    expect((await supertest(built.app).get('/help')).status).to.equal(200);
    // Someone with a session needs it loaded, so they get the friendly page too.
    expect((await agent.get('/help')).status).to.equal(503);

    await server.start();

    expect((await agent.get('/readyz')).status).to.equal(200);
    expect((await agent.get('/contact')).status).to.equal(200);
  });
});
