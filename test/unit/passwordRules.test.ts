import { expect } from 'chai';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_RULES, checkPassword, normalisePassword } from '../../domain/passwordRules.ts';

const account = { email: 'parent@example.com' };
const turtle = '🐢'; // one code point, two UTF-16 units
const hospital = (password: string, email = account.email) => checkPassword(password, { email }, 'hospital');
const nist = (password: string, email = account.email) => checkPassword(password, { email }, 'nist');

describe('PASSWORD_RULES', () => {
  it('describes each profile for the form', () => {
    expect(PASSWORD_RULES.hospital).to.deep.equal({ minimumLength: 8, maximumLength: 256, requiresNumber: true, requiresCapital: true });
    expect(PASSWORD_RULES.nist).to.deep.equal({ minimumLength: 15, maximumLength: 256, requiresNumber: false, requiresCapital: false });
  });
});

describe('checkPassword, hospital profile', () => {
  it('is the default profile', () => {
    expect(checkPassword('Gx7Rq2V', account)).to.deep.equal({ ok: false, failures: ['too-short'] });
    expect(checkPassword('lowercase-only-words', account)).to.deep.equal({ ok: false, failures: ['no-number', 'no-capital'] });
  });
  it('accepts 8 characters with a number and a capital letter', () => {
    expect(hospital('Gx7Rq2Vz')).to.deep.equal({ ok: true });
  });
  it('refuses 7 characters', () => {
    expect(hospital('Gx7Rq2V')).to.deep.equal({ ok: false, failures: ['too-short'] });
  });
  it('needs a number', () => {
    expect(hospital('Granite-Orbit-Lamp')).to.deep.equal({ ok: false, failures: ['no-number'] });
  });
  it('needs a capital letter', () => {
    expect(hospital('granite-orbit-7')).to.deep.equal({ ok: false, failures: ['no-capital'] });
  });
  it('names every rule broken at once', () => {
    expect(hospital('')).to.deep.equal({ ok: false, failures: ['too-short', 'no-number', 'no-capital'] });
    expect(hospital('maria', 'maria@example.com')).to.deep.equal({
      ok: false,
      failures: ['too-short', 'no-number', 'no-capital', 'too-common', 'contains-email'],
    });
    expect(hospital('maria'.repeat(52), 'maria@example.com')).to.deep.equal({
      ok: false,
      failures: ['too-long', 'no-number', 'no-capital', 'contains-email'],
    });
  });
  it('counts a Spanish capital letter such as Ñ, and other scripts', () => {
    expect(hospital('ñandú-río-7-Ñ')).to.deep.equal({ ok: true });
    expect(hospital('ñandú-río-7-ñ')).to.deep.equal({ ok: false, failures: ['no-capital'] });
    expect(hospital('Ωμέγα-θάλασσα-5')).to.deep.equal({ ok: true });
  });
  it('counts digits of any script, and digits that normalise to one', () => {
    expect(hospital('Granite-Orbit-٣')).to.deep.equal({ ok: true }); // Arabic-Indic three
    expect(hospital('Granite-Orbit-४')).to.deep.equal({ ok: true }); // Devanagari four
    expect(hospital('Granite-Orbit²')).to.deep.equal({ ok: true }); // superscript two is "2" after NFKC
    expect(hospital('Granite-Orbit-Ⅻ')).to.deep.equal({ ok: false, failures: ['no-number'] }); // a Roman numeral letter is not a digit
  });
  it('counts length in code points, not UTF-16 units', () => {
    expect(hospital(`A1${turtle.repeat(5)}`)).to.deep.equal({ ok: false, failures: ['too-short'] }); // 12 units, 7 code points
    expect(hospital(`A1${turtle.repeat(6)}`)).to.deep.equal({ ok: true });
  });
  it('counts length after NFKC normalisation, so combining accents do not pad a password', () => {
    const decomposed = 'A1e\u0301e\u0301e\u0301xy'; // 10 code points typed, 7 after composing "é"
    expect(decomposed.length).to.equal(10);
    expect(hospital(decomposed)).to.deep.equal({ ok: false, failures: ['too-short'] });
    expect(hospital(`${decomposed}z`)).to.deep.equal({ ok: true });
  });
  it('accepts a 64-character passphrase of any Unicode without truncation', () => {
    const passphrase = 'Mi perro Ñandú come 3 empanadas, 2 alfajores y un café 🐢 al sol.';
    expect([...passphrase].length).to.equal(64);
    expect(hospital(passphrase)).to.deep.equal({ ok: true });
  });
  it('accepts 256 code points and refuses 257', () => {
    expect(hospital(`A1${turtle.repeat(254)}`)).to.deep.equal({ ok: true });
    expect(hospital(`A1${turtle.repeat(255)}`)).to.deep.equal({ ok: false, failures: ['too-long'] });
  });
});

describe('checkPassword, NIST SP 800-63B profile', () => {
  it('accepts 15 characters with no composition rules', () => {
    expect(nist('granite orbit l')).to.deep.equal({ ok: true });
    expect(nist('correct horse battery staple')).to.deep.equal({ ok: true });
  });
  it('refuses 14 characters, and 8 that would pass the hospital profile', () => {
    expect(nist('granite orbit ')).to.deep.equal({ ok: false, failures: ['too-short'] });
    expect(nist('Gx7Rq2Vz')).to.deep.equal({ ok: false, failures: ['too-short'] });
  });
  it('counts code points and caps length the same way', () => {
    expect(nist(turtle.repeat(14))).to.deep.equal({ ok: false, failures: ['too-short'] });
    expect(nist(turtle.repeat(15))).to.deep.equal({ ok: true });
    expect(nist(turtle.repeat(256))).to.deep.equal({ ok: true });
    expect(nist(turtle.repeat(257))).to.deep.equal({ ok: false, failures: ['too-long'] });
  });
  it('uses the same blocklist and email check', () => {
    expect(nist('passwordpassword')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(nist('Password12345678')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(nist('gonzalez-family-garden', 'j.gonzalez@example.com')).to.deep.equal({ ok: true });
    expect(nist('j.gonzalez-family-garden', 'j.gonzalez@example.com')).to.deep.equal({ ok: false, failures: ['contains-email'] });
  });
});

describe('checkPassword, common passwords', () => {
  it('uses a list of at least the 10,000 most common passwords', () => {
    expect(dictionary['passwords-common'].length).to.be.at.least(10_000);
    expect(nist('24081990')).to.deep.equal({ ok: false, failures: ['too-short', 'too-common'] }); // number 10,000 on the list
  });
  it('compares without regard to case', () => {
    expect(hospital('LETMEIN')).to.deep.equal({ ok: false, failures: ['too-short', 'no-number', 'too-common'] });
    expect(hospital('QWERTY123')).to.deep.equal({ ok: false, failures: ['too-common'] });
  });
  it('refuses a common password dressed up to meet the composition rules', () => {
    expect(hospital('Password1')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(hospital('Password2024!')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(hospital('Sunshine#99')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(hospital('!!Dragon77')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(hospital('P@ssw0rd1')).to.deep.equal({ ok: false, failures: ['too-common'] });
    expect(hospital('1Qaz2wsx!')).to.deep.equal({ ok: false, failures: ['too-common'] }); // "1qaz2wsx" once the "!" goes
  });
  it('refuses a common password typed in full-width characters', () => {
    expect(hospital('Ｐａｓｓｗｏｒｄ１')).to.deep.equal({ ok: false, failures: ['too-common'] });
  });
  it('does not refuse a password that merely contains a common word', () => {
    expect(hospital('My dragon 7 flies')).to.deep.equal({ ok: true });
    expect(hospital('Dragonfly-Orchard-7')).to.deep.equal({ ok: true });
  });
});

describe('checkPassword, the account email', () => {
  it('refuses a password containing the local part, in any case', () => {
    expect(hospital('MariaGomez2024', 'mariagomez@example.com')).to.deep.equal({ ok: false, failures: ['contains-email'] });
    expect(hospital('Xx-mariagomez-7', 'MariaGomez@Example.com')).to.deep.equal({ ok: false, failures: ['contains-email'] });
  });
  it('checks a local part of exactly 3 characters and ignores one of 2', () => {
    expect(hospital('Havana-Nights-7', 'ana@example.com')).to.deep.equal({ ok: false, failures: ['contains-email'] });
    expect(hospital('Always-al-7', 'al@example.com')).to.deep.equal({ ok: true });
  });
  it('counts the local part in code points', () => {
    expect(hospital(`Orbit-${turtle}${turtle}-Lamp7`, `${turtle}${turtle}@example.com`)).to.deep.equal({ ok: true });
    expect(hospital(`Orbit-${turtle.repeat(3)}-Lamp7`, `${turtle.repeat(3)}@example.com`)).to.deep.equal({
      ok: false,
      failures: ['contains-email'],
    });
  });
  it('normalises the email too', () => {
    expect(hospital('Xx-ximena-2024', 'ｘｉｍｅｎａ@example.com')).to.deep.equal({ ok: false, failures: ['contains-email'] });
  });
  it('does not look at the domain', () => {
    expect(hospital('Granite-Example-7', 'parent@example.com')).to.deep.equal({ ok: true });
  });
  it('treats a value without @ as all local part', () => {
    expect(hospital('Granite-noat-7', 'noat')).to.deep.equal({ ok: false, failures: ['contains-email'] });
  });
  it('uses everything before the last @', () => {
    expect(hospital('Granite-odd@name-7', 'odd@name@example.com')).to.deep.equal({ ok: false, failures: ['contains-email'] });
  });
});

describe('normalisePassword', () => {
  it('composes accents and folds compatibility characters, so hashing matches however it was typed', () => {
    expect(normalisePassword('N\u0303andu\u0301')).to.equal('Ñandú');
    expect(normalisePassword('Ｐａｓｓ１²')).to.equal('Pass12');
  });
  it('keeps case, spaces and symbols', () => {
    expect(normalisePassword('  Mi Perro! ')).to.equal('  Mi Perro! ');
  });
});
