// A read-only look at a patient's record for the care team, linked from a message thread in the
// back office. The care-team role is required; the service decides whether this staff member is
// on the patient's care team, and anything else answers 404 like an unknown patient.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { requestOrigin, requireRole, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { openStaffRecord, STAFF_RECORD_VISITS } from '../../services/record/staffRecord.ts';
import { idFrom } from '../forms.ts';

export const staffRecordPath = (patientId: number) => `/staff/patients/${patientId}/record`;

export function careTeamRecordRoutes(services: Services): Router {
  const router = Router();
  router.get('/staff/patients/:patientId/record', requireSignedIn('staff'), requireRole('care-team'), async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next();
    const view = await openStaffRecord(services, req.account!.id, patientId, requestOrigin(req));
    if (!view) return next();
    res.render('staff/record.njk', { view, visitsShown: STAFF_RECORD_VISITS });
  });
  return router;
}
