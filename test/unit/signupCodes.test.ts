import { expect } from 'chai';
import { formatSignupCode, isSignupCode, normaliseSignupCode, SIGNUP_CODE_ALPHABET } from '../../domain/signupCodes.ts';

describe('sign-up token codes', () => {
  it('reads what a person typed whatever the case, spaces and dashes', () => {
    expect(normaliseSignupCode('abcd-efgh-jkmn')).to.equal('ABCDEFGHJKMN');
    expect(normaliseSignupCode(' ABCD EFGH\tJKMN ')).to.equal('ABCDEFGHJKMN');
    expect(normaliseSignupCode('ABCD–EFGH—JKMN')).to.equal('ABCDEFGHJKMN'); // dashes a phone keyboard may type
  });

  it('accepts only 12 characters of its alphabet, which has no look-alike characters', () => {
    expect(isSignupCode('ABCDEFGHJKMN')).to.equal(true);
    expect(isSignupCode('ABCDEFGHJKM')).to.equal(false);
    expect(isSignupCode('ABCDEFGHJKMNP')).to.equal(false);
    for (const lookAlike of ['0', 'O', '1', 'I', 'L', 'U']) {
      expect(SIGNUP_CODE_ALPHABET).not.to.include(lookAlike);
      expect(isSignupCode(`ABCDEFGHJKM${lookAlike}`)).to.equal(false);
    }
  });

  it('prints the code in groups of four', () => {
    expect(formatSignupCode('ABCDEFGHJKMN')).to.equal('ABCD-EFGH-JKMN');
  });
});
