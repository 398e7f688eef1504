import { expect } from 'chai';
import { ageOn, birthdayInstant, turning18Reminders } from '../../domain/age.ts';

const NEW_YORK = 'America/New_York';
const at = (iso: string) => new Date(iso);
const justBefore = (iso: string) => new Date(new Date(iso).getTime() - 1);

describe('birthdayInstant', () => {
  it('is 00:00 local time on the birthday (EDT and EST)', () => {
    expect(birthdayInstant('2008-03-15', 18, NEW_YORK).toISOString()).to.equal('2026-03-15T04:00:00.000Z');
    expect(birthdayInstant('2008-12-15', 18, NEW_YORK).toISOString()).to.equal('2026-12-15T05:00:00.000Z');
  });
  it('depends on the hospital time zone', () => {
    expect(birthdayInstant('2008-03-15', 18, 'Pacific/Honolulu').toISOString()).to.equal('2026-03-15T10:00:00.000Z');
    expect(birthdayInstant('2008-03-15', 18, 'UTC').toISOString()).to.equal('2026-03-15T00:00:00.000Z');
  });
  it('age 0 is the start of the day of birth', () => {
    expect(birthdayInstant('2020-07-04', 0, NEW_YORK).toISOString()).to.equal('2020-07-04T04:00:00.000Z');
  });
  it('moves a 29 February birthday to 1 March in common years and keeps it in leap years', () => {
    expect(birthdayInstant('2008-02-29', 18, NEW_YORK).toISOString()).to.equal('2026-03-01T05:00:00.000Z');
    expect(birthdayInstant('2008-02-29', 20, NEW_YORK).toISOString()).to.equal('2028-02-29T05:00:00.000Z');
    expect(birthdayInstant('2008-02-29', 92, NEW_YORK).toISOString()).to.equal('2100-03-01T05:00:00.000Z');
    expect(birthdayInstant('2004-02-29', 96, NEW_YORK).toISOString()).to.equal('2100-03-01T05:00:00.000Z');
  });
  it('is midnight on the days the clocks change (New York changes at 02:00)', () => {
    expect(birthdayInstant('2008-03-08', 18, NEW_YORK).toISOString()).to.equal('2026-03-08T05:00:00.000Z');
    expect(birthdayInstant('2007-11-02', 18, NEW_YORK).toISOString()).to.equal('2025-11-02T04:00:00.000Z');
  });
  it('is the first instant of the day where a clock change skips midnight', () => {
    // Santiago went from 00:00 -04 straight to 01:00 -03 on 3 September 2023.
    expect(birthdayInstant('2005-09-03', 18, 'America/Santiago').toISOString()).to.equal('2023-09-03T04:00:00.000Z');
  });
  it('refuses malformed or impossible dates and ages', () => {
    for (const bad of ['2008-02-30', '2007-02-29', '2008-13-01', '2008-00-10', '2008-3-15', '15/03/2008', '', '2008-03-15T00:00']) {
      expect(() => birthdayInstant(bad, 18, NEW_YORK), bad).to.throw(RangeError);
    }
    expect(() => birthdayInstant('2008-03-15', -1, NEW_YORK)).to.throw(RangeError);
    expect(() => birthdayInstant('2008-03-15', 1.5, NEW_YORK)).to.throw(RangeError);
  });
});

describe('ageOn', () => {
  it('turns over at 00:00 local time on the birthday, not a millisecond earlier', () => {
    expect(ageOn('2008-03-15', justBefore('2026-03-15T04:00:00.000Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2008-03-15', at('2026-03-15T04:00:00.000Z'), NEW_YORK)).to.equal(18);
    expect(ageOn('2008-03-15', at('2027-03-15T03:59:59.999Z'), NEW_YORK)).to.equal(18);
  });
  it('counts in the hospital time zone, not UTC', () => {
    // 02:00 UTC on 15 March is still 14 March (22:00) in New York.
    expect(ageOn('2008-03-15', at('2026-03-15T02:00:00.000Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2008-03-15', at('2026-03-15T02:00:00.000Z'), 'UTC')).to.equal(18);
    expect(ageOn('2008-03-15', at('2026-03-15T09:59:59.999Z'), 'Pacific/Honolulu')).to.equal(17);
  });
  it('handles the year end', () => {
    expect(ageOn('2007-12-31', at('2025-12-31T04:59:59.999Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2007-12-31', at('2025-12-31T05:00:00.000Z'), NEW_YORK)).to.equal(18);
    // Already 1 January in UTC, still 31 December in New York.
    expect(ageOn('2008-01-01', at('2026-01-01T04:59:59.999Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2008-01-01', at('2026-01-01T05:00:00.000Z'), NEW_YORK)).to.equal(18);
  });
  it('turns a 29 February child a year older on 1 March in common years', () => {
    expect(ageOn('2008-02-29', at('2026-03-01T04:59:59.999Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2008-02-29', at('2026-03-01T05:00:00.000Z'), NEW_YORK)).to.equal(18);
    expect(ageOn('2008-02-29', at('2028-02-29T04:59:59.999Z'), NEW_YORK)).to.equal(19);
    expect(ageOn('2008-02-29', at('2028-02-29T05:00:00.000Z'), NEW_YORK)).to.equal(20);
  });
  it('counts a 1 March birthday normally in leap years', () => {
    expect(ageOn('2008-03-01', at('2028-03-01T04:59:59.999Z'), NEW_YORK)).to.equal(19);
    expect(ageOn('2008-03-01', at('2028-03-01T05:00:00.000Z'), NEW_YORK)).to.equal(20);
  });
  it('handles birthdays on the days the clocks change', () => {
    expect(ageOn('2008-03-08', at('2026-03-08T04:59:59.999Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2008-03-08', at('2026-03-08T05:00:00.000Z'), NEW_YORK)).to.equal(18);
    expect(ageOn('2007-11-02', at('2025-11-02T03:59:59.999Z'), NEW_YORK)).to.equal(17);
    expect(ageOn('2007-11-02', at('2025-11-02T04:00:00.000Z'), NEW_YORK)).to.equal(18);
    expect(ageOn('2005-09-03', at('2023-09-03T03:59:59.999Z'), 'America/Santiago')).to.equal(17);
    expect(ageOn('2005-09-03', at('2023-09-03T04:00:00.000Z'), 'America/Santiago')).to.equal(18);
  });
  it('is 0 from the start of the day of birth and refuses earlier instants', () => {
    expect(ageOn('2025-06-10', at('2025-06-10T04:00:00.000Z'), NEW_YORK)).to.equal(0);
    expect(ageOn('2025-06-10', at('2026-06-10T03:59:59.999Z'), NEW_YORK)).to.equal(0);
    expect(() => ageOn('2025-06-10', at('2025-06-10T03:59:59.999Z'), NEW_YORK)).to.throw(RangeError);
    expect(() => ageOn('2025-06-10', at('2023-01-01T12:00:00.000Z'), NEW_YORK)).to.throw(RangeError);
  });
  it('refuses malformed birth dates', () => {
    expect(() => ageOn('2008-02-30', at('2026-01-01T12:00:00.000Z'), NEW_YORK)).to.throw(RangeError);
  });
});

describe('turning18Reminders', () => {
  it('is due 90, 30 and 7 days before the 18th birthday, at the start of each local day', () => {
    // 18th birthday 15 March 2026; 8 March 2026 is the day clocks go forward (still EST at midnight).
    expect(turning18Reminders('2008-03-15', NEW_YORK).map((reminder) => [reminder.daysBefore, reminder.dueFrom.toISOString()])).to.deep.equal([
      [90, '2025-12-15T05:00:00.000Z'],
      [30, '2026-02-13T05:00:00.000Z'],
      [7, '2026-03-08T05:00:00.000Z'],
    ]);
  });
  it('counts calendar days across a clock change and a year end', () => {
    // 18th birthday 5 January 2026 (EST); 90 days earlier is 7 October 2025 (EDT).
    expect(turning18Reminders('2008-01-05', NEW_YORK).map((reminder) => reminder.dueFrom.toISOString())).to.deep.equal([
      '2025-10-07T04:00:00.000Z',
      '2025-12-06T05:00:00.000Z',
      '2025-12-29T05:00:00.000Z',
    ]);
  });
  it('counts back from 1 March for a 29 February birthday (an 18th birthday never falls in a leap year)', () => {
    expect(turning18Reminders('2008-02-29', NEW_YORK).map((reminder) => reminder.dueFrom.toISOString())).to.deep.equal([
      '2025-12-01T05:00:00.000Z',
      '2026-01-30T05:00:00.000Z',
      '2026-02-22T05:00:00.000Z',
    ]);
  });
  it('is due from the first instant of the day where a clock change skips midnight', () => {
    // 18th birthday 10 September 2023 in Santiago; 7 days earlier, midnight did not exist.
    expect(turning18Reminders('2005-09-10', 'America/Santiago').map((reminder) => reminder.dueFrom.toISOString())).to.deep.equal([
      '2023-06-12T04:00:00.000Z',
      '2023-08-11T04:00:00.000Z',
      '2023-09-03T04:00:00.000Z',
    ]);
  });
});
