// "Validate a token" (issue 8 item 6): the invitation token a family sent, and the patient's MRN.
// A valid token gives access at once and opens the record; otherwise the form says why (expired,
// not for this MRN, already used, withdrawn, or not recognised), never whose token it is.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { requestOrigin, requireSignedIn } from '../../middleware/setUpAuthentication.ts';
import { validateToken } from '../../services/myPatients/tokenValidation.ts';
import { oneProblem, parseForm, typedValues } from '../forms.ts';

export const TOKENS_PATH = '/provider/tokens';

const key = (name: string) => `providerTokens.errors.${name}`;
const tokenSchema = z.object({
  token: z.string(key('tokenMissing')).trim().min(1, key('tokenMissing')).max(40, key('token-unknown')),
  mrn: z
    .string(key('mrnMissing'))
    .transform((value) => value.replace(/[\s-]/g, ''))
    .pipe(z.string().min(1, key('mrnMissing')).regex(/^[A-Za-z0-9]{1,20}$/, key('mrnInvalid'))),
});

export function providerTokenRoutes(services: Services): Router {
  const router = Router();
  const signedIn = requireSignedIn('provider');
  const render = (res: Response, status: number, locals: Record<string, unknown> = {}) => res.status(status).render('provider/tokens.njk', { values: {}, errors: [], fieldErrors: {}, ...locals });

  router.get(TOKENS_PATH, signedIn, (_req, res) => render(res, 200));

  router.post(TOKENS_PATH, signedIn, async (req: Request, res: Response) => {
    const values = typedValues(req.body);
    const form = parseForm(tokenSchema, req.body, res);
    if (!form.ok) return render(res, 422, { values, errors: form.errors, fieldErrors: form.fieldErrors });
    const result = await validateToken(services, req.account!.id, form.data, requestOrigin(req));
    switch (result.outcome) {
      case 'validated':
        return res.redirect(303, `/provider/patients/${result.patientId}`);
      case 'throttled':
        res.setHeader('Retry-After', String(result.retryAfterSeconds));
        return render(res, 429, { values, paused: { minutes: Math.ceil(result.retryAfterSeconds / 60) } });
      case 'refused': {
        // A wrong MRN is a mistake in the MRN box; everything else is about the token.
        const field = result.reason === 'token-wrong-mrn' ? 'mrn' : 'token';
        return render(res, 422, { values, ...oneProblem(field, res.locals.t(key(result.reason))) });
      }
    }
  });

  return router;
}
