// Dates and numbers for a language, always in the hospital's time zone.
import type { Language } from '../domain/language.ts';

const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US' };

export type DateStyle = 'long' | 'short' | 'dateTime' | 'time';

const STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  long: { dateStyle: 'long' },
  short: { dateStyle: 'short' },
  dateTime: { dateStyle: 'long', timeStyle: 'short' },
  time: { timeStyle: 'short' },
};

export function formatDate(value: Date | string | number, language: Language, timeZone: string, style: DateStyle = 'long'): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[language], { ...STYLES[style], timeZone }).format(date);
}

/** A calendar date ('YYYY-MM-DD', such as a date of birth) as the language writes it: no time zone moves it a day. */
export function formatCalendarDate(value: string, language: Language): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export function formatNumber(value: number, language: Language, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(LOCALES[language], options).format(value);
}

/** "08:00" as the language writes a time of day ("8:00 AM", "8:00 a. m."). */
export function formatClockTime(clock: string, language: Language): string {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return new Intl.DateTimeFormat(LOCALES[language], { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1, hours, minutes));
}
