// The hospital's business-day calendar from configuration, built once per range of years,
// for the due dates and ages that queues show.
import type { Config } from '../config.ts';
import { buildHolidayCalendar, businessDaysBetween, dueWithinBusinessDays, type HolidayCalendar } from '../domain/businessDays.ts';

const calendars = new WeakMap<Config['businessCalendar'], Map<number, HolidayCalendar>>();

/** A calendar covering the year before `around` to two years after, enough for any queue item. */
export function businessCalendarFor(config: Pick<Config, 'businessCalendar'>, around: Date): HolidayCalendar {
  const settings = config.businessCalendar;
  let byYear = calendars.get(settings);
  if (!byYear) calendars.set(settings, (byYear = new Map()));
  const year = around.getUTCFullYear();
  let calendar = byYear.get(year);
  if (!calendar) {
    const { hours: _hours, ...holidaySettings } = settings;
    calendar = buildHolidayCalendar({ ...holidaySettings, years: [year - 1, year, year + 1, year + 2] });
    byYear.set(year, calendar);
  }
  return calendar;
}

type CalendarConfig = Pick<Config, 'businessCalendar' | 'hospital'>;

/** When something received at `receivedAt` must be dealt with, `businessDays` business days on. */
export function dueAfterBusinessDays(config: CalendarConfig, receivedAt: Date, businessDays: number): Date {
  const { timeZone } = config.hospital;
  return dueWithinBusinessDays(receivedAt, businessDays, businessCalendarFor(config, receivedAt), timeZone, config.businessCalendar.hours);
}

/** How many business days old something received at `receivedAt` is at `now`. */
export function businessDaysOld(config: CalendarConfig, receivedAt: Date, now: Date): number {
  return businessDaysBetween(receivedAt, now, businessCalendarFor(config, now), config.hospital.timeZone);
}
