// Accounts made for someone else (staff now, providers when MyPatients registration lands):
// created without a password, with a single-use link to set one and then enrol a second factor.
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
  /** Email the link (an admin's invitation) or only return it (the command line prints it). */
  sendEmail: boolean;
}

export type InvitationResult = { ok: true; accountId: number; link: string } | { ok: false; reason: 'email-taken' };

export async function inviteAccount(deps: IdentityDeps, invitation: Invitation, origin: RequestOrigin = {}): Promise<InvitationResult> {
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    if (await findAccountByEmail(trx, invitation.kind, invitation.email)) return { ok: false, reason: 'email-taken' } as const;
    const accountId = await insertAccount(
      trx,
      { kind: invitation.kind, email: invitation.email, name: invitation.name, preferredLanguage: invitation.preferredLanguage, passwordHash: null, status: 'active', roles: invitation.roles },
      now,
    );
    const hours = deps.config.tokens.invitationLinkHours;
    const token = await issueLinkToken(trx, { accountId, purpose: 'set-password', expiresAt: minutesFrom(now, hours * 60), now });
    const link = portalLink(deps, invitation.kind, '/set-password', { token });
    if (invitation.sendEmail) {
      await queueEmail(trx, deps, { to: invitation.email, template: 'accountInvitation', language: invitation.preferredLanguage, params: { actionUrl: link, hours } });
    }
    await recordAudit(trx, { ...invitation.invitedBy, action: 'account-invited', subjectType: 'account', subjectId: accountId, outcome: 'success', reason: invitation.roles.join(',') || invitation.kind }, origin);
    return { ok: true as const, accountId, link };
  });
}
