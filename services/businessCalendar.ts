// The hospital's business-day calendar from configuration, built once per range of years,
// for the due dates and ages that queues show.
import type { Config } from '../config.ts';
import { buildHolidayCalendar, businessDaysBetween, dueWithinBusinessDays, type HolidayCalendar } from '../domain/businessDays.ts';

const calendars = new WeakMap<Config['businessCalendar'], Map<string, HolidayCalendar>>();

/** A calendar of the years from `firstYear` to `lastYear`, built once per configuration and range. */
function calendarOfYears(config: Pick<Config, 'businessCalendar'>, firstYear: number, lastYear: number): HolidayCalendar {
  const settings = config.businessCalendar;
  let byRange = calendars.get(settings);
  if (!byRange) calendars.set(settings, (byRange = new Map()));
  const key = `${firstYear}-${lastYear}`;
  let calendar = byRange.get(key);
  if (!calendar) {
    const { hours: _hours, ...holidaySettings } = settings;
    calendar = buildHolidayCalendar({ ...holidaySettings, years: Array.from({ length: lastYear - firstYear + 1 }, (_, index) => firstYear + index) });
    byRange.set(key, calendar);
  }
  return calendar;
}

/** A calendar covering the year before `around` to two years after, enough for any due date. */
export function businessCalendarFor(config: Pick<Config, 'businessCalendar'>, around: Date): HolidayCalendar {
  const year = around.getUTCFullYear();
  return calendarOfYears(config, year - 1, year + 2);
}

type CalendarConfig = Pick<Config, 'businessCalendar' | 'hospital'>;

/** When something received at `receivedAt` must be dealt with, `businessDays` business days on. */
export function dueAfterBusinessDays(config: CalendarConfig, receivedAt: Date, businessDays: number): Date {
  const { timeZone } = config.hospital;
  return dueWithinBusinessDays(receivedAt, businessDays, businessCalendarFor(config, receivedAt), timeZone, config.businessCalendar.hours);
}

/** How many business days old something received at `receivedAt` is at `now`. */
export function businessDaysOld(config: CalendarConfig, receivedAt: Date, now: Date): number {
  // Something can wait longer than the usual calendar reaches back (a thread left open for years):
  // the calendar then starts in the year it arrived.
  const year = now.getUTCFullYear();
  const calendar = calendarOfYears(config, Math.min(receivedAt.getUTCFullYear(), year) - 1, year + 2);
  return businessDaysBetween(receivedAt, now, calendar, config.hospital.timeZone);
}
