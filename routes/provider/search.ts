// MyPatients patient search, the "not authorized" page with its two access requests, the printable
// sign-up instructions for a family without a MyChildren's account, and the provider's list of
// their requests (issue 8 items 3; SPEC §3).
//
// Why the search is a POST form: a GET form would put the last name, the date of birth or the
// MRN in the address, and from there into browser history, server and proxy logs and Referer
// headers — PHI in URLs, which SPEC §5 forbids. So the search form posts (with its CSRF token)
// and the answer is the results page itself, rendered for that POST. No redirect-after-POST:
// a search changes nothing, and keeping the query in the session for a GET results page would
// re-run (and re-audit) it on every reload. The one redirect is to the "not authorized" page,
// whose address holds only a number private to the session (the first exact match is 1, the next
// 2): not even the id of a patient the provider may not see leaves the server, and no one can
// open the page, or ask for access, for a patient their own search did not find exactly (the
// session remembers those matches and what was typed).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { localDateOf } from '../../domain/localDate.ts';
import { PCP_REQUEST_BUSINESS_DAYS, type AccessRequestKind, type SearchTerms } from '../../domain/patientSearch.ts';
import { searchForPatients } from '../../services/myPatients/patientSearch.ts';
import { noAccessFacts, requestAccess, requestsOf } from '../../services/myPatients/accessRequests.ts';
import { portalLink } from '../../services/identity/deps.ts';
import { recordAudit } from '../../services/audit.ts';
import { addProblem, idFrom, parseForm, problemsOf, typedDate, typedValues, withDates, type FormProblems } from '../forms.ts';

declare module 'express-session' {
  interface SessionData {
    /** Patients this provider's searches found exactly but may not see, with what was typed (newest last), by a number private to the session. */
    providerSearchMatches?: { ref: number; patientId: number; terms: SearchTerms }[];
    providerSearchMatchCount?: number;
    /** What the requests page says about the request just made. */
    providerRequestNotice?: { key: 'requestedPcp' | 'requestedNonPcp' | 'alreadyRequested'; params: Record<string, string | number> };
  }
}

export const SEARCH_PATH = '/provider/search';
const noAccessPath = (ref: number) => `${SEARCH_PATH}/no-access/${ref}`;
export const REQUESTS_PATH = '/provider/requests';
export const SIGNUP_INSTRUCTIONS_PATH = '/provider/family-sign-up';
/** How many exact matches the session remembers (one per tab a provider might have open). */
const REMEMBERED_MATCHES = 10;

const key = (name: string) => `providerSearch.errors.${name}`;
const nameField = (missing: string | undefined) => {
  const base = z.string(key('familyNameMissing')).trim().max(100, key('nameTooLong'));
  return missing ? base.min(1, missing) : base;
};
const byNameSchema = z.object({
  by: z.literal('name'),
  familyName: nameField(key('familyNameMissing')),
  givenName: z.string().trim().max(100, key('nameTooLong')).optional().default(''),
  birthDate: z
    .string()
    .min(1, key('birthDateMissing'))
    .refine((value) => value !== 'invalid', key('birthDateInvalid')),
});
const byMrnSchema = z.object({
  by: z.literal('mrn'),
  mrn: z
    .string(key('mrnMissing'))
    .transform((value) => value.replace(/[\s-]/g, ''))
    .pipe(z.string().min(1, key('mrnMissing')).regex(/^[A-Za-z0-9]{1,20}$/, key('mrnInvalid'))),
});

const requestSchema = z.object({
  kind: z.enum(['pcp', 'non-pcp'], 'forms.invalid'),
  pcpNote: z.string().trim().max(1000, 'providerSearch.errors.noteTooLong').optional().default(''),
  nonPcpNote: z.string().trim().max(1000, 'providerSearch.errors.noteTooLong').optional().default(''),
});

/**
 * htmx asks for the search region only (HX-Request with HX-Request-Type: partial); everything else
 * gets the whole page. Either way the answer depends on those headers.
 */
function wantsRegion(req: Request, res: Response): boolean {
  res.vary('HX-Request');
  res.vary('HX-Request-Type');
  return req.get('HX-Request') === 'true' && req.get('HX-Request-Type') === 'partial';
}

export function providerSearchRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('provider');
  const accountId = (req: Request) => req.account!.id;

  const renderSearch = (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    const view = wantsRegion(req, res) ? 'provider/_search-region.njk' : 'provider/search.njk';
    res.status(status).render(view, { values: {}, errors: [], fieldErrors: {}, searchedBy: undefined, results: undefined, ...locals });
  };

  router.get(SEARCH_PATH, signedIn, (req, res) => renderSearch(req, res, 200, {}));

  router.post(SEARCH_PATH, signedIn, async (req, res) => {
    const by = req.body?.by === 'mrn' ? 'mrn' : 'name';
    const values = { ...typedValues(req.body), birthDate: typedDate(req.body, 'birthDate') };
    let terms: SearchTerms;
    if (by === 'name') {
      const body = withDates(req.body, ['birthDate']);
      const form = parseForm(byNameSchema, { ...body, by }, res);
      const problems: FormProblems = problemsOf(form);
      if (form.ok && form.data.birthDate > localDateOf(services.now(), services.config.hospital.timeZone)) addProblem(problems, 'birthDate', res.locals.t(key('birthDateFuture')));
      if (!form.ok || problems.errors.length) return renderSearch(req, res, 422, { values, ...problems, searchedBy: by });
      terms = { by, familyName: form.data.familyName, givenName: form.data.givenName, birthDate: form.data.birthDate };
    } else {
      const form = parseForm(byMrnSchema, { ...req.body, by }, res);
      if (!form.ok) return renderSearch(req, res, 422, { values, errors: form.errors, fieldErrors: form.fieldErrors, searchedBy: by });
      terms = { by, mrn: form.data.mrn };
    }

    const result = await searchForPatients(services, accountId(req), terms, requestOrigin(req));
    switch (result.outcome) {
      case 'throttled':
        res.setHeader('Retry-After', String(result.retryAfterSeconds));
        return renderSearch(req, res, 429, { values, searchedBy: by, paused: { minutes: Math.ceil(result.retryAfterSeconds / 60) } });
      case 'no-provider':
        return renderSearch(req, res, 200, { values, searchedBy: by, results: [] });
      case 'too-many':
        return renderSearch(req, res, 200, { values, searchedBy: by, tooMany: true });
      case 'results':
        return renderSearch(req, res, 200, { values, searchedBy: by, results: result.patients });
      case 'not-authorized': {
        const earlier = req.session.providerSearchMatches ?? [];
        const ref = earlier.find((match) => match.patientId === result.patientId)?.ref ?? (req.session.providerSearchMatchCount = (req.session.providerSearchMatchCount ?? 0) + 1);
        req.session.providerSearchMatches = [...earlier.filter((match) => match.ref !== ref), { ref, patientId: result.patientId, terms }].slice(-REMEMBERED_MATCHES);
        const path = noAccessPath(ref);
        // htmx follows a redirect inside fetch and would pour the next page into the region:
        // it is told to load the page itself instead.
        if (wantsRegion(req, res)) return res.status(200).set('HX-Redirect', path).end();
        return res.redirect(303, path);
      }
    }
  });

  /** The exact match the provider's own search found, with what they typed; undefined for any other number. */
  const rememberedMatch = (req: Request) => {
    const ref = idFrom(req.params.matchRef);
    return ref === undefined ? undefined : req.session.providerSearchMatches?.find((match) => match.ref === ref);
  };

  const renderNoAccess = async (req: Request, res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const match = rememberedMatch(req);
    if (!match) return false;
    const facts = await noAccessFacts(services, accountId(req), match.patientId, requestOrigin(req));
    if (!facts) return false;
    if (facts.allowed) {
      res.redirect(303, `/provider/patients/${match.patientId}`);
      return true;
    }
    res.status(status).render('provider/no-access.njk', { match, facts, days: PCP_REQUEST_BUSINESS_DAYS, errors: [], fieldErrors: {}, values: {}, ...locals });
    return true;
  };

  router.get(`${SEARCH_PATH}/no-access/:matchRef`, signedIn, async (req, res, next) => {
    if (!(await renderNoAccess(req, res, 200))) next();
  });

  router.post(`${SEARCH_PATH}/no-access/:matchRef/request`, signedIn, async (req, res, next) => {
    const match = rememberedMatch(req);
    if (!match) return next();
    const form = parseForm(requestSchema, req.body, res);
    if (!form.ok) {
      if (!(await renderNoAccess(req, res, 422, { values: typedValues(req.body), errors: form.errors, fieldErrors: form.fieldErrors }))) next();
      return;
    }
    const kind: AccessRequestKind = form.data.kind;
    const note = kind === 'pcp' ? form.data.pcpNote : form.data.nonPcpNote;
    const result = await requestAccess(services, accountId(req), { patientId: match.patientId, kind, note, searchedAs: match.terms }, requestOrigin(req));
    switch (result.outcome) {
      case 'not-found':
        return next();
      case 'already-allowed':
        return res.redirect(303, `/provider/patients/${match.patientId}`);
      case 'already-requested':
        req.session.providerRequestNotice = { key: 'alreadyRequested', params: {} };
        return res.redirect(303, REQUESTS_PATH);
      case 'requested':
        req.session.providerRequestNotice = { key: kind === 'pcp' ? 'requestedPcp' : 'requestedNonPcp', params: { days: PCP_REQUEST_BUSINESS_DAYS } };
        return res.redirect(303, REQUESTS_PATH);
    }
  });

  // Generic steps for any family: nothing about a patient, so it can be printed and handed over.
  router.get(SIGNUP_INSTRUCTIONS_PATH, signedIn, (_req, res) => {
    res.render('provider/family-sign-up.njk', { signupAddress: portalLink(services, 'family', '/signup'), portalAddress: portalLink(services, 'family', '/') });
  });

  router.get(REQUESTS_PATH, signedIn, async (req, res) => {
    const notice = req.session.providerRequestNotice;
    delete req.session.providerRequestNotice;
    const requests = await requestsOf(services, accountId(req));
    // The list repeats what the provider typed to find each patient: their own words, audited as a view.
    await recordAudit(services.db, { actorType: 'provider', actorId: accountId(req), action: 'view-own-access-requests', outcome: 'allowed', reason: `${requests.length} requests` }, requestOrigin(req));
    res.render('provider/requests.njk', { requests, notice });
  });

  return router;
}
