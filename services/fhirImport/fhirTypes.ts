// zod schemas for the FHIR R4 datatypes the importer reads. Objects are loose: elements the
// portal does not store are allowed and ignored; the ones it stores must be well formed.
import { z } from 'zod';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

/** The day of a date or dateTime exists (no 30 February): JavaScript would quietly roll it over. */
function isCalendarDay(value: string): boolean {
  if (value.length < 10) return true;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

export const fhirId = z.string().regex(FHIR_ID, 'is not a FHIR id (letters, digits, - and ., at most 64)');
/** A full calendar date, as birth dates must be. */
export const fullDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date (YYYY-MM-DD)').refine(isCalendarDay, 'is not a calendar date');
export const date = z.string().regex(DATE, 'is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)').refine(isCalendarDay, 'is not a calendar date');
export const dateTime = z
  .string()
  .regex(DATE_TIME, 'is not a FHIR dateTime (a date, or a date and time with a time zone)')
  .refine(isCalendarDay, 'is not a calendar date');
export const code = z.string().trim().min(1, 'is empty');

export const coding = z.looseObject({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
export const codeableConcept = z.looseObject({ coding: z.array(coding).optional(), text: z.string().optional() });
export const reference = z.looseObject({ reference: z.string().min(1).optional(), display: z.string().optional() });
export const requiredReference = z.looseObject({ reference: z.string().min(1, 'is empty'), display: z.string().optional() });
export const identifier = z.looseObject({ system: z.string().optional(), value: z.string().optional() });
export const period = z.looseObject({ start: dateTime.optional(), end: dateTime.optional() });
export const quantity = z.looseObject({ value: z.number().optional(), unit: z.string().optional(), code: z.string().optional() });
export const money = z.looseObject({ value: z.number().optional(), currency: z.string().length(3).optional() });
export const humanName = z.looseObject({
  use: z.string().optional(),
  family: z.string().optional(),
  given: z.array(z.string()).optional(),
  suffix: z.array(z.string()).optional(),
  text: z.string().optional(),
});
export const contactPoint = z.looseObject({ system: z.string().optional(), value: z.string().optional(), use: z.string().optional() });
export const address = z.looseObject({
  line: z.array(z.string()).optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
});
export const extension = z.looseObject({ url: z.string(), valueBoolean: z.boolean().optional(), valueDate: date.optional() });
export const meta = z.looseObject({ source: z.string().optional(), security: z.array(coding).optional() });

/** What every resource may carry. */
export const resourceBase = {
  id: fhirId.optional(),
  meta: meta.optional(),
  identifier: z.array(identifier).optional(),
  extension: z.array(extension).optional(),
};

export type Coding = z.infer<typeof coding>;
export type CodeableConcept = z.infer<typeof codeableConcept>;
export type Reference = z.infer<typeof reference>;
export type Identifier = z.infer<typeof identifier>;
export type HumanName = z.infer<typeof humanName>;
export type ContactPoint = z.infer<typeof contactPoint>;
export type Address = z.infer<typeof address>;
export type Extension = z.infer<typeof extension>;
export type Meta = z.infer<typeof meta>;
