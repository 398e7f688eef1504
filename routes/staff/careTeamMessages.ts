// The care team's message inbox in the back office (issue 7 items 5 and 6): the open threads of
// the staff member's clinics and practitioners (and those assigned to them), the soonest due
// first; a thread with its newest messages; replying (with attachments), assigning to a
// colleague, closing; downloading an attachment. Plain forms and links first: htmx refreshes the
// inbox list in place and appends a reply to the thread without reloading the page.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import type { Config } from '../../config.ts';
import { ALLOWED_NAME_EXTS } from '../../domain/messageAttachments.ts';
import { MESSAGE_BODY_MAX_LENGTH, THREADS_PER_PAGE } from '../../domain/messaging.ts';
import { requestOrigin, requireRole, requireSignedIn, sessionFullySignedIn } from '../../middleware/setUpAuthentication.ts';
import { sendAttachment } from '../../services/messaging/attachmentDownload.ts';
import { assignThread, closeThread, inboxFor, staffAttachment, staffOpenThread, staffReply, type StaffThread } from '../../services/messaging/careTeamInbox.ts';
import { messageUploads, uploadProblemMessage } from '../../services/messaging/uploads.ts';
import { addProblem, idFrom, type FormProblems } from '../forms.ts';
import { noticesOf, takeNotice } from './notices.ts';
import { wantsListFragment } from '../patients/record/listQuery.ts';

const redirectWithNotice = noticesOf('careTeamMessages');

export const INBOX_PATH = '/staff/messages';
const REPLY_PATH = '/staff/messages/:threadId/reply';
const threadPath = (threadId: number) => `${INBOX_PATH}/${threadId}`;

const pageQuery = z.object({ page: z.coerce.number().int().min(1).catch(1) });
const threadQuery = z.object({ before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().catch(undefined) });
const assignSchema = z.object({ assignee: z.string().regex(/^\d{1,15}$/) });

/**
 * A reply's attachments arrive in a multipart body that also carries the CSRF token, so it is read
 * before the CSRF check: app.ts mounts this ahead of it. Only a signed-in staff session's upload is
 * read at all; the route then checks the role and the thread.
 */
export function careTeamMessageUploads(config: Pick<Config, 'messageUploads'>): Router {
  const router = Router();
  const readUploads = messageUploads({ limits: config.messageUploads });
  router.post(REPLY_PATH, (req, res, next) => {
    if (!sessionFullySignedIn(req, 'staff')) return next();
    readUploads(req, res, next);
  });
  return router;
}

export function careTeamMessageRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('care-team')];
  const staffId = (req: Request) => req.account!.id;

  // ——— The inbox ———
  router.get(INBOX_PATH, ...guard, async (req, res) => {
    const { page } = pageQuery.parse(req.query ?? {});
    const inbox = await inboxFor(services, staffId(req), requestOrigin(req), page);
    const hrefFor = (number: number) => (number > 1 ? `${INBOX_PATH}?page=${number}` : INBOX_PATH);
    const from = (inbox.page - 1) * THREADS_PER_PAGE + 1;
    const locals = { inbox, hrefFor, from, to: from + inbox.items.length - 1, overdueOnPage: inbox.items.filter((thread) => thread.overdue).length };
    if (wantsListFragment(req, res)) return res.render('staff/messages/_inbox-list.njk', locals);
    res.render('staff/messages/inbox.njk', { ...locals, notice: takeNotice(req) });
  });

  // ——— A thread ———
  /** What the reply form needs: the upload limits, and no problems yet. */
  const formLocals = () => ({
    maxFiles: services.config.messageUploads.maxFiles,
    maxMegabytes: megabytes(services.config.messageUploads.maxBytes),
    accept: ALLOWED_NAME_EXTS.map((ext) => `.${ext}`).join(','),
    errors: [],
    fieldErrors: {},
    values: {},
  });
  const renderThread = (res: Response, status: number, opened: StaffThread, locals: Record<string, unknown> = {}) =>
    res.status(status).render('staff/messages/thread.njk', { opened, ...formLocals(), ...locals });
  const open = (req: Request, before?: number) => {
    const threadId = idFrom(req.params.threadId);
    return threadId === undefined ? Promise.resolve(undefined) : staffOpenThread(services, staffId(req), threadId, requestOrigin(req), before);
  };

  router.get(`${INBOX_PATH}/:threadId`, ...guard, async (req, res, next) => {
    const { before } = threadQuery.parse(req.query ?? {});
    const opened = await open(req, before);
    if (!opened) return next();
    renderThread(res, 200, opened, { notice: takeNotice(req), earlierPage: before !== undefined });
  });

  // ——— Replying ———
  router.post(REPLY_PATH, ...guard, async (req, res, next) => {
    const threadId = idFrom(req.params.threadId);
    if (threadId === undefined) return next();
    const fragment = wantsListFragment(req, res);
    const body = typeof req.body?.body === 'string' ? req.body.body : '';
    const upload = req.messageUpload ?? { ok: true as const, files: [] };
    const t = res.locals.t as (key: string, params?: Record<string, string | number>) => string;
    const problems: FormProblems = { errors: [], fieldErrors: {} };
    if (body.trim() === '') addProblem(problems, 'body', t('careTeamMessages.errors.bodyMissing'));
    else if (body.length > MESSAGE_BODY_MAX_LENGTH) addProblem(problems, 'body', t('careTeamMessages.errors.bodyTooLong', { count: MESSAGE_BODY_MAX_LENGTH }));
    if (!upload.ok) addProblem(problems, 'attachments', uploadProblemMessage(upload.problem, t));

    const result = problems.errors.length ? undefined : await staffReply(services, staffId(req), { threadId, body, attachments: upload.ok ? upload.files : [] }, requestOrigin(req));
    if (result?.outcome === 'not-found') return next();
    if (result?.outcome === 'sent') {
      if (!fragment) return redirectWithNotice(req, res, threadPath(threadId), 'replySent');
      // htmx: the messages the page does not show yet (this reply, and any that came in meanwhile),
      // appended to the list; a fresh form and the thread's summary swapped out of band.
      const opened = await open(req);
      if (!opened) return next();
      const shownUpTo = idFrom(req.body?.shownUpTo) ?? result.messageId - 1;
      return res.render('staff/messages/_reply-sent.njk', { opened, newMessages: opened.messages.filter((message) => message.id > shownUpTo), ...formLocals() });
    }
    if (result?.outcome === 'invalid') addProblem(problems, 'body', t('careTeamMessages.errors.bodyMissing'));

    // Refused: the typed text is shown again (files cannot be: the page says to choose them again).
    const opened = await open(req);
    if (!opened) return next();
    const closed = result?.outcome === 'closed' || opened.thread.status === 'closed';
    const status = closed ? 409 : 422;
    const sentFiles = upload.ok && upload.files.length > 0;
    const locals = { ...formLocals(), ...(closed ? { errors: [] } : problems), values: { body }, sentFiles, notSent: closed ? body : undefined };
    if (fragment) {
      res.set({ 'HX-Retarget': '#reply-region', 'HX-Reswap': 'outerHTML' });
      return res.status(status).render('staff/messages/_reply-form.njk', { opened, fragment: true, ...locals });
    }
    renderThread(res, status, opened, locals);
  });

  // ——— Assigning and closing ———
  router.post(`${INBOX_PATH}/:threadId/assign`, ...guard, async (req, res, next) => {
    const threadId = idFrom(req.params.threadId);
    if (threadId === undefined) return next();
    const form = assignSchema.safeParse(req.body ?? {});
    const t = res.locals.t as (key: string) => string;
    if (form.success) {
      const colleagueId = Number(form.data.assignee);
      const result = await assignThread(services, staffId(req), threadId, colleagueId, requestOrigin(req));
      if (result.outcome === 'not-found') return next();
      if (result.outcome === 'assigned') {
        const opened = await open(req);
        const name = opened?.colleagues.find((colleague) => colleague.accountId === colleagueId)?.name ?? '';
        return redirectWithNotice(req, res, threadPath(threadId), 'assigned', { name });
      }
    }
    const opened = await open(req);
    if (!opened) return next();
    const problems: FormProblems = { errors: [], fieldErrors: {} };
    addProblem(problems, 'assignee', t(form.success ? 'careTeamMessages.errors.assigneeNotOnTeam' : 'careTeamMessages.errors.assigneeMissing'));
    renderThread(res, 422, opened, { ...problems });
  });

  router.post(`${INBOX_PATH}/:threadId/close`, ...guard, async (req, res, next) => {
    const threadId = idFrom(req.params.threadId);
    if (threadId === undefined) return next();
    const result = await closeThread(services, staffId(req), threadId, requestOrigin(req));
    if (result.outcome === 'not-found') return next();
    redirectWithNotice(req, res, threadPath(threadId), result.outcome === 'closed' ? 'closed' : 'alreadyClosed');
  });

  // ——— Attachments ———
  router.get(`${INBOX_PATH}/attachments/:attachmentId`, ...guard, async (req, res, next) => {
    const attachmentId = idFrom(req.params.attachmentId);
    if (attachmentId === undefined) return next();
    const attachment = await staffAttachment(services, staffId(req), attachmentId, requestOrigin(req));
    if (!attachment) return next();
    await sendAttachment(res, attachment, attachment.content);
  });

  return router;
}

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
