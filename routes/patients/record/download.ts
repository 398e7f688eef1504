// "Download this record": a page that says what the file is, and the file itself, a FHIR R4
// bundle of what this family member may see (services/record/fhirExport.ts) and nothing else.
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { localDateOf } from '../../../domain/localDate.ts';
import { exportFamilyRecord } from '../../../services/record/fhirExport.ts';
import { openCurrentPatient } from '../currentPatient.ts';

export function downloadRoutes(services: Services): Router {
  const router = Router();
  router.get('/patients/:patientId/download', requireSignedIn('family'), openCurrentPatient(services, 'download'), (req, res) => {
    res.render('patients/record/download.njk', { section: 'download', fileHref: `/patients/${req.patient!.patientId}/download/fhir` });
  });

  router.get('/patients/:patientId/download/fhir', requireSignedIn('family'), openCurrentPatient(services, 'record-download'), async (req, res) => {
    const now = services.now();
    const bundle = await exportFamilyRecord(req.record!, { mrnSystem: services.config.fhir.mrnSystem, now });
    // The file name carries the date only: a name in it would show in download lists and history.
    const fileName = `health-record-${localDateOf(now, services.config.hospital.timeZone)}.json`;
    res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.send(JSON.stringify(bundle, null, 2));
  });
  return router;
}
