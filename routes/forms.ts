// Turns a zod result into what a form page shows: the error summary's list and a
// message per field. Schema messages are locale keys, translated here.
import type { Response } from 'express';
import type { z } from 'zod';
import { isoDateFrom, type TypedDate } from '../domain/typedDate.ts';

export { isoDateFrom, type TypedDate };

export interface FieldError {
  field: string;
  text: string;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[]; fieldErrors: Record<string, string> };

export function parseForm<Schema extends z.ZodType>(schema: Schema, body: unknown, res: Response): FormResult<z.output<Schema>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const t = res.locals.t as (key: string) => string;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= messageFor(t, issue.message);
  }
  const errors = Object.entries(fieldErrors).map(([field, text]) => ({ field, text }));
  return { ok: false, errors, fieldErrors };
}

/**
 * Schema messages are locale keys. A field missing from the body entirely (a hand-made request)
 * gets zod's own message instead, which is no key: it is answered with a general one, not a 500.
 */
function messageFor(t: (key: string) => string, message: string): string {
  try {
    return t(message);
  } catch {
    return t('forms.invalid');
  }
}

export interface FormProblems {
  errors: FieldError[];
  fieldErrors: Record<string, string>;
}

/** The schema's problems (none when it passed), as a copy that later checks can add to. */
export function problemsOf(form: FormResult<unknown>): FormProblems {
  return form.ok ? { errors: [], fieldErrors: {} } : { errors: [...form.errors], fieldErrors: { ...form.fieldErrors } };
}

/** Adds a field's message, keeping the error summary and the inline messages in step (first message wins). */
export function addProblem(problems: FormProblems, field: string, text: string): void {
  if (problems.fieldErrors[field]) return;
  problems.fieldErrors[field] = text;
  problems.errors.push({ field, text });
}

/** A form refused for one reason found after its fields were read (a wrong password, a used code). */
export function oneProblem(field: string, text: string): FormProblems {
  return { errors: [{ field, text }], fieldErrors: { [field]: text } };
}

/** What the person typed, as strings, so a form shown again loses nothing. */
export function typedValues(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => key !== '_csrf' && typeof value === 'string')) as Record<string, string>;
}

/** The three boxes of a date field (see the dateInput macro), as typed. */
export function typedDate(body: unknown, name: string): TypedDate {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const part = (key: string) => (typeof fields[`${name}-${key}`] === 'string' ? String(fields[`${name}-${key}`]).trim() : '');
  return { day: part('day'), month: part('month'), year: part('year') };
}

/** The body with each named date field added as 'YYYY-MM-DD' (see isoDateFrom), for a schema to check. */
export function withDates(body: unknown, names: string[]): Record<string, unknown> {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return { ...fields, ...Object.fromEntries(names.map((name) => [name, isoDateFrom(typedDate(body, name))])) };
}

/** A record id from a path parameter (`/patients/:patientId`), or undefined for anything else. */
export function idFrom(value: unknown): number | undefined {
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : 0;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
