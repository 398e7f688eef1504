// The inbox (conversations the care team has answered) and the sent list (those the family wrote
// in), a page at a time. With htmx the page links and "Check for new messages" swap only the list.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../../app.ts';
import { THREADS_PER_PAGE } from '../../../domain/messaging.ts';
import { requestOrigin, requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { familyMailbox, type Mailbox } from '../../../services/messaging/threads.ts';
import { idFrom } from '../../forms.ts';
import { showPatient } from '../currentPatient.ts';
import { listHref, wantsListFragment } from '../record/listQuery.ts';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).catch(1) });

export function mailboxRoutes(services: Services): Router {
  const router = Router();
  for (const box of ['inbox', 'sent'] as const satisfies Mailbox[]) {
    const suffix = box === 'inbox' ? '' : '/sent';
    router.get(`/patients/:patientId/messages${suffix}`, requireSignedIn('family'), async (req, res, next) => {
      const patientId = idFrom(req.params.patientId);
      if (patientId === undefined) return next('route');
      const { page } = pageQuery.parse(req.query ?? {});
      const mailbox = await familyMailbox(services, req.account!.id, patientId, box, requestOrigin(req), page);
      if (!mailbox) return next('route');
      showPatient(res, mailbox);
      const path = `/patients/${patientId}/messages${suffix}`;
      const fragment = wantsListFragment(req, res);
      res.render(fragment ? 'patients/messages/_thread-list.njk' : 'patients/messages/mailbox.njk', {
        section: `messages${suffix}`,
        box,
        threads: mailbox.threads,
        shown: { from: (mailbox.threads.page - 1) * THREADS_PER_PAGE + 1, to: (mailbox.threads.page - 1) * THREADS_PER_PAGE + mailbox.threads.items.length },
        unreadTotal: mailbox.unreadTotal,
        listPath: path,
        refreshHref: listHref(path, { page: mailbox.threads.page }, { page: 1 }),
        hrefFor: (number: number) => listHref(path, { page: number }, { page: 1 }),
      });
    });
  }
  return router;
}
