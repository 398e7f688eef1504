import { expect } from 'chai';
import { openSecret, resealSecret, sealedWithCurrentKey, sealSecret, type EncryptionKeys } from '../../services/identity/sealedSecrets.ts';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const keyOf = (fill: number) => Buffer.alloc(32, fill);
const OLD: EncryptionKeys = { currentId: 'k1', byId: new Map([['k1', keyOf(1)]]) };
const ROTATED: EncryptionKeys = { currentId: 'k2', byId: new Map([['k2', keyOf(2)], ['k1', keyOf(1)]]) };

describe('sealed secrets', () => {
  it('seal and open again, never storing the secret itself, with a fresh nonce each time', () => {
    const sealed = sealSecret(OLD, SECRET);
    expect(sealed).to.match(/^v1\.k1\./);
    expect(sealed).not.to.include(SECRET);
    expect(sealSecret(OLD, SECRET)).not.to.equal(sealed);
    expect(openSecret(OLD, sealed)).to.equal(SECRET);
  });

  it('refuse a value that was altered, relabelled to another key, stored plain, or sealed with an unknown key', () => {
    const sealed = sealSecret(OLD, SECRET);
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 4), Buffer.from(Buffer.from(parts[4]!, 'base64url').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString('base64url')].join('.');
    expect(() => openSecret(OLD, flipped)).to.throw();
    const sameKeyOtherName: EncryptionKeys = { currentId: 'k9', byId: new Map([['k9', keyOf(1)]]) };
    expect(() => openSecret(sameKeyOtherName, ['v1', 'k9', ...parts.slice(2)].join('.'))).to.throw();
    expect(() => openSecret(OLD, SECRET)).to.throw('not a secret sealed with a configured key');
    expect(() => openSecret({ currentId: 'k3', byId: new Map([['k3', keyOf(3)]]) }, sealed)).to.throw('not a secret sealed with a configured key');
  });

  it('open values under an older key after a new one is added, and move them to the new key', () => {
    const underOld = sealSecret(OLD, SECRET);
    expect(openSecret(ROTATED, underOld)).to.equal(SECRET);
    expect(sealedWithCurrentKey(ROTATED, underOld)).to.equal(false);
    const moved = resealSecret(ROTATED, underOld);
    expect(sealedWithCurrentKey(ROTATED, moved)).to.equal(true);
    expect(openSecret(ROTATED, moved)).to.equal(SECRET);
    // A secret stored plain, before sealing existed.
    expect(openSecret(ROTATED, resealSecret(ROTATED, SECRET))).to.equal(SECRET);
  });
});
