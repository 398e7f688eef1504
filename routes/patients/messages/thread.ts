// One conversation: its messages (the newest 50, with a link to earlier ones), when to expect an
// answer, and a reply form; attachments download from here. With htmx a reply is added to the
// conversation in place; without, the form posts and the page loads again.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../../app.ts';
import { requestOrigin, requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { sendAttachment } from '../../../services/messaging/attachmentDownload.ts';
import { familyAttachment, familyReply, openThread } from '../../../services/messaging/threads.ts';
import { idFrom, parseForm, problemsOf, typedValues, oneProblem, type FormProblems } from '../../forms.ts';
import { showPatient } from '../currentPatient.ts';
import { wantsListFragment } from '../record/listQuery.ts';
import { attachmentsField, messageBody, receivedFiles, withReceivedFiles } from './messageForm.ts';

export const REPLY_PATH = '/patients/:patientId/messages/:threadId/reply';

const threadQuery = z.object({ before: z.coerce.number().int().min(1).optional().catch(undefined) });
const replySchema = z.object({ body: messageBody });

export function threadRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('family');
  const threadPath = (patientId: number, threadId: number) => `/patients/${patientId}/messages/${threadId}`;

  /**
   * The conversation page, or with htmx only the reply form (after a refused reply) or the new
   * message (after a sent one). False when the patient or thread is not the holder's (404).
   */
  async function showThread(req: Request, res: Response, options: { problems?: FormProblems; before?: number; status?: number } = {}): Promise<boolean> {
    const patientId = idFrom(req.params.patientId);
    const threadId = idFrom(req.params.threadId);
    if (patientId === undefined || threadId === undefined) return false;
    const opened = await openThread(services, req.account!.id, patientId, threadId, requestOrigin(req), options.before);
    if (!opened) return false;
    showPatient(res, opened);
    const notice = req.session.messageNotice;
    delete req.session.messageNotice;
    const fragment = wantsListFragment(req, res);
    if (fragment && options.problems) {
      // htmx posted the form into the conversation: put the form, with its messages, back instead.
      res.set('HX-Retarget', '#reply-form').set('HX-Reswap', 'outerHTML');
    }
    res.status(options.status ?? 200).render(fragment && options.problems ? 'patients/messages/_reply-form.njk' : 'patients/messages/thread.njk', {
      section: 'messages',
      notice,
      thread: opened.thread,
      messages: opened.messages,
      earlierHref: opened.earlierBefore === null ? undefined : `${threadPath(patientId, threadId)}?before=${opened.earlierBefore}`,
      olderPage: options.before !== undefined,
      replyPath: `${threadPath(patientId, threadId)}/reply`,
      values: options.problems ? typedValues(req.body) : {},
      errors: options.problems?.errors ?? [],
      fieldErrors: options.problems?.fieldErrors ?? {},
      attachments: attachmentsField(res, services.config.messageUploads),
    });
    return true;
  }

  router.get('/patients/:patientId/messages/:threadId', signedIn, async (req, res, next) => {
    const { before } = threadQuery.parse(req.query ?? {});
    if (!(await showThread(req, res, { before }))) next('route');
  });

  router.post(REPLY_PATH, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const threadId = idFrom(req.params.threadId);
    const form = parseForm(replySchema, req.body, res);
    const problems = problemsOf(form);
    const files = receivedFiles(req, res, problems);
    await withReceivedFiles(files, async () => {
      if (patientId === undefined || threadId === undefined) return next('route');
      if (!form.ok || problems.errors.length) {
        if (!(await showThread(req, res, { problems, status: 422 }))) next('route');
        return;
      }
      const outcome = await familyReply(services, { accountId: req.account!.id, patientId, threadId, body: form.data.body, attachments: files }, requestOrigin(req));
      if (outcome.outcome === 'not-found') return next('route');
      if (outcome.outcome === 'closed' || outcome.outcome === 'invalid') {
        const problem = outcome.outcome === 'closed' ? oneProblem('body', res.locals.t('messages.errors.closed')) : oneProblem('body', res.locals.t('messages.errors.bodyMissing'));
        if (!(await showThread(req, res, { problems: problem, status: 422 }))) next('route');
        return;
      }
      if (wantsListFragment(req, res)) return showReplySent(req, res, next, outcome.messageId);
      req.session.messageNotice = 'replied';
      res.redirect(303, `${threadPath(patientId, threadId)}#message-${outcome.messageId}`);
    });
  });

  /** htmx: the new message, added to the end of the conversation, with an empty form and the new due date. */
  async function showReplySent(req: Request, res: Response, next: () => void, messageId: number): Promise<void> {
    const opened = await openThread(services, req.account!.id, idFrom(req.params.patientId)!, idFrom(req.params.threadId)!, requestOrigin(req));
    const sent = opened?.messages.find((message) => message.id === messageId);
    if (!opened || !sent) return next();
    showPatient(res, opened);
    res.render('patients/messages/_reply-sent.njk', {
      thread: opened.thread,
      message: sent,
      replyPath: `${threadPath(opened.patient.patientId, opened.thread.id)}/reply`,
      values: {},
      errors: [],
      fieldErrors: {},
      attachments: attachmentsField(res, services.config.messageUploads),
    });
  }

  router.get('/patients/:patientId/messages/attachments/:attachmentId', signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const attachmentId = idFrom(req.params.attachmentId);
    if (patientId === undefined || attachmentId === undefined) return next('route');
    const attachment = await familyAttachment(services, req.account!.id, patientId, attachmentId, requestOrigin(req));
    if (!attachment) return next('route');
    await sendAttachment(res, attachment, attachment.content);
  });

  return router;
}
