import { expect } from 'chai';
import { lookup } from '../../locales/index.ts';
import { PLAIN_TEST_WORDS, plainTestName, readableUnit } from '../../domain/labTests.ts';

describe('lab tests in words a parent can read', () => {
  it('names the common pediatric tests and panels by their LOINC code, whatever the record calls them', () => {
    expect(plainTestName('2951-2', 'Sodium [Moles/volume] in Serum or Plasma')).to.deep.equal({ word: 'sodium' });
    expect(plainTestName('6690-2', 'Leukocytes [#/volume] in Blood by Automated count')).to.deep.equal({ word: 'whiteCells' });
    expect(plainTestName('58410-2', 'CBC panel - Blood by Automated count')).to.deep.equal({ word: 'cbc' });
    expect(plainTestName(' 51990-0 ', 'BASIC METABOLIC PANEL')).to.deep.equal({ word: 'bmp' });
  });

  it('shortens an unknown LOINC long name to its component, and leaves any other name as recorded', () => {
    expect(plainTestName('2132-9', 'Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma')).to.deep.equal({ text: 'Cobalamin (Vitamin B12)' });
    expect(plainTestName('34714-6', 'INR in Blood by Coagulation assay')).to.deep.equal({ text: 'INR in Blood by Coagulation assay' });
    expect(plainTestName('24356-8', 'Urinalysis complete panel - Urine')).to.deep.equal({ text: 'Urinalysis complete panel' });
    expect(plainTestName(null, 'Strep test')).to.deep.equal({ text: 'Strep test' });
    // Nothing left before the bracket: the whole name rather than nothing.
    expect(plainTestName('x', '[Moles/volume]')).to.deep.equal({ text: '[Moles/volume]' });
  });

  it('has a plain name in English and Spanish for every test it knows', () => {
    expect(PLAIN_TEST_WORDS.length).to.be.greaterThan(30);
    for (const word of PLAIN_TEST_WORDS) for (const language of ['en', 'es'] as const) expect(typeof lookup(language, `record.results.testNames.${word}`), `${language} ${word}`).to.equal('string');
  });

  it('writes UCUM units as people read them', () => {
    const cases: [string | null, string | null][] = [
      ['10*3/uL', '×10³/µL'],
      ['10*6/uL', '×10⁶/µL'],
      ['10^9/L', '×10⁹/L'],
      ['10*12/L', '×10¹²/L'],
      ['x10E3/uL', '×10³/µL'],
      ['mg/dL', 'mg/dL'],
      ['g/dL', 'g/dL'],
      ['mmol/L', 'mmol/L'],
      ['ug/dL', 'µg/dL'],
      ['umol/L', 'µmol/L'],
      ['u[IU]/mL', 'µIU/mL'],
      ['[IU]/L', 'IU/L'],
      ['U/L', 'U/L'],
      ['fL', 'fL'],
      ['%', '%'],
      ['mm/h', 'mm/h'],
      ['mm[Hg]', 'mmHg'],
      ['Cel', '°C'],
      ['[degF]', '°F'],
      ['kg/m2', 'kg/m²'],
      ['mL/min/{1.73_m2}', 'mL/min/1.73 m²'],
      ['{cells}/uL', 'cells/µL'],
      ['/[HPF]', '/HPF'],
      ['1', null],
      ['{ratio}', 'ratio'],
      ['  ', null],
      [null, null],
    ];
    for (const [ucum, readable] of cases) expect(readableUnit(ucum), String(ucum)).to.equal(readable);
  });
});
