import { expect } from 'chai';
import { mayLinkPatient, parentAccessAfter18, patientMayGrantAccess, type Relationship } from '../../domain/eligibility.ts';

const NEW_YORK = 'America/New_York';
// Noon in New York on Sunday 15 March 2026.
const NOW = new Date('2026-03-15T16:00:00.000Z');

/** Birth dates giving each age on NOW, including the last day before and the day of each boundary. */
const BORN = {
  newborn: '2026-03-15',
  age12: '2013-03-16', // turns 13 tomorrow
  age13: '2013-03-15', // 13 today
  age14: '2011-03-16', // turns 15 tomorrow
  age15: '2011-03-15', // 15 today
  age17: '2008-03-16', // turns 18 tomorrow
  age18: '2008-03-15', // 18 today
  age30: '1996-01-01',
} as const;
type AgeCase = keyof typeof BORN;

const ALLOWED = { allowed: true, notifyGuardians: false } as const;
const ALLOWED_NOTIFY = { allowed: true, notifyGuardians: true } as const;
const refused = (reason: string) => ({ allowed: false, reason });

function link(relationship: Relationship, ageCase: AgeCase, guardianshipPapersOnFile: boolean, now = NOW) {
  return mayLinkPatient({ relationship, patientBirthDate: BORN[ageCase], guardianshipPapersOnFile, now, timeZone: NEW_YORK });
}

/** Expected decision for every age, the same with or without papers unless the case says otherwise. */
function expectForEveryAge(relationship: Relationship, expected: Record<AgeCase, object>, papers: boolean) {
  for (const ageCase of Object.keys(BORN) as AgeCase[]) {
    expect(link(relationship, ageCase, papers), `${relationship} ${ageCase} papers=${papers}`).to.deep.equal(expected[ageCase]);
  }
}

describe('mayLinkPatient', () => {
  const minorAllowedAdultRefused = {
    newborn: ALLOWED,
    age12: ALLOWED,
    age13: ALLOWED,
    age14: ALLOWED,
    age15: ALLOWED,
    age17: ALLOWED,
    age18: refused('patient-is-adult'),
    age30: refused('patient-is-adult'),
  };

  for (const relationship of ['parent', 'legal-guardian', 'dcf-caseworker'] as const) {
    for (const papers of [false, true]) {
      it(`${relationship} (papers on file: ${papers}): allowed under 18, refused from the 18th birthday`, () => {
        expectForEveryAge(relationship, minorAllowedAdultRefused, papers);
      });
    }
  }

  it('court-appointed guardian without papers: allowed under 18, papers required from 18', () => {
    expectForEveryAge(
      'court-appointed-guardian',
      { ...minorAllowedAdultRefused, age18: refused('guardianship-papers-required'), age30: refused('guardianship-papers-required') },
      false,
    );
  });

  it('court-appointed guardian with papers: allowed at every age', () => {
    expectForEveryAge('court-appointed-guardian', { ...minorAllowedAdultRefused, age18: ALLOWED, age30: ALLOWED }, true);
  });

  for (const papers of [false, true]) {
    it(`foster parent (papers on file: ${papers}): always refused, the caseworker is the guardian`, () => {
      const refusedAtEveryAge = Object.fromEntries(Object.keys(BORN).map((ageCase) => [ageCase, refused('foster-parent-not-guardian')]));
      expectForEveryAge('foster-parent', refusedAtEveryAge as Record<AgeCase, object>, papers);
    });
  }

  for (const papers of [false, true]) {
    it(`patient for themself (papers on file: ${papers}): refused under 13, guardians notified at 13 and 14`, () => {
      expectForEveryAge(
        'self',
        {
          newborn: refused('self-under-13'),
          age12: refused('self-under-13'),
          age13: ALLOWED_NOTIFY,
          age14: ALLOWED_NOTIFY,
          age15: ALLOWED,
          age17: ALLOWED,
          age18: ALLOWED,
          age30: ALLOWED,
        },
        papers,
      );
    });
  }

  it('ends a parent’s eligibility at exactly 00:00 New York time on the 18th birthday', () => {
    expect(link('parent', 'age18', false, new Date('2026-03-15T03:59:59.999Z'))).to.deep.equal(ALLOWED);
    expect(link('parent', 'age18', false, new Date('2026-03-15T04:00:00.000Z'))).to.deep.equal(refused('patient-is-adult'));
  });

  it('lets a patient sign up for themself from exactly 00:00 on the 13th birthday, and stops notifying at 15', () => {
    expect(link('self', 'age13', false, new Date('2026-03-15T03:59:59.999Z'))).to.deep.equal(refused('self-under-13'));
    expect(link('self', 'age13', false, new Date('2026-03-15T04:00:00.000Z'))).to.deep.equal(ALLOWED_NOTIFY);
    expect(link('self', 'age15', false, new Date('2026-03-15T03:59:59.999Z'))).to.deep.equal(ALLOWED_NOTIFY);
    expect(link('self', 'age15', false, new Date('2026-03-15T04:00:00.000Z'))).to.deep.equal(ALLOWED);
  });

  it('counts the birthday in the hospital time zone, not UTC', () => {
    const decide = (timeZone: string) =>
      mayLinkPatient({ relationship: 'parent', patientBirthDate: '2008-03-15', guardianshipPapersOnFile: false, now: new Date('2026-03-15T02:00:00.000Z'), timeZone });
    expect(decide(NEW_YORK)).to.deep.equal(ALLOWED);
    expect(decide('UTC')).to.deep.equal(refused('patient-is-adult'));
  });

  it('turns a 29 February child 18 on 1 March in a common year', () => {
    const decide = (now: string) =>
      mayLinkPatient({ relationship: 'parent', patientBirthDate: '2008-02-29', guardianshipPapersOnFile: false, now: new Date(now), timeZone: NEW_YORK });
    expect(decide('2026-03-01T04:59:59.999Z')).to.deep.equal(ALLOWED);
    expect(decide('2026-03-01T05:00:00.000Z')).to.deep.equal(refused('patient-is-adult'));
  });

  it('refuses to decide on a birth date after now', () => {
    expect(() => link('parent', 'newborn', false, new Date('2026-03-15T03:59:59.999Z'))).to.throw(RangeError);
  });
});

describe('parentAccessAfter18', () => {
  const after18 = (relationship: Relationship, guardianshipPapersOnFile: boolean) =>
    parentAccessAfter18({ relationship, patientBirthDate: '2010-06-01', guardianshipPapersOnFile, timeZone: NEW_YORK });

  it('ends the access of parents, legal guardians and caseworkers', () => {
    for (const relationship of ['parent', 'legal-guardian', 'dcf-caseworker'] as const) {
      expect(after18(relationship, false), relationship).to.deep.equal(refused('patient-is-adult'));
      expect(after18(relationship, true), relationship).to.deep.equal(refused('patient-is-adult'));
    }
  });
  it('keeps court-appointed guardians with papers on file, and only them', () => {
    expect(after18('court-appointed-guardian', true)).to.deep.equal(ALLOWED);
    expect(after18('court-appointed-guardian', false)).to.deep.equal(refused('guardianship-papers-required'));
  });
  it('keeps the patient’s own account, without notifying anyone', () => {
    expect(after18('self', false)).to.deep.equal(ALLOWED);
  });
  it('never keeps a foster parent', () => {
    expect(after18('foster-parent', true)).to.deep.equal(refused('foster-parent-not-guardian'));
  });
});

describe('patientMayGrantAccess', () => {
  const grant = (granteeRelationship: Exclude<Relationship, 'self'>, ageCase: AgeCase, guardianshipPapersOnFile: boolean, now = NOW) =>
    patientMayGrantAccess({ granteeRelationship, patientBirthDate: BORN[ageCase], guardianshipPapersOnFile, now, timeZone: NEW_YORK });

  it('does not let an adult patient give access back to a parent, guardian, caseworker or foster parent', () => {
    for (const grantee of ['parent', 'legal-guardian', 'dcf-caseworker', 'foster-parent'] as const) {
      for (const ageCase of ['age18', 'age30'] as const) {
        expect(grant(grantee, ageCase, true), `${grantee} ${ageCase}`).to.deep.equal(refused('adult-cannot-regrant-parent'));
      }
    }
  });
  it('applies from exactly 00:00 on the 18th birthday', () => {
    expect(grant('parent', 'age18', false, new Date('2026-03-15T03:59:59.999Z'))).to.deep.equal(ALLOWED);
    expect(grant('parent', 'age18', false, new Date('2026-03-15T04:00:00.000Z'))).to.deep.equal(refused('adult-cannot-regrant-parent'));
  });
  it('still requires papers for a court-appointed guardian of an adult', () => {
    expect(grant('court-appointed-guardian', 'age18', false)).to.deep.equal(refused('guardianship-papers-required'));
    expect(grant('court-appointed-guardian', 'age30', true)).to.deep.equal(ALLOWED);
  });
  it('follows the linking rules for a patient under 18', () => {
    expect(grant('parent', 'age17', false)).to.deep.equal(ALLOWED);
    expect(grant('dcf-caseworker', 'age13', false)).to.deep.equal(ALLOWED);
    expect(grant('foster-parent', 'age15', true)).to.deep.equal(refused('foster-parent-not-guardian'));
  });
});
