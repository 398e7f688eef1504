// The signed-in person's own account: overview with recent sign-ins, password, email address,
// second factor and recovery codes, and staying signed in when warned about the idle timeout.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { secondFactorRequired, type AccountKind } from '../../domain/accounts.ts';
import { isLocalPath } from '../../domain/localPath.ts';
import { LANGUAGES } from '../../domain/language.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { rememberLanguage } from '../../middleware/setUpI18n.ts';
import { changePassword, checkEmailChangeLink, confirmEmailChange, recentSignIns, requestEmailChange, updateDetails } from '../../services/identity/accountSettings.ts';
import {
  displayRecoveryCode,
  enrolSecondFactor,
  newRecoveryCodes,
  newTotpSecret,
  qrCodeSvg,
  spacedSecret,
  totpUri,
  turnOffSecondFactor,
  unusedRecoveryCodeCount,
} from '../../services/identity/secondFactor.ts';
import { verifyPassword } from '../../services/identity/passwordHashing.ts';
import { currentPractice, providerMayChangeOwnEmail } from '../../services/myPatients/practiceChanges.ts';
import { addProblem, parseForm, problemsOf, typedValues } from '../forms.ts';
import { addPasswordProblems, afterSignIn, beginSession, emailField, passwordField, passwordHint, portalPath, renderEmailPaused, renderForm } from './shared.ts';
import { countEmailRequest } from '../../services/emailLimits.ts';
import { openSecret, sealSecret } from '../../services/identity/sealedSecrets.ts';

declare module 'express-session' {
  interface SessionData {
    /** Sealed (services/identity/sealedSecrets.ts): the session store never holds these in clear. */
    sealedPendingTotpSecret?: string;
    sealedFreshRecoveryCodes?: string;
    accountNotice?: 'passwordChanged' | 'secondFactorOff' | 'detailsChanged';
  }
}

const changePasswordSchema = z.object({
  currentPassword: passwordField('auth.errors.currentPasswordMissing'),
  password: passwordField('auth.errors.newPasswordMissing'),
});
const changeEmailSchema = z.object({ email: emailField, currentPassword: passwordField('auth.errors.currentPasswordMissing') });
const codeSchema = z.object({ code: z.string().trim().min(1, 'auth.errors.codeMissing').max(20, 'auth.errors.codeWrong') });
const detailsSchema = z.object({
  name: z.string().trim().min(1, 'auth.errors.nameMissing').max(200, 'auth.errors.nameTooLong'),
  preferredLanguage: z.enum(LANGUAGES, 'auth.errors.languageMissing'),
});
const passwordOnlySchema = z.object({ currentPassword: passwordField('auth.errors.currentPasswordMissing') });

export function accountRoutes(services: Services, kind: AccountKind): Router {
  const router = Router();
  const signedIn = requireSignedIn(kind);
  const path = (p: string) => portalPath(kind, p);
  const notice = (req: Request) => {
    const text = req.session.accountNotice;
    delete req.session.accountNotice;
    return text;
  };

  router.get('/account', signedIn, async (req, res) => {
    const account = req.account!;
    // MyPatients: the practice the provider is placed in, with a way to ask for a change.
    const practice = kind === 'provider' ? await currentPractice(services, account.id) : undefined;
    res.render('auth/account.njk', {
      kind,
      practice,
      mayChangeEmail: kind !== 'provider' || Boolean(practice?.npi),
      notice: notice(req),
      signIns: await recentSignIns(services.db, account.id),
      recoveryCodesLeft: account.totpEnabledAt ? await unusedRecoveryCodeCount(services.db, account.id) : 0,
    });
  });

  router.get('/account/details', signedIn, (req, res) =>
    renderForm(res, 200, 'auth/change-details.njk', { kind, languages: LANGUAGES, values: { name: req.account!.name, preferredLanguage: req.account!.preferredLanguage } }),
  );
  router.post('/account/details', signedIn, async (req, res) => {
    const form = parseForm(detailsSchema, req.body, res);
    if (!form.ok) return renderForm(res, 422, 'auth/change-details.njk', { kind, languages: LANGUAGES, values: typedValues(req.body), ...form });
    await updateDetails(services, req.account!, form.data, requestOrigin(req));
    // One language for emails and pages: the next page is already in the one just chosen.
    rememberLanguage(res, services.config, form.data.preferredLanguage);
    req.session.accountNotice = 'detailsChanged';
    res.redirect(303, path('/account'));
  });

  router.get('/account/password', signedIn, (_req, res) => renderForm(res, 200, 'auth/change-password.njk', { kind, passwordHint: passwordHint(res.locals.t, services.config) }));
  router.post('/account/password', signedIn, async (req, res) => {
    const account = req.account!;
    const form = parseForm(changePasswordSchema, req.body, res);
    const failed = problemsOf(form);
    addPasswordProblems(failed, res.locals.t, services.config, String(req.body?.password ?? ''), account.email);
    if (form.ok && !failed.errors.length) {
      const result = await changePassword(services, account, form.data.currentPassword, form.data.password, req.sessionID, requestOrigin(req));
      if (result.ok) {
        req.session.accountNotice = 'passwordChanged';
        return res.redirect(303, path('/account'));
      }
      addProblem(failed, 'currentPassword', res.locals.t('auth.errors.currentPasswordWrong'));
    }
    renderForm(res, 422, 'auth/change-password.njk', { kind, passwordHint: passwordHint(res.locals.t, services.config), ...failed });
  });

  // Providers with an NPI change their own address; a sponsored user's sponsor makes a new account instead.
  const emailChangeRefused = async (req: Request) => kind === 'provider' && !(await providerMayChangeOwnEmail(services, req.account!.id));
  router.get('/account/email', signedIn, async (req, res) => {
    if (await emailChangeRefused(req)) return res.status(403).render('provider/email-by-sponsor.njk');
    renderForm(res, 200, 'auth/change-email.njk', { kind });
  });
  router.post('/account/email', signedIn, async (req, res) => {
    if (await emailChangeRefused(req)) return res.status(403).render('provider/email-by-sponsor.njk');
    const { currentPassword: _currentPassword, ...values } = typedValues(req.body);
    const form = parseForm(changeEmailSchema, req.body, res);
    if (form.ok) {
      const paused = await countEmailRequest(services, { form: 'change-email', recipient: form.data.email, accountId: req.account!.id }, requestOrigin(req));
      if (paused) return renderEmailPaused(res, paused);
      const result = await requestEmailChange(services, req.account!, form.data.email, form.data.currentPassword, requestOrigin(req));
      if (result.ok) return res.render('auth/check-email.njk', { kind, reason: 'change-email' });
    }
    const failed = problemsOf(form);
    if (form.ok) addProblem(failed, 'currentPassword', res.locals.t('auth.errors.currentPasswordWrong'));
    renderForm(res, 422, 'auth/change-email.njk', { kind, values, ...failed });
  });

  // Opened from the new address's inbox, perhaps on another device: no sign-in needed.
  router.get('/account/email/confirm', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const lookup = token ? await checkEmailChangeLink(services, token) : ({ valid: false, reason: 'unknown' } as const);
    if (!lookup.valid) return res.status(410).render('auth/link-problem.njk', { kind, purpose: 'change-email', reason: lookup.reason });
    res.render('auth/confirm-email.njk', { token, action: path('/account/email/confirm') });
  });
  router.post('/account/email/confirm', async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const result = token ? await confirmEmailChange(services, token, requestOrigin(req)) : ({ valid: false, reason: 'unknown' } as const);
    if (!result.valid) return res.status(410).render('auth/link-problem.njk', { kind, purpose: 'change-email', reason: result.reason });
    res.render('auth/email-changed.njk', { kind });
  });

  const keys = services.config.encryptionKeys;
  /** The secret being enrolled, made on the first visit and kept, sealed, until enrolment ends. */
  const pendingSecret = (req: Request): string => {
    const sealed = req.session.sealedPendingTotpSecret;
    if (sealed) return openSecret(keys, sealed);
    const secret = newTotpSecret();
    req.session.sealedPendingTotpSecret = sealSecret(keys, secret);
    return secret;
  };
  const keepFreshRecoveryCodes = (req: Request, codes: string[]) => {
    req.session.sealedFreshRecoveryCodes = sealSecret(keys, JSON.stringify(codes));
  };

  const duringEnrolment = requireSignedIn(kind, { duringEnrolment: true });
  const enrolmentPage = async (req: Request) => {
    const account = req.account!;
    const secret = pendingSecret(req);
    return { kind, qrCode: await qrCodeSvg(totpUri(services, account, secret)), secret: spacedSecret(secret), required: req.session.authStage === 'enrol-second-factor' };
  };

  router.get('/account/two-factor', duringEnrolment, async (req, res) => {
    if (req.account!.totpEnabledAt) {
      return res.render('auth/two-factor-on.njk', { kind, mayTurnOff: !secondFactorRequired(kind), recoveryCodesLeft: await unusedRecoveryCodeCount(services.db, req.account!.id) });
    }
    renderForm(res, 200, 'auth/two-factor-enrol.njk', await enrolmentPage(req));
  });

  router.post('/account/two-factor', duringEnrolment, async (req, res) => {
    const account = req.account!;
    if (account.totpEnabledAt || !req.session.sealedPendingTotpSecret) return res.redirect(303, path('/account/two-factor'));
    const secret = pendingSecret(req);
    const form = parseForm(codeSchema, req.body, res);
    const result = form.ok ? await enrolSecondFactor(services, account, secret, form.data.code, requestOrigin(req)) : { ok: false as const };
    if (!result.ok) {
      const failed = problemsOf(form);
      if (form.ok) addProblem(failed, 'code', res.locals.t('auth.errors.enrolCodeWrong'));
      return renderForm(res, 422, 'auth/two-factor-enrol.njk', { ...(await enrolmentPage(req)), ...failed });
    }
    const returnTo = req.session.returnTo;
    if (req.session.authStage === 'enrol-second-factor') {
      // The second factor was the last thing missing: this is the moment of signing in.
      await beginSession(req, account, 'signed-in', services.now(), returnTo);
    }
    delete req.session.sealedPendingTotpSecret;
    keepFreshRecoveryCodes(req, result.recoveryCodes);
    res.redirect(303, path('/account/recovery-codes'));
  });

  router.post('/account/two-factor/off', signedIn, async (req, res) => {
    const account = req.account!;
    if (secondFactorRequired(kind) || !account.totpEnabledAt) return res.redirect(303, path('/account/two-factor'));
    const form = parseForm(passwordOnlySchema, req.body, res);
    const matches = form.ok && (await verifyPassword(account.passwordHash, form.data.currentPassword, services.config.passwords.argon2)).matches;
    if (!matches) {
      const failed = problemsOf(form);
      if (form.ok) addProblem(failed, 'currentPassword', res.locals.t('auth.errors.currentPasswordWrong'));
      return renderForm(res, 422, 'auth/two-factor-on.njk', { kind, mayTurnOff: true, recoveryCodesLeft: await unusedRecoveryCodeCount(services.db, account.id), ...failed });
    }
    await turnOffSecondFactor(services, account, requestOrigin(req));
    req.session.accountNotice = 'secondFactorOff';
    res.redirect(303, path('/account'));
  });

  router.post('/account/recovery-codes', signedIn, async (req, res) => {
    if (!req.account!.totpEnabledAt) return res.redirect(303, path('/account/two-factor'));
    keepFreshRecoveryCodes(req, await newRecoveryCodes(services, req.account!, requestOrigin(req)));
    res.redirect(303, path('/account/recovery-codes'));
  });

  // Shown once: the codes leave the session as the page is drawn.
  router.get('/account/recovery-codes', signedIn, (req, res) => {
    const sealed = req.session.sealedFreshRecoveryCodes;
    delete req.session.sealedFreshRecoveryCodes;
    if (!sealed) return res.redirect(303, path('/account/two-factor'));
    const codes = JSON.parse(openSecret(keys, sealed)) as string[];
    res.render('auth/recovery-codes.njk', { kind, codes: codes.map(displayRecoveryCode), continueTo: afterSignIn(req, kind) });
  });

  // "Stay signed in" from the idle warning: the request itself resets the idle clock. The
  // warning's script sends it in the background (204); without JavaScript it goes back.
  router.post('/session/keep-alive', signedIn, (req, res) => {
    if (req.get('X-Requested-With') === 'fetch') return res.status(204).end();
    const back = req.body?.back;
    res.redirect(303, isLocalPath(back) ? back : path('/home'));
  });

  return router;
}
