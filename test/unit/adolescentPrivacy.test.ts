import { expect } from 'chai';
import { familyMaySeeRecordItem, familyMaySeeThread, type FamilyViewer } from '../../domain/adolescentPrivacy.ts';

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
