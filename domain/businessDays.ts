// The hospital's business-day calendar: which days and hours count, when a message
// must be answered by, and how many business days old a queue item is.
//
// A "local date" is a 'YYYY-MM-DD' calendar date in the hospital's time zone.
// The holiday package is consulted once, in buildHolidayCalendar; everything else is
// pure over the HolidayCalendar value it returns.
import { TZDate } from '@date-fns/tz';
import { localDateOf } from './localDate.ts';
import Holidays, { type HolidaysTypes } from 'date-holidays';

export interface HolidayCalendar {
  /** Years the holiday package was asked about; a date outside them cannot be answered. */
  readonly years: ReadonlySet<number>;
  /** Local dates on which the hospital's offices are closed. */
  readonly closedDates: ReadonlySet<string>;
}

export interface HolidayCalendarSettings {
  country: string;
  /** A state or territory code such as 'MA', for its holidays on top of the federal ones. */
  state?: string;
  /** Extra dates the hospital closes ('YYYY-MM-DD'). */
  extraDates: readonly string[];
  /** Holidays on which the hospital stays open ('YYYY-MM-DD'); a date that is no holiday is ignored. */
  removedDates: readonly string[];
  years: readonly number[];
}

/** Opening and closing times, 'HH:MM' on a 24-hour clock, in the hospital's time zone. */
export interface BusinessHours {
  open: string;
  close: string;
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { open: '08:00', close: '17:00' };

/** How many business days after the counting day a message must be answered by (SPEC §2 Messaging). */
export const ANSWER_WITHIN_BUSINESS_DAYS = 2;

// Public and bank holidays close offices; observances (Halloween) and optional days (Christmas Eve) do not.
const OFFICE_CLOSING_HOLIDAY_TYPES: HolidaysTypes.HolidayType[] = ['public', 'bank'];

export function buildHolidayCalendar(settings: HolidayCalendarSettings): HolidayCalendar {
  const { country, state, extraDates, removedDates, years } = settings;
  for (const year of years) {
    if (!Number.isInteger(year)) throw new RangeError(`Holiday calendar year must be a whole number: ${year}`);
  }
  for (const date of [...extraDates, ...removedDates]) parseLocalDate(date);
  const contradictions = extraDates.filter((date) => removedDates.includes(date));
  if (contradictions.length > 0) throw new RangeError(`Dates listed both as closed and as open: ${contradictions.join(', ')}`);

  const holidays = new Holidays();
  if (!(country in holidays.getCountries())) throw new RangeError(`Unknown holiday country: ${country}`);
  // The package quietly falls back to the country's holidays for an unknown state, so check it here.
  if (state !== undefined && !(state in (holidays.getStates(country) ?? {}))) {
    throw new RangeError(`Unknown holiday state for ${country}: ${state}`);
  }
  const options = { types: OFFICE_CLOSING_HOLIDAY_TYPES };
  if (state === undefined) holidays.init(country, options);
  else holidays.init(country, state, options);

  // The package reports observed days itself (e.g. "Independence Day (substitute day)"),
  // and its dates are already local calendar dates: 'YYYY-MM-DD hh:mm:ss'.
  const packageDates = years.flatMap((year) => holidays.getHolidays(year).map((holiday) => holiday.date.slice(0, 10)));
  const removed = new Set(removedDates);
  const closedDates = new Set([...packageDates, ...extraDates].filter((date) => !removed.has(date)));
  return { years: new Set(years), closedDates };
}

/** Monday to Friday, and not a day the hospital is closed. */
export function isBusinessDay(localDate: string, calendar: HolidayCalendar): boolean {
  const day = parseLocalDate(localDate);
  if (!calendar.years.has(day.getUTCFullYear())) {
    throw new RangeError(`The holiday calendar does not cover ${day.getUTCFullYear()}`);
  }
  const weekday = day.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.closedDates.has(localDate);
}

/** Opening time included, closing time excluded: 08:00 is inside, 17:00 is outside. */
export function isWithinBusinessHours(
  instant: Date,
  calendar: HolidayCalendar,
  timeZone: string,
  hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
): boolean {
  const localDate = localDateOf(instant, timeZone);
  if (!isBusinessDay(localDate, calendar)) return false;
  const { opens, closes } = businessHoursOn(localDate, timeZone, hours);
  return opens.getTime() <= instant.getTime() && instant.getTime() < closes.getTime();
}

/**
 * The local date a message's answer time counts from. A message received before
 * closing time on a business day counts from that day, including one received
 * before opening (e.g. Monday 07:59): the next business period after it is that
 * same day's, and counting from the following day would make a message sent at
 * 07:59 due later than one sent at 08:00. Otherwise it counts from the next business day.
 */
export function countingDayOf(
  receivedAt: Date,
  calendar: HolidayCalendar,
  timeZone: string,
  hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
): string {
  const localDate = localDateOf(receivedAt, timeZone);
  const { closes } = businessHoursOn(localDate, timeZone, hours);
  if (isBusinessDay(localDate, calendar) && receivedAt.getTime() < closes.getTime()) return localDate;
  return addBusinessDays(localDate, 1, calendar);
}

/** Closing time, hospital time, on the second business day after the counting day. */
export function answerDueBy(
  receivedAt: Date,
  calendar: HolidayCalendar,
  timeZone: string,
  hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
): Date {
  return dueWithinBusinessDays(receivedAt, ANSWER_WITHIN_BUSINESS_DAYS, calendar, timeZone, hours);
}

/**
 * Closing time, hospital time, on the n-th business day after the day a request counts
 * from (see countingDayOf). The support queue answers within 1, messages within 2.
 */
export function dueWithinBusinessDays(
  receivedAt: Date,
  businessDays: number,
  calendar: HolidayCalendar,
  timeZone: string,
  hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
): Date {
  const countingDay = countingDayOf(receivedAt, calendar, timeZone, hours);
  const dueDate = addBusinessDays(countingDay, businessDays, calendar);
  return businessHoursOn(dueDate, timeZone, hours).closes;
}

/**
 * Age in business days: how many business days fall after `from`'s local date, up to
 * and including `to`'s local date. 0 on the same day; never negative (a `to` before
 * `from`, e.g. clocks slightly apart, is also 0). Times of day do not matter.
 */
export function businessDaysBetween(from: Date, to: Date, calendar: HolidayCalendar, timeZone: string): number {
  const first = shiftDate(localDateOf(from, timeZone), 1);
  const last = localDateOf(to, timeZone);
  if (first > last) return 0;
  // Counted, not walked day by day: an inbox of threads waiting for months shows each one's age.
  const firstDay = parseLocalDate(first);
  const lastDay = parseLocalDate(last);
  for (let year = firstDay.getUTCFullYear(); year <= lastDay.getUTCFullYear(); year++) {
    if (!calendar.years.has(year)) throw new RangeError(`The holiday calendar does not cover ${year}`);
  }
  const days = Math.round((lastDay.getTime() - firstDay.getTime()) / 86_400_000) + 1;
  let weekdays = Math.floor(days / 7) * 5;
  for (let extra = 0, weekday = firstDay.getUTCDay(); extra < days % 7; extra++, weekday = (weekday + 1) % 7) {
    if (weekday !== 0 && weekday !== 6) weekdays += 1;
  }
  let closed = 0;
  for (const date of calendar.closedDates) {
    if (date >= first && date <= last && isWeekday(date)) closed += 1;
  }
  return weekdays - closed;
}

function isWeekday(localDate: string): boolean {
  const weekday = parseLocalDate(localDate).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The n-th business day after `localDate` (before it when n is negative). n = 0
 * returns `localDate` itself, business day or not.
 */
export function addBusinessDays(localDate: string, n: number, calendar: HolidayCalendar): string {
  if (!Number.isInteger(n)) throw new RangeError(`Business days to add must be a whole number: ${n}`);
  const step = n < 0 ? -1 : 1;
  let date = localDate;
  for (let remaining = Math.abs(n); remaining > 0; ) {
    date = shiftDate(date, step);
    if (isBusinessDay(date, calendar)) remaining -= 1;
  }
  return date;
}

function businessHoursOn(localDate: string, timeZone: string, hours: BusinessHours): { opens: Date; closes: Date } {
  const open = parseClockTime(hours.open);
  const close = parseClockTime(hours.close);
  if (open.hours * 60 + open.minutes >= close.hours * 60 + close.minutes) {
    throw new RangeError(`Business hours must open before they close: ${hours.open}–${hours.close}`);
  }
  const day = parseLocalDate(localDate);
  const at = ({ hours, minutes }: ClockTime) =>
    new Date(new TZDate(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hours, minutes, 0, 0, timeZone).getTime());
  return { opens: at(open), closes: at(close) };
}

interface ClockTime {
  hours: number;
  minutes: number;
}

function parseClockTime(value: string): ClockTime {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`Not a 24-hour time such as 08:00: ${value}`);
  return { hours: Number(match[1]), minutes: Number(match[2]) };
}

// Local dates are pure calendar days, so their arithmetic runs at UTC midnight, where no
// time zone or daylight-saving change can move them.
function parseLocalDate(localDate: string): Date {
  const day = new Date(`${localDate}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate) || Number.isNaN(day.getTime()) || toLocalDate(day) !== localDate) {
    throw new RangeError(`Not a calendar date such as 2026-07-03: ${localDate}`);
  }
  return day;
}

function toLocalDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}

function shiftDate(localDate: string, days: number): string {
  const day = parseLocalDate(localDate);
  return toLocalDate(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + days)));
}
