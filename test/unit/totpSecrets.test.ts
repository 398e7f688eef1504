import { expect } from 'chai';
import { openTotpSecret, resealTotpSecret, sealedWithCurrentKey, sealTotpSecret, type TotpKeys } from '../../services/identity/totpSecrets.ts';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const keyOf = (fill: number) => Buffer.alloc(32, fill);
const OLD: TotpKeys = { currentId: 'k1', byId: new Map([['k1', keyOf(1)]]) };
const ROTATED: TotpKeys = { currentId: 'k2', byId: new Map([['k2', keyOf(2)], ['k1', keyOf(1)]]) };

describe('sealed TOTP secrets', () => {
  it('seal and open again, never storing the secret itself, with a fresh nonce each time', () => {
    const sealed = sealTotpSecret(OLD, SECRET);
    expect(sealed).to.match(/^v1\.k1\./);
    expect(sealed).not.to.include(SECRET);
    expect(sealTotpSecret(OLD, SECRET)).not.to.equal(sealed);
    expect(openTotpSecret(OLD, sealed)).to.equal(SECRET);
  });

  it('refuse a value that was altered, relabelled to another key, stored plain, or sealed with an unknown key', () => {
    const sealed = sealTotpSecret(OLD, SECRET);
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 4), Buffer.from(Buffer.from(parts[4]!, 'base64url').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString('base64url')].join('.');
    expect(() => openTotpSecret(OLD, flipped)).to.throw();
    const sameKeyOtherName: TotpKeys = { currentId: 'k9', byId: new Map([['k9', keyOf(1)]]) };
    expect(() => openTotpSecret(sameKeyOtherName, ['v1', 'k9', ...parts.slice(2)].join('.'))).to.throw();
    expect(() => openTotpSecret(OLD, SECRET)).to.throw('not a TOTP secret sealed with a configured key');
    expect(() => openTotpSecret({ currentId: 'k3', byId: new Map([['k3', keyOf(3)]]) }, sealed)).to.throw('not a TOTP secret sealed with a configured key');
  });

  it('open values under an older key after a new one is added, and move them to the new key', () => {
    const underOld = sealTotpSecret(OLD, SECRET);
    expect(openTotpSecret(ROTATED, underOld)).to.equal(SECRET);
    expect(sealedWithCurrentKey(ROTATED, underOld)).to.equal(false);
    const moved = resealTotpSecret(ROTATED, underOld);
    expect(sealedWithCurrentKey(ROTATED, moved)).to.equal(true);
    expect(openTotpSecret(ROTATED, moved)).to.equal(SECRET);
    // A secret stored plain, before sealing existed.
    expect(openTotpSecret(ROTATED, resealTotpSecret(ROTATED, SECRET))).to.equal(SECRET);
  });
});
