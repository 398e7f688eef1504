// Calendar dates ('YYYY-MM-DD') as they are on the hospital's wall clocks.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The local date of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  // format() throws a RangeError for an unknown time zone (an invalid date).
  return format(new TZDate(instant.getTime(), timeZone), 'yyyy-MM-dd');
}
