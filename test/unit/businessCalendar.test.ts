import { expect } from 'chai';
import { loadConfig } from '../../config.ts';
import { businessDaysOld } from '../../services/businessCalendar.ts';

describe('business days from the configured calendar', () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

  it('counts the age of something that has waited for years, beyond the usual calendar’s reach', () => {
    const now = new Date('2026-12-03T15:00:00Z');
    const recent = businessDaysOld(config, new Date('2026-11-30T15:00:00Z'), now);
    expect(recent, 'Monday to Thursday').to.equal(3);
    const old = businessDaysOld(config, new Date('2022-12-05T15:00:00Z'), now);
    // Four years of weekdays, less the holidays: well over 900, and no error.
    expect(old).to.be.within(980, 1010);
  });
});
