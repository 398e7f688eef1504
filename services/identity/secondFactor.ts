// The second factor: TOTP from an authenticator app (otplib), and ten single-use recovery codes.
import { createHash, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { updateAccount, type Account } from '../../data/accounts.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';
import type { IdentityDeps } from './deps.ts';
import { openSecret, sealSecret } from './sealedSecrets.ts';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O or 1/I/L, so a code copied by hand is not misread.
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const RECOVERY_CODE_LENGTH = 10;
const TOTP_PERIOD_SECONDS = 30; // otplib's default, what every authenticator app expects

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(deps: IdentityDeps, account: Pick<Account, 'email'>, secret: string): string {
  return generateURI({ issuer: deps.config.hospital.name, label: account.email, secret });
}

/** The QR code as inline SVG markup (no script, no image request, allowed by the CSP). */
export function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/** Groups of four, so the secret is easier to read out or type. */
export function spacedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** The time step a TOTP code matched, or null; one step either side allows for clock drift. */
async function matchingTimeStep(secret: string, code: string, now: Date, afterTimeStep: number | null): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({ secret, token, epoch, epochTolerance: 30, ...(afterTimeStep === null ? {} : { afterTimeStep }) });
  return result.valid ? Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta : null;
}

export type EnrolmentResult = { ok: true; recoveryCodes: string[] } | { ok: false };

/** Turns the factor on once the person proves their app has `secret`, and issues recovery codes. */
export async function enrolSecondFactor(deps: IdentityDeps, account: Account, secret: string, code: string, origin: RequestOrigin): Promise<EnrolmentResult> {
  const now = deps.now();
  const timeStep = await matchingTimeStep(secret, code, now, null);
  if (timeStep === null) return { ok: false };
  return deps.db.transaction(async (trx) => {
    await updateAccount(trx, account.id, { totp_secret: sealSecret(deps.config.encryptionKeys, secret), totp_enabled_at: now, totp_last_time_step: timeStep }, now);
    const recoveryCodes = await replaceRecoveryCodes(trx, account.id);
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'second-factor-on', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
    return { ok: true as const, recoveryCodes };
  });
}

export async function replaceRecoveryCodes(trx: Knex, accountId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await trx('recovery_codes').where({ account_id: accountId }).delete();
  await trx('recovery_codes').insert(codes.map((code) => ({ account_id: accountId, code_hash: recoveryCodeHash(accountId, code) })));
  return codes;
}

export async function newRecoveryCodes(deps: IdentityDeps, account: Account, origin: RequestOrigin): Promise<string[]> {
  return deps.db.transaction(async (trx) => {
    const codes = await replaceRecoveryCodes(trx, account.id);
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'recovery-codes-replaced', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
    return codes;
  });
}

export async function unusedRecoveryCodeCount(db: Knex, accountId: number): Promise<number> {
  const [row] = await db('recovery_codes').where({ account_id: accountId }).whereNull('used_at').count({ count: '*' });
  return Number(row?.count ?? 0);
}

/** Families may turn the factor off; providers and staff may not (the route checks). */
export async function turnOffSecondFactor(deps: IdentityDeps, account: Account, origin: RequestOrigin): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (trx) => {
    await updateAccount(trx, account.id, { totp_secret: null, totp_enabled_at: null, totp_last_time_step: null }, now);
    await trx('recovery_codes').where({ account_id: account.id }).delete();
    await recordAudit(trx, { actorType: account.kind, actorId: account.id, action: 'second-factor-off', subjectType: 'account', subjectId: account.id, outcome: 'success' }, origin);
  });
}

export type CodeCheck = { ok: true; method: 'totp' | 'recovery-code' } | { ok: false };

/** Accepts a current TOTP code not used before, or an unused recovery code, and uses it up. */
export async function checkSecondFactorCode(deps: IdentityDeps, account: Account, code: string): Promise<CodeCheck> {
  const now = deps.now();
  if (account.sealedTotpSecret) {
    const timeStep = await matchingTimeStep(openSecret(deps.config.encryptionKeys, account.sealedTotpSecret), code, now, account.totpLastTimeStep);
    if (timeStep !== null) {
      // Conditional, so two requests racing with the same code cannot both succeed.
      const updated = await deps.db('accounts')
        .where({ id: account.id })
        .andWhere((query) => query.whereNull('totp_last_time_step').orWhere('totp_last_time_step', '<', timeStep))
        .update({ totp_last_time_step: timeStep });
      return updated === 1 ? { ok: true, method: 'totp' } : { ok: false };
    }
  }
  const normalised = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (normalised.length !== RECOVERY_CODE_LENGTH) return { ok: false };
  const used = await deps.db('recovery_codes')
    .where({ account_id: account.id, code_hash: recoveryCodeHash(account.id, normalised) })
    .whereNull('used_at')
    .update({ used_at: now });
  return used === 1 ? { ok: true, method: 'recovery-code' } : { ok: false };
}

function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return code;
}

/** How a code is shown: two groups of five. */
export function displayRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

function recoveryCodeHash(accountId: number, code: string): string {
  return createHash('sha256').update(`${accountId}:${code}`).digest('hex');
}
