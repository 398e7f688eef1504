// Writing to the care team about a patient: whom to (a provider or a clinic from the patient's care),
// a subject from the list, the message and any attachments. The page always says that messages are
// not for emergencies or urgent questions. A refused form comes back with everything typed.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../../app.ts';
import { MESSAGE_SUBJECTS, recipientFromKey, recipientKey } from '../../../domain/messaging.ts';
import { requestOrigin, requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { composeChoices, startThread } from '../../../services/messaging/threads.ts';
import { addProblem, idFrom, parseForm, problemsOf, typedValues, type FormProblems } from '../../forms.ts';
import { showPatient } from '../currentPatient.ts';
import { attachmentsField, messageBody, receivedFiles, withReceivedFiles } from './messageForm.ts';

export const COMPOSE_PATH = '/patients/:patientId/messages/new';

declare module 'express-session' {
  interface SessionData {
    /** What the next conversation page says about the message just sent. */
    messageNotice?: 'sent' | 'replied';
  }
}

const composeSchema = z.object({
  recipient: z.string('messages.errors.recipientMissing').refine((value) => recipientFromKey(value) !== undefined, 'messages.errors.recipientMissing'),
  subject: z.enum(MESSAGE_SUBJECTS, 'messages.errors.subjectMissing'),
  body: messageBody,
});

export function composeRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('family');

  /** The compose page, empty or with what was typed and what is wrong; next('route') (404) when the patient is not the holder's. */
  async function showCompose(req: Request, res: Response, problems?: FormProblems): Promise<boolean> {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return false;
    const choices = await composeChoices(services, req.account!.id, patientId, requestOrigin(req));
    if (!choices) return false;
    showPatient(res, choices);
    res.status(problems ? 422 : 200).render('patients/messages/compose.njk', {
      section: 'messages/new',
      recipients: choices.recipients.map((choice) => ({ value: recipientKey(choice.recipient), text: choice.label })),
      subjects: MESSAGE_SUBJECTS,
      values: problems ? typedValues(req.body) : {},
      errors: problems?.errors ?? [],
      fieldErrors: problems?.fieldErrors ?? {},
      attachments: attachmentsField(res, services.config.messageUploads),
    });
    return true;
  }

  router.get(COMPOSE_PATH, signedIn, async (req, res, next) => {
    if (!(await showCompose(req, res))) next('route');
  });

  router.post(COMPOSE_PATH, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const form = parseForm(composeSchema, req.body, res);
    const problems = problemsOf(form);
    const files = receivedFiles(req, res, problems);
    await withReceivedFiles(files, async () => {
      if (patientId === undefined) return next('route');
      if (!form.ok || problems.errors.length) {
        if (!(await showCompose(req, res, problems))) next('route');
        return;
      }
      const outcome = await startThread(
        services,
        { accountId: req.account!.id, patientId, recipient: recipientFromKey(form.data.recipient)!, subject: form.data.subject, body: form.data.body, attachments: files },
        requestOrigin(req),
      );
      if (outcome.outcome === 'not-found') return next('route');
      if (outcome.outcome === 'invalid') {
        addProblem(problems, outcome.field, res.locals.t(`messages.errors.${outcome.field}Missing`));
        if (!(await showCompose(req, res, problems))) next('route');
        return;
      }
      req.session.messageNotice = 'sent';
      res.redirect(303, `/patients/${patientId}/messages/${outcome.threadId}`);
    });
  });

  return router;
}
