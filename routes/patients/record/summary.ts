// The record's summary: what a family most often opens the portal for, on one page.
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { combineNotices } from '../../../domain/familyRecord.ts';
import { isCurrentMedication } from '../../../domain/recordTerms.ts';
import { openCurrentPatient } from '../currentPatient.ts';

const UPCOMING_SHOWN = 3;
const LATEST_PANELS_SHOWN = 3;

export function summaryRoutes(services: Services): Router {
  const router = Router();
  router.get('/patients/:patientId/record', requireSignedIn('family'), openCurrentPatient(services, 'record-summary'), async (req, res) => {
    const record = req.record!;
    const [visits, labs, allergies, medications, careTeam] = await Promise.all([record.visits(), record.labPanels(), record.allergies(), record.medications(), record.careTeam()]);
    res.render('patients/record/summary.njk', {
      section: 'record',
      upcoming: visits.upcoming.slice(0, UPCOMING_SHOWN),
      moreUpcoming: visits.upcoming.length > UPCOMING_SHOWN,
      panels: labs.items.slice(0, LATEST_PANELS_SHOWN),
      allergies: allergies.items,
      medications: medications.items.filter((medication) => isCurrentMedication(medication.status)),
      careTeam,
      notices: combineNotices(visits.notices, labs.notices, medications.notices),
    });
  });
  return router;
}
