import { expect } from 'chai';
import { lookup } from '../../locales/index.ts';
import {
  ALLERGY_CRITICALITIES,
  ALLERGY_STATUSES,
  CARE_TEAM_ROLE_WORDS,
  careTeamRoleWord,
  COVERAGE_STATUSES,
  IMMUNIZATION_STATUSES,
  isCurrentMedication,
  MEDICATION_STATUSES,
  REPORT_CATEGORY_WORDS,
  reportCategoryWord,
  SUBSCRIBER_RELATIONSHIPS,
  termOf,
} from '../../domain/recordTerms.ts';

describe('the record’s coded values in words', () => {
  it('names report categories from HL7 table 0074, whatever the case, and calls anything else "other"', () => {
    expect(reportCategoryWord('RAD')).to.equal('radiology');
    expect(reportCategoryWord('ct')).to.equal('ct');
    expect(reportCategoryWord(' NMR ')).to.equal('mri');
    expect(reportCategoryWord('US')).to.equal('ultrasound');
    expect(reportCategoryWord('RUS')).to.equal('ultrasound');
    expect(reportCategoryWord('ZZZ')).to.equal('other');
    expect(reportCategoryWord('')).to.equal('other');
    expect(reportCategoryWord(null)).to.equal('other');
  });

  it('keeps known values, calls unknown ones "other", and has nothing to say when there is no value', () => {
    expect(termOf('Active', ALLERGY_STATUSES)).to.equal('active');
    expect(termOf('remission', ALLERGY_STATUSES)).to.equal('other');
    expect(termOf(null, ALLERGY_CRITICALITIES)).to.equal(null);
    expect(termOf('  ', ALLERGY_CRITICALITIES)).to.equal(null);
  });

  it('knows the common care-team roles however the record writes them, and leaves any other role as recorded', () => {
    expect(careTeamRoleWord('Primary care provider')).to.equal('pcp');
    expect(careTeamRoleWord('  primary  CARE physician ')).to.equal('pcp');
    expect(careTeamRoleWord('PCP')).to.equal('pcp');
    expect(careTeamRoleWord('Specialist')).to.equal('specialist');
    expect(careTeamRoleWord('ATND')).to.equal('attending');
    expect(careTeamRoleWord('Social worker.')).to.equal('socialWorker');
    expect(careTeamRoleWord('Cardiologist')).to.equal(null);
    expect(careTeamRoleWord('')).to.equal(null);
    expect(careTeamRoleWord(null)).to.equal(null);
  });

  it('counts active and paused medicines as current', () => {
    expect(MEDICATION_STATUSES.filter(isCurrentMedication)).to.deep.equal(['active', 'on-hold']);
    // As the record sends it: the page says "Taking now" for these, so they must list as current too.
    expect(isCurrentMedication(' Active')).to.equal(true);
    expect(isCurrentMedication('ON-HOLD')).to.equal(true);
  });

  it('has words in English and Spanish for every value a page can show', () => {
    const keys = [
      ...REPORT_CATEGORY_WORDS.map((word) => `record.reports.category.${word}`),
      ...CARE_TEAM_ROLE_WORDS.map((word) => `record.careTeam.roles.${word}`),
      ...[...MEDICATION_STATUSES, 'other'].map((value) => `record.medications.status.${value}`),
      ...[...ALLERGY_STATUSES, 'other'].map((value) => `record.allergies.status.${value}`),
      ...[...ALLERGY_CRITICALITIES, 'other'].map((value) => `record.allergies.criticality.${value}`),
      ...[...IMMUNIZATION_STATUSES, 'other'].map((value) => `record.immunizations.status.${value}`),
      ...[...COVERAGE_STATUSES, 'other'].map((value) => `record.insurance.status.${value}`),
      ...[...SUBSCRIBER_RELATIONSHIPS, 'other'].map((value) => `record.insurance.relationship.${value}`),
    ];
    for (const key of keys) for (const language of ['en', 'es'] as const) expect(typeof lookup(language, key), `${language} ${key}`).to.equal('string');
  });
});
