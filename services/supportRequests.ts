// The public support contact form: store the request and acknowledge it by email.
import { randomInt } from 'node:crypto';
import type { Language } from '../domain/language.ts';
import type { Database } from '../data/database.ts';
import { queueEmail, type EmailOutboxDeps } from './emailOutbox.ts';

export interface SupportRequest {
  name: string;
  email: string;
  phone?: string | undefined;
  portal: string;
  topic: string;
  message: string;
}

// No 0/O or 1/I/L, so a reference read out over the phone is not misheard.
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newSupportReference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `SR-${code}`;
}

export async function submitSupportRequest(deps: EmailOutboxDeps & { db: Database }, request: SupportRequest, language: Language): Promise<{ reference: string }> {
  return deps.db.transaction(async (trx) => {
    const reference = newSupportReference();
    await trx('support_requests').insert({ reference, ...request, phone: request.phone || null, language });
    // The acknowledgement repeats only the reference, never what was written.
    await queueEmail(trx, deps, { to: request.email, template: 'supportRequestReceived', language, params: { reference } });
    return { reference };
  });
}
