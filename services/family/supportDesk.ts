// What portal support reads on its pages: a patient found by MRN, the patient's holders, sign-up
// tokens and papers, and a request to add a patient beside the record. Every opening of a
// patient or a request is audited, like every family view of a record.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import { findAccountByEmail, type Account } from '../../data/accounts.ts';
import { findPatientById, findPatientByMrn, type PatientSummary } from '../../data/record/patients.ts';
import { tokensIssuedFor, type IssuedToken } from '../../data/signupTokens.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import { papersOfPatient, type GuardianshipPapers } from './guardianshipPapers.ts';
import { reviewRequest, type RequestReview } from './linkRequests.ts';
import { holdersOf, type PatientHolder } from './patientAccess.ts';

export type { PatientSummary, RequestReview };

export async function findPatientForSupport(deps: { db: Knex }, staffId: number, mrn: string, origin: RequestOrigin): Promise<PatientSummary | undefined> {
  const patient = await findPatientByMrn(deps.db, mrn);
  await recordAudit(
    deps.db,
    { actorType: 'staff', actorId: staffId, action: 'find-patient-by-mrn', subjectType: 'patient', subjectId: patient?.id ?? null, outcome: patient ? 'success' : 'failure', reason: patient ? null : 'not-found' },
    origin,
  );
  return patient;
}

/** The patient's name, date of birth and MRN, for a support page about them. */
export async function openPatientForSupport(deps: { db: Knex }, staffId: number, patientId: number, origin: RequestOrigin): Promise<PatientSummary | undefined> {
  const patient = await findPatientById(deps.db, patientId);
  if (patient) await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'support-view-patient', subjectType: 'patient', subjectId: patientId, outcome: 'allowed' }, origin);
  return patient;
}

export interface PatientAccounts {
  holders: PatientHolder[];
  tokens: IssuedToken[];
  papers: GuardianshipPapers[];
}

/** Who holds the patient's record, the sign-up tokens issued for it, and the guardianship papers. */
export async function accountsOfPatient(deps: { db: Knex }, patientId: number): Promise<PatientAccounts> {
  const [holders, tokens, papers] = await Promise.all([holdersOf(deps, patientId), tokensIssuedFor(deps.db, patientId), papersOfPatient(deps, patientId)]);
  return { holders, tokens, papers };
}

export async function openRequestForSupport(deps: { db: Knex; config: Config; now: () => Date }, staffId: number, requestId: number, origin: RequestOrigin): Promise<RequestReview | undefined> {
  const review = await reviewRequest(deps, requestId);
  if (review) await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'support-view-link-request', subjectType: 'link-request', subjectId: requestId, outcome: 'allowed' }, origin);
  return review;
}

/** The MyChildren's account that guardianship papers name, found by its email address. */
export function familyAccountByEmail(deps: { db: Knex }, email: string): Promise<Account | undefined> {
  return findAccountByEmail(deps.db, 'family', email);
}
