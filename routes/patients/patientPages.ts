// The patient's own pages in MyChildren's. For now the overview: whose record it is, how the
// holder is linked, who else can see it (for the patient themself), and what the teen and
// turning-18 rules mean for this family. Record pages join it (issue 6).
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { ADULT_AGE, ageOn, birthdayInstant } from '../../domain/age.ts';
import { OWN_ACCOUNT_MIN_AGE } from '../../domain/eligibility.ts';
import { holdersOf } from '../../services/family/patientAccess.ts';
import { openCurrentPatient } from './currentPatient.ts';

/** Days ahead of the 18th birthday from which parents see it coming on the overview. */
const TURNING_18_NOTICE_DAYS = 90;

// The part of a patient page to show for the patient picked in the switcher: letters and slashes only.
const switchSchema = z.object({
  patient: z.string().regex(/^\d{1,15}$/),
  section: z.string().regex(/^[a-z-]+(\/[a-z-]+)*$/).optional().catch(undefined),
});

export function patientPageRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('family');

  // The switcher is a plain GET form, so it works without JavaScript.
  router.get('/patients/switch', signedIn, (req, res) => {
    const parsed = switchSchema.safeParse(req.query);
    if (!parsed.success) return res.redirect(303, '/home');
    res.redirect(303, `/patients/${parsed.data.patient}${parsed.data.section ? `/${parsed.data.section}` : ''}`);
  });

  router.get('/patients/:patientId', signedIn, openCurrentPatient(services, 'patient-overview'), async (req, res) => {
    const patient = req.patient!;
    const now = services.now();
    const { timeZone } = services.config.hospital;
    const age = ageOn(patient.birthDate, now, timeZone);
    const holders = await holdersOf(services, patient.patientId);
    const eighteenth = birthdayInstant(patient.birthDate, ADULT_AGE, timeZone);
    const notice = req.session.patientNotice;
    delete req.session.patientNotice;
    res.render('patients/overview.njk', {
      notice,
      age,
      isAdult: age >= ADULT_AGE,
      isAdolescent: age >= OWN_ACCOUNT_MIN_AGE && age < ADULT_AGE,
      hasOwnAccount: holders.some((holder) => holder.relationship === 'self'),
      // Only the patient sees everyone linked; a parent sees only what concerns them.
      holders: patient.relationship === 'self' ? holders : [],
      turns18On: age < ADULT_AGE && eighteenth.getTime() - now.getTime() <= TURNING_18_NOTICE_DAYS * 86_400_000 ? eighteenth : undefined,
      keepsAccessAt18: patient.relationship === 'court-appointed-guardian',
    });
  });

  return router;
}
