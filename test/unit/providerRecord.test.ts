import { expect } from 'chai';
import {
  basisWording,
  encounterSection,
  providerEncounterDecision,
  providerLabResultDecision,
  providerMedicationDecision,
  providerNoteDecision,
  providerReportDecision,
  type LabResultForProvider,
  type NoteForProvider,
  type ReportForProvider,
} from '../../domain/providerRecord.ts';
import { defaultReleasePolicy, releasePolicyFrom, type LabResultStatus, type NoteStatus, type ReportStatus } from '../../domain/release.ts';

const policy = defaultReleasePolicy;
const FINAL = { shown: true, preliminary: false };
const PRELIMINARY = { shown: true, preliminary: true };
const hidden = (reason: string) => ({ shown: false, reason });

const note: NoteForProvider = { source: 'internal', status: 'final', departmentCode: 'general-pediatrics' };
const result: LabResultForProvider = { source: 'internal', status: 'final', testCode: '718-7' };
const panel: ReportForProvider = { source: 'internal', status: 'final', testCode: '58410-2' };
const report: ReportForProvider = { source: 'internal', status: 'final', testCode: '36643-5' };

describe('providerNoteDecision', () => {
  it('shows a signed note, amended ones too, from any source', () => {
    expect(providerNoteDecision(note, policy)).to.deep.equal(FINAL);
    expect(providerNoteDecision({ ...note, status: 'amended' }, policy)).to.deep.equal(FINAL);
    expect(providerNoteDecision({ ...note, source: 'external' }, policy)).to.deep.equal(FINAL);
  });

  it('shows hospital-stay and emergency notes and discharge summaries (the family portal holds them; a clinician needs them)', () => {
    // The provider rules take no note type or visit class at all: nothing about them can hide a note.
    expect(providerNoteDecision({ ...note, departmentCode: 'inpatient-medicine' }, policy)).to.deep.equal(FINAL);
    expect(providerNoteDecision({ ...note, departmentCode: 'emergency' }, policy)).to.deep.equal(FINAL);
  });

  it('never shows a confidential note, or a note of a confidential visit', () => {
    expect(providerNoteDecision({ ...note, confidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerNoteDecision({ ...note, encounterConfidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerNoteDecision({ ...note, confidential: false, encounterConfidential: false }, policy)).to.deep.equal(FINAL);
  });

  it('hides notes with a protected sensitivity label, or marked sensitive', () => {
    for (const label of policy.notOnPortalSensitivityLabels) expect(providerNoteDecision({ ...note, sensitivityLabels: [label] }, policy), label).to.deep.equal(hidden('sensitive'));
    expect(providerNoteDecision({ ...note, sensitivityLabels: [' eth '] }, policy), 'case and spaces').to.deep.equal(hidden('sensitive'));
    expect(providerNoteDecision({ ...note, sensitive: true }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerNoteDecision({ ...note, sensitivityLabels: ['NORMAL'] }, policy)).to.deep.equal(FINAL);
  });

  it('hides notes from every department whose notes are never shared online', () => {
    for (const department of policy.heldNoteDepartments) expect(providerNoteDecision({ ...note, departmentCode: department }, policy), department).to.deep.equal(hidden('department-not-shared'));
    expect(providerNoteDecision({ ...note, departmentCode: 'Psychiatry ' }, policy)).to.deep.equal(hidden('department-not-shared'));
    expect(providerNoteDecision({ ...note, departmentCode: null }, policy)).to.deep.equal(FINAL);
    const custom = releasePolicyFrom({ heldNoteDepartments: ['cardiology'] });
    expect(providerNoteDecision({ ...note, departmentCode: 'cardiology' }, custom)).to.deep.equal(hidden('department-not-shared'));
    expect(providerNoteDecision({ ...note, departmentCode: 'psychiatry' }, custom), 'the hospital’s list replaces the default').to.deep.equal(FINAL);
  });

  it('hides duplicates, unsigned drafts, and notes entered in error', () => {
    expect(providerNoteDecision({ ...note, duplicateOf: '12' }, policy)).to.deep.equal(hidden('duplicate'));
    expect(providerNoteDecision({ ...note, duplicateOf: '' }, policy)).to.deep.equal(FINAL);
    expect(providerNoteDecision({ ...note, status: 'preliminary' }, policy)).to.deep.equal(hidden('not-ready'));
    expect(providerNoteDecision({ ...note, status: 'entered-in-error' }, policy)).to.deep.equal(hidden('withdrawn'));
  });

  it('gives every status an answer', () => {
    const expected: Record<NoteStatus, object> = { preliminary: hidden('not-ready'), final: FINAL, amended: FINAL, 'entered-in-error': hidden('withdrawn') };
    for (const [status, decision] of Object.entries(expected)) expect(providerNoteDecision({ ...note, status: status as NoteStatus }, policy), status).to.deep.equal(decision);
  });

  it('names the first reason in the documented order', () => {
    const everything: NoteForProvider = { ...note, status: 'entered-in-error', confidential: true, sensitivityLabels: ['HIV'], departmentCode: 'psychiatry', duplicateOf: '1' };
    expect(providerNoteDecision(everything, policy)).to.deep.equal(hidden('withdrawn'));
    expect(providerNoteDecision({ ...everything, status: 'final' }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerNoteDecision({ ...everything, status: 'final', confidential: false }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerNoteDecision({ ...everything, status: 'final', confidential: false, sensitivityLabels: [] }, policy)).to.deep.equal(hidden('department-not-shared'));
    expect(providerNoteDecision({ ...everything, status: 'preliminary', confidential: false, sensitivityLabels: [], departmentCode: null }, policy)).to.deep.equal(hidden('duplicate'));
  });
});

describe('providerLabResultDecision', () => {
  it('gives every status an answer: preliminary results are shown, labelled preliminary', () => {
    const expected: Record<LabResultStatus, object> = {
      registered: hidden('not-ready'),
      preliminary: PRELIMINARY,
      final: FINAL,
      amended: FINAL,
      corrected: FINAL,
      cancelled: hidden('withdrawn'),
      'entered-in-error': hidden('withdrawn'),
      unknown: hidden('not-ready'),
    };
    for (const [status, decision] of Object.entries(expected)) expect(providerLabResultDecision({ ...result, status: status as LabResultStatus }, null, policy), status).to.deep.equal(decision);
  });

  it('never shows a confidential result, or one from a confidential visit', () => {
    expect(providerLabResultDecision({ ...result, confidential: true }, null, policy)).to.deep.equal(hidden('confidential'));
    expect(providerLabResultDecision({ ...result, encounterConfidential: true }, panel, policy)).to.deep.equal(hidden('confidential'));
    expect(providerLabResultDecision({ ...result, status: 'preliminary', encounterConfidential: true }, null, policy), 'preliminary or not').to.deep.equal(hidden('confidential'));
  });

  it('hides tests on the not-on-the-portal list and labelled results', () => {
    for (const code of policy.notOnPortalTestCodes) expect(providerLabResultDecision({ ...result, testCode: code }, null, policy), code).to.deep.equal(hidden('sensitive'));
    expect(providerLabResultDecision({ ...result, sensitivityLabels: ['STD'] }, null, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerLabResultDecision({ ...result, sensitive: true }, null, policy)).to.deep.equal(hidden('sensitive'));
  });

  it('hides duplicates', () => {
    expect(providerLabResultDecision({ ...result, duplicateOf: '3' }, null, policy)).to.deep.equal(hidden('duplicate'));
  });

  it('hides a result with its panel when the panel is withdrawn, confidential or sensitive, since the panel’s name says what it is', () => {
    expect(providerLabResultDecision(result, { ...panel, status: 'cancelled' }, policy)).to.deep.equal(hidden('withdrawn'));
    expect(providerLabResultDecision(result, { ...panel, confidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerLabResultDecision(result, { ...panel, encounterConfidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerLabResultDecision(result, { ...panel, testCode: '51969-4' }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerLabResultDecision(result, { ...panel, sensitivityLabels: ['GDIS'] }, policy)).to.deep.equal(hidden('sensitive'));
  });

  it('keeps a result whose panel is only registered, preliminary or a duplicate: the result decides for itself', () => {
    expect(providerLabResultDecision(result, { ...panel, status: 'registered' }, policy)).to.deep.equal(FINAL);
    expect(providerLabResultDecision(result, { ...panel, status: 'partial' }, policy)).to.deep.equal(FINAL);
    expect(providerLabResultDecision(result, { ...panel, duplicateOf: '9' }, policy)).to.deep.equal(FINAL);
    expect(providerLabResultDecision({ ...result, status: 'preliminary' }, { ...panel, status: 'final' }, policy)).to.deep.equal(PRELIMINARY);
  });
});

describe('providerReportDecision', () => {
  it('gives every status an answer: partial and preliminary reports are shown, labelled preliminary', () => {
    const expected: Record<ReportStatus, object> = {
      registered: hidden('not-ready'),
      partial: PRELIMINARY,
      preliminary: PRELIMINARY,
      final: FINAL,
      amended: FINAL,
      corrected: FINAL,
      appended: FINAL,
      cancelled: hidden('withdrawn'),
      'entered-in-error': hidden('withdrawn'),
      unknown: hidden('not-ready'),
    };
    for (const [status, decision] of Object.entries(expected)) expect(providerReportDecision({ ...report, status: status as ReportStatus }, policy), status).to.deep.equal(decision);
  });

  it('has no release delay: a radiology report is shown as soon as it is final, whatever the family portal waits', () => {
    // The provider rules take no completion time and no clock: a delay cannot apply.
    expect(providerReportDecision(report, releasePolicyFrom({ reportDelayDays: { RAD: 4 } }))).to.deep.equal(FINAL);
  });

  it('never shows a confidential report, or one from a confidential visit; hides sensitive ones and duplicates', () => {
    expect(providerReportDecision({ ...report, confidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerReportDecision({ ...report, encounterConfidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerReportDecision({ ...report, testCode: '51969-4' }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerReportDecision({ ...report, sensitivityLabels: ['PREGNANT'] }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerReportDecision({ ...report, duplicateOf: '5' }, policy)).to.deep.equal(hidden('duplicate'));
    const custom = releasePolicyFrom({ notOnPortalTestCodes: ['36643-5'] });
    expect(providerReportDecision(report, custom), 'the hospital’s own list').to.deep.equal(hidden('sensitive'));
  });
});

describe('providerEncounterDecision', () => {
  it('shows stays and visits, including one still in progress', () => {
    for (const status of ['finished', 'in-progress', 'arrived', 'planned', 'unknown']) expect(providerEncounterDecision({ status, confidential: false }), status).to.deep.equal(FINAL);
  });
  it('never shows a confidential visit, and drops cancelled ones and those entered in error', () => {
    expect(providerEncounterDecision({ status: 'finished', confidential: true })).to.deep.equal(hidden('confidential'));
    expect(providerEncounterDecision({ status: 'in-progress', confidential: true })).to.deep.equal(hidden('confidential'));
    expect(providerEncounterDecision({ status: 'cancelled', confidential: false })).to.deep.equal(hidden('withdrawn'));
    expect(providerEncounterDecision({ status: 'entered-in-error', confidential: true })).to.deep.equal(hidden('withdrawn'));
  });
});

describe('providerMedicationDecision', () => {
  it('shows every medicine but one entered in error', () => {
    for (const status of ['active', 'on-hold', 'completed', 'stopped', 'cancelled', 'draft', 'unknown']) expect(providerMedicationDecision({ status }, policy), status).to.deep.equal(FINAL);
    expect(providerMedicationDecision({ status: 'entered-in-error' }, policy)).to.deep.equal(hidden('withdrawn'));
  });

  it('never shows a confidential prescription, or one written at a confidential visit, at any age', () => {
    expect(providerMedicationDecision({ status: 'active', confidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerMedicationDecision({ status: 'completed', encounterConfidential: true }, policy)).to.deep.equal(hidden('confidential'));
    expect(providerMedicationDecision({ status: 'active', confidential: false, encounterConfidential: false }, policy)).to.deep.equal(FINAL);
  });

  it('never shows a medicine with a protected sensitivity label, whatever its case', () => {
    expect(providerMedicationDecision({ status: 'active', sensitivityLabels: ['HIV'] }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerMedicationDecision({ status: 'active', sensitivityLabels: [' eth '] }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerMedicationDecision({ status: 'active', sensitive: true }, policy)).to.deep.equal(hidden('sensitive'));
    expect(providerMedicationDecision({ status: 'active', sensitivityLabels: ['TBOO'] }, policy)).to.deep.equal(FINAL);
    expect(providerMedicationDecision({ status: 'active', sensitivityLabels: ['HIV'] }, { ...policy, notOnPortalSensitivityLabels: [] })).to.deep.equal(FINAL);
  });

  it('says "withdrawn" before "confidential" before "sensitive"', () => {
    expect(providerMedicationDecision({ status: 'entered-in-error', confidential: true, sensitivityLabels: ['HIV'] }, policy)).to.deep.equal(hidden('withdrawn'));
    expect(providerMedicationDecision({ status: 'active', confidential: true, sensitivityLabels: ['HIV'] }, policy)).to.deep.equal(hidden('confidential'));
  });
});

describe('encounterSection', () => {
  it('puts hospital stays and emergency visits under admissions, everything else under specialty visits', () => {
    expect(encounterSection('inpatient')).to.equal('admissions');
    expect(encounterSection('emergency')).to.equal('admissions');
    expect(encounterSection('ambulatory')).to.equal('visits');
    expect(encounterSection('virtual')).to.equal('visits');
    expect(encounterSection(null)).to.equal('visits');
  });
});

describe('basisWording', () => {
  it('tells the PCP apart from a colleague in the PCP’s practice, and passes the other bases through', () => {
    expect(basisWording('pcp', true)).to.equal('pcp');
    expect(basisWording('pcp', false)).to.equal('pcp-practice');
    for (const basis of ['care-team', 'granted', 'token', 'sponsor-practice-pcp'] as const) {
      expect(basisWording(basis, false)).to.equal(basis);
      expect(basisWording(basis, true)).to.equal(basis);
    }
  });
});
