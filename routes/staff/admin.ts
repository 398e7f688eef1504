// Back-office administration: admins invite staff members.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { STAFF_ROLES } from '../../domain/accounts.ts';
import { LANGUAGES } from '../../domain/language.ts';
import { requestOrigin, requireRole, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { inviteAccount } from '../../services/identity/invitations.ts';
import { addProblem, parseForm, problemsOf, typedValues } from '../forms.ts';
import { emailField, renderForm } from '../auth/shared.ts';

const inviteSchema = z.object({
  name: z.string().trim().min(1, 'auth.errors.nameMissing').max(200, 'auth.errors.nameTooLong'),
  email: emailField,
  roles: z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.enum(STAFF_ROLES)).min(1, 'staffAdmin.errors.roleMissing')),
  preferredLanguage: z.enum(LANGUAGES, 'auth.errors.languageMissing'),
});

export function staffAdminRoutes(services: Services): Router {
  const router = Router();
  const guard = [requireSignedIn('staff'), requireRole('admin')];
  const view = 'staff/invite.njk';
  const choices = { roles: STAFF_ROLES, languages: LANGUAGES };

  router.get('/staff/admin/invite', ...guard, (req, res) => renderForm(res, 200, view, { ...choices, values: { preferredLanguage: req.language } }));

  router.post('/staff/admin/invite', ...guard, async (req, res) => {
    const values = { ...typedValues(req.body), roles: [req.body?.roles ?? []].flat() };
    const form = parseForm(inviteSchema, req.body, res);
    if (form.ok) {
      const result = await inviteAccount(
        services,
        { kind: 'staff', ...form.data, invitedBy: { actorType: 'staff', actorId: req.account!.id } },
        requestOrigin(req),
      );
      if (result.ok) {
        // Post, redirect, get: reloading the confirmation must not send the invitation again.
        req.session.invitedEmail = form.data.email;
        return res.redirect(303, '/staff/admin/invited');
      }
    }
    const failed = problemsOf(form);
    if (form.ok) addProblem(failed, 'email', res.locals.t('staffAdmin.errors.emailTaken'));
    renderForm(res, 422, view, { ...choices, values, ...failed });
  });

  router.get('/staff/admin/invited', ...guard, (req, res) => {
    const email = req.session.invitedEmail;
    delete req.session.invitedEmail;
    if (!email) return res.redirect(303, '/staff/admin/invite');
    res.render('staff/invited.njk', { email });
  });

  return router;
}

declare module 'express-session' {
  interface SessionData {
    /** Shown once on the confirmation page after an invitation. */
    invitedEmail?: string;
  }
}
