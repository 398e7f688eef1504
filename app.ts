// createApp(deps): the Express application, with middleware in a fixed order and then
// the routers. server.ts only listens; tests build the app against a test database.
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type pg from 'pg';
import type { Config } from './config.ts';
import type { Database } from './data/database.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { IdentityDeps } from './services/identity/deps.ts';
import { createViewEnvironment } from './views/nunjucks.ts';
import { setUpRequestLogging } from './middleware/setUpRequestLogging.ts';
import { noStore, setUpWebSecurity } from './middleware/setUpWebSecurity.ts';
import { setUpHealthChecks } from './middleware/setUpHealthChecks.ts';
import { setUpStaticResources } from './middleware/setUpStaticResources.ts';
import { setUpI18n } from './middleware/setUpI18n.ts';
import { setUpWebSession } from './middleware/setUpWebSession.ts';
import { setUpCsrf } from './middleware/setUpCsrf.ts';
import { errorHandler, notFound } from './middleware/errorHandlers.ts';
import { setUpPageDefaults } from './middleware/setUpPageDefaults.ts';
import { publicRoutes } from './routes/public/index.ts';
import { devRoutes } from './routes/dev/index.ts';
import { authRoutes } from './routes/auth/index.ts';
import { homeRoutes } from './routes/home/index.ts';
import { patientRoutes } from './routes/patients/index.ts';
import { familyMessageUploads } from './routes/patients/messages/index.ts';
import { staffAdminRoutes } from './routes/staff/admin.ts';
import { staffSupportRoutes, staffSupportUploads } from './routes/staff/support.ts';
import { careTeamMessageRoutes, careTeamMessageUploads } from './routes/staff/careTeamMessages.ts';
import { careTeamRecordRoutes } from './routes/staff/careTeamRecord.ts';
import { providerRegistrationRoutes, providerRegistrationUploads } from './routes/provider/register.ts';
import { myPatientsRegistrationRoutes } from './routes/staff/myPatientsRegistrations.ts';
import { providerSearchRoutes } from './routes/provider/search.ts';
import { providerTokenRoutes } from './routes/provider/tokens.ts';
import { myPatientsPcpRequestRoutes } from './routes/staff/myPatientsPcpRequests.ts';
import { providerPatientRoutes } from './routes/provider/patients.ts';
import { myPatientsPracticeChangeRoutes } from './routes/staff/myPatientsPracticeChanges.ts';
import { practiceChangeRoutes } from './routes/provider/practiceChange.ts';
import { setUpAuthentication } from './middleware/setUpAuthentication.ts';
import { createSignInLimiter } from './services/identity/signInLimiter.ts';
import { fhirRoutes } from './routes/fhir/index.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  /** A pg pool for the session store. */
  sessionPool: pg.Pool;
  queue: JobQueue;
  logger: Logger;
  /** The clock; tests pass their own to move time on without waiting. */
  now?: () => Date;
}

export interface App {
  app: Express;
  /** Stops timers the app started (the session store's pruning). */
  close(): void;
}

export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'njk');
  const views = createViewEnvironment({ reloadTemplates: config.env === 'development', timeZone: config.hospital.timeZone, app });

  app.use(setUpRequestLogging(deps.logger));
  app.use(setUpWebSecurity({ secureCookies: config.session.secureCookies }));
  app.use(setUpHealthChecks(deps.db));
  app.use(setUpStaticResources({ production: config.isProduction }));
  app.use(noStore);
  app.use(setUpI18n(config, deps.logger));
  const now = deps.now ?? (() => new Date());
  app.use(setUpPageDefaults(now));
  const services: Services = { ...deps, views, now, signInLimiter: createSignInLimiter(deps.db) };
  // Integration clients authenticate with a bearer token, not a cookie: no session, no CSRF.
  app.use(fhirRoutes(services));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  const session = setUpWebSession(config, deps.sessionPool);
  app.use(...session.middleware);
  // Multipart forms (guardianship papers, provider registration, messages with attachments) are
  // read first, so their CSRF field can be checked.
  app.use(staffSupportUploads());
  app.use(familyMessageUploads(config));
  app.use(careTeamMessageUploads(config));
  app.use(providerRegistrationUploads(services));
  app.use(setUpCsrf());
  app.use(setUpAuthentication({ db: deps.db, config, now }));

  app.use(publicRoutes(services));
  app.use(authRoutes(services));
  app.use(homeRoutes(services));
  app.use(patientRoutes(services));
  app.use(staffAdminRoutes(services));
  app.use(staffSupportRoutes(services));
  app.use(careTeamMessageRoutes(services));
  app.use(careTeamRecordRoutes(services));
  app.use(providerRegistrationRoutes(services));
  app.use(myPatientsRegistrationRoutes(services));
  app.use(providerSearchRoutes(services));
  app.use(providerTokenRoutes(services));
  app.use(myPatientsPcpRequestRoutes(services));
  app.use(providerPatientRoutes(services));
  app.use(practiceChangeRoutes(services));
  app.use(myPatientsPracticeChangeRoutes(services));
  if (config.devMailbox) app.use(devRoutes(services));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return { app, close: session.close };
}

export type Services = AppDeps & IdentityDeps & { views: ReturnType<typeof createViewEnvironment>; now: () => Date };
