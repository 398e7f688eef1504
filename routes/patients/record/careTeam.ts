// The care team and PCP, and the insurance on file: read-only copies of what the hospital has,
// each with how the family gets it corrected (the PCP's office; billing and registration).
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { COVERAGE_STATUSES, SUBSCRIBER_RELATIONSHIPS, termOf } from '../../../domain/recordTerms.ts';
import type { PracticeRow } from '../../../data/record/healthRecord.ts';
import { openCurrentPatient } from '../currentPatient.ts';

/** "1 Main Street, Boston, MA 02115", leaving out what the record does not have. */
function addressLine(practice: PracticeRow): string {
  const statePostcode = [practice.state, practice.postalCode].filter(Boolean).join(' ');
  return [practice.addressLine, practice.city, statePostcode].filter(Boolean).join(', ');
}

export function careTeamRoutes(services: Services): Router {
  const router = Router();

  router.get('/patients/:patientId/care-team', requireSignedIn('family'), openCurrentPatient(services, 'care-team'), async (req, res) => {
    const careTeam = await req.record!.careTeam();
    res.render('patients/record/care-team.njk', {
      section: 'care-team',
      pcp: careTeam.pcp,
      practice: careTeam.pcpPractice,
      practiceAddress: careTeam.pcpPractice && addressLine(careTeam.pcpPractice),
      members: careTeam.members,
    });
  });

  router.get('/patients/:patientId/insurance', requireSignedIn('family'), openCurrentPatient(services, 'insurance'), async (req, res) => {
    const { items, notices } = await req.record!.insurance();
    res.render('patients/record/insurance.njk', {
      section: 'insurance',
      coverages: items.map((coverage) => ({
        ...coverage,
        statusWord: termOf(coverage.status, COVERAGE_STATUSES),
        relationshipWord: termOf(coverage.subscriberRelationship, SUBSCRIBER_RELATIONSHIPS),
      })),
      notices,
    });
  });

  return router;
}
