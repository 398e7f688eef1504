// MyPatients registration (public): the application form with its three documents, the page that
// says what happens next, and the pause when one network address has tried too often.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { invalidCsrfTokenError, sessionHasFormToken } from '../../middleware/setUpCsrf.ts';
import {
  checkDocument,
  isPhoneNumber,
  normaliseNpi,
  npiProblem,
  PROVIDER_CREDENTIALS,
  REGISTRATION_DOCUMENT_ACCEPT,
  REGISTRATION_DOCUMENT_MAX_BYTES,
  REGISTRATION_DOCUMENTS,
  REGISTRATION_REVIEW_BUSINESS_DAYS,
} from '../../domain/providerRegistration.ts';
import { registrationUploads } from '../../services/myPatients/registrationUploads.ts';
import { countRegistrationAttempt, submitRegistration } from '../../services/myPatients/registrations.ts';
import type { StoredDocument } from '../../data/providerRegistrations.ts';
import { addProblem, parseForm, problemsOf, typedValues, type FormProblems } from '../forms.ts';

declare module 'express-session' {
  interface SessionData {
    /** The reference of the application just sent, shown once on the next page. */
    providerRegistration?: { reference: string; email: string };
  }
}

export const REGISTER_PATH = '/provider/register';

const text = (missing: string, tooLong: string, max: number) => z.string(missing).trim().min(1, missing).max(max, tooLong);
const key = (name: string) => `providerRegistration.errors.${name}`;

const registrationSchema = z.object({
  givenNames: text(key('givenNamesMissing'), key('nameTooLong'), 100),
  familyName: text(key('familyNameMissing'), key('nameTooLong'), 100),
  credential: z.enum(PROVIDER_CREDENTIALS, key('credentialMissing')),
  npi: z
    .string(key('npiMissing'))
    .trim()
    .max(20, key('npiNotTenDigits'))
    .superRefine((value, context) => {
      const problem = npiProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: key({ missing: 'npiMissing', 'not-ten-digits': 'npiNotTenDigits', 'check-digit': 'npiCheckDigit' }[problem]) });
    })
    .transform(normaliseNpi),
  practiceName: text(key('practiceNameMissing'), key('practiceNameTooLong'), 200),
  addressLine: text(key('addressLineMissing'), key('addressTooLong'), 200),
  city: text(key('cityMissing'), key('addressTooLong'), 100),
  state: text(key('stateMissing'), key('addressTooLong'), 40),
  postalCode: z
    .string(key('postalCodeMissing'))
    .trim()
    .min(1, key('postalCodeMissing'))
    .regex(/^\d{5}(-\d{4})?$/, key('postalCodeInvalid')),
  phone: z.string(key('phoneMissing')).trim().min(1, key('phoneMissing')).refine(isPhoneNumber, key('phoneInvalid')),
  fax: z.string(key('faxMissing')).trim().min(1, key('faxMissing')).refine(isPhoneNumber, key('faxInvalid')),
  email: z.string(key('emailMissing')).trim().min(1, key('emailMissing')).max(254, key('emailInvalid')).pipe(z.email(key('emailInvalid'))),
});

const formChoices = {
  credentials: PROVIDER_CREDENTIALS,
  documents: REGISTRATION_DOCUMENTS,
  accept: REGISTRATION_DOCUMENT_ACCEPT,
  maxMegabytes: REGISTRATION_DOCUMENT_MAX_BYTES / (1024 * 1024),
};

const renderForm = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
  res.status(status).render('provider/register.njk', { ...formChoices, values: {}, errors: [], fieldErrors: {}, ...locals });

/** Registration forms whose documents are being read, in this process. */
let registrationUploadsInProgress = 0;
export const REGISTRATION_UPLOADS_AT_ONCE = 4;
/** For tests: how many registration forms are being read right now. */
export const registrationUploadsReading = () => registrationUploadsInProgress;

/**
 * The checks and the upload, mounted by app.ts before the CSRF check. Before a byte of the upload
 * is read: the form's session must exist, the attempt is counted, and a place must be free. The
 * multipart body (which carries the CSRF token) is then parsed for the check that follows.
 */
export function providerRegistrationUploads(services: Services): Router {
  const router = Router();
  const readUpload = registrationUploads();
  const idleMs = services.config.uploadIdleSeconds * 1000;
  router.post(REGISTER_PATH, async (req, res, next) => {
    // Each refusal below leaves the body unread; the connection closes once the answer is sent.
    // Without the form's session the CSRF check refuses it anyway: no file is read for nothing.
    if (!sessionHasFormToken(req)) {
      res.set('Connection', 'close');
      return next(invalidCsrfTokenError);
    }
    const paused = await countRegistrationAttempt(services, req.ip, requestOrigin(req));
    if (paused) {
      res.set('Connection', 'close');
      return res.status(429).render('provider/register-paused.njk', { minutes: Math.ceil(paused.retryAfterSeconds / 60) });
    }
    // Documents are held in memory while they are checked, so only a few forms are read at once.
    if (registrationUploadsInProgress >= REGISTRATION_UPLOADS_AT_ONCE) {
      res.set('Connection', 'close').set('Retry-After', '60');
      return res.status(503).render('provider/register-paused.njk', { busy: true });
    }
    registrationUploadsInProgress++;
    // A body that stops arriving is given up on, instead of holding its files until Node's own limit.
    req.socket.setTimeout(idleMs, () => req.destroy());
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      registrationUploadsInProgress--;
      req.socket.setTimeout(0);
    };
    res.once('close', finish);
    readUpload(req, res, (error?: unknown) => {
      finish();
      next(error);
    });
  });
  return router;
}

export function providerRegistrationRoutes(services: Services): Router {
  const router = Router();

  router.get(REGISTER_PATH, (_req, res) => renderForm(res, 200));

  router.post(REGISTER_PATH, async (req: Request, res: Response) => {
    const form = parseForm(registrationSchema, req.body, res);
    const problems: FormProblems = problemsOf(form);
    const upload = req.registrationUpload;
    if (upload?.unreadable) addProblem(problems, 'certification', res.locals.t(key('formUnreadable')));
    const documents: StoredDocument[] = [];
    for (const document of REGISTRATION_DOCUMENTS) {
      const received = upload?.documents[document];
      const check = checkDocument(document, received);
      if (!check) continue;
      if (!check.accepted) {
        addProblem(problems, document, res.locals.t(`providerRegistration.documentErrors.${check.refusal}`, { document: res.locals.t(`providerRegistration.documents.${document}.name`), megabytes: formChoices.maxMegabytes }));
      } else if (received) {
        documents.push({ document, displayName: received.displayName, contentType: check.contentType, content: received.content });
      }
    }
    if (!form.ok || problems.errors.length) {
      // Files cannot be put back into a file input: the page says which were received and asks for them again.
      const received = REGISTRATION_DOCUMENTS.filter((document) => upload?.documents[document]);
      return renderForm(res, 422, { values: typedValues(req.body), ...problems, filesToReattach: received.length > 0 || documents.length > 0 });
    }
    const { reference } = await submitRegistration(services, { details: form.data, documents, language: req.language }, requestOrigin(req));
    req.session.providerRegistration = { reference, email: form.data.email };
    res.redirect(303, `${REGISTER_PATH}/sent`);
  });

  router.get(`${REGISTER_PATH}/sent`, (req, res) => {
    const sent = req.session.providerRegistration;
    if (!sent) return res.redirect(303, REGISTER_PATH);
    res.render('provider/register-sent.njk', { ...sent, days: REGISTRATION_REVIEW_BUSINESS_DAYS });
  });

  return router;
}
