// Where each portal lands after sign-in: for families, their patients and their requests to add one.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { ACCOUNT_KINDS, homePath } from '../../domain/accounts.ts';
import { patientsOnAccount } from '../../services/family/patientAccess.ts';
import { requestsOfFamily } from '../../services/family/linkRequests.ts';
import { unreadCounts } from '../../services/messaging/threads.ts';
import { requestsAwaitingAnswer } from '../../services/family/sharing.ts';
import { requireSignedIn } from '../../middleware/setUpAuthentication.ts';

export function homeRoutes(services: Services): Router {
  const router = Router();
  for (const kind of ACCOUNT_KINDS) {
    router.get(homePath(kind), requireSignedIn(kind), async (req, res) => {
      if (kind !== 'family') return res.render('home/signed-in.njk', { kind });
      const [patients, requests, unread] = await Promise.all([patientsOnAccount(services, req.account!.id), requestsOfFamily(services, req.account!.id), unreadCounts(services, req.account!.id)]);
      const providerRequests = await requestsAwaitingAnswer(services, req.account!.id, patients);
      // Approved requests show as patients; the rest say where they stand.
      res.render('home/signed-in.njk', {
        kind,
        patients,
        unread: Object.fromEntries(unread),
        providerRequests: Object.fromEntries(providerRequests),
        requests: requests.filter((request) => request.status !== 'approved'),
      });
    });
  }
  return router;
}
