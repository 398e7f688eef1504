// Adding a patient to a MyChildren's account: with a sign-up token and the date of birth (links
// at once), or with the MRN and the date of a visit (support checks it). A request the rules
// refuse goes to a page that says why and what to do: ineligible is not invalid.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { LINK_REFUSALS, RELATIONSHIPS } from '../../domain/eligibility.ts';
import { localDateOf } from '../../domain/localDate.ts';
import { addPatientByToken, requestPatientByMrn, type Throttled } from '../../services/family/addPatient.ts';
import { findOwnRequest } from '../../services/family/linkRequests.ts';
import { addProblem, idFrom, oneProblem, parseForm, problemsOf, typedDate, typedValues, withDates, type FormProblems } from '../forms.ts';
import { renderForm } from '../auth/shared.ts';

const relationship = z.enum(RELATIONSHIPS, 'patients.errors.relationshipMissing');
const dateField = (missing: string, invalid: string) =>
  z
    .string()
    .min(1, missing)
    .refine((value) => value !== 'invalid', invalid);

const tokenSchema = z.object({
  code: z.string('patients.errors.codeMissing').trim().min(1, 'patients.errors.codeMissing').max(40, 'patients.errors.codeWrong'),
  birthDate: dateField('patients.errors.birthDateMissing', 'patients.errors.birthDateInvalid'),
  relationship,
});

const mrnSchema = z.object({
  patientName: z.string('patients.errors.patientNameMissing').trim().min(1, 'patients.errors.patientNameMissing').max(200, 'patients.errors.patientNameTooLong'),
  birthDate: dateField('patients.errors.birthDateMissing', 'patients.errors.birthDateInvalid'),
  mrn: z
    .string('patients.errors.mrnMissing')
    .transform((value) => value.replace(/[\s-]/g, ''))
    .pipe(z.string().min(1, 'patients.errors.mrnMissing').regex(/^[A-Za-z0-9]{1,20}$/, 'patients.errors.mrnInvalid')),
  visitDate: dateField('patients.errors.visitDateMissing', 'patients.errors.visitDateInvalid'),
  relationship,
});

export function addPatientRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('family');
  const today = () => localDateOf(services.now(), services.config.hospital.timeZone);
  const choices = { relationships: RELATIONSHIPS };

  /** What the form shows again: every box as typed, dates in their three parts. */
  const valuesOf = (req: Request, dates: string[]) => ({ ...typedValues(req.body), ...Object.fromEntries(dates.map((name) => [name, typedDate(req.body, name)])) });

  const pastDate = (problems: FormProblems, field: string, value: string | undefined, key: string) => {
    if (value && value !== 'invalid' && value > today()) addProblem(problems, field, key);
  };

  const paused = (res: Response, throttled: Throttled) => {
    res.setHeader('Retry-After', String(throttled.retryAfterSeconds));
    res.status(429).render('patients/add-paused.njk', { minutes: Math.ceil(throttled.retryAfterSeconds / 60) });
  };

  router.get('/patients/add', signedIn, (_req, res) => res.render('patients/add.njk'));

  router.get('/patients/add/token', signedIn, (_req, res) => renderForm(res, 200, 'patients/add-token.njk', { ...choices, values: {} }));

  router.post('/patients/add/token', signedIn, async (req, res) => {
    const values = valuesOf(req, ['birthDate']);
    const body = withDates(req.body, ['birthDate']);
    const form = parseForm(tokenSchema, body, res);
    const problems = problemsOf(form);
    pastDate(problems, 'birthDate', String(body.birthDate), res.locals.t('patients.errors.birthDateFuture'));
    const show = (status: number, shown: FormProblems) => renderForm(res, status, 'patients/add-token.njk', { ...choices, values, ...shown });
    if (!form.ok || problems.errors.length) return show(422, problems);

    const result = await addPatientByToken(services, req.account!, form.data, requestOrigin(req));
    switch (result.outcome) {
      case 'linked':
      case 'already-linked':
        req.session.patientNotice = result.outcome === 'linked' ? 'added' : 'already-linked';
        return res.redirect(303, `/patients/${result.patientId}`);
      case 'ineligible':
        return res.redirect(303, `/patients/add/not-eligible/${result.reason}`);
      case 'throttled':
        return paused(res, result);
      case 'wrong-details':
        return show(422, oneProblem('code', res.locals.t('patients.errors.codeWrong')));
      case 'token-expired':
      case 'token-used':
        return show(422, oneProblem('code', res.locals.t(`patients.errors.${result.outcome}`)));
    }
  });

  router.get('/patients/add/mrn', signedIn, (_req, res) => renderForm(res, 200, 'patients/add-mrn.njk', { ...choices, values: {} }));

  router.post('/patients/add/mrn', signedIn, async (req, res) => {
    const values = valuesOf(req, ['birthDate', 'visitDate']);
    const body = withDates(req.body, ['birthDate', 'visitDate']);
    const form = parseForm(mrnSchema, body, res);
    const problems = problemsOf(form);
    pastDate(problems, 'birthDate', String(body.birthDate), res.locals.t('patients.errors.birthDateFuture'));
    pastDate(problems, 'visitDate', String(body.visitDate), res.locals.t('patients.errors.visitDateFuture'));
    if (form.ok && form.data.visitDate < form.data.birthDate) addProblem(problems, 'visitDate', res.locals.t('patients.errors.visitBeforeBirth'));
    const show = (status: number, shown: FormProblems) => renderForm(res, status, 'patients/add-mrn.njk', { ...choices, values, ...shown });
    if (!form.ok || problems.errors.length) return show(422, problems);

    const result = await requestPatientByMrn(services, req.account!, form.data, requestOrigin(req));
    switch (result.outcome) {
      case 'requested':
        return res.redirect(303, `/patients/add/requests/${result.requestId}`);
      case 'ineligible':
        return res.redirect(303, `/patients/add/not-eligible/${result.reason}`);
      case 'throttled':
        return paused(res, result);
      case 'too-many-pending':
        return show(422, oneProblem('mrn', res.locals.t('patients.errors.tooManyPending')));
    }
  });

  router.get('/patients/add/requests/:requestId', signedIn, async (req, res, next) => {
    const requestId = idFrom(req.params.requestId);
    const request = requestId === undefined ? undefined : await findOwnRequest(services, req.account!.id, requestId);
    if (!request) return next();
    res.render('patients/add-requested.njk', { request });
  });

  router.get('/patients/add/not-eligible/:reason', signedIn, (req, res, next) => {
    const reason = LINK_REFUSALS.find((refusal) => refusal === req.params.reason);
    if (!reason) return next();
    res.render('patients/not-eligible.njk', { reason });
  });

  return router;
}
