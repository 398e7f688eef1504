// Family sign-up and the emailed confirmation link.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { LANGUAGES } from '../../domain/language.ts';
import { checkConfirmationLink, confirmEmail, signUpFamily } from '../../services/identity/signUp.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { parseForm, problemsOf, typedValues } from '../forms.ts';
import { addPasswordProblems, emailField, passwordField, passwordHint, renderEmailPaused, renderForm } from './shared.ts';
import { countEmailRequest } from '../../services/emailLimits.ts';

const signUpSchema = z.object({
  name: z.string().trim().min(1, 'auth.errors.nameMissing').max(200, 'auth.errors.nameTooLong'),
  email: emailField,
  password: passwordField('auth.errors.newPasswordMissing'),
  preferredLanguage: z.enum(LANGUAGES, 'auth.errors.languageMissing'),
});

const tokenSchema = z.object({ token: z.string().min(1).max(200) });

export function signUpRoutes(services: Services): Router {
  const router = Router();
  const view = 'auth/signup.njk';
  const languages = LANGUAGES;

  router.get('/signup', (req, res) => renderForm(res, 200, view, { languages, passwordHint: passwordHint(res.locals.t, services.config), values: { preferredLanguage: req.language } }));

  router.post('/signup', async (req, res) => {
    const { password = '', ...values } = typedValues(req.body); // a password is never sent back to the page
    const form = parseForm(signUpSchema, req.body, res);
    const problems = problemsOf(form);
    addPasswordProblems(problems, res.locals.t, services.config, password, values.email ?? '');
    if (!form.ok || problems.errors.length) {
      return renderForm(res, 422, view, { languages, passwordHint: passwordHint(res.locals.t, services.config), values, ...problems });
    }
    const paused = await countEmailRequest(services, { form: 'sign-up', recipient: form.data.email }, requestOrigin(req));
    if (paused) return renderEmailPaused(res, paused);
    await signUpFamily(services, form.data, requestOrigin(req));
    res.redirect(303, '/signup/check-email');
  });

  router.get('/signup/check-email', (_req, res) => res.render('auth/check-email.njk', { kind: 'family', reason: 'signed-up' }));

  // The link opens a page with a button, so mail scanners that follow links do not use it up.
  router.get('/signup/confirm', async (req, res) => {
    const parsed = tokenSchema.safeParse(req.query);
    const lookup = parsed.success ? await checkConfirmationLink(services, parsed.data.token) : { valid: false as const, reason: 'unknown' as const };
    if (!lookup.valid) return res.status(410).render('auth/link-problem.njk', { kind: 'family', purpose: 'confirm-email', reason: lookup.reason });
    res.render('auth/confirm-email.njk', { token: parsed.data?.token });
  });

  router.post('/signup/confirm', async (req, res) => {
    const parsed = tokenSchema.safeParse(req.body);
    const result = parsed.success ? await confirmEmail(services, parsed.data.token, requestOrigin(req)) : { valid: false as const, reason: 'unknown' as const };
    if (!result.valid) return res.status(410).render('auth/link-problem.njk', { kind: 'family', purpose: 'confirm-email', reason: result.reason });
    // A new family's first step after signing in is adding a patient.
    res.redirect(303, '/signin?confirmed=1&returnTo=%2Fpatients%2Fadd');
  });

  return router;
}
