// Every patient page starts here: the patient in the path must be linked to the signed-in
// holder now. Anything else (another family's patient, an ended link, a made-up id) answers
// 404 like a page that does not exist, and the refusal is audited.
import type { RequestHandler } from 'express';
import type { Services } from '../../app.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { openPatient, patientsOnAccount, viewerOf, type LinkedPatient } from '../../services/family/patientAccess.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The patient whose page this is, linked to the signed-in holder (set by openCurrentPatient). */
    patient?: LinkedPatient;
  }
}

/** Loads the patient named by `:patientId` for the page called `page` (audited as `view-<page>`). */
export function openCurrentPatient(services: Services, page: string): RequestHandler {
  return async (req, res, next) => {
    const patientId = /^\d{1,15}$/.test(String(req.params.patientId)) ? Number(req.params.patientId) : undefined;
    if (patientId === undefined) return next('route');
    const patient = await openPatient(services, req.account!.id, patientId, page, requestOrigin(req));
    if (!patient) return next('route');
    req.patient = patient;
    // The banner on every patient page: whose record it is, and the switcher between patients.
    res.locals.patient = patient;
    res.locals.viewer = viewerOf(patient.relationship);
    res.locals.patientsOnAccount = await patientsOnAccount(services, req.account!.id);
    next();
  };
}
