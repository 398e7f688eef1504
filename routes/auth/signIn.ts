// Sign in (password, then the second factor when the account has one) and sign out.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { PORTAL_PREFIX, type AccountKind } from '../../domain/accounts.ts';
import { isLocalPath } from '../../domain/localPath.ts';
import { attemptSecondFactor, attemptSignIn } from '../../services/identity/signIn.ts';
import { recordAudit } from '../../services/audit.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { rememberLanguage } from '../../middleware/setUpI18n.ts';
import { oneProblem, parseForm, typedValues } from '../forms.ts';
import { afterSignIn, beginSession, emailField, passwordField, portalPath, renderForm, returnToField } from './shared.ts';

const signInSchema = z.object({
  email: emailField,
  password: passwordField('auth.errors.passwordMissing'),
  returnTo: returnToField,
});

const codeSchema = z.object({
  code: z.string().trim().min(1, 'auth.errors.codeMissing').max(40, 'auth.errors.codeWrong'),
});

export function signInRoutes(services: Services, kind: AccountKind): Router {
  const router = Router();
  const view = 'auth/signin.njk';

  router.get('/signin', (req, res) => {
    const returnTo = isLocalPath(req.query.returnTo) ? req.query.returnTo : undefined;
    // Still signed in (the idle warning in one tab while another kept the session going): carry on.
    if (req.account && req.session.accountKind === kind && req.session.authStage === 'signed-in') {
      req.session.returnTo = returnTo;
      return res.redirect(303, afterSignIn(req, kind));
    }
    const notice = ['timedOut', 'signedOut', 'confirmed', 'passwordSet'].find((name) => req.query[name] === '1');
    renderForm(res, 200, view, { kind, returnTo, notice });
  });

  router.post('/signin', async (req, res) => {
    const values = { email: typedValues(req.body).email ?? '' };
    const returnTo = isLocalPath(req.body?.returnTo) ? req.body.returnTo : undefined;
    const form = parseForm(signInSchema, req.body, res);
    if (!form.ok) return renderForm(res, 422, view, { kind, values, returnTo, errors: form.errors, fieldErrors: form.fieldErrors });

    const result = await attemptSignIn(services, kind, form.data.email, form.data.password, requestOrigin(req));
    // The password is right: from here on the pages are in the account's own language.
    if ('account' in result) rememberLanguage(res, services.config, result.account.preferredLanguage);
    switch (result.outcome) {
      case 'failed': {
        // The same words whether the address is unknown or the password wrong.
        return renderForm(res, 422, view, { kind, values, returnTo, ...oneProblem('email', res.locals.t('auth.errors.signInFailed')) });
      }
      case 'locked':
        return renderForm(res, 429, 'auth/signin-paused.njk', { kind, until: result.until });
      case 'network-limited':
        res.setHeader('Retry-After', String(result.retryAfterSeconds));
        return renderForm(res, 429, 'auth/signin-paused.njk', { kind, until: new Date(services.now().getTime() + result.retryAfterSeconds * 1000) });
      case 'unconfirmed':
        return res.render('auth/check-email.njk', { kind, reason: 'unconfirmed' });
      case 'second-factor':
        await beginSession(req, result.account, 'second-factor', services.now(), returnTo);
        return res.redirect(303, portalPath(kind, '/signin/code'));
      case 'enrol-second-factor':
        await beginSession(req, result.account, 'enrol-second-factor', services.now(), returnTo);
        return res.redirect(303, portalPath(kind, '/account/two-factor'));
      case 'signed-in':
        await beginSession(req, result.account, 'signed-in', services.now(), returnTo);
        return res.redirect(303, afterSignIn(req, kind));
    }
  });

  const pendingSecondFactor = (req: Request) =>
    req.account && req.session.accountKind === kind && req.session.authStage === 'second-factor';

  router.get('/signin/code', (req, res) => {
    if (!pendingSecondFactor(req)) return res.redirect(303, portalPath(kind, '/signin'));
    renderForm(res, 200, 'auth/signin-code.njk', { kind });
  });

  router.post('/signin/code', async (req, res) => {
    if (!pendingSecondFactor(req) || !req.account) return res.redirect(303, portalPath(kind, '/signin'));
    const form = parseForm(codeSchema, req.body, res);
    if (!form.ok) return renderForm(res, 422, 'auth/signin-code.njk', { kind, errors: form.errors, fieldErrors: form.fieldErrors });
    const result = await attemptSecondFactor(services, req.account, form.data.code, requestOrigin(req));
    if (result.outcome === 'locked') return renderForm(res, 429, 'auth/signin-paused.njk', { kind, until: result.until });
    if (result.outcome === 'failed') {
      return renderForm(res, 422, 'auth/signin-code.njk', { kind, ...oneProblem('code', res.locals.t('auth.errors.codeWrong')) });
    }
    const returnTo = req.session.returnTo;
    await beginSession(req, result.account, 'signed-in', services.now(), returnTo);
    res.redirect(303, afterSignIn(req, kind));
  });

  router.post('/signout', async (req, res) => {
    const { accountId, accountKind } = req.session;
    if (accountId !== undefined && accountKind) {
      await recordAudit(services.db, { actorType: accountKind, actorId: accountId, action: 'sign-out', subjectType: 'account', subjectId: accountId, outcome: 'success' }, requestOrigin(req));
    }
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    res.clearCookie(services.config.session.cookieName, { path: '/' });
    res.redirect(303, `${PORTAL_PREFIX[kind]}/signin?signedOut=1`);
  });

  return router;
}
