// The one door to a patient in MyPatients: who the provider is, what the access policy says
// (domain/access.ts: PCP, care team, family grant, validated token), and an audit row for every
// decision, allowed or refused. Record pages open the patient here first (a refusal answers 404
// like a patient that does not exist, so ids reveal nothing); search results and the saved list
// ask the same policy through accessTo and audit in their own words.
import type { Knex } from 'knex';
import { providerMayViewPatient, type AccessBasis, type AccessDecision, type MyPatientsUser } from '../../domain/access.ts';
import { accessFactsOf, patientIdentity, providerProfile, type PatientIdentity, type ProviderProfile } from '../../data/providerAccess.ts';
import type { Config } from '../../config.ts';
import { itemAuditFor, recordAudit, type ItemAudit, type RequestOrigin } from '../audit.ts';

export interface ProviderAccessDeps {
  db: Knex;
  config: Pick<Config, 'hospital'>;
}

/** The policy's view of a provider account (sponsored users come with sponsorship). */
export function policyUserOf(profile: ProviderProfile): MyPatientsUser {
  return { kind: 'provider', id: String(profile.practitionerId), practiceId: String(profile.practiceId), sponsorValidationOverdue: false };
}

export interface AccessAnswer {
  provider: ProviderProfile;
  patient: PatientIdentity;
  decision: AccessDecision;
}

/** What the policy says about this provider and patient; undefined when either is unknown. Not audited: callers audit. */
export async function accessTo(deps: ProviderAccessDeps, accountId: number, patientId: number): Promise<AccessAnswer | undefined> {
  const [provider, patient, facts] = await Promise.all([providerProfile(deps.db, accountId), patientIdentity(deps.db, patientId), accessFactsOf(deps.db, patientId)]);
  if (!provider || !patient || !facts) return undefined;
  return { provider, patient, decision: providerMayViewPatient(policyUserOf(provider), facts, deps.config.hospital.timeZone) };
}

export interface OpenedForProvider {
  provider: ProviderProfile;
  patient: PatientIdentity;
  /** Why this provider may see the record; the page says it on top. */
  basis: AccessBasis;
  /** Opened for one item (`oneItem`): the caller writes the audit row once it knows the item. */
  auditItem?: ItemAudit;
}

/**
 * Opens the patient for the page called `page` (audited as `view-<page>` by the provider, with the
 * basis, or refused with the reason). Undefined when the provider may not see the patient.
 */
export async function openPatientForProvider(
  deps: ProviderAccessDeps,
  accountId: number,
  patientId: number,
  page: string,
  origin: RequestOrigin,
  options: { oneItem?: boolean } = {},
): Promise<OpenedForProvider | undefined> {
  const answer = await accessTo(deps, accountId, patientId);
  const decision = answer?.decision;
  const event = { actorType: 'provider', actorId: accountId, action: `view-${page}`, subjectType: 'patient', subjectId: patientId } as const;
  if (answer?.decision.allowed && options.oneItem) {
    const reason = `basis ${answer.decision.basis}`;
    return { provider: answer.provider, patient: answer.patient, basis: answer.decision.basis, auditItem: itemAuditFor(deps.db, { ...event, reason }, origin) };
  }
  const reason = !decision ? 'unknown-patient-or-provider' : decision.allowed ? `basis ${decision.basis}` : decision.reason;
  await recordAudit(deps.db, { ...event, outcome: decision?.allowed ? 'allowed' : 'refused', reason }, origin);
  if (!answer || !answer.decision.allowed) return undefined;
  return { provider: answer.provider, patient: answer.patient, basis: answer.decision.basis };
}
