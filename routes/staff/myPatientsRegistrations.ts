// The MyPatients team's queue of provider applications in the back office: the list (pending
// first, paged), one application with its documents, approve (into a practice found by name, or
// one made from the application) and decline (with a reason from the list).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireRole, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { REGISTRATION_DECLINE_REASONS, type PracticeChoice } from '../../domain/providerRegistration.ts';
import {
  approveRegistration,
  declineRegistration,
  openRegistration,
  openRegistrationDocument,
  practicesNamed,
  registrationQueue,
  registrationReference,
  type RegistrationReview,
} from '../../services/myPatients/registrations.ts';
import { sendAttachment } from '../../services/messaging/attachmentDownload.ts';
import { idFrom, oneProblem, parseForm, typedValues } from '../forms.ts';
import { noticesOf, takeNotice } from './notices.ts';

const redirectWithNotice = noticesOf('myPatientsTeam');

const QUEUE_PATH = '/staff/mypatients/registrations';
const registrationPath = (id: number) => `${QUEUE_PATH}/${id}`;

const declineSchema = z.object({ reason: z.enum(REGISTRATION_DECLINE_REASONS, 'myPatientsTeam.errors.reasonMissing') });
const approveSchema = z.object({ practice: z.string('myPatientsTeam.errors.practiceMissing').regex(/^(new|\d{1,15})$/, 'myPatientsTeam.errors.practiceMissing') });

export function myPatientsRegistrationRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('mypatients-team')];
  const staffId = (req: Request) => req.account!.id;

  router.get(QUEUE_PATH, ...guard, async (req, res) => {
    const requested = typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const queue = await registrationQueue(services, staffId(req), requested, requestOrigin(req));
    res.render('staff/mypatients/registrations.njk', { queue, notice: takeNotice(req), hrefFor: (page: number) => `${QUEUE_PATH}?page=${page}` });
  });

  /** The practice search typed on the page (a GET form), or the application's own practice name. */
  const practiceQuery = (req: Request, review: RegistrationReview) =>
    typeof req.query.practiceName === 'string' ? req.query.practiceName.trim().slice(0, 200) : review.registration.practiceName;

  const renderRegistration = async (req: Request, res: Response, status: number, review: RegistrationReview, locals: Record<string, unknown> = {}) => {
    const query = practiceQuery(req, review);
    const pending = review.registration.status === 'pending';
    const practices = pending && query ? await practicesNamed(services, query) : [];
    const t = res.locals.t as (key: string, params?: Record<string, string>) => string;
    // The choices: each practice found (with its address, to tell namesakes apart), then a new one.
    const practiceItems = [
      ...practices.map((practice) => ({
        value: String(practice.id),
        text: t('myPatientsTeam.registration.practiceChoice', {
          name: practice.name,
          address: [practice.addressLine, practice.city, practice.state, practice.postalCode].filter(Boolean).join(', ') || t('myPatientsTeam.registration.noAddress'),
        }),
      })),
      { value: 'new', text: t('myPatientsTeam.registration.newPractice', { name: review.registration.practiceName }) },
    ];
    res.status(status).render('staff/mypatients/registration.njk', {
      review,
      practiceName: query,
      practices,
      practiceItems,
      declineReasons: REGISTRATION_DECLINE_REASONS,
      errors: [],
      fieldErrors: {},
      values: {},
      ...locals,
    });
  };
  const openReview = (req: Request) => {
    const id = idFrom(req.params.registrationId);
    return id === undefined ? Promise.resolve(undefined) : openRegistration(services, staffId(req), id, requestOrigin(req));
  };

  router.get(`${QUEUE_PATH}/:registrationId`, ...guard, async (req, res, next) => {
    const review = await openReview(req);
    if (!review) return next();
    await renderRegistration(req, res, 200, review, { notice: takeNotice(req) });
  });

  router.get(`${QUEUE_PATH}/:registrationId/documents/:documentId`, ...guard, async (req, res, next) => {
    const registrationId = idFrom(req.params.registrationId);
    const documentId = idFrom(req.params.documentId);
    if (registrationId === undefined || documentId === undefined) return next();
    const document = await openRegistrationDocument(services, staffId(req), registrationId, documentId, requestOrigin(req));
    if (!document) return next();
    await sendAttachment(res, { displayName: document.displayName, contentType: document.contentType, size: document.sizeBytes }, document.content);
  });

  router.post(`${QUEUE_PATH}/:registrationId/approve`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.registrationId);
    if (id === undefined) return next();
    const form = parseForm(approveSchema, req.body, res);
    const refuse = async (field: string, text: string) => {
      const review = await openReview(req);
      return review ? renderRegistration(req, res, 422, review, { values: typedValues(req.body), ...oneProblem(field, text) }) : next();
    };
    if (!form.ok) return refuse('practice', form.errors[0]!.text);
    const choice: PracticeChoice = form.data.practice === 'new' ? { kind: 'new' } : { kind: 'existing', practiceId: Number(form.data.practice) };
    const result = await approveRegistration(services, staffId(req), id, choice, requestOrigin(req));
    const reference = registrationReference(id);
    switch (result.outcome) {
      case 'approved':
        return redirectWithNotice(req, res, QUEUE_PATH, 'approved', { reference });
      case 'not-found':
        return next();
      case 'already-decided':
        return redirectWithNotice(req, res, registrationPath(id), 'alreadyDecided');
      default:
        return refuse('practice', res.locals.t(`myPatientsTeam.errors.${result.outcome}`));
    }
  });

  router.post(`${QUEUE_PATH}/:registrationId/decline`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.registrationId);
    if (id === undefined) return next();
    const form = parseForm(declineSchema, req.body, res);
    if (!form.ok) {
      const review = await openReview(req);
      return review ? renderRegistration(req, res, 422, review, { values: typedValues(req.body), ...form }) : next();
    }
    const result = await declineRegistration(services, staffId(req), id, form.data.reason, requestOrigin(req));
    if (result.outcome === 'not-found') return next();
    if (result.outcome === 'declined') return redirectWithNotice(req, res, QUEUE_PATH, 'declined', { reference: registrationReference(id) });
    redirectWithNotice(req, res, registrationPath(id), 'alreadyDecided');
  });

  return router;
}
