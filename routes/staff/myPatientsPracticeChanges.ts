// The MyPatients team's queue of providers' changes of practice in the back office: the list
// (pending first, paged, with age and due date in business days), one request, and marking it
// done with a note once the record is updated.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireRole, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { markPracticeChangeAsDone, openPracticeChange, practiceChangeQueue, practiceChangeReference } from '../../services/myPatients/practiceChanges.ts';
import { idFrom, parseForm, typedValues } from '../forms.ts';
import { redirectWithNotice, takeNotice } from './notices.ts';

const QUEUE_PATH = '/staff/mypatients/practice-changes';

const doneSchema = z.object({ note: z.string('practiceChange.errors.noteMissing').trim().min(1, 'practiceChange.errors.noteMissing').max(2000, 'practiceChange.errors.noteTooLong') });

export function myPatientsPracticeChangeRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('mypatients-team')];

  router.get(QUEUE_PATH, ...guard, async (req, res) => {
    const requested = typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const queue = await practiceChangeQueue(services, req.account!.id, requested, requestOrigin(req));
    res.render('staff/mypatients/practice-changes.njk', { queue, notice: takeNotice(req), hrefFor: (page: number) => `${QUEUE_PATH}?page=${page}` });
  });

  router.get(`${QUEUE_PATH}/:changeId`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.changeId);
    const change = id === undefined ? undefined : await openPracticeChange(services, req.account!.id, id, requestOrigin(req));
    if (!change) return next();
    res.render('staff/mypatients/practice-change.njk', { change, notice: takeNotice(req), errors: [], fieldErrors: {}, values: {} });
  });

  router.post(`${QUEUE_PATH}/:changeId/done`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.changeId);
    if (id === undefined) return next();
    const form = parseForm(doneSchema, req.body, res);
    if (!form.ok) {
      const change = await openPracticeChange(services, req.account!.id, id, requestOrigin(req));
      if (!change) return next();
      return res.status(422).render('staff/mypatients/practice-change.njk', { change, values: typedValues(req.body), ...form });
    }
    const outcome = await markPracticeChangeAsDone(services, req.account!.id, id, form.data.note, requestOrigin(req));
    if (outcome === 'not-found') return next();
    redirectWithNotice(req, res, outcome === 'done' ? QUEUE_PATH : `${QUEUE_PATH}/${id}`, outcome === 'done' ? 'done' : 'alreadyDone', { reference: practiceChangeReference(id) });
  });

  return router;
}
