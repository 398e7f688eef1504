// Forgot password: ask for a link (families) or a pass code (providers, staff), then choose a
// new password. Also the invitation link that lets new staff and providers set their first one.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import type { AccountKind } from '../../domain/accounts.ts';
import { askForPasswordReset, checkResetLink, resetPasswordWithCode, resetPasswordWithLink, resetsByCode } from '../../services/identity/passwordReset.ts';
import type { TokenPurpose } from '../../services/identity/accountTokens.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { oneProblem, parseForm, problemsOf, typedValues, type FormProblems, type FormResult } from '../forms.ts';
import { addPasswordProblems, emailField, passwordField, passwordHint, portalPath, renderEmailPaused, renderForm } from './shared.ts';
import { countEmailRequest } from '../../services/emailLimits.ts';

const forgotSchema = z.object({ email: emailField });
const linkResetSchema = z.object({ token: z.string().min(1).max(200), password: passwordField('auth.errors.newPasswordMissing') });
const codeResetSchema = z.object({
  email: emailField,
  code: z.string().trim().min(1, 'auth.errors.passCodeMissing').max(20, 'auth.errors.passCodeWrong'),
  password: passwordField('auth.errors.newPasswordMissing'),
});

export function passwordResetRoutes(services: Services, kind: AccountKind): Router {
  const router = Router();
  const byCode = resetsByCode(kind);

  router.get('/forgot-password', (_req, res) => renderForm(res, 200, 'auth/forgot-password.njk', { kind, byCode }));

  router.post('/forgot-password', async (req, res) => {
    const form = parseForm(forgotSchema, req.body, res);
    if (!form.ok) return renderForm(res, 422, 'auth/forgot-password.njk', { kind, byCode, values: typedValues(req.body), ...form });
    const paused = await countEmailRequest(services, { form: 'forgot-password', recipient: form.data.email }, requestOrigin(req));
    if (paused) return renderEmailPaused(res, paused);
    await askForPasswordReset(services, kind, form.data.email, requestOrigin(req));
    // The same page whether or not the address has an account.
    res.redirect(303, portalPath(kind, byCode ? '/reset-password' : '/forgot-password/sent'));
  });

  router.get('/forgot-password/sent', (_req, res) => res.render('auth/check-email.njk', { kind, reason: 'reset' }));

  const linkRoutes = (path: string, purpose: TokenPurpose, done: string) => {
    router.get(path, async (req, res) => {
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      const lookup = token ? await checkResetLink(services, purpose, token) : ({ valid: false, reason: 'unknown' } as const);
      if (!lookup.valid) return res.status(410).render('auth/link-problem.njk', { kind, purpose, reason: lookup.reason });
      renderForm(res, 200, 'auth/new-password.njk', { kind, purpose, action: portalPath(kind, path), token, passwordHint: passwordHint(res.locals.t, services.config) });
    });
    router.post(path, async (req, res) => {
      const token = typeof req.body?.token === 'string' ? req.body.token : '';
      const form = parseForm(linkResetSchema, req.body, res);
      const lookup = token ? await checkResetLink(services, purpose, token) : ({ valid: false, reason: 'unknown' } as const);
      if (!lookup.valid) return res.status(410).render('auth/link-problem.njk', { kind, purpose, reason: lookup.reason });
      const failed = checkNewPassword(res, form, lookup.email);
      if (failed) return renderForm(res, 422, 'auth/new-password.njk', { kind, purpose, action: portalPath(kind, path), token, passwordHint: passwordHint(res.locals.t, services.config), ...failed });
      const result = await resetPasswordWithLink(services, purpose, token, String(req.body.password), requestOrigin(req));
      if (!result.ok) return res.status(410).render('auth/link-problem.njk', { kind, purpose, reason: result.reason });
      res.redirect(303, portalPath(kind, done));
    });
  };

  /** The form's problems with the new password's added, or undefined when there are none. */
  const checkNewPassword = (res: Response, form: FormResult<unknown>, email: string): FormProblems | undefined => {
    const problems = problemsOf(form);
    addPasswordProblems(problems, res.locals.t, services.config, String(res.req.body?.password ?? ''), email);
    return problems.errors.length ? problems : undefined;
  };

  if (byCode) {
    router.get('/reset-password', (_req, res) =>
      renderForm(res, 200, 'auth/reset-with-code.njk', { kind, minutes: services.config.tokens.passCodeMinutes, passwordHint: passwordHint(res.locals.t, services.config) }),
    );
    router.post('/reset-password', async (req, res) => {
      const { password: _password, ...values } = typedValues(req.body);
      const form = parseForm(codeResetSchema, req.body, res);
      const locals = { kind, values, minutes: services.config.tokens.passCodeMinutes, passwordHint: passwordHint(res.locals.t, services.config) };
      const failed = checkNewPassword(res, form, values.email ?? '');
      if (failed || !form.ok) return renderForm(res, 422, 'auth/reset-with-code.njk', { ...locals, ...failed });
      const result = await resetPasswordWithCode(services, kind, form.data.email, form.data.code, form.data.password, requestOrigin(req));
      if (!result.ok) {
        // Wrong, used up or expired: one message, which also says how to get a new code.
        return renderForm(res, 422, 'auth/reset-with-code.njk', { ...locals, ...oneProblem('code', res.locals.t('auth.errors.passCodeWrong')) });
      }
      res.redirect(303, portalPath(kind, '/signin?passwordSet=1'));
    });
  } else {
    linkRoutes('/reset-password', 'reset-password', '/signin?passwordSet=1');
  }
  if (kind !== 'family') linkRoutes('/set-password', 'set-password', '/signin?passwordSet=1');

  return router;
}
