// The MyPatients team's queue of PCP access requests in the back office (issue 8 item 3): the
// list (pending oldest first, with age and due date in business days), one request with the
// provider, their practice and the patient, and the decision: approve (with how the family
// confirmed the PCP; the patient's PCP becomes the provider) or decline (a reason from the list).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireRole, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { PCP_DECLINE_REASONS } from '../../domain/patientSearch.ts';
import { approvePcpRequest, declinePcpRequest, openPcpRequest, pcpRequestQueue, type PcpRequestReview } from '../../services/myPatients/accessRequests.ts';
import { idFrom, parseForm, typedValues } from '../forms.ts';
import { noticesOf, takeNotice } from './notices.ts';

const redirectWithNotice = noticesOf('pcpRequestsTeam');

export const PCP_QUEUE_PATH = '/staff/mypatients/pcp-requests';
const requestPath = (id: number) => `${PCP_QUEUE_PATH}/${id}`;

/** v3 RoleCodes of the record's related persons that the page names in words (others read "Other contact"). */
const RELATIONSHIP_CODES = ['MTH', 'FTH', 'PRN', 'GUARD', 'GRMTH', 'GRFTH', 'SIB'] as const;

const approveSchema = z.object({ confirmation: z.string('pcpRequestsTeam.errors.confirmationMissing').trim().min(1, 'pcpRequestsTeam.errors.confirmationMissing').max(1000, 'pcpRequestsTeam.errors.confirmationTooLong') });
const declineSchema = z.object({ reason: z.enum(PCP_DECLINE_REASONS, 'pcpRequestsTeam.errors.reasonMissing') });

export function myPatientsPcpRequestRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('mypatients-team')];
  const staffId = (req: Request) => req.account!.id;

  router.get(PCP_QUEUE_PATH, ...guard, async (req, res) => {
    const requested = typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const queue = await pcpRequestQueue(services, staffId(req), requested, requestOrigin(req));
    res.render('staff/mypatients/pcp-requests.njk', { queue, notice: takeNotice(req), hrefFor: (page: number) => `${PCP_QUEUE_PATH}?page=${page}` });
  });

  const open = (req: Request) => {
    const id = idFrom(req.params.requestId);
    return id === undefined ? Promise.resolve(undefined) : openPcpRequest(services, staffId(req), id, requestOrigin(req));
  };
  const render = (res: Response, status: number, review: PcpRequestReview, locals: Record<string, unknown> = {}) =>
    res.status(status).render('staff/mypatients/pcp-request.njk', { review, declineReasons: PCP_DECLINE_REASONS, relationshipCodes: RELATIONSHIP_CODES, errors: [], fieldErrors: {}, values: {}, ...locals });

  router.get(`${PCP_QUEUE_PATH}/:requestId`, ...guard, async (req, res, next) => {
    const review = await open(req);
    if (!review) return next();
    render(res, 200, review, { notice: takeNotice(req) });
  });

  router.post(`${PCP_QUEUE_PATH}/:requestId/approve`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.requestId);
    if (id === undefined) return next();
    const form = parseForm(approveSchema, req.body, res);
    if (!form.ok) {
      const review = await open(req);
      return review ? render(res, 422, review, { values: typedValues(req.body), errors: form.errors, fieldErrors: form.fieldErrors }) : next();
    }
    const result = await approvePcpRequest(services, staffId(req), id, form.data.confirmation, requestOrigin(req));
    if (result.outcome === 'not-found') return next();
    if (result.outcome === 'already-decided') return redirectWithNotice(req, res, requestPath(id), 'alreadyDecided');
    redirectWithNotice(req, res, PCP_QUEUE_PATH, 'approved', { reference: String(id) });
  });

  router.post(`${PCP_QUEUE_PATH}/:requestId/decline`, ...guard, async (req, res, next) => {
    const id = idFrom(req.params.requestId);
    if (id === undefined) return next();
    const form = parseForm(declineSchema, req.body, res);
    if (!form.ok) {
      const review = await open(req);
      return review ? render(res, 422, review, { values: typedValues(req.body), errors: form.errors, fieldErrors: form.fieldErrors }) : next();
    }
    const result = await declinePcpRequest(services, staffId(req), id, form.data.reason, requestOrigin(req));
    if (result.outcome === 'not-found') return next();
    if (result.outcome === 'already-decided') return redirectWithNotice(req, res, requestPath(id), 'alreadyDecided');
    redirectWithNotice(req, res, PCP_QUEUE_PATH, 'declined', { reference: String(id) });
  });

  return router;
}
