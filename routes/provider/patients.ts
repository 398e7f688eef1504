// MyPatients: the provider's saved patients and the read-only record viewer. Every record page
// opens the patient through openProviderRecord (services/myPatients/providerRecord.ts), which asks
// the access policy and writes the audit row; a provider with no basis, a made-up id, or an item
// that is hidden or not this patient's gets 404 like a page that does not exist (never 403).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { numberedPageOf } from '../../domain/recordLists.ts';
import { isCurrentMedication, MEDICATION_STATUSES, reportCategoryWord, termOf } from '../../domain/recordTerms.ts';
import { openProviderRecord, type OpenedRecord } from '../../services/myPatients/providerRecord.ts';
import { isSavedPatient, removeHiddenSavedPatients, removeSavedPatient, savedPatientsOf, savePatient } from '../../services/myPatients/savedPatients.ts';
import { idFrom } from '../forms.ts';
import { PROVIDER_PATIENT_PATHS, PROVIDER_RECORD_SECTIONS, REMOVE_HIDDEN_SAVED_PATIENTS_PATH, SAVED_PATIENTS_PATH, providerPatientHref, type ProviderRecordSection } from './patientPaths.ts';

declare module 'express-session' {
  interface SessionData {
    /** What the last save or remove did, shown once on the next page. */
    savedPatientNotice?: 'saved' | 'removed' | 'removedHidden';
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The record a MyPatients page shows (set by openRecord). */
    providerRecord?: OpenedRecord;
  }
}

const PER_PAGE = 20;
const withCategoryWord = <R extends { category: string }>(report: R) => ({ ...report, categoryWord: reportCategoryWord(report.category) });
const pageQuery = z.object({ page: z.coerce.number().int().min(1).catch(1) });
const pageOf = (query: unknown) => pageQuery.parse(query ?? {}).page;

/** Where a save or remove form sends the provider back to: the record or the saved list (only these two). */
const returnTo = z.object({ returnTo: z.enum(['record', 'list']).catch('record') });

/**
 * Opens the patient named by `:patientId` for the page `page` (audited as `view-<page>`); with
 * `oneItem` the route audits the view once it has found the item (opened.auditItem).
 */
function openRecord(services: Services, page: string, options: { oneItem?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next('route');
    const opened = await openProviderRecord(services, req.account!.id, patientId, page, requestOrigin(req), options);
    if (!opened) return next('route');
    req.providerRecord = opened;
    res.locals.patient = opened.opened.patient;
    res.locals.basisWording = opened.basisWording;
    res.locals.recordSections = PROVIDER_RECORD_SECTIONS.map((section) => ({ section, href: providerPatientHref(PROVIDER_PATIENT_PATHS[section].path, { patientId }) }));
    res.locals.recordPath = (section: ProviderRecordSection, values: Record<string, number> = {}) => providerPatientHref(PROVIDER_PATIENT_PATHS[section].path, { patientId, ...values });
    next();
  };
}

export function providerPatientRoutes(services: Services): Router {
  const router = Router();
  const provider = requireSignedIn('provider');
  const paths = PROVIDER_PATIENT_PATHS;
  const pageHref = (path: string) => (page: number) => (page > 1 ? `${path}?page=${page}` : path);

  router.get(SAVED_PATIENTS_PATH, provider, async (req, res) => {
    const saved = await savedPatientsOf(services, req.account!.id, requestOrigin(req));
    const notice = req.session.savedPatientNotice;
    delete req.session.savedPatientNotice;
    res.render('provider/patients/saved.njk', { saved, notice, recordHref: (patientId: number) => providerPatientHref(paths.summary.path, { patientId }), removeHref: (patientId: number) => providerPatientHref(paths.remove.path, { patientId }) });
  });

  const backFrom = (req: Parameters<RequestHandler>[0], patientId: number) =>
    returnTo.parse(req.body ?? {}).returnTo === 'list' ? SAVED_PATIENTS_PATH : providerPatientHref(paths.summary.path, { patientId });

  router.post(paths.save.path, provider, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next('route');
    if (!(await savePatient(services, req.account!.id, patientId, requestOrigin(req)))) return next('route');
    req.session.savedPatientNotice = 'saved';
    res.redirect(303, backFrom(req, patientId));
  });

  // No access needed (a patient whose access ended must be removable), and the same answer whether
  // anything was saved or not, so it tells nothing about the patient.
  router.post(paths.remove.path, provider, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next('route');
    await removeSavedPatient(services, req.account!.id, patientId, requestOrigin(req));
    req.session.savedPatientNotice = 'removed';
    res.redirect(303, backFrom(req, patientId));
  });

  router.post(REMOVE_HIDDEN_SAVED_PATIENTS_PATH, provider, async (req, res) => {
    await removeHiddenSavedPatients(services, req.account!.id, requestOrigin(req));
    req.session.savedPatientNotice = 'removedHidden';
    res.redirect(303, SAVED_PATIENTS_PATH);
  });

  router.get(paths.summary.path, provider, openRecord(services, 'provider-record-summary'), async (req, res) => {
    const { record, opened } = req.providerRecord!;
    const [careTeam, admissions, visits, medications, saved] = await Promise.all([
      record.careTeam(),
      record.admissions(),
      record.specialtyVisits(),
      record.medications(),
      isSavedPatient(services, req.account!.id, record.patientId),
    ]);
    const notice = req.session.savedPatientNotice;
    delete req.session.savedPatientNotice;
    res.render('provider/patients/summary.njk', {
      section: 'summary',
      careTeam,
      latestAdmission: admissions[0],
      latestVisit: visits[0],
      medications: medications.filter((medication) => isCurrentMedication(medication.status)),
      saved,
      notice,
      provider: opened.provider,
    });
  });

  const encounterPage = (section: 'admissions' | 'visits', page: string, read: (opened: OpenedRecord) => Promise<unknown[]>) =>
    router.get(paths[section].path, provider, openRecord(services, page), async (req, res) => {
      const encounters = await read(req.providerRecord!);
      const path = providerPatientHref(paths[section].path, { patientId: req.providerRecord!.record.patientId });
      res.render(`provider/patients/${section}.njk`, { section, encounters: numberedPageOf(encounters, pageOf(req.query), PER_PAGE), hrefFor: pageHref(path) });
    });
  encounterPage('admissions', 'provider-admissions', ({ record }) => record.admissions());
  encounterPage('visits', 'provider-visits', ({ record }) => record.specialtyVisits());

  router.get(paths.notes.path, provider, openRecord(services, 'provider-notes'), async (req, res) => {
    const { record } = req.providerRecord!;
    const path = providerPatientHref(paths.notes.path, { patientId: record.patientId });
    res.render('provider/patients/notes.njk', { section: 'notes', notes: numberedPageOf(await record.notes(), pageOf(req.query), PER_PAGE), hrefFor: pageHref(path) });
  });

  router.get(paths.note.path, provider, openRecord(services, 'provider-note', { oneItem: true }), async (req, res, next) => {
    const noteId = idFrom(req.params.noteId);
    const note = noteId === undefined ? undefined : await req.providerRecord!.record.note(noteId);
    await req.providerRecord!.opened.auditItem!({ type: 'note', id: noteId, shown: !!note });
    if (!note) return next('route');
    res.render('provider/patients/note.njk', { section: 'notes', note });
  });

  router.get(paths.medications.path, provider, openRecord(services, 'provider-medications'), async (req, res) => {
    const medications = (await req.providerRecord!.record.medications()).map((medication) => ({ ...medication, statusWord: termOf(medication.status, MEDICATION_STATUSES) }));
    res.render('provider/patients/medications.njk', { section: 'medications', medications });
  });

  router.get(paths.results.path, provider, openRecord(services, 'provider-results'), async (req, res) => {
    const { record } = req.providerRecord!;
    const path = providerPatientHref(paths.results.path, { patientId: record.patientId });
    res.render('provider/patients/results.njk', { section: 'results', panels: numberedPageOf(await record.labPanels(), pageOf(req.query), PER_PAGE / 2), hrefFor: pageHref(path) });
  });

  router.get(paths.reports.path, provider, openRecord(services, 'provider-reports'), async (req, res) => {
    const { record } = req.providerRecord!;
    const path = providerPatientHref(paths.reports.path, { patientId: record.patientId });
    res.render('provider/patients/reports.njk', { section: 'reports', reports: numberedPageOf((await record.reports()).map(withCategoryWord), pageOf(req.query), PER_PAGE), hrefFor: pageHref(path) });
  });

  router.get(paths.report.path, provider, openRecord(services, 'provider-report', { oneItem: true }), async (req, res, next) => {
    const reportId = idFrom(req.params.reportId);
    const report = reportId === undefined ? undefined : await req.providerRecord!.record.report(reportId);
    await req.providerRecord!.opened.auditItem!({ type: 'report', id: reportId, shown: !!report });
    if (!report) return next('route');
    res.render('provider/patients/report.njk', { section: 'reports', report: withCategoryWord(report) });
  });

  return router;
}
