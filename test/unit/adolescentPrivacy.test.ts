import { expect } from 'chai';
import { familyMaySeeRecordItem, familyMaySeeThread, familyThreadListVisibility, type FamilyViewer } from '../../domain/adolescentPrivacy.ts';

const NEW_YORK = 'America/New_York';
const NOW = new Date('2026-03-15T16:00:00.000Z'); // noon in New York

const BORN = {
  age12: '2013-03-16',
  age13: '2013-03-15',
  age17: '2008-03-16',
  age18: '2008-03-15',
} as const;

const ALLOWED = { allowed: true } as const;
const refused = (reason: string) => ({ allowed: false, reason });

describe('familyMaySeeRecordItem', () => {
  const see = (viewer: FamilyViewer, confidential: boolean, patientBirthDate: string, now = NOW) =>
    familyMaySeeRecordItem({ viewer, confidential, patientBirthDate, now, timeZone: NEW_YORK });

  it('shows items that are not confidential to everyone linked, at every age', () => {
    for (const birthDate of Object.values(BORN)) {
      expect(see('guardian', false, birthDate), birthDate).to.deep.equal(ALLOWED);
      expect(see('patient', false, birthDate), birthDate).to.deep.equal(ALLOWED);
    }
  });
  it('shows a patient their own confidential items', () => {
    expect(see('patient', true, BORN.age13)).to.deep.equal(ALLOWED);
    expect(see('patient', true, BORN.age17)).to.deep.equal(ALLOWED);
    expect(see('patient', true, BORN.age18)).to.deep.equal(ALLOWED);
  });
  it('keeps a 13–17-year-old’s confidential items from parents and guardians', () => {
    expect(see('guardian', true, BORN.age13)).to.deep.equal(refused('adolescent-confidential'));
    expect(see('guardian', true, BORN.age17)).to.deep.equal(refused('adolescent-confidential'));
  });
  it('keeps confidential items from guardians at other ages too, giving the plain reason', () => {
    expect(see('guardian', true, BORN.age12)).to.deep.equal(refused('confidential'));
    expect(see('guardian', true, BORN.age18)).to.deep.equal(refused('confidential'));
  });
  it('gives the adolescent reason from exactly 00:00 on the 13th birthday until the 18th', () => {
    expect(see('guardian', true, BORN.age13, new Date('2026-03-15T03:59:59.999Z'))).to.deep.equal(refused('confidential'));
    expect(see('guardian', true, BORN.age13, new Date('2026-03-15T04:00:00.000Z'))).to.deep.equal(refused('adolescent-confidential'));
    expect(see('guardian', true, BORN.age18, new Date('2026-03-15T03:59:59.999Z'))).to.deep.equal(refused('adolescent-confidential'));
    expect(see('guardian', true, BORN.age18, new Date('2026-03-15T04:00:00.000Z'))).to.deep.equal(refused('confidential'));
  });
});

describe('familyMaySeeThread', () => {
  // Born 15 March 2008: 18 from 2026-03-15T04:00:00Z (00:00 in New York).
  const BIRTH_DATE = '2008-03-15';
  const see = (viewer: FamilyViewer, familyParty: FamilyViewer, startedAt: string) =>
    familyMaySeeThread({ viewer, familyParty, startedAt: new Date(startedAt), patientBirthDate: BIRTH_DATE, timeZone: NEW_YORK });

  it('always shows a thread to the side that writes in it', () => {
    for (const startedAt of ['2021-03-15T12:00:00.000Z', '2026-03-14T12:00:00.000Z', '2027-01-01T12:00:00.000Z']) {
      expect(see('patient', 'patient', startedAt), startedAt).to.deep.equal(ALLOWED);
      expect(see('guardian', 'guardian', startedAt), startedAt).to.deep.equal(ALLOWED);
    }
  });
  it('keeps a teen’s thread with the care team from parents and guardians', () => {
    expect(see('guardian', 'patient', '2021-03-15T12:00:00.000Z')).to.deep.equal(refused('adolescent-thread-private'));
    expect(see('guardian', 'patient', '2026-03-15T03:59:59.999Z')).to.deep.equal(refused('adolescent-thread-private'));
  });
  it('keeps a parent’s thread with the care team from the teen, including threads begun before 13', () => {
    expect(see('patient', 'guardian', '2018-06-01T12:00:00.000Z')).to.deep.equal(refused('guardian-thread-private'));
    expect(see('patient', 'guardian', '2026-03-15T03:59:59.999Z')).to.deep.equal(refused('guardian-thread-private'));
  });
  it('shows threads begun from exactly 00:00 on the 18th birthday to every account holder', () => {
    expect(see('guardian', 'patient', '2026-03-15T04:00:00.000Z')).to.deep.equal(ALLOWED);
    expect(see('patient', 'guardian', '2026-03-15T04:00:00.000Z')).to.deep.equal(ALLOWED);
  });
});

describe('familyThreadListVisibility (the thread lists\' filter in SQL)', () => {
  it('lets through exactly the threads familyMaySeeThread allows, around the 18th birthday, a 29 February birthday and clock changes', () => {
    const viewers: FamilyViewer[] = ['patient', 'guardian'];
    const cases: [string, string][] = [
      ['2008-03-15', NEW_YORK],
      ['2008-02-29', NEW_YORK], // 18 on 1 March 2026
      ['2008-03-08', NEW_YORK], // the 18th birthday is the day the clocks go forward
      ['2008-11-01', NEW_YORK], // and the day they go back
      ['2008-06-30', 'Pacific/Auckland'],
    ];
    let checked = 0;
    for (const [patientBirthDate, timeZone] of cases) {
      for (const viewer of viewers) {
        const { ownParty, everyThreadFrom } = familyThreadListVisibility({ viewer, patientBirthDate, timeZone });
        const around = [-86_400_000, -3_600_000, -1, 0, 1, 3_600_000, 86_400_000].map((offset) => new Date(everyThreadFrom.getTime() + offset));
        for (const startedAt of [new Date('2020-01-01T00:00:00Z'), ...around, new Date('2030-01-01T00:00:00Z')]) {
          for (const familyParty of viewers) {
            const rule = familyMaySeeThread({ viewer, familyParty, startedAt, patientBirthDate, timeZone }).allowed;
            const list = familyParty === ownParty || startedAt.getTime() >= everyThreadFrom.getTime();
            expect(list, `${patientBirthDate} ${timeZone} ${viewer} sees ${familyParty}'s thread begun ${startedAt.toISOString()}`).to.equal(rule);
            checked += 1;
          }
        }
      }
    }
    expect(checked).to.equal(5 * 2 * 9 * 2);
  });
});
