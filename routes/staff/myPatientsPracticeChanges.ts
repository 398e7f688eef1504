// The MyPatients team's queue of providers' changes of practice in the back office: the list
// (pending first, paged, with age and due date in business days), one request, and marking it
// done: the team picks the provider's new practice (found by name, or made from the request) and
// says what was done.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireRole, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import type { PracticeChoice } from '../../domain/providerRegistration.ts';
import {
  markPracticeChangeAsDone,
  openPracticeChange,
  practiceChangeQueue,
  practiceChangeReference,
  practicesNamed,
  type QueuedPracticeChange,
} from '../../services/myPatients/practiceChanges.ts';
import { idFrom, oneProblem, parseForm, typedValues } from '../forms.ts';
import { noticesOf, takeNotice } from './notices.ts';

const redirectWithNotice = noticesOf('practiceChange');

const QUEUE_PATH = '/staff/mypatients/practice-changes';

const doneSchema = z.object({
  practice: z.string('practiceChange.errors.practiceMissing').regex(/^(new|\d{1,15})$/, 'practiceChange.errors.practiceMissing'),
  note: z.string('practiceChange.errors.noteMissing').trim().min(1, 'practiceChange.errors.noteMissing').max(2000, 'practiceChange.errors.noteTooLong'),
});

export function myPatientsPracticeChangeRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('mypatients-team')];

  router.get(QUEUE_PATH, ...guard, async (req, res) => {
    const requested = typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const queue = await practiceChangeQueue(services, req.account!.id, requested, requestOrigin(req));
    res.render('staff/mypatients/practice-changes.njk', { queue, notice: takeNotice(req), hrefFor: (page: number) => `${QUEUE_PATH}?page=${page}` });
  });

  /** The practice search typed on the page (a GET form), or the new practice's name from the request. */
  const practiceQuery = (req: Request, change: QueuedPracticeChange) =>
    typeof req.query.practiceName === 'string' ? req.query.practiceName.trim().slice(0, 200) : change.newPracticeName;

  const renderChange = async (req: Request, res: Response, status: number, change: QueuedPracticeChange, locals: Record<string, unknown> = {}) => {
    const query = practiceQuery(req, change);
    const practices = change.status === 'pending' && query ? await practicesNamed(services, query) : [];
    const t = res.locals.t as (key: string, params?: Record<string, string>) => string;
    // The choices: each practice found (with its address, to tell namesakes apart), then a new one.
    const practiceItems = [
      ...practices.map((practice) => ({
        value: String(practice.id),
        text: t('practiceChange.request.practiceChoice', {
          name: practice.name,
          address: [practice.addressLine, practice.city, practice.state, practice.postalCode].filter(Boolean).join(', ') || t('practiceChange.request.noAddress'),
        }),
      })),
      { value: 'new', text: t('practiceChange.request.newPractice', { name: change.newPracticeName }) },
    ];
    res.status(status).render('staff/mypatients/practice-change.njk', { change, practiceName: query, practices, practiceItems, errors: [], fieldErrors: {}, values: {}, ...locals });
  };
  const openChange = (req: Request) => {
    const id = idFrom(req.params.changeId);
    return id === undefined ? Promise.resolve(undefined) : openPracticeChange(services, req.account!.id, id, requestOrigin(req));
  };

  router.get(`${QUEUE_PATH}/:changeId`, ...guard, async (req, res, next) => {
    const change = await openChange(req);
    if (!change) return next();
    await renderChange(req, res, 200, change, { notice: takeNotice(req) });
  });

  router.post(`${QUEUE_PATH}/:changeId/done`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.changeId);
    if (id === undefined) return next();
    const form = parseForm(doneSchema, req.body, res);
    const refuse = async (problems: { errors: unknown; fieldErrors: unknown }) => {
      const change = await openChange(req);
      return change ? renderChange(req, res, 422, change, { values: typedValues(req.body), ...problems }) : next();
    };
    if (!form.ok) return refuse({ errors: form.errors, fieldErrors: form.fieldErrors });
    const choice: PracticeChoice = form.data.practice === 'new' ? { kind: 'new' } : { kind: 'existing', practiceId: Number(form.data.practice) };
    const outcome = await markPracticeChangeAsDone(services, req.account!.id, id, { choice, note: form.data.note }, requestOrigin(req));
    if (outcome === 'not-found') return next();
    if (outcome === 'no-such-practice') return refuse(oneProblem('practice', res.locals.t('practiceChange.errors.noSuchPractice')));
    redirectWithNotice(req, res, outcome === 'done' ? QUEUE_PATH : `${QUEUE_PATH}/${id}`, outcome === 'done' ? 'done' : 'alreadyDone', { reference: practiceChangeReference(id) });
  });

  return router;
}
