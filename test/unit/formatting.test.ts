import { expect } from 'chai';
import { formatClockTime, formatDate, formatFileSize, formatNumber } from '../../views/formatting.ts';

describe('formatting for a language in the hospital time zone', () => {
  const lateEvening = new Date('2026-07-04T03:30:00Z'); // still July 3 in New York

  it('formats dates in the hospital time zone, not the server’s', () => {
    expect(formatDate(lateEvening, 'en', 'America/New_York')).to.equal('July 3, 2026');
    expect(formatDate(lateEvening, 'en', 'America/Los_Angeles', 'dateTime')).to.equal('July 3, 2026 at 8:30 PM');
    expect(formatDate(lateEvening, 'es', 'America/New_York')).to.equal('3 de julio de 2026');
  });

  it('writes a calendar date (a birth date) as that day, whatever the time zone', () => {
    expect(formatDate('2015-05-03', 'en', 'America/New_York')).to.equal('May 3, 2015');
    expect(formatDate('2015-05-03', 'es', 'Pacific/Honolulu')).to.equal('3 de mayo de 2015');
  });

  it('gives nothing for a date that is not one', () => {
    expect(formatDate('not a date', 'en', 'America/New_York')).to.equal('');
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

  it('writes file sizes in bytes, KB or MB as people read them', () => {
    expect(formatFileSize(840, 'en')).to.equal('840 bytes');
    expect(formatFileSize(3534, 'en')).to.equal('3.5 kB');
    expect(formatFileSize(25 * 1024 * 1024 - 1, 'en')).to.equal('25 MB');
    expect(formatFileSize(1536 * 1024, 'es')).to.equal('1.5 MB');
  });
});
