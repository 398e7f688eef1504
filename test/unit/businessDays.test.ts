import { expect } from 'chai';
import {
  addBusinessDays,
  answerDueBy,
  buildHolidayCalendar,
  businessDaysBetween,
  countingDayOf,
  dueWithinBusinessDays,
  isBusinessDay,
  isWithinBusinessHours,
  type HolidayCalendarSettings,
} from '../../domain/businessDays.ts';

const NEW_YORK = 'America/New_York';
const LOS_ANGELES = 'America/Los_Angeles';
const YEARS = [2024, 2025, 2026, 2027, 2028];

function calendar(overrides: Partial<HolidayCalendarSettings> = {}) {
  return buildHolidayCalendar({ country: 'US', extraDates: [], removedDates: [], years: YEARS, ...overrides });
}
const federal = calendar();
const at = (iso: string) => new Date(iso);
const dueIn = (receivedAt: string, timeZone = NEW_YORK, holidays = federal) =>
  answerDueBy(at(receivedAt), holidays, timeZone).toISOString();

describe('buildHolidayCalendar', () => {
  it('closes on the federal holidays, with the observed day the package reports', () => {
    const closed2026 = [...calendar({ years: [2026] }).closedDates].sort();
    expect(closed2026).to.deep.equal([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03',
      '2026-07-04', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
  });
  it('does not close for observances or optional days', () => {
    for (const date of ['2026-11-27', '2026-12-24', '2026-12-31', '2026-04-15', '2026-11-03']) {
      expect(federal.closedDates.has(date), date).to.equal(false);
      expect(isBusinessDay(date, federal), date).to.equal(true);
    }
  });
  it("adds the chosen state's holidays (Patriots' Day in Massachusetts)", () => {
    expect(isBusinessDay('2026-04-20', calendar({ state: 'MA' }))).to.equal(false);
    expect(isBusinessDay('2026-04-20', federal)).to.equal(true);
  });
  it('adds the hospital’s extra closed dates', () => {
    const withDayAfterThanksgiving = calendar({ extraDates: ['2026-11-27'] });
    expect(isBusinessDay('2026-11-27', withDayAfterThanksgiving)).to.equal(false);
  });
  it('keeps the hospital open on removed holidays', () => {
    const openOnColumbusDay = calendar({ removedDates: ['2026-10-12'] });
    expect(isBusinessDay('2026-10-12', openOnColumbusDay)).to.equal(true);
    expect(isBusinessDay('2026-11-11', openOnColumbusDay)).to.equal(false);
  });
  it('removing a weekend holiday leaves both the weekend and its observed day closed', () => {
    const removedSaturday = calendar({ removedDates: ['2026-07-04'] });
    expect(isBusinessDay('2026-07-04', removedSaturday)).to.equal(false);
    expect(isBusinessDay('2026-07-03', removedSaturday)).to.equal(false);
    const removedObserved = calendar({ removedDates: ['2026-07-03'] });
    expect(isBusinessDay('2026-07-03', removedObserved)).to.equal(true);
  });
  it('ignores a removed date that is no holiday', () => {
    expect(isBusinessDay('2026-10-13', calendar({ removedDates: ['2026-10-13'] }))).to.equal(true);
  });
  it('refuses settings it cannot honour', () => {
    expect(() => calendar({ state: 'XX' })).to.throw(RangeError, /Unknown holiday state for US: XX/);
    expect(() => calendar({ country: 'ZZ' })).to.throw(RangeError, /Unknown holiday country: ZZ/);
    expect(() => calendar({ extraDates: ['2026-7-4'] })).to.throw(RangeError, /2026-7-4/);
    expect(() => calendar({ removedDates: ['2026-02-30'] })).to.throw(RangeError, /2026-02-30/);
    expect(() => calendar({ extraDates: ['2026-12-26'], removedDates: ['2026-12-26'] })).to.throw(RangeError, /both.*2026-12-26/);
    expect(() => calendar({ years: [2026.5] })).to.throw(RangeError, /2026.5/);
  });
});

describe('isBusinessDay', () => {
  it('is Monday to Friday', () => {
    const week = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11'];
    expect(week.map((date) => isBusinessDay(date, federal))).to.deep.equal([true, true, true, true, true, false, false]);
  });
  it('closes on Thanksgiving and Christmas', () => {
    expect(isBusinessDay('2026-11-26', federal)).to.equal(false);
    expect(isBusinessDay('2026-12-25', federal)).to.equal(false);
  });
  it('closes on the Friday before a Saturday holiday and the Monday after a Sunday one', () => {
    expect(isBusinessDay('2026-07-03', federal)).to.equal(false); // July 4 2026 is a Saturday
    expect(isBusinessDay('2027-07-05', federal)).to.equal(false); // July 4 2027 is a Sunday
    expect(isBusinessDay('2027-07-06', federal)).to.equal(true);
  });
  it('closes on New Year’s Day observed in the year before (1 January 2028 is a Saturday)', () => {
    expect(isBusinessDay('2027-12-24', federal)).to.equal(false);
    expect(isBusinessDay('2027-12-31', federal)).to.equal(false);
    expect(isBusinessDay('2028-01-03', federal)).to.equal(true);
  });
  it('knows leap days', () => {
    expect(isBusinessDay('2024-02-29', federal)).to.equal(true);
    expect(isBusinessDay('2028-02-29', federal)).to.equal(true);
    expect(() => isBusinessDay('2025-02-29', federal)).to.throw(RangeError, /2025-02-29/);
  });
  it('refuses dates it cannot answer', () => {
    expect(() => isBusinessDay('2029-01-02', federal)).to.throw(RangeError, /does not cover 2029/);
    expect(() => isBusinessDay('2026-13-01', federal)).to.throw(RangeError, /2026-13-01/);
    expect(() => isBusinessDay('26-01-05', federal)).to.throw(RangeError);
  });
});

describe('isWithinBusinessHours', () => {
  const inHours = (iso: string, timeZone = NEW_YORK, hours?: { open: string; close: string }) =>
    isWithinBusinessHours(at(iso), federal, timeZone, hours);

  it('includes exactly 08:00 and excludes exactly 17:00 (winter, UTC−5)', () => {
    expect(inHours('2026-01-06T12:59:59.999Z')).to.equal(false);
    expect(inHours('2026-01-06T13:00:00.000Z')).to.equal(true);
    expect(inHours('2026-01-06T21:59:59.999Z')).to.equal(true);
    expect(inHours('2026-01-06T22:00:00.000Z')).to.equal(false);
  });
  it('follows daylight saving time (summer, UTC−4)', () => {
    expect(inHours('2026-07-07T11:59:59.999Z')).to.equal(false);
    expect(inHours('2026-07-07T12:00:00.000Z')).to.equal(true);
    expect(inHours('2026-07-07T20:59:59.999Z')).to.equal(true);
    expect(inHours('2026-07-07T21:00:00.000Z')).to.equal(false);
  });
  it('opens at 08:00 local on the Monday after the spring change', () => {
    expect(inHours('2026-03-09T11:59:59.999Z')).to.equal(false);
    expect(inHours('2026-03-09T12:00:00.000Z')).to.equal(true);
  });
  it('is closed all day on weekends and holidays', () => {
    expect(inHours('2026-01-10T15:00:00Z')).to.equal(false); // Saturday 10:00
    expect(inHours('2026-11-26T15:00:00Z')).to.equal(false); // Thanksgiving 10:00
  });
  it('honours the time zone it is given', () => {
    // Tuesday 15:30 in Los Angeles is 18:30 in New York.
    expect(inHours('2026-01-06T23:30:00Z', LOS_ANGELES)).to.equal(true);
    expect(inHours('2026-01-06T23:30:00Z', NEW_YORK)).to.equal(false);
    // Tuesday 10:30 in New York is 07:30 in Los Angeles.
    expect(inHours('2026-01-06T15:30:00Z', NEW_YORK)).to.equal(true);
    expect(inHours('2026-01-06T15:30:00Z', LOS_ANGELES)).to.equal(false);
  });
  it('uses the hours it is given', () => {
    const hours = { open: '09:30', close: '16:00' };
    expect(inHours('2026-01-06T14:29:59.999Z', NEW_YORK, hours)).to.equal(false);
    expect(inHours('2026-01-06T14:30:00.000Z', NEW_YORK, hours)).to.equal(true);
    expect(inHours('2026-01-06T20:59:59.999Z', NEW_YORK, hours)).to.equal(true);
    expect(inHours('2026-01-06T21:00:00.000Z', NEW_YORK, hours)).to.equal(false);
  });
  it('refuses malformed hours and unknown time zones', () => {
    expect(() => inHours('2026-01-06T15:00:00Z', NEW_YORK, { open: '17:00', close: '08:00' })).to.throw(RangeError, /open before/);
    expect(() => inHours('2026-01-06T15:00:00Z', NEW_YORK, { open: '8:00', close: '17:00' })).to.throw(RangeError, /8:00/);
    expect(() => inHours('2026-01-06T15:00:00Z', 'Nowhere/Special')).to.throw(RangeError);
  });
});

describe('countingDayOf', () => {
  const countsFrom = (iso: string) => countingDayOf(at(iso), federal, NEW_YORK);

  it('counts a message received before opening on a business day from that same day', () => {
    expect(countsFrom('2026-01-05T12:59:00Z')).to.equal('2026-01-05'); // Monday 07:59
    expect(countsFrom('2026-01-05T04:59:00Z')).to.equal('2026-01-05'); // Sunday 23:59
  });
  it('counts a message received in hours from that day', () => {
    expect(countsFrom('2026-01-05T13:00:00Z')).to.equal('2026-01-05'); // Monday 08:00
    expect(countsFrom('2026-01-05T21:59:59.999Z')).to.equal('2026-01-05'); // Monday 16:59:59.999
  });
  it('counts a message received at or after closing from the next business day', () => {
    expect(countsFrom('2026-01-05T22:00:00Z')).to.equal('2026-01-06'); // Monday 17:00
    expect(countsFrom('2026-01-09T23:00:00Z')).to.equal('2026-01-12'); // Friday 18:00
    expect(countsFrom('2026-01-10T17:00:00Z')).to.equal('2026-01-12'); // Saturday noon
    expect(countsFrom('2026-11-25T23:00:00Z')).to.equal('2026-11-27'); // the evening before Thanksgiving
  });
});

describe('dueWithinBusinessDays (the support queue answers within one)', () => {
  const dueWithinOne = (receivedAt: string) => dueWithinBusinessDays(at(receivedAt), 1, federal, NEW_YORK).toISOString();
  it('is due 17:00 the next business day for a request in hours', () => {
    expect(dueWithinOne('2026-01-05T15:00:00Z')).to.equal('2026-01-06T22:00:00.000Z'); // Monday 10:00 → Tuesday 17:00
  });
  it('counts a Friday-evening request from Monday, so it is due Tuesday', () => {
    expect(dueWithinOne('2026-01-09T23:00:00Z')).to.equal('2026-01-13T22:00:00.000Z');
  });
  it('skips Thanksgiving: a Wednesday request is due Friday', () => {
    expect(dueWithinOne('2026-11-25T15:00:00Z')).to.equal('2026-11-27T22:00:00.000Z');
  });
});

describe('answerDueBy', () => {
  it('follows the specification’s example: Friday 18:00 is due Wednesday 17:00', () => {
    expect(dueIn('2026-01-09T23:00:00Z')).to.equal('2026-01-14T22:00:00.000Z');
  });
  it('is due 17:00 two business days after a message received in hours', () => {
    expect(dueIn('2026-01-05T15:00:00Z')).to.equal('2026-01-07T22:00:00.000Z'); // Monday 10:00
  });
  it('treats 07:59, 08:00 and 16:59:59.999 on a Monday alike, and 17:00 as after hours', () => {
    expect(dueIn('2026-01-05T12:59:00Z')).to.equal('2026-01-07T22:00:00.000Z');
    expect(dueIn('2026-01-05T13:00:00Z')).to.equal('2026-01-07T22:00:00.000Z');
    expect(dueIn('2026-01-05T21:59:59.999Z')).to.equal('2026-01-07T22:00:00.000Z');
    expect(dueIn('2026-01-05T22:00:00Z')).to.equal('2026-01-08T22:00:00.000Z');
  });
  it('counts a weekend message from Monday', () => {
    expect(dueIn('2026-01-10T17:00:00Z')).to.equal('2026-01-14T22:00:00.000Z');
  });
  it('skips Thanksgiving but not the day after', () => {
    expect(dueIn('2026-11-25T15:00:00Z')).to.equal('2026-11-30T22:00:00.000Z');
  });
  it('skips the Friday a Saturday July 4 is observed on', () => {
    expect(dueIn('2026-07-02T14:00:00Z')).to.equal('2026-07-07T21:00:00.000Z');
  });
  it('skips the Monday a Sunday July 4 is observed on', () => {
    expect(dueIn('2027-07-02T14:00:00Z')).to.equal('2027-07-07T21:00:00.000Z');
  });
  it('treats Christmas Eve as a business day and skips Christmas', () => {
    expect(dueIn('2026-12-23T23:00:00Z')).to.equal('2026-12-29T22:00:00.000Z'); // Wednesday 18:00
  });
  it('crosses the year end over New Year’s Day', () => {
    expect(dueIn('2026-12-30T15:00:00Z')).to.equal('2027-01-04T22:00:00.000Z');
  });
  it('crosses the year end when Christmas and New Year’s Day are observed on Fridays', () => {
    expect(dueIn('2027-12-23T23:00:00Z')).to.equal('2027-12-29T22:00:00.000Z');
    expect(dueIn('2027-12-30T15:00:00Z')).to.equal('2028-01-04T22:00:00.000Z');
  });
  it('is 17:00 daylight time on the Monday after the spring change', () => {
    expect(dueIn('2026-02-26T15:00:00Z')).to.equal('2026-03-02T22:00:00.000Z'); // a week earlier, standard time
    expect(dueIn('2026-03-05T15:00:00Z')).to.equal('2026-03-09T21:00:00.000Z');
    expect(dueIn('2026-03-08T07:30:00Z')).to.equal('2026-03-11T21:00:00.000Z'); // Sunday 03:30, just after the change
  });
  it('is 17:00 standard time on the Monday after the autumn change', () => {
    expect(dueIn('2026-10-29T14:00:00Z')).to.equal('2026-11-02T22:00:00.000Z');
  });
  it('honours the time zone it is given', () => {
    // Tuesday 15:30 in Los Angeles (18:30 in New York).
    expect(dueIn('2026-01-06T23:30:00Z', LOS_ANGELES)).to.equal('2026-01-09T01:00:00.000Z');
    expect(dueIn('2026-01-06T23:30:00Z', NEW_YORK)).to.equal('2026-01-09T22:00:00.000Z');
    // Friday 19:00 in Los Angeles, already Saturday in UTC.
    expect(dueIn('2026-01-10T03:00:00Z', LOS_ANGELES)).to.equal('2026-01-15T01:00:00.000Z');
  });
  it('knows leap days', () => {
    expect(dueIn('2024-02-29T15:00:00Z')).to.equal('2024-03-04T22:00:00.000Z'); // Thursday 29 February
    expect(dueIn('2028-02-28T23:00:00Z')).to.equal('2028-03-02T22:00:00.000Z'); // Monday 18:00, counts from 29 February
  });
  it('follows the hospital’s extra and removed dates', () => {
    expect(dueIn('2026-11-25T15:00:00Z', NEW_YORK, calendar({ extraDates: ['2026-11-27'] }))).to.equal('2026-12-01T22:00:00.000Z');
    expect(dueIn('2026-10-09T14:00:00Z')).to.equal('2026-10-14T21:00:00.000Z');
    expect(dueIn('2026-10-09T14:00:00Z', NEW_YORK, calendar({ removedDates: ['2026-10-12'] }))).to.equal('2026-10-13T21:00:00.000Z');
  });
  it('follows the state’s holidays', () => {
    expect(dueIn('2026-04-17T14:00:00Z', NEW_YORK, calendar({ state: 'MA' }))).to.equal('2026-04-22T21:00:00.000Z');
    expect(dueIn('2026-04-17T14:00:00Z')).to.equal('2026-04-21T21:00:00.000Z');
  });
  it('is due at the closing time it is given', () => {
    const due = answerDueBy(at('2026-01-05T21:30:00Z'), federal, NEW_YORK, { open: '08:00', close: '16:00' }); // Monday 16:30
    expect(due.toISOString()).to.equal('2026-01-08T21:00:00.000Z');
  });
});

describe('addBusinessDays', () => {
  it('steps over weekends and holidays', () => {
    expect(addBusinessDays('2026-01-09', 1, federal)).to.equal('2026-01-12');
    expect(addBusinessDays('2026-01-05', 10, federal)).to.equal('2026-01-20'); // skips Martin Luther King Jr. Day
    expect(addBusinessDays('2026-11-25', 2, federal)).to.equal('2026-11-30');
    expect(addBusinessDays('2026-12-30', 2, federal)).to.equal('2027-01-04');
    expect(addBusinessDays('2024-02-28', 1, federal)).to.equal('2024-02-29');
  });
  it('returns the date itself for 0, business day or not', () => {
    expect(addBusinessDays('2026-01-05', 0, federal)).to.equal('2026-01-05');
    expect(addBusinessDays('2026-01-10', 0, federal)).to.equal('2026-01-10');
  });
  it('steps backwards for negative n', () => {
    expect(addBusinessDays('2026-01-12', -1, federal)).to.equal('2026-01-09');
    expect(addBusinessDays('2027-01-04', -2, federal)).to.equal('2026-12-30');
  });
  it('refuses a fraction of a day', () => {
    expect(() => addBusinessDays('2026-01-05', 1.5, federal)).to.throw(RangeError, /1.5/);
  });
});

describe('businessDaysBetween', () => {
  const age = (from: string, to: string, timeZone = NEW_YORK) => businessDaysBetween(at(from), at(to), federal, timeZone);

  it('is 0 on the same day, whatever the hour', () => {
    expect(age('2026-01-05T13:00:00Z', '2026-01-05T22:30:00Z')).to.equal(0);
  });
  it('counts the business days reached after the first day', () => {
    expect(age('2026-01-05T15:00:00Z', '2026-01-06T14:00:00Z')).to.equal(1); // Monday 10:00 to Tuesday 09:00
    expect(age('2026-01-05T15:00:00Z', '2026-01-12T15:00:00Z')).to.equal(5); // a week
    expect(age('2026-01-09T23:00:00Z', '2026-01-12T14:00:00Z')).to.equal(1); // Friday 18:00 to Monday 09:00
  });
  it('does not count weekends or holidays', () => {
    expect(age('2026-01-10T15:00:00Z', '2026-01-11T15:00:00Z')).to.equal(0); // Saturday to Sunday
    expect(age('2026-11-25T15:00:00Z', '2026-11-30T15:00:00Z')).to.equal(2); // over Thanksgiving
    expect(age('2026-12-30T15:00:00Z', '2027-01-04T15:00:00Z')).to.equal(2); // over New Year's Day
  });
  it('is never negative', () => {
    expect(age('2026-01-07T15:00:00Z', '2026-01-05T15:00:00Z')).to.equal(0);
  });
  it('changes day at local midnight in the time zone it is given', () => {
    // 06:00Z on Wednesday is 01:00 Wednesday in New York but 22:00 Tuesday in Los Angeles.
    expect(age('2026-01-06T15:00:00Z', '2026-01-07T06:00:00Z', NEW_YORK)).to.equal(1);
    expect(age('2026-01-06T15:00:00Z', '2026-01-07T06:00:00Z', LOS_ANGELES)).to.equal(0);
  });
  it('changes day at local midnight across daylight-saving changes', () => {
    expect(age('2026-03-06T15:00:00Z', '2026-03-09T04:30:00Z')).to.equal(1); // Monday 00:30 daylight time
    expect(age('2026-10-30T14:00:00Z', '2026-11-02T04:30:00Z')).to.equal(0); // Sunday 23:30 standard time
  });
  it('counts as walking day by day would, over any span from a day to years, and refuses years the calendar lacks', () => {
    const local = (instant: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
    const walked = (from: Date, to: Date, timeZone: string) => {
      let count = 0;
      const last = local(to, timeZone);
      for (let day = new Date(`${local(from, timeZone)}T12:00:00Z`); ; ) {
        day = new Date(day.getTime() + 86_400_000);
        const date = day.toISOString().slice(0, 10);
        if (date > last) return count;
        if (isBusinessDay(date, federal)) count += 1;
      }
    };
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const start = Date.parse('2024-01-01T00:00:00Z');
    for (let n = 0; n < 400; n++) {
      const from = new Date(start + random() * 3 * 365 * 86_400_000);
      const to = new Date(from.getTime() + random() * random() * 700 * 86_400_000);
      const timeZone = n % 2 ? NEW_YORK : LOS_ANGELES;
      expect(businessDaysBetween(from, to, federal, timeZone), `${from.toISOString()} to ${to.toISOString()} in ${timeZone}`).to.equal(walked(from, to, timeZone));
    }
    expect(() => age('2026-12-20T15:00:00Z', '2027-01-05T15:00:00Z'.replace('2027', '2029'))).to.throw(RangeError, 'does not cover 2029');
  });
});
