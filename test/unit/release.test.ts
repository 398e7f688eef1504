import { expect } from 'chai';
import {
  defaultReleasePolicy,
  isConfidential,
  labResultRelease,
  noteRelease,
  releasePolicyFrom,
  reportRelease,
  type LabResultForRelease,
  type NoteForRelease,
  type ReportForRelease,
} from '../../domain/release.ts';

// Tuesday 10 March 2026, 11:00 in Boston (EDT since Sunday 8 March).
const NOW = new Date('2026-03-10T15:00:00.000Z');
const AN_HOUR_AGO = new Date('2026-03-10T14:00:00.000Z');
const policy = defaultReleasePolicy;
const shown = { shown: true };
const held = (reason: string) => ({ shown: false, reason });

// Each factory describes an item the portal shows; tests change one thing at a time.
function note(changes: Partial<NoteForRelease> = {}): NoteForRelease {
  return {
    source: 'internal',
    status: 'final',
    typeCode: '11506-3', // Progress note
    departmentCode: 'general-pediatrics',
    encounterClass: 'ambulatory',
    completedAt: AN_HOUR_AGO,
    ...changes,
  };
}

function lab(changes: Partial<LabResultForRelease> = {}): LabResultForRelease {
  return {
    source: 'internal',
    status: 'final',
    testCode: '718-7', // Hemoglobin
    resultedAt: AN_HOUR_AGO,
    ...changes,
  };
}

function report(changes: Partial<ReportForRelease> = {}): ReportForRelease {
  return {
    source: 'internal',
    status: 'final',
    testCode: '36643-5', // Chest X-ray, 2 views
    category: 'RAD',
    completedAt: AN_HOUR_AGO,
    ...changes,
  };
}

describe('isConfidential', () => {
  it('is true when the item itself is marked confidential', () => {
    expect(isConfidential({ confidential: true })).to.equal(true);
  });
  it('is true when the visit the item belongs to is confidential', () => {
    expect(isConfidential({ encounterConfidential: true })).to.equal(true);
  });
  it('is false when neither is marked, or both are marked false', () => {
    expect(isConfidential({})).to.equal(false);
    expect(isConfidential({ confidential: false, encounterConfidential: false })).to.equal(false);
  });
  it('applies to lab results and reports as well as notes', () => {
    expect(isConfidential(lab({ encounterConfidential: true }))).to.equal(true);
    expect(isConfidential(report({ confidential: true }))).to.equal(true);
    expect(isConfidential(report())).to.equal(false);
  });
});

describe('releasePolicyFrom', () => {
  it('gives the defaults when nothing is overridden', () => {
    expect(releasePolicyFrom({})).to.deep.equal(defaultReleasePolicy);
  });
  it('has no report delay by default', () => {
    expect(defaultReleasePolicy.reportDelayDays).to.deep.equal({});
  });
  it('holds the six departments of the spec by default (psychology and psychiatry as two codes)', () => {
    expect(defaultReleasePolicy.heldNoteDepartments).to.deep.equal([
      'adolescent-medicine',
      'adolescent-substance-abuse',
      'child-protection',
      'gynecology',
      'psychiatry',
      'psychology',
      'social-work',
    ]);
  });
  it('replaces a list whole, so a hospital can add and remove entries', () => {
    const custom = releasePolicyFrom({ heldNoteDepartments: ['genetics'] });
    expect(custom.heldNoteDepartments).to.deep.equal(['genetics']);
    expect(custom.dischargeSummaryNoteTypes).to.equal(defaultReleasePolicy.dischargeSummaryNoteTypes);
  });
  it('takes a delay per report category', () => {
    expect(releasePolicyFrom({ reportDelayDays: { RAD: 4 } }).reportDelayDays).to.deep.equal({ RAD: 4 });
  });
  it('ignores settings given as undefined', () => {
    expect(releasePolicyFrom({ notOnPortalTestCodes: undefined }).notOnPortalTestCodes).to.equal(
      defaultReleasePolicy.notOnPortalTestCodes,
    );
  });
  it('refuses a delay that is negative, fractional or not a number', () => {
    for (const days of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => releasePolicyFrom({ reportDelayDays: { RAD: days } }), String(days)).to.throw(RangeError, 'RAD');
    }
  });
  it('accepts a delay of 0 days', () => {
    expect(releasePolicyFrom({ reportDelayDays: { RAD: 0 } }).reportDelayDays).to.deep.equal({ RAD: 0 });
  });
  it('returns a frozen policy and keeps the default frozen', () => {
    expect(Object.isFrozen(releasePolicyFrom({}))).to.equal(true);
    expect(Object.isFrozen(defaultReleasePolicy)).to.equal(true);
    expect(Object.isFrozen(defaultReleasePolicy.heldNoteDepartments)).to.equal(true);
  });
});

describe('noteRelease', () => {
  describe('shown', () => {
    it('shows a signed clinic note', () => {
      expect(noteRelease(note(), NOW, policy)).to.deep.equal(shown);
    });
    it('shows an amended note', () => {
      expect(noteRelease(note({ status: 'amended' }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows notes from virtual visits and notes outside any visit', () => {
      expect(noteRelease(note({ encounterClass: 'virtual' }), NOW, policy)).to.deep.equal(shown);
      expect(noteRelease(note({ encounterClass: null }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows a note whose department is not recorded', () => {
      expect(noteRelease(note({ departmentCode: null }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows a note from the very instant it is signed', () => {
      expect(noteRelease(note({ completedAt: NOW }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows notes from outside sources by the same rules', () => {
      expect(noteRelease(note({ source: 'external' }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows notes explicitly marked not confidential, not sensitive', () => {
      expect(
        noteRelease(note({ confidential: false, encounterConfidential: false, sensitive: false }), NOW, policy),
      ).to.deep.equal(shown);
    });
  });

  describe('not complete', () => {
    it('holds a preliminary (unsigned) note', () => {
      expect(noteRelease(note({ status: 'preliminary' }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
    it('holds a final note with no completion time', () => {
      expect(noteRelease(note({ completedAt: null }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
    it('holds a note whose completion time is one millisecond in the future', () => {
      const completedAt = new Date('2026-03-10T15:00:00.001Z');
      expect(noteRelease(note({ completedAt }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
    it('holds a note whose completion time is not a valid date', () => {
      expect(noteRelease(note({ completedAt: new Date('not a date') }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
  });

  it('holds a note entered in error as withdrawn', () => {
    expect(noteRelease(note({ status: 'entered-in-error' }), NOW, policy)).to.deep.equal(held('withdrawn'));
  });

  describe('departments whose notes are not shared', () => {
    for (const departmentCode of [
      'adolescent-medicine',
      'adolescent-substance-abuse',
      'child-protection',
      'gynecology',
      'psychiatry',
      'psychology',
      'social-work',
    ]) {
      it(`holds a signed note from ${departmentCode}`, () => {
        expect(noteRelease(note({ departmentCode, status: 'final' }), NOW, policy)).to.deep.equal(
          held('department-not-shared'),
        );
      });
    }
    it('matches department codes whatever their case or stray spaces', () => {
      expect(noteRelease(note({ departmentCode: 'SOCIAL-WORK' }), NOW, policy)).to.deep.equal(held('department-not-shared'));
      expect(noteRelease(note({ departmentCode: ' Gynecology ' }), NOW, policy)).to.deep.equal(held('department-not-shared'));
    });
    it('does not hold departments that merely resemble a held one', () => {
      expect(noteRelease(note({ departmentCode: 'adolescent' }), NOW, policy)).to.deep.equal(shown);
      expect(noteRelease(note({ departmentCode: 'psychiatry-consult' }), NOW, policy)).to.deep.equal(shown);
    });
    it('follows the hospital list, not the defaults, when configured', () => {
      const custom = releasePolicyFrom({ heldNoteDepartments: ['genetics'] });
      expect(noteRelease(note({ departmentCode: 'genetics' }), NOW, custom)).to.deep.equal(held('department-not-shared'));
      expect(noteRelease(note({ departmentCode: 'social-work' }), NOW, custom)).to.deep.equal(shown);
    });
  });

  describe('hospital stays and emergency visits', () => {
    it('holds a signed note from an inpatient stay', () => {
      expect(noteRelease(note({ encounterClass: 'inpatient' }), NOW, policy)).to.deep.equal(
        held('inpatient-or-emergency-note'),
      );
    });
    it('holds a signed note from an emergency department visit', () => {
      expect(noteRelease(note({ encounterClass: 'emergency' }), NOW, policy)).to.deep.equal(
        held('inpatient-or-emergency-note'),
      );
    });
  });

  describe('discharge summaries', () => {
    for (const typeCode of ['18842-5', '34105-7', '11490-0', '28655-9', '34106-5', '34745-0', '59258-4']) {
      it(`holds a discharge summary of type ${typeCode}, even attached to a clinic visit`, () => {
        expect(noteRelease(note({ typeCode, encounterClass: 'ambulatory' }), NOW, policy)).to.deep.equal(
          held('discharge-summary'),
        );
      });
    }
    it('holds an inpatient discharge summary as an inpatient note', () => {
      expect(noteRelease(note({ typeCode: '18842-5', encounterClass: 'inpatient' }), NOW, policy)).to.deep.equal(
        held('inpatient-or-emergency-note'),
      );
    });
  });

  describe('confidential, sensitive and duplicate notes', () => {
    it('holds a note marked confidential', () => {
      expect(noteRelease(note({ confidential: true }), NOW, policy)).to.deep.equal(held('confidential'));
    });
    it('holds a note from a confidential visit', () => {
      expect(noteRelease(note({ encounterConfidential: true }), NOW, policy)).to.deep.equal(held('confidential'));
    });
    it('holds a note marked sensitive', () => {
      expect(noteRelease(note({ sensitive: true }), NOW, policy)).to.deep.equal(held('sensitive'));
    });
    for (const label of ['HIV', 'STD', 'SEX', 'PREGNANT', 'GDIS', 'ETH', 'SDV']) {
      it(`holds a signed clinic note labelled ${label} (say, from an outside source)`, () => {
        expect(noteRelease(note({ source: 'external', sensitivityLabels: [label] }), NOW, policy)).to.deep.equal(held('sensitive'));
      });
    }
    it('shows a note whose labels are not on the list, and follows the hospital list when configured', () => {
      expect(noteRelease(note({ sensitivityLabels: ['PSY'] }), NOW, policy)).to.deep.equal(shown);
      const custom = releasePolicyFrom({ notOnPortalSensitivityLabels: ['PSY'] });
      expect(noteRelease(note({ sensitivityLabels: ['psy'] }), NOW, custom)).to.deep.equal(held('sensitive'));
      expect(noteRelease(note({ sensitivityLabels: ['HIV'] }), NOW, custom)).to.deep.equal(shown);
    });
    it('holds a duplicate of another note', () => {
      expect(noteRelease(note({ duplicateOf: 'note-17' }), NOW, policy)).to.deep.equal(held('duplicate'));
    });
    it('does not treat an empty duplicate reference as a duplicate', () => {
      expect(noteRelease(note({ duplicateOf: '' }), NOW, policy)).to.deep.equal(shown);
    });
    it('holds an outside note that duplicates one of ours', () => {
      expect(noteRelease(note({ source: 'external', duplicateOf: 'note-17' }), NOW, policy)).to.deep.equal(
        held('duplicate'),
      );
    });
  });

  describe('which reason is given when several apply', () => {
    it('says withdrawn before anything else', () => {
      const item = note({ status: 'entered-in-error', confidential: true, departmentCode: 'social-work' });
      expect(noteRelease(item, NOW, policy)).to.deep.equal(held('withdrawn'));
    });
    it('says confidential before sensitive, department, setting and type', () => {
      const item = note({
        encounterConfidential: true,
        sensitive: true,
        departmentCode: 'adolescent-medicine',
        encounterClass: 'inpatient',
        typeCode: '18842-5',
      });
      expect(noteRelease(item, NOW, policy)).to.deep.equal(held('confidential'));
    });
    it('says sensitive before department', () => {
      expect(noteRelease(note({ sensitive: true, departmentCode: 'psychology' }), NOW, policy)).to.deep.equal(
        held('sensitive'),
      );
    });
    it('says department before hospital setting', () => {
      const item = note({ departmentCode: 'child-protection', encounterClass: 'emergency' });
      expect(noteRelease(item, NOW, policy)).to.deep.equal(held('department-not-shared'));
    });
    it('never says "not complete" about a note that will never be shown', () => {
      expect(noteRelease(note({ status: 'preliminary', departmentCode: 'social-work' }), NOW, policy)).to.deep.equal(
        held('department-not-shared'),
      );
      expect(noteRelease(note({ status: 'preliminary', duplicateOf: 'note-17' }), NOW, policy)).to.deep.equal(
        held('duplicate'),
      );
    });
  });
});

describe('labResultRelease', () => {
  describe('shown as soon as resulted', () => {
    for (const status of ['final', 'amended', 'corrected'] as const) {
      it(`shows a result with status ${status}`, () => {
        expect(labResultRelease(lab({ status }), NOW, policy)).to.deep.equal(shown);
      });
    }
    it('shows a result from the very instant it is resulted', () => {
      expect(labResultRelease(lab({ resultedAt: NOW }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows outside results by the same rules', () => {
      expect(labResultRelease(lab({ source: 'external' }), NOW, policy)).to.deep.equal(shown);
    });
    it('shows a result with sensitivity labels that are not on the list', () => {
      expect(labResultRelease(lab({ sensitivityLabels: ['SCA', 'PSY'] }), NOW, policy)).to.deep.equal(shown);
    });
    it('leaves results from confidential visits to the access policy', () => {
      expect(labResultRelease(lab({ encounterConfidential: true }), NOW, policy)).to.deep.equal(shown);
    });
  });

  describe('not resulted yet', () => {
    for (const status of ['registered', 'preliminary', 'unknown'] as const) {
      it(`holds a result with status ${status}`, () => {
        expect(labResultRelease(lab({ status }), NOW, policy)).to.deep.equal(held('not-complete'));
      });
    }
    it('holds a final result with no result time', () => {
      expect(labResultRelease(lab({ resultedAt: null }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
    it('holds a result whose result time is one millisecond in the future', () => {
      const resultedAt = new Date('2026-03-10T15:00:00.001Z');
      expect(labResultRelease(lab({ resultedAt }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
  });

  for (const status of ['cancelled', 'entered-in-error'] as const) {
    it(`holds a result with status ${status} as withdrawn`, () => {
      expect(labResultRelease(lab({ status }), NOW, policy)).to.deep.equal(held('withdrawn'));
    });
  }

  describe('tests not on the portal', () => {
    const examples: [string, string][] = [
      ['56888-1', 'HIV-1/2 antigen/antibody'],
      ['25836-8', 'HIV-1 viral load'],
      ['43304-5', 'chlamydia NAA'],
      ['21416-3', 'gonorrhoea NAA in urine'],
      ['20507-0', 'syphilis RPR'],
      ['2106-3', 'urine pregnancy test'],
      ['21198-7', 'quantitative hCG'],
      ['51969-4', 'genetic analysis'],
    ];
    for (const [testCode, name] of examples) {
      it(`holds a ${name} result (${testCode})`, () => {
        expect(labResultRelease(lab({ testCode }), NOW, policy)).to.deep.equal(held('sensitive'));
      });
    }
    for (const label of ['HIV', 'STD', 'SEX', 'PREGNANT', 'GDIS', 'ETH', 'SDV']) {
      it(`holds a result labelled ${label}, whatever its test code`, () => {
        expect(labResultRelease(lab({ sensitivityLabels: ['N', label] }), NOW, policy)).to.deep.equal(held('sensitive'));
      });
    }
    it('matches labels whatever their case', () => {
      expect(labResultRelease(lab({ sensitivityLabels: ['hiv'] }), NOW, policy)).to.deep.equal(held('sensitive'));
    });
    it('holds a result marked sensitive', () => {
      expect(labResultRelease(lab({ sensitive: true }), NOW, policy)).to.deep.equal(held('sensitive'));
    });
    it('does not match codes by prefix', () => {
      expect(labResultRelease(lab({ testCode: '2106-30' }), NOW, policy)).to.deep.equal(shown);
      expect(labResultRelease(lab({ testCode: '2106' }), NOW, policy)).to.deep.equal(shown);
    });
    it('follows the hospital lists, not the defaults, when configured', () => {
      const custom = releasePolicyFrom({ notOnPortalTestCodes: ['LOCAL-TOX'], notOnPortalSensitivityLabels: ['PSY'] });
      expect(labResultRelease(lab({ testCode: 'local-tox' }), NOW, custom)).to.deep.equal(held('sensitive'));
      expect(labResultRelease(lab({ sensitivityLabels: ['PSY'] }), NOW, custom)).to.deep.equal(held('sensitive'));
      expect(labResultRelease(lab({ testCode: '56888-1' }), NOW, custom)).to.deep.equal(shown);
    });
  });

  it('holds a duplicate result', () => {
    expect(labResultRelease(lab({ duplicateOf: 'obs-9' }), NOW, policy)).to.deep.equal(held('duplicate'));
  });

  describe('which reason is given when several apply', () => {
    it('says withdrawn for a cancelled sensitive test', () => {
      expect(labResultRelease(lab({ status: 'cancelled', testCode: '56888-1' }), NOW, policy)).to.deep.equal(
        held('withdrawn'),
      );
    });
    it('says sensitive, not "not complete", for a preliminary sensitive test', () => {
      expect(labResultRelease(lab({ status: 'preliminary', testCode: '2106-3' }), NOW, policy)).to.deep.equal(
        held('sensitive'),
      );
    });
    it('says sensitive before duplicate', () => {
      expect(labResultRelease(lab({ testCode: '43304-5', duplicateOf: 'obs-9' }), NOW, policy)).to.deep.equal(
        held('sensitive'),
      );
    });
    it('says duplicate before not complete', () => {
      expect(labResultRelease(lab({ status: 'preliminary', duplicateOf: 'obs-9' }), NOW, policy)).to.deep.equal(
        held('duplicate'),
      );
    });
  });
});

describe('reportRelease', () => {
  const radiologyAfter4Days = releasePolicyFrom({ reportDelayDays: { RAD: 4 } });

  describe('with the default policy (no delay)', () => {
    for (const category of ['RAD', 'CT', 'CUS', 'EC', 'LAB']) {
      it(`shows a final ${category} report from the instant it is completed`, () => {
        expect(reportRelease(report({ category, completedAt: NOW }), NOW, policy)).to.deep.equal(shown);
      });
    }
    it('holds a report completed one millisecond in the future', () => {
      const completedAt = new Date('2026-03-10T15:00:00.001Z');
      expect(reportRelease(report({ completedAt }), NOW, policy)).to.deep.equal(held('not-complete'));
    });
    it('shows outside reports by the same rules', () => {
      expect(reportRelease(report({ source: 'external' }), NOW, policy)).to.deep.equal(shown);
    });
  });

  describe('statuses', () => {
    for (const status of ['final', 'amended', 'corrected', 'appended'] as const) {
      it(`shows a report with status ${status}`, () => {
        expect(reportRelease(report({ status }), NOW, policy)).to.deep.equal(shown);
      });
    }
    for (const status of ['registered', 'partial', 'preliminary', 'unknown'] as const) {
      it(`holds a report with status ${status} as not complete`, () => {
        expect(reportRelease(report({ status }), NOW, policy)).to.deep.equal(held('not-complete'));
      });
    }
    for (const status of ['cancelled', 'entered-in-error'] as const) {
      it(`holds a report with status ${status} as withdrawn`, () => {
        expect(reportRelease(report({ status }), NOW, policy)).to.deep.equal(held('withdrawn'));
      });
    }
    it('holds a final report with no completion time', () => {
      expect(reportRelease(report({ completedAt: null }), NOW, radiologyAfter4Days)).to.deep.equal(held('not-complete'));
    });
  });

  describe('a 4-day radiology delay is 4 × 24 hours from completion', () => {
    // Completed Monday 2 March 2026 at 15:00 in Boston (EST).
    const completedAt = new Date('2026-03-02T20:00:00.000Z');
    const radiology = report({ completedAt });

    it('holds the report right after completion', () => {
      expect(reportRelease(radiology, completedAt, radiologyAfter4Days)).to.deep.equal(held('release-delay'));
    });
    it('holds it one millisecond before Friday 15:00', () => {
      expect(reportRelease(radiology, new Date('2026-03-06T19:59:59.999Z'), radiologyAfter4Days)).to.deep.equal(
        held('release-delay'),
      );
    });
    it('shows it at Friday 15:00, 96 hours after completion', () => {
      expect(reportRelease(radiology, new Date('2026-03-06T20:00:00.000Z'), radiologyAfter4Days)).to.deep.equal(shown);
    });
    it('still holds it at midnight when Friday begins (no calendar-day rounding)', () => {
      expect(reportRelease(radiology, new Date('2026-03-06T05:00:00.000Z'), radiologyAfter4Days)).to.deep.equal(
        held('release-delay'),
      );
    });
    it('matches the category whatever its case', () => {
      const custom = releasePolicyFrom({ reportDelayDays: { rad: 4 } });
      expect(reportRelease(radiology, new Date('2026-03-06T19:59:59.999Z'), custom)).to.deep.equal(held('release-delay'));
    });
    it('does not delay categories the hospital did not list', () => {
      expect(reportRelease(report({ category: 'EC', completedAt }), completedAt, radiologyAfter4Days)).to.deep.equal(shown);
    });
    it('counts elapsed hours across the spring clock change (Wednesday 16:00 EDT)', () => {
      // Saturday 7 March 2026 15:00 EST; clocks go forward on Sunday 8 March.
      const saturday = report({ completedAt: new Date('2026-03-07T20:00:00.000Z') });
      expect(reportRelease(saturday, new Date('2026-03-11T19:59:59.999Z'), radiologyAfter4Days)).to.deep.equal(
        held('release-delay'),
      );
      expect(reportRelease(saturday, new Date('2026-03-11T20:00:00.000Z'), radiologyAfter4Days)).to.deep.equal(shown);
    });
    it('counts elapsed hours across the autumn clock change (Wednesday 14:00 EST)', () => {
      // Saturday 31 October 2026 15:00 EDT; clocks go back on Sunday 1 November.
      const saturday = report({ completedAt: new Date('2026-10-31T19:00:00.000Z') });
      expect(reportRelease(saturday, new Date('2026-11-04T18:59:59.999Z'), radiologyAfter4Days)).to.deep.equal(
        held('release-delay'),
      );
      expect(reportRelease(saturday, new Date('2026-11-04T19:00:00.000Z'), radiologyAfter4Days)).to.deep.equal(shown);
    });
    it('counts 29 February in a leap year', () => {
      const friday = report({ completedAt: new Date('2028-02-26T17:00:00.000Z') });
      expect(reportRelease(friday, new Date('2028-03-01T16:59:59.999Z'), radiologyAfter4Days)).to.deep.equal(
        held('release-delay'),
      );
      expect(reportRelease(friday, new Date('2028-03-01T17:00:00.000Z'), radiologyAfter4Days)).to.deep.equal(shown);
    });
    it('runs across the end of the year', () => {
      const december = report({ completedAt: new Date('2026-12-29T18:00:00.000Z') });
      expect(reportRelease(december, new Date('2027-01-02T17:59:59.999Z'), radiologyAfter4Days)).to.deep.equal(
        held('release-delay'),
      );
      expect(reportRelease(december, new Date('2027-01-02T18:00:00.000Z'), radiologyAfter4Days)).to.deep.equal(shown);
    });
  });

  describe('sensitive and duplicate reports', () => {
    it('holds a genetic analysis report', () => {
      expect(reportRelease(report({ category: 'GE', testCode: '51969-4' }), NOW, policy)).to.deep.equal(held('sensitive'));
    });
    it('holds a report labelled with a sensitive category', () => {
      expect(reportRelease(report({ sensitivityLabels: ['GDIS'] }), NOW, policy)).to.deep.equal(held('sensitive'));
    });
    it('holds a report marked sensitive', () => {
      expect(reportRelease(report({ sensitive: true }), NOW, policy)).to.deep.equal(held('sensitive'));
    });
    it('holds a duplicate report', () => {
      expect(reportRelease(report({ duplicateOf: 'report-3' }), NOW, policy)).to.deep.equal(held('duplicate'));
    });
  });

  it('leaves reports from confidential visits to the access policy', () => {
    expect(reportRelease(report({ encounterConfidential: true, confidential: true }), NOW, policy)).to.deep.equal(shown);
  });

  it('holds a final report by the category delay whatever its source, outside reports included', () => {
    const completedAt = new Date('2026-03-09T15:00:00.000Z');
    const oneDay = releasePolicyFrom({ reportDelayDays: { RAD: 1 } });
    expect(reportRelease(report({ source: 'external', completedAt }), new Date('2026-03-10T14:59:59.999Z'), oneDay)).to.deep.equal(held('release-delay'));
    expect(reportRelease(report({ source: 'external', completedAt }), NOW, oneDay)).to.deep.equal(shown);
  });

  it('waits 0 days for a category listed with 0', () => {
    expect(reportRelease(report({ completedAt: NOW }), NOW, releasePolicyFrom({ reportDelayDays: { RAD: 0 } }))).to.deep.equal(shown);
  });

  describe('which reason is given when several apply', () => {
    const justCompleted = new Date('2026-03-10T14:59:00.000Z');
    it('says withdrawn before sensitive', () => {
      expect(reportRelease(report({ status: 'entered-in-error', testCode: '51969-4' }), NOW, policy)).to.deep.equal(held('withdrawn'));
    });
    it('says sensitive before the delay', () => {
      const item = report({ sensitive: true, completedAt: justCompleted });
      expect(reportRelease(item, NOW, radiologyAfter4Days)).to.deep.equal(held('sensitive'));
    });
    it('says duplicate before the delay', () => {
      const item = report({ duplicateOf: 'report-3', completedAt: justCompleted });
      expect(reportRelease(item, NOW, radiologyAfter4Days)).to.deep.equal(held('duplicate'));
    });
    it('says not complete for a preliminary report, not the delay', () => {
      const item = report({ status: 'preliminary', completedAt: justCompleted });
      expect(reportRelease(item, NOW, radiologyAfter4Days)).to.deep.equal(held('not-complete'));
    });
  });
});
