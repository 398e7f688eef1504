// Where each portal lands after sign-in. The patient and record pages arrive with later work.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { ACCOUNT_KINDS, homePath } from '../../domain/accounts.ts';
import { patientsOnAccount } from '../../services/family/patientAccess.ts';
import { requireSignedIn } from '../../middleware/setUpAuthentication.ts';

export function homeRoutes(services: Services): Router {
  const router = Router();
  for (const kind of ACCOUNT_KINDS) {
    router.get(homePath(kind), requireSignedIn(kind), async (req, res) => {
      const patients = kind === 'family' ? await patientsOnAccount(services, req.account!.id) : [];
      res.render('home/signed-in.njk', { kind, patients });
    });
  }
  return router;
}
