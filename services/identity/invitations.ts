// Accounts made for someone else (staff now, providers when MyPatients registration lands):
// created without a password, with a single-use link to set one and then enrol a second factor.
import type { Knex } from 'knex';
import type { AccountKind, StaffRole } from '../../domain/accounts.ts';
import type { Language } from '../../domain/language.ts';
import { findAccountByEmail, insertAccount } from '../../data/accounts.ts';
import { queueEmail } from '../emailOutbox.ts';
import { recordAudit, type AuditEvent, type RequestOrigin } from '../audit.ts';
import { issueLinkToken } from './accountTokens.ts';
import { minutesFrom, portalLink, type IdentityDeps } from './deps.ts';

export interface Invitation {
  kind: Exclude<AccountKind, 'family'>;
  email: string;
  name: string;
  roles: StaffRole[];
  preferredLanguage: Language;
  /** Who invites: an admin's account, or the command line (system). */
  invitedBy: Pick<AuditEvent, 'actorType' | 'actorId'>;
}

export type InvitationResult = { ok: true; accountId: number; link: string } | { ok: false; reason: 'email-taken' };

/** Creates the account and its set-password link, without sending it (the command line prints it). */
export async function createInvitedAccount(
  trx: Knex,
  deps: Pick<IdentityDeps, 'config' | 'now'>,
  invitation: Invitation,
  origin: RequestOrigin = {},
): Promise<InvitationResult> {
  const now = deps.now();
  if (await findAccountByEmail(trx, invitation.kind, invitation.email)) return { ok: false, reason: 'email-taken' };
  const accountId = await insertAccount(
    trx,
    { kind: invitation.kind, email: invitation.email, name: invitation.name, preferredLanguage: invitation.preferredLanguage, passwordHash: null, status: 'active', roles: invitation.roles },
    now,
  );
  const token = await issueLinkToken(trx, { accountId, purpose: 'set-password', expiresAt: minutesFrom(now, deps.config.tokens.invitationLinkHours * 60), now });
  await recordAudit(trx, { ...invitation.invitedBy, action: 'account-invited', subjectType: 'account', subjectId: accountId, outcome: 'success', reason: invitation.roles.join(',') || invitation.kind }, origin);
  return { ok: true, accountId, link: portalLink(deps, invitation.kind, '/set-password', { token }) };
}

/** An admin's invitation: the account, and an email with the link, in one transaction. */
export async function inviteAccount(deps: IdentityDeps, invitation: Invitation, origin: RequestOrigin = {}): Promise<InvitationResult> {
  return deps.db.transaction(async (trx) => {
    const result = await createInvitedAccount(trx, deps, invitation, origin);
    if (result.ok) {
      await queueEmail(trx, deps, {
        to: invitation.email,
        template: 'accountInvitation',
        language: invitation.preferredLanguage,
        params: { actionUrl: result.link, hours: deps.config.tokens.invitationLinkHours },
      });
    }
    return result;
  });
}
