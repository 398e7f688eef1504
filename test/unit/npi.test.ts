import { expect } from 'chai';
import { isValidNpi } from '../../domain/npi.ts';

describe('isValidNpi', () => {
  it('accepts the example from the CMS check-digit description', () => {
    expect(isValidNpi('1234567893')).to.equal(true);
  });
  it('accepts other well-formed NPIs, including a check digit of 0', () => {
    for (const npi of ['1000000004', '9876543213', '1111111112', '1508702911', '1928374655', '1000000020']) {
      expect(isValidNpi(npi), npi).to.equal(true);
    }
  });
  it('refuses a wrong check digit', () => {
    for (const npi of ['1234567890', '1234567894', '1000000005', '9876543210']) {
      expect(isValidNpi(npi), npi).to.equal(false);
    }
  });
  it('catches every single mistyped digit', () => {
    const valid = '1234567893';
    for (let position = 0; position < valid.length; position += 1) {
      for (const digit of '0123456789') {
        if (digit === valid[position]) continue;
        const typo = valid.slice(0, position) + digit + valid.slice(position + 1);
        expect(isValidNpi(typo), typo).to.equal(false);
      }
    }
  });
  it('catches two neighbouring digits swapped', () => {
    expect(isValidNpi('2134567893')).to.equal(false);
    expect(isValidNpi('1234567839')).to.equal(false);
  });
  it('needs exactly ten digits', () => {
    expect(isValidNpi('123456789')).to.equal(false);
    expect(isValidNpi('12345678933')).to.equal(false);
    expect(isValidNpi('')).to.equal(false);
  });
  it('refuses spaces, dashes, letters and signs', () => {
    for (const value of [' 1234567893', '1234567893 ', '12345 67893', '123-456-7893', '123456789O', 'ABCDEFGHIJ', '+234567893', '1234567893\n']) {
      expect(isValidNpi(value), JSON.stringify(value)).to.equal(false);
    }
  });
  it('refuses digits from other scripts', () => {
    expect(isValidNpi('１２３４５６７８９３')).to.equal(false); // full-width
    expect(isValidNpi('١٢٣٤٥٦٧٨٩٣')).to.equal(false); // Arabic-Indic
  });
});
