// Registering for MyPatients (SPEC §3 "Registration and sign-in"): who may apply, what they must
// send, which files are accepted, and what the MyPatients team may decide. Pure rules; the service
// (services/myPatients/registrations.ts) feeds them what the form and file-type found.
import { isValidNpi } from './npi.ts';
import { acceptedKind, ATTACHMENT_KINDS, extensionOf, type AttachmentKind } from './messageAttachments.ts';

/** Only these clinicians register themselves; practice staff without an NPI are sponsored later. */
export const PROVIDER_CREDENTIALS = ['MD', 'DO', 'NP', 'PA'] as const;
export type ProviderCredential = (typeof PROVIDER_CREDENTIALS)[number];

/** The uploads, in the order the form asks for them. */
export const REGISTRATION_DOCUMENTS = ['certification', 'identity', 'sponsorship'] as const;
export type RegistrationDocument = (typeof REGISTRATION_DOCUMENTS)[number];

/** The signed certification & agreement and the ID copy are needed; the sponsorship agreement only to sponsor staff. */
export function documentRequired(document: RegistrationDocument): boolean {
  return document !== 'sponsorship';
}

/** Each file at most this many bytes (10 MB): a scanned page or two, with room to spare. */
export const REGISTRATION_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Scans and photos of paper: PDF, PNG or JPEG, judged by content and matching the name. */
const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
export const REGISTRATION_DOCUMENT_KINDS: readonly AttachmentKind[] = ATTACHMENT_KINDS.filter((kind) => DOCUMENT_TYPES.includes(kind.contentType));

/** What an upload field's `accept` attribute lists (a hint for the file picker; the server decides). */
export const REGISTRATION_DOCUMENT_ACCEPT = REGISTRATION_DOCUMENT_KINDS.flatMap((kind) => kind.nameExts.map((ext) => `.${ext}`)).join(',');

/** 'content-mismatch': the name is of a kind we take (.pdf …) but the content is not. */
export type DocumentRefusal = 'missing' | 'empty' | 'too-large' | 'wrong-type' | 'content-mismatch';

export interface ReceivedDocument {
  displayName: string;
  size: number;
  /** What file-type found in the content; undefined when it found nothing it knows. */
  detectedExt: string | undefined;
  /** The sender's file was longer than REGISTRATION_DOCUMENT_MAX_BYTES (the rest was not kept). */
  truncated: boolean;
}

export type DocumentCheck = { accepted: true; contentType: string } | { accepted: false; refusal: DocumentRefusal };

/** Whether one upload field's file is accepted: present when required, not empty, small enough, and a PDF, PNG or JPEG by content and name. */
export function checkDocument(document: RegistrationDocument, received: ReceivedDocument | undefined): DocumentCheck | undefined {
  if (!received) return documentRequired(document) ? { accepted: false, refusal: 'missing' } : undefined;
  if (received.truncated || received.size > REGISTRATION_DOCUMENT_MAX_BYTES) return { accepted: false, refusal: 'too-large' };
  if (received.size === 0) return { accepted: false, refusal: 'empty' };
  const kind = acceptedKind(received.displayName, received.detectedExt);
  if (!kind || !REGISTRATION_DOCUMENT_KINDS.includes(kind)) {
    const namedAsTaken = REGISTRATION_DOCUMENT_KINDS.some((taken) => taken.nameExts.includes(extensionOf(received.displayName)));
    return { accepted: false, refusal: namedAsTaken ? 'content-mismatch' : 'wrong-type' };
  }
  return { accepted: true, contentType: kind.contentType };
}

/** The NPI as typed, without the spaces and dashes people put in long numbers. */
export function normaliseNpi(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

export type NpiProblem = 'missing' | 'not-ten-digits' | 'check-digit';

/** Why a typed NPI is refused, or undefined when it is well formed (its check digit verified). */
export function npiProblem(typed: string): NpiProblem | undefined {
  const npi = normaliseNpi(typed);
  if (!npi) return 'missing';
  if (!/^\d{10}$/.test(npi)) return 'not-ten-digits';
  return isValidNpi(npi) ? undefined : 'check-digit';
}

/** A US phone or fax number: at least ten digits, in the usual punctuation. */
export function isPhoneNumber(typed: string): boolean {
  return /^[0-9+()\-.\s]{10,30}$/.test(typed) && typed.replace(/\D/g, '').length >= 10;
}

export const REGISTRATION_STATUSES = ['pending', 'approved', 'declined'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Why the MyPatients team declines an application: each has a sentence in the applicant's email. */
export const REGISTRATION_DECLINE_REASONS = ['npi-does-not-match', 'documents-unreadable', 'certification-not-signed', 'identity-not-verified', 'not-eligible', 'already-registered'] as const;
export type RegistrationDeclineReason = (typeof REGISTRATION_DECLINE_REASONS)[number];

/** The team answers an application within this many business days (the queue's due date). */
export const REGISTRATION_REVIEW_BUSINESS_DAYS = 3;

/** Applications per page of the team's queue. */
export const REGISTRATIONS_PER_PAGE = 25;

export type DecisionRefusal = 'already-decided';

/** Only a pending application is approved or declined, once. */
export function mayDecide(status: RegistrationStatus): { allowed: true } | { allowed: false; reason: DecisionRefusal } {
  return status === 'pending' ? { allowed: true } : { allowed: false, reason: 'already-decided' };
}

/** How the approved provider is placed in the record: a practice already there, or one made from the application. */
export type PracticeChoice = { kind: 'existing'; practiceId: number } | { kind: 'new' };
