import { expect } from 'chai';
import {
  careTeamMemberNamedToGuardians,
  careTeamMembersFor,
  combineNotices,
  familyLabResultDecision,
  familyListItemDecision,
  familyMedicationDecision,
  familyNoteDecision,
  familyReportDecision,
  familyVisitDecision,
  withheldNotices,
  type CareTeamVisit,
  type FamilyViewContext,
} from '../../domain/familyRecord.ts';
import { defaultReleasePolicy, releasePolicyFrom, type LabResultForRelease, type MedicationForRelease, type NoteForRelease, type ReportForRelease } from '../../domain/release.ts';
import { outOfRange } from '../../domain/labInterpretation.ts';
import { pageOf } from '../../domain/paging.ts';

const NOW = new Date('2026-03-15T16:00:00.000Z');
const context = (viewer: 'patient' | 'guardian', patientBirthDate = '2011-01-01'): FamilyViewContext => ({ viewer, patientBirthDate, now: NOW, timeZone: 'America/New_York', policy: defaultReleasePolicy });
const SHOWN = { shown: true };
const held = (reason: string) => ({ shown: false, reason });

const note: NoteForRelease = { source: 'internal', status: 'final', typeCode: '11506-3', departmentCode: 'general-pediatrics', encounterClass: 'ambulatory', completedAt: new Date('2026-03-01T12:00:00Z') };
const result: LabResultForRelease = { source: 'internal', status: 'final', testCode: '718-7', resultedAt: new Date('2026-03-01T12:00:00Z') };
const panel: ReportForRelease = { source: 'internal', status: 'final', category: 'LAB', testCode: '58410-2', completedAt: new Date('2026-03-01T12:00:00Z') };

describe('familyNoteDecision', () => {
  it('applies the release policy first, to the patient as much as to a parent', () => {
    expect(familyNoteDecision({ ...note, departmentCode: 'psychiatry' }, context('patient'))).to.deep.equal(held('department-not-shared'));
    expect(familyNoteDecision({ ...note, encounterConfidential: true }, context('patient'))).to.deep.equal(held('confidential'));
    expect(familyNoteDecision(note, context('guardian'))).to.deep.equal(SHOWN);
  });
});

describe('familyLabResultDecision', () => {
  it('keeps a 15-year-old’s confidential result from a parent and shows it to the teen', () => {
    const confidential = { ...result, confidential: true };
    expect(familyLabResultDecision(confidential, null, context('guardian'))).to.deep.equal(held('adolescent-confidential'));
    expect(familyLabResultDecision(confidential, null, context('patient'))).to.deep.equal(SHOWN);
  });
  it('holds a result whose panel is sensitive or withdrawn, since the panel would name the test', () => {
    expect(familyLabResultDecision(result, { ...panel, testCode: '51969-4' }, context('patient'))).to.deep.equal(held('sensitive'));
    expect(familyLabResultDecision(result, { ...panel, status: 'cancelled' }, context('patient'))).to.deep.equal(held('withdrawn'));
  });
  it('holds a result from a parent when its panel belongs to a confidential visit', () => {
    expect(familyLabResultDecision(result, { ...panel, encounterConfidential: true }, context('guardian'))).to.deep.equal(held('adolescent-confidential'));
  });
  it('shows final results of a panel that is still partly pending', () => {
    expect(familyLabResultDecision(result, { ...panel, status: 'partial' }, context('guardian'))).to.deep.equal(SHOWN);
  });
  it('holds what the result itself is held for', () => {
    expect(familyLabResultDecision({ ...result, status: 'preliminary' }, panel, context('patient'))).to.deep.equal(held('not-complete'));
  });
});

describe('familyReportDecision', () => {
  it('waits for the category’s delay, then applies the adolescent rule', () => {
    const policy = releasePolicyFrom({ reportDelayDays: { RAD: 4 } });
    const report: ReportForRelease = { ...panel, category: 'RAD', completedAt: new Date(NOW.getTime() - 3_600_000) };
    expect(familyReportDecision(report, { ...context('patient'), policy })).to.deep.equal(held('release-delay'));
    const older = { ...report, completedAt: new Date(NOW.getTime() - 5 * 86_400_000), confidential: true };
    expect(familyReportDecision(older, { ...context('patient'), policy })).to.deep.equal(SHOWN);
    expect(familyReportDecision(older, { ...context('guardian'), policy })).to.deep.equal(held('adolescent-confidential'));
  });
});

describe('familyVisitDecision and familyListItemDecision', () => {
  it('hides visits and list items entered in error, from everyone', () => {
    expect(familyVisitDecision({ status: 'entered-in-error', confidential: false }, context('patient'))).to.deep.equal(held('withdrawn'));
    expect(familyListItemDecision({ status: 'entered-in-error' })).to.deep.equal(held('withdrawn'));
    expect(familyListItemDecision({ status: 'completed' })).to.deep.equal(SHOWN);
    expect(familyListItemDecision({ status: null })).to.deep.equal(SHOWN);
  });
  it('shows a confidential visit to the patient only', () => {
    expect(familyVisitDecision({ status: 'finished', confidential: true }, context('patient'))).to.deep.equal(SHOWN);
    expect(familyVisitDecision({ status: 'finished', confidential: true }, context('guardian', '2020-01-01'))).to.deep.equal(held('confidential'));
  });
});

describe('familyMedicationDecision', () => {
  const medication: MedicationForRelease = { status: 'active' };
  it('shows a medicine to everyone, a cancelled or stopped one too, but not one entered in error', () => {
    for (const status of ['active', 'completed', 'stopped', 'cancelled']) {
      expect(familyMedicationDecision({ status }, context('guardian')), status).to.deep.equal(SHOWN);
      expect(familyMedicationDecision({ status }, context('patient')), status).to.deep.equal(SHOWN);
    }
    expect(familyMedicationDecision({ status: 'entered-in-error' }, context('patient'))).to.deep.equal(held('withdrawn'));
  });
  it('keeps a 15-year-old’s confidential prescription, or one from a confidential visit, from a parent and shows it to the teen', () => {
    for (const confidential of [{ confidential: true }, { encounterConfidential: true }]) {
      expect(familyMedicationDecision({ ...medication, ...confidential }, context('guardian'))).to.deep.equal(held('adolescent-confidential'));
      expect(familyMedicationDecision({ ...medication, ...confidential }, context('patient'))).to.deep.equal(SHOWN);
    }
  });
  it('keeps a younger child’s confidential prescription from a parent too', () => {
    expect(familyMedicationDecision({ ...medication, confidential: true }, context('guardian', '2020-01-01'))).to.deep.equal(held('confidential'));
  });
  it('holds a medicine with a protected sensitivity label from the whole family, as the release policy holds sensitive tests', () => {
    expect(familyMedicationDecision({ ...medication, sensitivityLabels: ['HIV'] }, context('patient'))).to.deep.equal(held('sensitive'));
    expect(familyMedicationDecision({ ...medication, sensitivityLabels: ['eth'] }, context('guardian'))).to.deep.equal(held('sensitive'));
    expect(familyMedicationDecision({ ...medication, confidential: true, sensitivityLabels: ['HIV'] }, context('guardian'))).to.deep.equal(held('sensitive'));
    expect(familyMedicationDecision({ ...medication, sensitivityLabels: ['TBOO'] }, context('guardian'))).to.deep.equal(SHOWN);
    const policy = releasePolicyFrom({ notOnPortalSensitivityLabels: [] });
    expect(familyMedicationDecision({ ...medication, sensitivityLabels: ['HIV'] }, { ...context('guardian'), policy })).to.deep.equal(SHOWN);
  });
});

describe('withheldNotices', () => {
  it('names each category once, in a fixed order, and says nothing of withdrawn items or copies', () => {
    expect(withheldNotices(['release-delay', 'sensitive', 'withdrawn', 'duplicate', 'sensitive', 'discharge-summary', 'inpatient-or-emergency-note'], context('patient'))).to.deep.equal(['sensitive', 'hospital-notes', 'release-delay']);
    expect(withheldNotices(['withdrawn', 'duplicate'], context('patient'))).to.deep.equal([]);
  });
  it('always tells a parent of a 13-to-17-year-old about confidential care, held item or not', () => {
    expect(withheldNotices([], context('guardian', '2011-01-01'))).to.deep.equal(['adolescent-confidential']);
    expect(withheldNotices(['confidential'], context('guardian', '2011-01-01'))).to.deep.equal(['adolescent-confidential']);
    expect(withheldNotices([], context('guardian', '2020-01-01'))).to.deep.equal([]);
    expect(withheldNotices([], context('patient', '2011-01-01'))).to.deep.equal([]);
  });
  it('combines the notices of several sections without repeating any', () => {
    expect(combineNotices(['not-complete', 'sensitive'], ['sensitive', 'adolescent-confidential'])).to.deep.equal(['adolescent-confidential', 'sensitive', 'not-complete']);
  });
});

describe('outOfRange', () => {
  const value = (flag: string | null, valueNumber: number | null) => ({ flag, valueNumber, referenceLow: 10, referenceHigh: 20 });
  it('trusts the laboratory’s flag', () => {
    expect(outOfRange(value('H', 15))).to.equal('high');
    expect(outOfRange(value('ll', 15))).to.equal('critically-low');
    expect(outOfRange(value('A', null))).to.equal('abnormal');
    expect(outOfRange(value('N', 25))).to.equal(null);
  });
  it('compares with the range when there is no flag it knows', () => {
    expect(outOfRange(value(null, 9.9))).to.equal('low');
    expect(outOfRange(value(null, 20.1))).to.equal('high');
    expect(outOfRange(value(null, 20))).to.equal(null);
    expect(outOfRange(value('?', null))).to.equal(null);
  });
});

describe('pageOf', () => {
  const items = Array.from({ length: 45 }, (_, index) => index);
  it('cuts a list into pages and keeps a requested page within them', () => {
    expect(pageOf(items, 2, 20)).to.deep.include({ page: 2, pageCount: 3, total: 45 });
    expect(pageOf(items, 3, 20).items).to.deep.equal([40, 41, 42, 43, 44]);
    expect(pageOf(items, 99, 20).page).to.equal(3);
    expect(pageOf(items, 0, 20).page).to.equal(1);
    expect(pageOf(items, Number.NaN, 20).page).to.equal(1);
    expect(pageOf([], 1, 20)).to.deep.equal({ items: [], page: 1, pageCount: 1, total: 0 });
  });
});

describe('care-team clinicians named to someone other than the patient', () => {
  const policy = { heldNoteDepartments: ['adolescent-medicine', 'psychiatry'] };
  const visit = (fields: Partial<CareTeamVisit> = {}): CareTeamVisit => ({ status: 'finished', confidential: false, departmentCode: 'general-pediatrics', ...fields });

  it('names a clinician with an ordinary visit, or with no visit on record', () => {
    expect(careTeamMemberNamedToGuardians({ visits: [visit()] }, policy)).to.equal(true);
    expect(careTeamMemberNamedToGuardians({ visits: [] }, policy)).to.equal(true);
    expect(careTeamMemberNamedToGuardians({ visits: [visit({ confidential: true }), visit()] }, policy)).to.equal(true);
  });

  it('does not name one seen only in confidential visits or held departments (visits in error do not count)', () => {
    expect(careTeamMemberNamedToGuardians({ visits: [visit({ confidential: true })] }, policy)).to.equal(false);
    expect(careTeamMemberNamedToGuardians({ visits: [visit({ departmentCode: 'psychiatry' })] }, policy)).to.equal(false);
    expect(careTeamMemberNamedToGuardians({ visits: [visit({ confidential: true }), visit({ status: 'entered-in-error' })] }, policy)).to.equal(false);
  });

  it('leaves the patient’s own list whole', () => {
    const members = [{ id: 1, visits: [visit({ confidential: true })] }, { id: 2, visits: [visit()] }];
    expect(careTeamMembersFor(members, 'patient', policy).map((member) => member.id)).to.deep.equal([1, 2]);
    expect(careTeamMembersFor(members, 'guardian', policy).map((member) => member.id)).to.deep.equal([2]);
  });
});
