// MyChildren's patient pages: adding a patient, and each patient's own pages.
import { Router } from 'express';
import type { Services } from '../../app.ts';
import { addPatientRoutes } from './addPatient.ts';
import { patientPageRoutes } from './patientPages.ts';
import { recordRoutes } from './record/index.ts';
import { messageRoutes } from './messages/index.ts';
import { sharingRoutes } from './sharing.ts';

export function patientRoutes(services: Services): Router {
  const router = Router();
  // The add-a-patient paths come first: '/patients/add' is not a patient id.
  router.use(addPatientRoutes(services));
  router.use(patientPageRoutes(services));
  router.use(recordRoutes(services));
  router.use(messageRoutes(services));
  router.use(sharingRoutes(services));
  return router;
}
