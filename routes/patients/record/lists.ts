// The record's lists: medicines (current and past), allergies and immunizations, each as the
// record has them, with its coded values said in words (domain/recordTerms.ts).
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { ALLERGY_CRITICALITIES, ALLERGY_STATUSES, IMMUNIZATION_STATUSES, MEDICATION_STATUSES, isCurrentMedication, termOf } from '../../../domain/recordTerms.ts';
import { openCurrentPatient } from '../currentPatient.ts';

export function listRoutes(services: Services): Router {
  const router = Router();

  router.get('/patients/:patientId/medications', requireSignedIn('family'), openCurrentPatient(services, 'medications'), async (req, res) => {
    const { items, notices } = await req.record!.medications();
    const medications = items.map((medication) => ({ ...medication, statusWord: termOf(medication.status, MEDICATION_STATUSES) }));
    res.render('patients/record/medications.njk', {
      section: 'medications',
      current: medications.filter((medication) => isCurrentMedication(medication.status)),
      past: medications.filter((medication) => !isCurrentMedication(medication.status)),
      notices,
    });
  });

  router.get('/patients/:patientId/allergies', requireSignedIn('family'), openCurrentPatient(services, 'allergies'), async (req, res) => {
    const { items, notices } = await req.record!.allergies();
    res.render('patients/record/allergies.njk', {
      section: 'allergies',
      allergies: items.map((allergy) => ({ ...allergy, statusWord: termOf(allergy.status, ALLERGY_STATUSES), criticalityWord: termOf(allergy.criticality, ALLERGY_CRITICALITIES) })),
      notices,
    });
  });

  router.get('/patients/:patientId/immunizations', requireSignedIn('family'), openCurrentPatient(services, 'immunizations'), async (req, res) => {
    const { items, notices } = await req.record!.immunizations();
    res.render('patients/record/immunizations.njk', {
      section: 'immunizations',
      immunizations: items.map((immunization) => ({ ...immunization, statusWord: termOf(immunization.status, IMMUNIZATION_STATUSES) })),
      notices,
    });
  });

  return router;
}
