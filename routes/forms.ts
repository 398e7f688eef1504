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

/** What the person typed, as strings, so a form shown again loses nothing. */
export function typedValues(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => key !== '_csrf' && typeof value === 'string')) as Record<string, string>;
}
