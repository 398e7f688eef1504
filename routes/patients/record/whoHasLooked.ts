// "Who has looked at this record": the views of the patient's record, a page of 25 at a time
// (services/record/whoHasLooked.ts). Plain links page through it.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { recordViewsPage } from '../../../services/record/whoHasLooked.ts';
import { openCurrentPatient } from '../currentPatient.ts';

// Anything but a sensible page number shows the first page.
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) }).catch({ page: 1 });

export function whoHasLookedRoutes(services: Services): Router {
  const router = Router();
  router.get('/patients/:patientId/who-has-looked', requireSignedIn('family'), openCurrentPatient(services, 'who-has-looked'), async (req, res) => {
    const { page } = querySchema.parse(req.query);
    const patientId = req.patient!.patientId;
    const views = await recordViewsPage(services, patientId, page);
    res.render('patients/record/who-has-looked.njk', {
      section: 'who-has-looked',
      ...views,
      hrefFor: (number: number) => `/patients/${patientId}/who-has-looked${number > 1 ? `?page=${number}` : ''}`,
    });
  });
  return router;
}
