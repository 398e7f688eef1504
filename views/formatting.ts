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
  // A calendar date ('2015-05-03', a birth date) is the same day everywhere: it is read as UTC
  // midnight, so it is written in UTC too, or New York would show the day before.
  const calendarDate = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(LOCALES[language], { ...STYLES[style], timeZone: calendarDate ? 'UTC' : timeZone }).format(date);
}

export function formatNumber(value: number, language: Language, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(LOCALES[language], options).format(value);
}

/** A file's size in the units people know: "840 bytes", "12 KB", "3.4 MB" (1 KB = 1,024 bytes). */
export function formatFileSize(bytes: number, language: Language): string {
  if (bytes < 1024) return new Intl.NumberFormat(LOCALES[language], { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
  const [unit, size] = bytes < 1024 * 1024 ? (['kilobyte', bytes / 1024] as const) : (['megabyte', bytes / (1024 * 1024)] as const);
  return new Intl.NumberFormat(LOCALES[language], { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: size < 10 ? 1 : 0 }).format(size);
}

/** "08:00" as the language writes a time of day ("8:00 AM", "8:00 a. m."). */
export function formatClockTime(clock: string, language: Language): string {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return new Intl.DateTimeFormat(LOCALES[language], { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1, hours, minutes));
}
