import { expect } from 'chai';
import { MINIMUM_ARGON2_PARAMETERS, checkArgon2Parameters, needsRehash } from '../../domain/argon2Parameters.ts';

const salt = 'c29tZXNhbHRzb21lc2FsdA';
const digest = 'ZGVyaXZlZGtleWRlcml2ZWRrZXlkZXJpdmVka2V5MTI';
const phc = (head: string) => `${head}$${salt}$${digest}`;
const wanted = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

describe('MINIMUM_ARGON2_PARAMETERS', () => {
  it('is 19 MiB, 2 passes, 1 lane', () => {
    expect(MINIMUM_ARGON2_PARAMETERS).to.deep.equal({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });
});

describe('checkArgon2Parameters', () => {
  it('accepts the minimum and anything stronger', () => {
    expect(checkArgon2Parameters({ memoryCost: 19456, timeCost: 2, parallelism: 1 })).to.deep.equal({ ok: true });
    expect(checkArgon2Parameters({ memoryCost: 65536, timeCost: 3, parallelism: 4 })).to.deep.equal({ ok: true });
  });
  it('refuses each value just below its minimum', () => {
    expect(checkArgon2Parameters({ memoryCost: 19455, timeCost: 2, parallelism: 1 })).to.deep.equal({ ok: false, problems: ['invalid-memory-cost'] });
    expect(checkArgon2Parameters({ memoryCost: 19456, timeCost: 1, parallelism: 1 })).to.deep.equal({ ok: false, problems: ['invalid-time-cost'] });
    expect(checkArgon2Parameters({ memoryCost: 19456, timeCost: 2, parallelism: 0 })).to.deep.equal({ ok: false, problems: ['invalid-parallelism'] });
  });
  it('refuses values that are not whole numbers', () => {
    expect(checkArgon2Parameters({ memoryCost: 19456.5, timeCost: Number.NaN, parallelism: Number.POSITIVE_INFINITY })).to.deep.equal({
      ok: false,
      problems: ['invalid-memory-cost', 'invalid-time-cost', 'invalid-parallelism'],
    });
  });
});

describe('needsRehash', () => {
  it('keeps a hash made with exactly the wanted parameters', () => {
    expect(needsRehash(phc('$argon2id$v=19$m=19456,t=2,p=1'), wanted)).to.equal(false);
  });
  it('keeps a hash made with more memory or more passes than wanted', () => {
    expect(needsRehash(phc('$argon2id$v=19$m=65536,t=3,p=1'), wanted)).to.equal(false);
  });
  it('replaces a hash with less memory than wanted, by one KiB', () => {
    expect(needsRehash(phc('$argon2id$v=19$m=19456,t=2,p=1'), { ...wanted, memoryCost: 19457 })).to.equal(true);
    expect(needsRehash(phc('$argon2id$v=19$m=4096,t=3,p=1'), wanted)).to.equal(true);
  });
  it('replaces a hash with fewer passes than wanted', () => {
    expect(needsRehash(phc('$argon2id$v=19$m=19456,t=2,p=1'), { ...wanted, timeCost: 3 })).to.equal(true);
    expect(needsRehash(phc('$argon2id$v=19$m=65536,t=1,p=1'), wanted)).to.equal(true);
  });
  it('reads the parameters in any order (some libraries write m, p, t)', () => {
    expect(needsRehash(phc('$argon2id$v=19$m=19456,p=1,t=2'), wanted)).to.equal(false);
    expect(needsRehash(phc('$argon2id$v=19$t=2,m=19456,p=1'), wanted)).to.equal(false);
    expect(needsRehash(phc('$argon2id$v=19$m=19455,p=1,t=2'), wanted)).to.equal(true);
  });
  it('does not replace a hash only because its parallelism differs', () => {
    expect(needsRehash(phc('$argon2id$v=19$m=19456,t=2,p=4'), wanted)).to.equal(false);
    expect(needsRehash(phc('$argon2id$v=19$m=19456,t=2,p=1'), { ...wanted, parallelism: 4 })).to.equal(false);
  });
  it('replaces other argon2 variants and version 1.0', () => {
    expect(needsRehash(phc('$argon2i$v=19$m=65536,t=3,p=1'), wanted)).to.equal(true);
    expect(needsRehash(phc('$argon2d$v=19$m=65536,t=3,p=1'), wanted)).to.equal(true);
    expect(needsRehash(phc('$argon2id$v=16$m=65536,t=3,p=1'), wanted)).to.equal(true);
    expect(needsRehash(phc('$argon2id$m=65536,t=3,p=1'), wanted)).to.equal(true); // no version: written by version 1.0
  });
  it('replaces other algorithms and anything it cannot read', () => {
    for (const encoded of [
      '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', // bcrypt
      '',
      '$argon2id$v=19$m=19456,t=2,p=1', // parameters only
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}`, // no hash
      `$argon2id$v=19$m=19456,t=2$${salt}$${digest}`, // no parallelism
      `$argon2id$v=19$m=lots,t=2,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${digest} `, // trailing space
      `$ARGON2ID$v=19$m=19456,t=2,p=1$${salt}$${digest}`,
    ]) {
      expect(needsRehash(encoded, wanted), encoded).to.equal(true);
    }
  });
});
