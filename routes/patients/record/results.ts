// Test results: lab panels newest first, filtered by period and "out of range only", a page of
// panels at a time (with htmx the form and page links swap only the list region), and the
// history of one test. A result the viewer may not see answers 404 like a missing page.
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { panelPage, RESULT_PERIODS } from '../../../domain/recordLists.ts';
import { idFrom } from '../../forms.ts';
import { openCurrentPatient } from '../currentPatient.ts';
import { listHref, resultsQueryOf, wantsListFragment } from './listQuery.ts';

export function resultRoutes(services: Services): Router {
  const router = Router();
  router.get('/patients/:patientId/results', requireSignedIn('family'), openCurrentPatient(services, 'results'), async (req, res) => {
    const query = resultsQueryOf(req);
    const labs = await req.record!.labPanels();
    const path = `/patients/${req.patient!.patientId}/results`;
    const fragment = wantsListFragment(req, res);
    res.render(fragment ? 'patients/record/_result-list.njk' : 'patients/record/results.njk', {
      section: 'results',
      filter: query,
      periods: RESULT_PERIODS,
      panels: panelPage(labs.items, query, query.page, services.now()),
      anyResults: labs.items.length > 0,
      listPath: path,
      hrefFor: (page: number) => listHref(path, { period: query.period, flagged: query.flagged, page }, { period: 'all', flagged: false, page: 1 }),
      notices: labs.notices,
    });
  });

  router.get('/patients/:patientId/results/:resultId/history', requireSignedIn('family'), openCurrentPatient(services, 'test-history'), async (req, res, next) => {
    const resultId = idFrom(req.params.resultId);
    const history = resultId === undefined ? undefined : await req.record!.testHistory(resultId);
    if (!history) return next('route');
    res.render('patients/record/test-history.njk', { section: 'results', history });
  });
  return router;
}
