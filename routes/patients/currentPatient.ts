// Every patient page starts here: the patient in the path must be linked to the signed-in
// holder now. Anything else (another family's patient, an ended link, a made-up id) answers
// 404 like a page that does not exist, and the refusal is audited.
import type { RequestHandler, Response } from 'express';
import { idFrom } from '../forms.ts';
import type { Services } from '../../app.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import type { ItemAudit } from '../../services/audit.ts';
import { viewerOf, type LinkedPatient, type OpenedPatient } from '../../services/family/patientAccess.ts';
import { RECORD_SECTIONS } from '../../domain/recordSections.ts';
import { openFamilyRecord, type FamilyRecord } from '../../services/record/familyRecord.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The patient whose page this is, linked to the signed-in holder (set by openCurrentPatient). */
    patient?: LinkedPatient;
    /** That patient's health record as the holder may see it (set by openCurrentPatient). */
    record?: FamilyRecord;
    /** Set for a page opened for one item: audit the view once the item is known. */
    auditItem?: ItemAudit;
  }
}

/** Loads the patient named by `:patientId` for the page called `page` (audited as `view-<page>`). */
/** Opens the patient for `page`; with `oneItem` the route audits the view once it has found the item (opened.auditItem). */
export function openCurrentPatient(services: Services, page: string, options: { oneItem?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next('route');
    const found = await openFamilyRecord(services, req.account!.id, patientId, page, requestOrigin(req), options);
    if (!found) return next('route');
    const { opened, record } = found;
    req.patient = opened.patient;
    req.auditItem = opened.auditItem;
    req.record = record;
    showPatient(res, opened);
    next();
  };
}

/** What every patient page shows: the banner (whose record, the switcher) and the record's sections. */
export function showPatient(res: Response, opened: OpenedPatient): void {
  res.locals.patient = opened.patient;
  res.locals.viewer = viewerOf(opened.patient.relationship);
  res.locals.patientsOnAccount = opened.patientsOnAccount;
  res.locals.recordSections = RECORD_SECTIONS;
}
