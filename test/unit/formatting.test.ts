import { expect } from 'chai';
import { formatCalendarDate, formatClockTime, formatDate, formatNumber } from '../../views/formatting.ts';

describe('formatting for a language in the hospital time zone', () => {
  const lateEvening = new Date('2026-07-04T03:30:00Z'); // still July 3 in New York

  it('formats dates in the hospital time zone, not the server’s', () => {
    expect(formatDate(lateEvening, 'en', 'America/New_York')).to.equal('July 3, 2026');
    expect(formatDate(lateEvening, 'en', 'America/Los_Angeles', 'dateTime')).to.equal('July 3, 2026 at 8:30 PM');
    expect(formatDate(lateEvening, 'es', 'America/New_York')).to.equal('3 de julio de 2026');
  });

  it('writes a calendar date (a date of birth) as the same day wherever the server runs', () => {
    expect(formatCalendarDate('2015-01-01', 'en')).to.equal('January 1, 2015');
    expect(formatCalendarDate('2015-01-01', 'es')).to.equal('1 de enero de 2015');
  });

  it('gives nothing for a date that is not one', () => {
    expect(formatDate('not a date', 'en', 'America/New_York')).to.equal('');
    expect(formatCalendarDate('not a date', 'en')).to.equal('');
  });

  it('formats numbers the way each language writes them', () => {
    expect(formatNumber(1234.5, 'en')).to.equal('1,234.5');
    expect(formatNumber(12345.5, 'es')).to.equal('12,345.5'); // es-US, as Spanish speakers in the US read
    expect(formatNumber(25, 'es', { style: 'currency', currency: 'USD' })).to.equal('$25.00');
  });

  it('writes a clock time as each language does', () => {
    expect(formatClockTime('08:00', 'en')).to.equal('8:00 AM');
    expect(formatClockTime('17:30', 'en')).to.equal('5:30 PM');
    expect(formatClockTime('17:30', 'es')).to.match(/^5:30\sp\.\s?m\.$/);
  });
});
