// A MyPatients provider asks to change practice from their account page: the old practice comes
// prefilled from the record, the new one as typed, and whether they sponsored staff at the old
// one. It goes to the MyPatients team's queue (routes/staff/myPatientsPracticeChanges.ts).
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { isPhoneNumber } from '../../domain/providerRegistration.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { currentPractice, PRACTICE_CHANGE_BUSINESS_DAYS, requestPracticeChange, type CurrentPractice } from '../../services/myPatients/practiceChanges.ts';
import { parseForm, typedValues } from '../forms.ts';

declare module 'express-session' {
  interface SessionData {
    /** The reference of the change of practice just asked for, shown once on the next page. */
    practiceChangeSent?: { reference: string; dueAt: string };
  }
}

export const PRACTICE_CHANGE_PATH = '/provider/account/practice';

const text = (missing: string, tooLong: string, max: number) => z.string(missing).trim().min(1, missing).max(max, tooLong);
const registration = (name: string) => `providerRegistration.errors.${name}`;
const own = (name: string) => `practiceChange.errors.${name}`;
const optional = (max: number) => z.string().trim().max(max, own('tooLong')).optional().default('');

const practiceChangeSchema = z.object({
  oldPracticeName: text(own('oldPracticeNameMissing'), own('tooLong'), 200),
  oldAddress: optional(300),
  oldPhone: optional(30),
  oldFax: optional(30),
  newPracticeName: text(registration('practiceNameMissing'), registration('practiceNameTooLong'), 200),
  newAddressLine: text(registration('addressLineMissing'), registration('addressTooLong'), 200),
  newCity: text(registration('cityMissing'), registration('addressTooLong'), 100),
  newState: text(registration('stateMissing'), registration('addressTooLong'), 40),
  newPostalCode: z.string(registration('postalCodeMissing')).trim().min(1, registration('postalCodeMissing')).regex(/^\d{5}(-\d{4})?$/, registration('postalCodeInvalid')),
  newPhone: z.string(registration('phoneMissing')).trim().min(1, registration('phoneMissing')).refine(isPhoneNumber, registration('phoneInvalid')),
  newFax: z.string(registration('faxMissing')).trim().min(1, registration('faxMissing')).refine(isPhoneNumber, registration('faxInvalid')),
  wasSponsor: z.enum(['yes', 'no'], own('wasSponsorMissing')),
});

const prefilled = (practice: CurrentPractice) => ({ oldPracticeName: practice.name, oldAddress: practice.address, oldPhone: practice.phone, oldFax: practice.fax });

export function practiceChangeRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('provider');

  const render = (res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('provider/practice-change.njk', { errors: [], fieldErrors: {}, values: {}, days: PRACTICE_CHANGE_BUSINESS_DAYS, ...locals });

  router.get(PRACTICE_CHANGE_PATH, signedIn, async (req, res, next) => {
    const practice = await currentPractice(services, req.account!.id);
    if (!practice) return next('route');
    render(res, 200, { values: prefilled(practice) });
  });

  router.post(PRACTICE_CHANGE_PATH, signedIn, async (req, res, next) => {
    const form = parseForm(practiceChangeSchema, req.body, res);
    if (!form.ok) return render(res, 422, { values: typedValues(req.body), ...form });
    const { wasSponsor, ...details } = form.data;
    const sent = await requestPracticeChange(services, req.account!.id, { ...details, wasSponsor: wasSponsor === 'yes' }, requestOrigin(req));
    if (!sent) return next('route');
    req.session.practiceChangeSent = { reference: sent.reference, dueAt: sent.dueAt.toISOString() };
    res.redirect(303, `${PRACTICE_CHANGE_PATH}/sent`);
  });

  router.get(`${PRACTICE_CHANGE_PATH}/sent`, signedIn, (req, res) => {
    const sent = req.session.practiceChangeSent;
    delete req.session.practiceChangeSent;
    if (!sent) return res.redirect(303, '/provider/account');
    res.render('provider/practice-change-sent.njk', { reference: sent.reference, dueAt: new Date(sent.dueAt) });
  });

  return router;
}
