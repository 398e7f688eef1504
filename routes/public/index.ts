// The three front doors, the help and information pages, and the support contact form.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { homePath, type AccountKind } from '../../domain/accounts.ts';
import { parseForm, typedValues } from '../forms.ts';
import { submitSupportRequest } from '../../services/supportRequests.ts';
import { countEmailRequest } from '../../services/emailLimits.ts';
import { requestOrigin } from '../../middleware/setUpAuthentication.ts';
import { renderEmailPaused } from '../auth/shared.ts';

declare module 'express-session' {
  interface SessionData {
    supportReference?: string;
  }
}

const SUPPORT_PORTALS = ['family', 'provider', 'other'] as const;
const SUPPORT_TOPICS = ['signUp', 'signIn', 'record', 'messages', 'visits', 'billing', 'technical', 'other'] as const;

const contactSchema = z.object({
  name: z.string().trim().min(1, 'contact.errors.nameMissing').max(200, 'contact.errors.nameTooLong'),
  email: z.string().trim().min(1, 'contact.errors.emailMissing').max(254, 'contact.errors.emailInvalid').pipe(z.email('contact.errors.emailInvalid')),
  phone: z
    .string()
    .trim()
    .max(30, 'contact.errors.phoneInvalid')
    .regex(/^[0-9+()\-.\s]*$/, 'contact.errors.phoneInvalid')
    .optional(),
  portal: z.enum(SUPPORT_PORTALS, 'contact.errors.portalMissing'),
  topic: z.enum(SUPPORT_TOPICS, 'contact.errors.topicMissing'),
  message: z.string().trim().min(1, 'contact.errors.messageMissing').max(5000, 'contact.errors.messageTooLong'),
});

export function publicRoutes(services: Services): Router {
  const router = Router();

  // Each front door is for visitors; someone signed in to that portal goes on to their own home.
  // Another portal's front door still shows, so a parent can read about MyPatients, say.
  const frontDoor = (kind: AccountKind, view: string) => (req: Request, res: Response) => {
    if (req.account?.kind === kind && req.session.authStage === 'signed-in') return res.redirect(303, homePath(kind));
    res.render(view);
  };
  router.get('/', frontDoor('family', 'public/family-home.njk'));
  router.get('/provider', frontDoor('provider', 'public/provider-home.njk'));
  router.get('/staff', frontDoor('staff', 'public/staff-home.njk'));
  router.get('/help', (_req, res) => res.render('public/help.njk'));
  router.get('/privacy', (_req, res) => res.render('public/privacy.njk'));
  router.get('/emergency', (_req, res) => res.render('public/emergency.njk'));

  const contactChoices = { portals: SUPPORT_PORTALS, topics: SUPPORT_TOPICS };
  router.get('/contact', (_req, res) => res.render('public/contact.njk', { ...contactChoices, values: {}, errors: [], fieldErrors: {} }));

  router.post('/contact', async (req, res) => {
    const form = parseForm(contactSchema, req.body, res);
    if (!form.ok) {
      return res.status(422).render('public/contact.njk', { ...contactChoices, values: typedValues(req.body), errors: form.errors, fieldErrors: form.fieldErrors });
    }
    const paused = await countEmailRequest(services, { form: 'contact', recipient: form.data.email }, requestOrigin(req));
    if (paused) return renderEmailPaused(res, paused);
    const { reference } = await submitSupportRequest(services, form.data, req.language);
    req.session.supportReference = reference;
    res.redirect(303, '/contact/sent');
  });

  router.get('/contact/sent', (req, res) => {
    const reference = req.session.supportReference;
    if (!reference) return res.redirect(303, '/contact');
    res.render('public/contact-sent.njk', { reference });
  });

  return router;
}
