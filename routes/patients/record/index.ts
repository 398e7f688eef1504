// The health record pages of MyChildren's, one module per section. Every page opens the patient
// through openCurrentPatient, which checks the link, writes the audit row and hands the page
// req.record: the only way a page reads the record (services/record/familyRecord.ts).
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { summaryRoutes } from './summary.ts';
import { visitRoutes } from './visits.ts';
import { noteRoutes } from './notes.ts';
import { resultRoutes } from './results.ts';
import { reportRoutes } from './reports.ts';
import { listRoutes } from './lists.ts';
import { careTeamRoutes } from './careTeam.ts';
import { downloadRoutes } from './download.ts';
import { whoHasLookedRoutes } from './whoHasLooked.ts';

export function recordRoutes(services: Services): Router {
  const router = Router();
  for (const routes of [summaryRoutes, visitRoutes, noteRoutes, resultRoutes, reportRoutes, listRoutes, careTeamRoutes, downloadRoutes, whoHasLookedRoutes]) {
    router.use(routes(services));
  }
  return router;
}
