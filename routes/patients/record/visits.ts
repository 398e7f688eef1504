// Visits: every upcoming visit and the past ones a page at a time, filtered by `when`. With
// htmx the filter form and the page links replace only the list region (same template).
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { visitList } from '../../../domain/recordLists.ts';
import { openCurrentPatient } from '../currentPatient.ts';
import { listHref, visitsQueryOf, wantsListFragment } from './listQuery.ts';

export function visitRoutes(services: Services): Router {
  const router = Router();
  router.get('/patients/:patientId/visits', requireSignedIn('family'), openCurrentPatient(services, 'visits'), async (req, res) => {
    const query = visitsQueryOf(req);
    const visits = await req.record!.visits();
    const list = visitList(visits, query.when, query.page);
    const path = `/patients/${req.patient!.patientId}/visits`;
    const fragment = wantsListFragment(req, res);
    res.render(fragment ? 'patients/record/_visit-list.njk' : 'patients/record/visits.njk', {
      section: 'visits',
      when: query.when,
      list,
      listPath: path,
      hrefFor: (page: number) => listHref(path, { when: query.when, page }, { when: 'all', page: 1 }),
      notices: visits.notices,
    });
  });
  return router;
}
