// A date typed in three boxes (see the dateInput macro): whether it is a date, and which boxes
// are wrong, so a form marks only those (as dwp/govuk-casa's date input does).

/** The boxes in the order the form shows them. */
export const DATE_PARTS = ['month', 'day', 'year'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export type TypedDate = Record<DatePart, string>;

const WELL_FORMED: Record<DatePart, RegExp> = { day: /^\d{1,2}$/, month: /^\d{1,2}$/, year: /^\d{4}$/ };

/**
 * The date as 'YYYY-MM-DD'; '' when every box is empty, so the schema can say it is missing;
 * 'invalid' when it is not a calendar date with a four-digit year.
 */
export function isoDateFrom(typed: TypedDate): string {
  if (!typed.day && !typed.month && !typed.year) return '';
  if (DATE_PARTS.some((part) => !WELL_FORMED[part].test(typed[part]))) return 'invalid';
  const iso = `${typed.year}-${typed.month.padStart(2, '0')}-${typed.day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : 'invalid';
}

/**
 * The boxes to mark when the date was refused: the empty or malformed ones; the month or day out
 * of its range; the day of a date that does not exist (31 February). A real date refused as a
 * whole (in the future, before the birth) gives [], which means every box.
 */
export function datePartsInError(typed: Partial<TypedDate> | undefined): DatePart[] {
  const value = { day: typed?.day ?? '', month: typed?.month ?? '', year: typed?.year ?? '' };
  const wrong = DATE_PARTS.filter(
    (part) => !WELL_FORMED[part].test(value[part]) || (part === 'month' && !between(value.month, 1, 12)) || (part === 'day' && !between(value.day, 1, 31)),
  );
  if (wrong.length) return wrong.length === DATE_PARTS.length ? [] : wrong;
  return isoDateFrom(value) === 'invalid' ? ['day'] : [];
}

function between(text: string, low: number, high: number): boolean {
  const number = Number(text);
  return number >= low && number <= high;
}
