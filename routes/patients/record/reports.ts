// Imaging and other diagnostic reports: the list, newest first, and one report with its conclusion.
// What is listed, and which report may be opened, comes from the family record (release policy and
// adolescent rules); a report this viewer may not see answers 404 like a page that does not exist.
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { reportCategoryWord } from '../../../domain/recordTerms.ts';
import { idFrom } from '../../forms.ts';
import { openCurrentPatient } from '../currentPatient.ts';

export function reportRoutes(services: Services): Router {
  const router = Router();

  router.get('/patients/:patientId/reports', requireSignedIn('family'), openCurrentPatient(services, 'reports'), async (req, res) => {
    const { items, notices } = await req.record!.reports();
    res.render('patients/record/reports.njk', {
      section: 'reports',
      reports: items.map((report) => ({ ...report, categoryWord: reportCategoryWord(report.category) })),
      notices,
    });
  });

  router.get('/patients/:patientId/reports/:reportId', requireSignedIn('family'), openCurrentPatient(services, 'report', { oneItem: true }), async (req, res, next) => {
    const reportId = idFrom(req.params.reportId);
    const report = reportId === undefined ? undefined : await req.record!.report(reportId);
    await req.auditItem!({ type: 'report', id: reportId, shown: !!report });
    if (!report) return next('route');
    res.render('patients/record/report.njk', { section: 'reports', report: { ...report, categoryWord: reportCategoryWord(report.category) } });
  });

  return router;
}
