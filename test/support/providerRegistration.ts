// Helpers for MyPatients registration tests: NPIs with a right (or wrong) check digit, the form's
// fields, sending it as a browser does (multipart), and applications made directly in the database.
import type { Knex } from 'knex';
import { insertRegistration, type RegistrationDetails, type StoredDocument } from '../../data/providerRegistrations.ts';
import { csrfTokenIn, type Agent } from './http.ts';
import type { PageFile } from './pages.ts';
import { TINY_JPEG, TINY_PDF, TINY_PNG } from './attachmentSamples.ts';

/** The check digit CMS would give these nine digits (Luhn over 80840 + the nine). */
function checkDigit(nine: string): number {
  let sum = 0;
  [...`80840${nine}`].reverse().forEach((character, position) => {
    const doubled = position % 2 === 0 ? Number(character) * 2 : Number(character);
    sum += doubled > 9 ? doubled - 9 : doubled;
  });
  return (10 - (sum % 10)) % 10;
}

let npiCounter = 0;
/** A well-formed NPI, different on every call. */
export function validNpi(): string {
  const nine = `1${String(Date.now() % 1e4).padStart(4, '0')}${String(++npiCounter).padStart(4, '0')}`;
  return `${nine}${checkDigit(nine)}`;
}

/** The same NPI with its last digit changed: ten digits whose check digit is wrong. */
export function withWrongCheckDigit(npi: string): string {
  return `${npi.slice(0, 9)}${(Number(npi[9]) + 1) % 10}`;
}

export function registrationFields(overrides: Partial<Record<keyof RegistrationDetails, string>> = {}): Record<string, string> {
  return {
    givenNames: 'Dana',
    familyName: 'Reyes',
    credential: 'MD',
    npi: validNpi(),
    email: `dana.reyes.${++npiCounter}@lakeside-peds.example`,
    practiceName: 'Lakeside Pediatrics',
    addressLine: '400 N Lake Shore Dr',
    city: 'Chicago',
    state: 'IL',
    postalCode: '60611',
    phone: '312 555 0142',
    fax: '312 555 0143',
    ...overrides,
  };
}

export interface UploadFile {
  content: Buffer;
  name: string;
  type?: string;
}

/** The two required documents, as a browser sends them (a function: the samples module may still be loading when this one is). */
export function validFiles(): Record<string, UploadFile> {
  return {
    certification: { content: TINY_PDF, name: 'certification-signed.pdf', type: 'application/pdf' },
    identity: { content: TINY_JPEG, name: 'licence.jpg', type: 'image/jpeg' },
  };
}

/** A page gate's file (test/support/pages.ts PageFile) as bytes and a type. */
export function pageFile(file: PageFile): { name: string; mimeType: string; buffer: Buffer } {
  const samples = { pdf: [TINY_PDF, 'application/pdf'], png: [TINY_PNG, 'image/png'], jpeg: [TINY_JPEG, 'image/jpeg'] } as const;
  const [buffer, mimeType] = samples[file.sample];
  return { name: file.name, mimeType, buffer };
}

/**
 * Sends the registration form as a browser does: multipart, the text fields first in the form's
 * order, then the files (or `filesFirst`: the files before the text, to show nothing typed is lost).
 */
export async function sendRegistration(agent: Agent, fields: Record<string, string>, files: Record<string, UploadFile | undefined> = validFiles(), options: { filesFirst?: boolean } = {}) {
  const page = await agent.get('/provider/register');
  let request = agent.post('/provider/register').field('_csrf', csrfTokenIn(page.text));
  const attachAll = () => {
    for (const [name, file] of Object.entries(files)) {
      if (file) request = request.attach(name, file.content, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
    }
  };
  if (options.filesFirst) attachAll();
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
  if (!options.filesFirst) attachAll();
  return request;
}

/** An application waiting for the MyPatients team, made directly (as if sent `submittedAt`). */
export async function createRegistration(db: Knex, overrides: Partial<RegistrationDetails> = {}, submittedAt = new Date()): Promise<number> {
  const fields = registrationFields();
  const details = { ...fields, credential: 'MD', ...overrides } as RegistrationDetails;
  const documents: StoredDocument[] = [
    { document: 'certification', displayName: 'certification-signed.pdf', contentType: 'application/pdf', content: TINY_PDF },
    { document: 'identity', displayName: 'passport.png', contentType: 'image/png', content: TINY_PNG },
  ];
  return insertRegistration(db, { ...details, preferredLanguage: 'en', submittedAt, dueAt: new Date(submittedAt.getTime() + 3 * 86_400_000) }, documents);
}
