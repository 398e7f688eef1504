// Ages and birthdays, counted on the calendar of the hospital's time zone.
import { TZDate } from '@date-fns/tz';
import { startOfDay, subDays } from 'date-fns';

/** The age at which parents' access ends and the patient manages their own account. */
export const ADULT_AGE = 18;

/** Parents are reminded this many days before the patient's 18th birthday. */
export const TURNING_18_REMINDER_DAYS = [90, 30, 7] as const;

export interface Turning18Reminder {
  daysBefore: (typeof TURNING_18_REMINDER_DAYS)[number];
  /** The start of the local calendar day the reminder is due on. */
  dueFrom: Date;
}

/**
 * The instant a person born on `birthDate` ('YYYY-MM-DD') turns `age`: the start of that
 * birthday in `timeZone` (00:00, or the first instant of the day if a clock change skips
 * midnight there).
 *
 * Someone born on 29 February has their birthday on 1 March in years without a 29 February:
 * the day that would have been the 29th has not yet ended on the 28th, so they have not yet
 * completed the year (the same rule as adding one year to 28 February + 1 day).
 */
export function birthdayInstant(birthDate: string, age: number, timeZone: string): Date {
  if (!Number.isInteger(age) || age < 0) throw new RangeError(`Not an age in whole years: ${age}`);
  const { year, month, day } = parseBirthDate(birthDate);
  const birthdayYear = year + age;
  const [birthdayMonth, birthdayDay] = month === 2 && day === 29 && !isLeapYear(birthdayYear) ? [3, 1] : [month, day];
  return new Date(new TZDate(birthdayYear, birthdayMonth - 1, birthdayDay, timeZone).getTime());
}

/** Completed years of age at `now`, counted in `timeZone`. Throws if `now` is before the birth date. */
export function ageOn(birthDate: string, now: Date, timeZone: string): number {
  const birthYear = parseBirthDate(birthDate).year;
  const yearsByCalendar = new TZDate(now.getTime(), timeZone).getFullYear() - birthYear;
  // This year's birthday may still be ahead.
  const age =
    yearsByCalendar >= 0 && birthdayInstant(birthDate, yearsByCalendar, timeZone) <= now ? yearsByCalendar : yearsByCalendar - 1;
  if (age < 0) throw new RangeError('The date given is before the birth date');
  return age;
}

/** When the parents' reminders before the 18th birthday are due, earliest first. */
export function turning18Reminders(birthDate: string, timeZone: string): Turning18Reminder[] {
  const eighteenthBirthday = new TZDate(birthdayInstant(birthDate, ADULT_AGE, timeZone).getTime(), timeZone);
  return TURNING_18_REMINDER_DAYS.map((daysBefore) => ({
    daysBefore,
    dueFrom: new Date(startOfDay(subDays(eighteenthBirthday, daysBefore)).getTime()),
  }));
}

function parseBirthDate(birthDate: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const [year, month, day] = (match ?? []).slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined || !isCalendarDate(year, month, day)) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${birthDate}`);
  }
  return { year, month, day };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
