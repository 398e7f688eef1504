import { expect } from 'chai';
import { mayShareRecord, sharersOf } from '../../domain/sharing.ts';
import { RELATIONSHIPS, type Relationship } from '../../domain/eligibility.ts';

const NEW_YORK = 'America/New_York';
// Noon in New York on Sunday 15 March 2026.
const NOW = new Date('2026-03-15T16:00:00.000Z');

const BORN = {
  age8: '2018-01-01',
  age12: '2013-03-16', // turns 13 tomorrow
  age13: '2013-03-15', // 13 today
  age17: '2008-03-16', // turns 18 tomorrow
  age18: '2008-03-15', // 18 today
  age30: '1996-01-01',
} as const;
type AgeCase = keyof typeof BORN;

const allowed = (as: string) => ({ allowed: true, as });
const refused = (reason: string) => ({ allowed: false, reason });

function share(relationship: Relationship, ageCase: AgeCase, papers = false, now = NOW) {
  return mayShareRecord({ relationship, patientBirthDate: BORN[ageCase], guardianshipPapersOnFile: papers, now, timeZone: NEW_YORK });
}

describe('mayShareRecord', () => {
  const expected: Record<Relationship, Record<AgeCase, object>> = {
    parent: { age8: allowed('guardian'), age12: allowed('guardian'), age13: allowed('guardian'), age17: allowed('guardian'), age18: refused('adult-patient-decides'), age30: refused('adult-patient-decides') },
    'legal-guardian': { age8: allowed('guardian'), age12: allowed('guardian'), age13: allowed('guardian'), age17: allowed('guardian'), age18: refused('adult-patient-decides'), age30: refused('adult-patient-decides') },
    'dcf-caseworker': { age8: allowed('guardian'), age12: allowed('guardian'), age13: allowed('guardian'), age17: allowed('guardian'), age18: refused('adult-patient-decides'), age30: refused('adult-patient-decides') },
    'court-appointed-guardian': {
      age8: allowed('guardian'),
      age12: allowed('guardian'),
      age13: allowed('guardian'),
      age17: allowed('guardian'),
      age18: refused('guardianship-papers-required'),
      age30: refused('guardianship-papers-required'),
    },
    'foster-parent': {
      age8: refused('foster-parent-not-guardian'),
      age12: refused('foster-parent-not-guardian'),
      age13: refused('foster-parent-not-guardian'),
      age17: refused('foster-parent-not-guardian'),
      age18: refused('foster-parent-not-guardian'),
      age30: refused('foster-parent-not-guardian'),
    },
    self: { age8: refused('self-under-13'), age12: refused('self-under-13'), age13: allowed('adolescent-patient'), age17: allowed('adolescent-patient'), age18: allowed('adult-patient'), age30: allowed('adult-patient') },
  };

  for (const relationship of RELATIONSHIPS) {
    it(`decides for a ${relationship} at every age, without guardianship papers`, () => {
      for (const ageCase of Object.keys(BORN) as AgeCase[]) expect(share(relationship, ageCase), `${relationship} ${ageCase}`).to.deep.equal(expected[relationship][ageCase]);
    });
  }

  it('lets a court-appointed guardian of an adult share only with papers on file', () => {
    expect(share('court-appointed-guardian', 'age18', true)).to.deep.equal(allowed('guardian-of-adult'));
    expect(share('court-appointed-guardian', 'age30', true)).to.deep.equal(allowed('guardian-of-adult'));
    expect(share('court-appointed-guardian', 'age18', false)).to.deep.equal(refused('guardianship-papers-required'));
  });

  it('papers change nothing for a parent of an adult: the adult patient decides', () => {
    expect(share('parent', 'age18', true)).to.deep.equal(refused('adult-patient-decides'));
  });

  it('ends a parent’s right to share at 00:00 on the 18th birthday in the hospital’s time zone', () => {
    const lastMinute = new Date('2026-03-16T03:59:00.000Z'); // 23:59 on 15 March in New York
    const birthday = new Date('2026-03-16T04:00:00.000Z'); // 00:00 on 16 March in New York
    expect(share('parent', 'age17', false, lastMinute)).to.deep.equal(allowed('guardian'));
    expect(share('parent', 'age17', false, birthday)).to.deep.equal(refused('adult-patient-decides'));
    expect(share('self', 'age17', false, birthday)).to.deep.equal(allowed('adult-patient'));
  });
});

describe('sharersOf', () => {
  const sharers = (ageCase: AgeCase, hasOwnAccount: boolean) => sharersOf({ birthDate: BORN[ageCase], hasOwnAccount, now: NOW, timeZone: NEW_YORK });

  it('names the guardians of a child, and of a teen without their own account', () => {
    expect(sharers('age8', false)).to.equal('guardians');
    expect(sharers('age12', false)).to.equal('guardians');
    expect(sharers('age17', false)).to.equal('guardians');
  });

  it('adds a teen with their own account', () => {
    expect(sharers('age13', true)).to.equal('guardians-and-patient');
    expect(sharers('age17', true)).to.equal('guardians-and-patient');
  });

  it('names the patient (and a court-appointed guardian) from 18', () => {
    expect(sharers('age18', true)).to.equal('patient-and-court-appointed-guardian');
    expect(sharers('age30', false)).to.equal('patient-and-court-appointed-guardian');
  });
});
