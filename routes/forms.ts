// Turns a zod result into what a form page shows: the error summary's list and a
// message per field. Schema messages are locale keys, translated here.
import type { Response } from 'express';
import type { z } from 'zod';

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
    fieldErrors[field] ??= t(issue.message);
  }
  const errors = Object.entries(fieldErrors).map(([field, text]) => ({ field, text }));
  return { ok: false, errors, fieldErrors };
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
