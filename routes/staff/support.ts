// Portal support in the back office: the queue of requests to add a patient, each request beside
// the record (approve or decline), and a patient's page: account holders (end access), sign-up
// letters, and guardianship papers (upload, open, accept or reject).
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireRole, requireSignedIn, sessionFullySignedIn } from '../../middleware/setUpAuthentication.ts';
import { approveRequest, declineRequest, DECLINE_REASONS, supportQueue } from '../../services/family/linkRequests.ts';
import { issueSignupToken } from '../../services/family/signupTokens.ts';
import { openPapers, PAPERS_MAX_BYTES, papersOfPatient, reviewPapers, uploadPapers } from '../../services/family/guardianshipPapers.ts';
import { endHolderAccess, holdersOf } from '../../services/family/patientAccess.ts';
import {
  accountsOfPatient,
  familyAccountByEmail,
  findPatientForSupport,
  openPatientForSupport,
  openRequestForSupport,
  type PatientSummary,
  type RequestReview,
} from '../../services/family/supportDesk.ts';
import { portalLink } from '../../services/identity/deps.ts';
import { addProblem, idFrom, parseForm, problemsOf, typedValues, type FormProblems } from '../forms.ts';
import { noticesOf, takeNotice } from './notices.ts';

const redirectWithNotice = noticesOf('support');

const PAPERS_UPLOAD_PATH = '/staff/support/patients/:patientId/papers';

const mrnSchema = z.object({ mrn: z.string('support.errors.mrnMissing').trim().min(1, 'support.errors.mrnMissing').max(40, 'support.errors.mrnNotFound') });
const declineSchema = z.object({ reason: z.enum(DECLINE_REASONS, 'support.errors.reasonMissing') });
const reviewSchema = z.object({ decision: z.enum(['accepted', 'rejected']) });
const papersSchema = z
  .object({
    holder: z.string('support.errors.holderMissing').regex(/^(email|\d{1,15})$/, 'support.errors.holderMissing'),
    holderEmail: z.string().trim().max(254, 'support.errors.holderEmailInvalid').optional(),
  })
  .superRefine((form, context) => {
    if (form.holder !== 'email') return;
    if (!form.holderEmail) context.addIssue({ code: 'custom', path: ['holderEmail'], message: 'support.errors.holderEmailMissing' });
    else if (!z.email().safeParse(form.holderEmail).success) context.addIssue({ code: 'custom', path: ['holderEmail'], message: 'support.errors.holderEmailInvalid' });
  });

/** A database id from the path, or undefined (the page then answers 404). */
/**
 * A multipart form carries its CSRF token inside the body, so the papers upload is read before the
 * CSRF check: app.ts mounts this ahead of it. Only a fully signed-in staff session's upload is read. A file
 * too large, or a form that cannot be read, is noted for the upload page to explain (422), never thrown.
 */
export function staffSupportUploads(): Router {
  const router = Router();
  const readUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: PAPERS_MAX_BYTES, files: 1, fields: 10, fieldSize: 2000 } }).single('papers');
  router.post(PAPERS_UPLOAD_PATH, (req, res, next) => {
    if (!sessionFullySignedIn(req, 'staff')) return next();
    readUpload(req, res, (error?: unknown) => {
      if (error) res.locals.uploadProblem = error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE' ? 'papersTooLarge' : 'papersUnreadable';
      next();
    });
  });
  return router;
}

export function staffSupportRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('support')];
  const staffId = (req: Request) => req.account!.id;
  const patientPath = (patientId: number) => `/staff/support/patients/${patientId}`;
  const requestPath = (requestId: number) => `/staff/support/requests/${requestId}`;

  // The queue, and finding a patient by MRN (posted, so no MRN ever sits in a URL).
  const renderQueue = async (res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('staff/support/queue.njk', { requests: await supportQueue(services), errors: [], fieldErrors: {}, values: {}, ...locals });

  router.get('/staff/support', ...guard, (req, res) => renderQueue(res, 200, { notice: takeNotice(req) }));

  router.post('/staff/support/patients', ...guard, async (req, res) => {
    const form = parseForm(mrnSchema, req.body, res);
    if (form.ok) {
      const patient = await findPatientForSupport(services, staffId(req), form.data.mrn, requestOrigin(req));
      if (patient) return res.redirect(303, patientPath(patient.id));
    }
    const problems = problemsOf(form);
    if (form.ok) addProblem(problems, 'mrn', res.locals.t('support.errors.mrnNotFound'));
    await renderQueue(res, 422, { values: typedValues(req.body), ...problems });
  });

  // A request: what the family typed beside the record, then approve or decline.
  const renderRequest = (res: Response, status: number, review: RequestReview, locals: Record<string, unknown> = {}) =>
    res.status(status).render('staff/support/request.njk', { review, declineReasons: DECLINE_REASONS, errors: [], fieldErrors: {}, values: {}, ...locals });
  const openRequest = (req: Request) => {
    const requestId = idFrom(req.params.requestId);
    return requestId === undefined ? Promise.resolve(undefined) : openRequestForSupport(services, staffId(req), requestId, requestOrigin(req));
  };

  router.get('/staff/support/requests/:requestId', ...guard, async (req, res, next) => {
    const review = await openRequest(req);
    if (!review) return next();
    renderRequest(res, 200, review, { notice: takeNotice(req) });
  });

  router.post('/staff/support/requests/:requestId/approve', ...guard, async (req, res, next) => {
    const requestId = idFrom(req.params.requestId);
    if (requestId === undefined) return next();
    const result = await approveRequest(services, staffId(req), requestId, requestOrigin(req));
    if (result.outcome === 'linked' || result.outcome === 'already-linked') return redirectWithNotice(req, res, '/staff/support', 'approved', { reference: String(requestId) });
    if (result.outcome === 'not-pending' || result.outcome === 'declined') return redirectWithNotice(req, res, requestPath(requestId), 'alreadyDecided');
    // Ineligible now, or no patient with that MRN: the request stays in the queue, and the page says why.
    const review = await openRequest(req);
    if (!review) return next();
    const why = result.outcome === 'ineligible' ? res.locals.t(`eligibility.refusal.${result.reason}.title`) : res.locals.t('support.request.noPatient');
    renderRequest(res, 422, review, { errors: [{ field: 'reason', text: res.locals.t('support.request.cannotApprove', { why }) }] });
  });

  router.post('/staff/support/requests/:requestId/decline', ...guard, async (req, res, next) => {
    const requestId = idFrom(req.params.requestId);
    if (requestId === undefined) return next();
    const form = parseForm(declineSchema, req.body, res);
    if (!form.ok) {
      const review = await openRequest(req);
      return review ? renderRequest(res, 422, review, { values: typedValues(req.body), ...form }) : next();
    }
    const result = await declineRequest(services, staffId(req), requestId, form.data.reason, requestOrigin(req));
    if (result.outcome === 'declined') return redirectWithNotice(req, res, '/staff/support', 'declined', { reference: String(requestId) });
    redirectWithNotice(req, res, requestPath(requestId), 'alreadyDecided');
  });

  // The patient's page: holders, sign-up codes and guardianship papers.
  const openPatient = (req: Request): Promise<PatientSummary | undefined> => {
    const patientId = idFrom(req.params.patientId);
    return patientId === undefined ? Promise.resolve(undefined) : openPatientForSupport(services, staffId(req), patientId, requestOrigin(req));
  };
  const renderPatient = async (res: Response, status: number, patient: PatientSummary, locals: Record<string, unknown> = {}) =>
    res.status(status).render('staff/support/patient.njk', {
      patient,
      ...(await accountsOfPatient(services, patient.id)),
      signupTokenDays: services.config.familyAccess.signupTokenDays,
      papersMaxMegabytes: PAPERS_MAX_BYTES / (1024 * 1024),
      errors: [],
      fieldErrors: {},
      values: {},
      ...locals,
    });

  router.get('/staff/support/patients/:patientId', ...guard, async (req, res, next) => {
    const patient = await openPatient(req);
    if (!patient) return next();
    await renderPatient(res, 200, patient, { notice: takeNotice(req) });
  });

  // The letter is shown once, straight after the code is made: the code is stored only as a hash.
  router.post('/staff/support/patients/:patientId/letter', ...guard, async (req, res, next) => {
    const patient = await openPatient(req);
    if (!patient) return next();
    const token = await issueSignupToken(services, patient.id, staffId(req), requestOrigin(req));
    res.render('staff/support/letter.njk', { patient, token, portalAddress: portalLink(services, 'family', '/'), signupAddress: portalLink(services, 'family', '/signup') });
  });
  // Reloading the letter (or switching its language) cannot show the code again.
  router.get('/staff/support/patients/:patientId/letter', ...guard, (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next();
    redirectWithNotice(req, res, patientPath(patientId), 'letterShownOnce');
  });

  const holderOf = async (req: Request) => {
    const patientId = idFrom(req.params.patientId);
    const accountId = idFrom(req.params.accountId);
    if (patientId === undefined || accountId === undefined) return undefined;
    return (await holdersOf(services, patientId)).find((holder) => holder.accountId === accountId);
  };

  router.get('/staff/support/patients/:patientId/holders/:accountId/end', ...guard, async (req, res, next) => {
    const holder = await holderOf(req);
    const patient = holder && (await openPatient(req));
    if (!holder || !patient) return next();
    res.render('staff/support/end-access.njk', { patient, holder });
  });

  router.post('/staff/support/patients/:patientId/holders/:accountId/end', ...guard, async (req, res, next) => {
    const holder = await holderOf(req);
    if (!holder) return next();
    const ended = await endHolderAccess(services, staffId(req), holder.linkId, requestOrigin(req));
    if (!ended.ended) return next();
    redirectWithNotice(req, res, patientPath(ended.patientId), 'accessEnded', { name: holder.name });
  });

  router.post(PAPERS_UPLOAD_PATH, ...guard, async (req, res, next) => {
    const patient = await openPatient(req);
    if (!patient) return next();
    const form = parseForm(papersSchema, req.body, res);
    const problems = problemsOf(form);
    const holderId = form.ok ? await papersHolder(form.data, patient.id, problems, res) : undefined;
    const fileProblem = (res.locals.uploadProblem as string | undefined) ?? (req.file ? undefined : 'papersMissing');
    if (fileProblem) addProblem(problems, 'papers', res.locals.t(`support.errors.${fileProblem}`, { megabytes: PAPERS_MAX_BYTES / (1024 * 1024) }));
    if (holderId !== undefined && req.file && !problems.errors.length) {
      const upload = { patientId: patient.id, accountId: holderId, fileName: req.file.originalname, content: req.file.buffer, staffId: staffId(req) };
      const result = await uploadPapers(services, upload, requestOrigin(req));
      if (result.outcome === 'uploaded') return redirectWithNotice(req, res, patientPath(patient.id), 'papersUploaded');
      addProblem(problems, 'papers', res.locals.t(result.outcome === 'empty' ? 'support.errors.papersEmpty' : 'support.errors.papersNotPdf'));
    }
    await renderPatient(res, 422, patient, { values: typedValues(req.body), ...problems });
  });

  /** The account the papers name: one of the patient's holders, or a family account found by email. */
  async function papersHolder(form: z.output<typeof papersSchema>, patientId: number, problems: FormProblems, res: Response): Promise<number | undefined> {
    if (form.holder === 'email') {
      const account = await familyAccountByEmail(services, form.holderEmail!);
      if (!account) addProblem(problems, 'holderEmail', res.locals.t('support.errors.holderEmailUnknown'));
      return account?.id;
    }
    const holder = (await holdersOf(services, patientId)).find((candidate) => String(candidate.accountId) === form.holder);
    if (!holder) addProblem(problems, 'holder', res.locals.t('support.errors.holderMissing'));
    return holder?.accountId;
  }

  router.get('/staff/support/patients/:patientId/papers/:papersId', ...guard, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const papersId = idFrom(req.params.papersId);
    if (patientId === undefined || papersId === undefined) return next();
    const file = await openPapers(services, papersId, patientId, staffId(req), requestOrigin(req));
    if (!file) return next();
    res.attachment(/\.pdf$/i.test(file.fileName) ? file.fileName : `${file.fileName}.pdf`);
    res.type('application/pdf').send(file.content);
  });

  router.post('/staff/support/patients/:patientId/papers/:papersId/review', ...guard, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const papersId = idFrom(req.params.papersId);
    if (patientId === undefined || papersId === undefined) return next();
    if (!(await papersOfPatient(services, patientId)).some((papers) => papers.id === papersId)) return next();
    const form = reviewSchema.safeParse(req.body);
    if (!form.success) return res.status(400).render('errors/bad-request.njk');
    const reviewed = await reviewPapers(services, { papersId, patientId, decision: form.data.decision, staffId: staffId(req) }, requestOrigin(req));
    redirectWithNotice(req, res, patientPath(patientId), reviewed ? (form.data.decision === 'accepted' ? 'papersAccepted' : 'papersRejected') : 'papersAlreadyReviewed');
  });

  return router;
}
