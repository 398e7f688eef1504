// "Share this record" in MyChildren's: who can see the record in MyPatients and why, the
// provider directory, inviting, ending access, and providers' requests. Plain forms that post and
// redirect; the directory search also swaps only its results with htmx. Only the patient id and
// record ids are in paths; the directory is searched by provider name, which is not health
// information.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import {
  accessList,
  decideProviderRequest,
  grantToRevoke,
  INVITATIONS_PER_DAY,
  inviteByEmail,
  openInvitation,
  openSharing,
  revokeProviderGrant,
  revokeProviderInvitation,
  searchDirectory,
  shareWithProvider,
  type SharingPage,
} from '../../services/family/sharing.ts';
import { isLanguage } from '../../domain/language.ts';
import { addProblem, idFrom, parseForm, problemsOf, typedValues, type FormProblems } from '../forms.ts';
import { emailField } from '../auth/shared.ts';
import { wantsListFragment } from './record/listQuery.ts';
import { showPatient } from './currentPatient.ts';
import { viewerOf } from '../../services/family/patientAccess.ts';

/** The notices of the sharing pages (`sharing.notices.<key>`; listed in locales/runtimeKeys.ts). */
type SharingNoticeKey = 'shared' | 'alreadyShared' | 'invited' | 'revoked' | 'alreadyEnded' | 'approved' | 'declined' | 'alreadyDecided' | 'mayNotShare';

declare module 'express-session' {
  interface SessionData {
    /** What the next sharing page says about the change just made. */
    sharingNotice?: { key: SharingNoticeKey; params: Record<string, string> };
  }
}

const BASE = '/patients/:patientId/sharing';
const sharingPath = (patientId: number) => `/patients/${patientId}/sharing`;

const inviteSchema = z.object({
  name: z.string('sharing.errors.nameMissing').trim().min(1, 'sharing.errors.nameMissing').max(200, 'sharing.errors.nameTooLong'),
  email: emailField,
});

export function sharingRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('family');

  /** Opens the patient for a sharing page and shows the banner; false (404) when not the holder's. */
  async function open(req: Request, res: Response, page: string): Promise<SharingPage | undefined> {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return undefined;
    const opened = await openSharing(services, req.account!.id, patientId, page, requestOrigin(req));
    if (!opened) return undefined;
    showPatient(res, opened);
    res.locals.section = 'sharing';
    res.locals.sharers = opened.sharers;
    res.locals.decision = opened.decision;
    return opened;
  }

  /** Someone who may see the patient but not share (never a standing link today; kept for the rule's sake). */
  const refuse = (res: Response, opened: SharingPage) => res.status(403).render('patients/sharing/not-allowed.njk', { reason: opened.decision.allowed ? '' : opened.decision.reason });

  const takeNotice = (req: Request) => {
    const notice = req.session.sharingNotice;
    delete req.session.sharingNotice;
    return notice;
  };
  const redirectWithNotice = (req: Request, res: Response, path: string, key: SharingNoticeKey, params: Record<string, string> = {}) => {
    req.session.sharingNotice = { key, params };
    res.redirect(303, path);
  };

  router.get(BASE, signedIn, async (req, res, next) => {
    const opened = await open(req, res, 'sharing');
    if (!opened) return next('route');
    if (!opened.decision.allowed) return refuse(res, opened);
    res.render('patients/sharing/index.njk', { access: await accessList(services, opened.patient.patientId, viewerOf(opened.patient.relationship)), notice: takeNotice(req) });
  });

  // ——— The directory ———

  router.get(`${BASE}/providers`, signedIn, async (req, res, next) => {
    const opened = await open(req, res, 'sharing-providers');
    if (!opened) return next('route');
    if (!opened.decision.allowed) return refuse(res, opened);
    const name = typeof req.query.name === 'string' ? req.query.name.trim().slice(0, 100) : '';
    const results = name ? await searchDirectory(services, req.account!.id, opened.patient.patientId, name, requestOrigin(req)) : [];
    const fragment = wantsListFragment(req, res);
    res.render(fragment ? 'patients/sharing/_directory-results.njk' : 'patients/sharing/providers.njk', { name, results, searched: name !== '' });
  });

  router.post(`${BASE}/providers/:providerId`, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const providerId = idFrom(req.params.providerId);
    if (patientId === undefined || providerId === undefined) return next('route');
    const result = await shareWithProvider(services, req.account!.id, patientId, providerId, requestOrigin(req));
    if (result.outcome === 'not-found') return next('route');
    if (result.outcome === 'may-not-share') return redirectWithNotice(req, res, sharingPath(patientId), 'mayNotShare');
    redirectWithNotice(req, res, sharingPath(patientId), result.outcome === 'shared' ? 'shared' : 'alreadyShared', { name: result.provider.name });
  });

  // ——— Inviting someone without an account ———

  const showInvite = async (req: Request, res: Response, next: NextFunction, problems?: FormProblems) => {
    const opened = await open(req, res, 'sharing-invite');
    if (!opened) return next('route');
    if (!opened.decision.allowed) return refuse(res, opened);
    res.status(problems ? 422 : 200).render('patients/sharing/invite.njk', {
      values: problems ? typedValues(req.body) : {},
      errors: problems?.errors ?? [],
      fieldErrors: problems?.fieldErrors ?? {},
    });
  };

  router.get(`${BASE}/invite`, signedIn, (req, res, next) => showInvite(req, res, next));

  router.post(`${BASE}/invite`, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    if (patientId === undefined) return next('route');
    const form = parseForm(inviteSchema, req.body, res);
    if (!form.ok) return showInvite(req, res, next, problemsOf(form));
    const language = isLanguage(res.locals.lang) ? res.locals.lang : 'en';
    const result = await inviteByEmail(services, req.account!.id, patientId, { ...form.data, language }, requestOrigin(req));
    switch (result.outcome) {
      case 'not-found':
        return next('route');
      case 'may-not-share':
        return redirectWithNotice(req, res, sharingPath(patientId), 'mayNotShare');
      case 'too-many': {
        const problems = problemsOf(form);
        addProblem(problems, 'email', res.locals.t('sharing.errors.tooMany', { count: INVITATIONS_PER_DAY }));
        return showInvite(req, res, next, problems);
      }
      case 'invited':
        return redirectWithNotice(req, res, `${sharingPath(patientId)}/invitations/${result.invitationId}`, 'invited', { name: form.data.name });
    }
  });

  router.get(`${BASE}/invitations/:invitationId`, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const invitationId = idFrom(req.params.invitationId);
    if (patientId === undefined || invitationId === undefined) return next('route');
    const view = await openInvitation(services, req.account!.id, patientId, invitationId, requestOrigin(req));
    if (!view) return next('route');
    showPatient(res, view);
    if (!view.decision.allowed) return refuse(res, view);
    res.render('patients/sharing/invitation.njk', { section: 'sharing', sharers: view.sharers, invitation: view.invitation, mrn: view.mrn, now: services.now(), notice: takeNotice(req) });
  });

  // ——— Ending access (a confirmation page, then the change) ———

  router.get(`${BASE}/grants/:grantId/revoke`, signedIn, async (req, res, next) => {
    const grantId = idFrom(req.params.grantId);
    const opened = grantId === undefined ? undefined : await open(req, res, 'sharing-revoke');
    if (!opened || grantId === undefined) return next('route');
    if (!opened.decision.allowed) return refuse(res, opened);
    const grant = await grantToRevoke(services, opened.patient.patientId, grantId);
    if (!grant) return redirectWithNotice(req, res, sharingPath(opened.patient.patientId), 'alreadyEnded');
    res.render('patients/sharing/revoke.njk', { who: grant.provider.name, action: `${sharingPath(opened.patient.patientId)}/grants/${grantId}/revoke`, kind: 'grant' });
  });

  router.post(`${BASE}/grants/:grantId/revoke`, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const grantId = idFrom(req.params.grantId);
    if (patientId === undefined || grantId === undefined) return next('route');
    const result = await revokeProviderGrant(services, req.account!.id, patientId, grantId, requestOrigin(req));
    if (result.outcome === 'not-found') return next('route');
    redirectWithNotice(req, res, sharingPath(patientId), result.outcome === 'revoked' ? 'revoked' : result.outcome === 'may-not-share' ? 'mayNotShare' : 'alreadyEnded');
  });

  router.get(`${BASE}/invitations/:invitationId/revoke`, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const invitationId = idFrom(req.params.invitationId);
    if (patientId === undefined || invitationId === undefined) return next('route');
    const view = await openInvitation(services, req.account!.id, patientId, invitationId, requestOrigin(req));
    if (!view) return next('route');
    showPatient(res, view);
    res.locals.section = 'sharing';
    res.locals.sharers = view.sharers;
    if (!view.decision.allowed) return refuse(res, view);
    if (view.invitation.revokedAt) return redirectWithNotice(req, res, sharingPath(patientId), 'alreadyEnded');
    const who = view.invitation.validatedBy?.name ?? view.invitation.invitedName;
    res.render('patients/sharing/revoke.njk', { who, action: `${sharingPath(patientId)}/invitations/${invitationId}/revoke`, kind: view.invitation.usedAt ? 'token' : 'invitation' });
  });

  router.post(`${BASE}/invitations/:invitationId/revoke`, signedIn, async (req, res, next) => {
    const patientId = idFrom(req.params.patientId);
    const invitationId = idFrom(req.params.invitationId);
    if (patientId === undefined || invitationId === undefined) return next('route');
    const result = await revokeProviderInvitation(services, req.account!.id, patientId, invitationId, requestOrigin(req));
    if (result.outcome === 'not-found') return next('route');
    redirectWithNotice(req, res, sharingPath(patientId), result.outcome === 'revoked' ? 'revoked' : result.outcome === 'may-not-share' ? 'mayNotShare' : 'alreadyEnded');
  });

  // ——— Providers' requests ———

  for (const decision of ['approve', 'decline'] as const) {
    router.post(`${BASE}/requests/:requestId/${decision}`, signedIn, async (req, res, next) => {
      const patientId = idFrom(req.params.patientId);
      const requestId = idFrom(req.params.requestId);
      if (patientId === undefined || requestId === undefined) return next('route');
      const result = await decideProviderRequest(services, req.account!.id, patientId, requestId, decision, requestOrigin(req));
      if (result.outcome === 'not-found') return next('route');
      if (result.outcome === 'approved' || result.outcome === 'declined') return redirectWithNotice(req, res, sharingPath(patientId), result.outcome, { name: result.provider.name });
      redirectWithNotice(req, res, sharingPath(patientId), result.outcome === 'may-not-share' ? 'mayNotShare' : 'alreadyDecided');
    });
  }

  return router;
}
