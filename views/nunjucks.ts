// The Nunjucks environment: autoescaping on, templates cached except in development
// (where an edited template shows on the next request), and the
// filters every template shares. Per-request values (t, lang, cspNonce) come from res.locals.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { Express } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../domain/language.ts';
import { datePartsInError } from '../domain/typedDate.ts';
import { plainTestName, readableUnit } from '../domain/labTests.ts';
import { careTeamRoleWord } from '../domain/recordTerms.ts';
import { formatDate, formatFileSize, formatNumber, type DateStyle } from './formatting.ts';

export const VIEWS_DIR = path.dirname(fileURLToPath(import.meta.url));

interface FilterContext {
  ctx: { lang?: unknown; t?: (key: string) => string };
}

export function createViewEnvironment(options: { reloadTemplates: boolean; timeZone: string; app?: Express }): nunjucks.Environment {
  const environment = nunjucks.configure(VIEWS_DIR, {
    autoescape: true,
    noCache: options.reloadTemplates,
    throwOnUndefined: false,
    ...(options.app ? { express: options.app } : {}),
  });
  const languageOf = (context: FilterContext): Language => (isLanguage(context.ctx.lang) ? context.ctx.lang : DEFAULT_LANGUAGE);
  environment.addFilter('date', function (this: FilterContext, value: Date | string, style: DateStyle = 'long') {
    return formatDate(value, languageOf(this), options.timeZone, style);
  });
  environment.addFilter('number', function (this: FilterContext, value: number) {
    return formatNumber(value, languageOf(this));
  });
  environment.addFilter('fileSize', function (this: FilterContext, bytes: number) {
    return formatFileSize(bytes, languageOf(this));
  });
  // Radio and select items from a list of values, each labelled by the text at prefix + value.
  environment.addFilter('choices', function (this: FilterContext, values: readonly string[], prefix: string) {
    const t = this.ctx.t ?? ((key: string) => key);
    return values.map((value) => ({ value, text: t(prefix + value) }));
  });
  // The boxes of a refused date to mark (every box when it gives none): see domain/typedDate.ts.
  environment.addFilter('datePartsInError', datePartsInError);
  // A care-team role in the page's language when it is one we know, else as the record has it.
  environment.addFilter('careTeamRole', function (this: FilterContext, role: string | null | undefined) {
    const word = careTeamRoleWord(role);
    return word && this.ctx.t ? this.ctx.t(`record.careTeam.roles.${word}`) : role;
  });
  // A lab test or panel by its plain name (domain/labTests.ts); the recorded title is its full name.
  environment.addFilter('testName', function (this: FilterContext, test: { testCode?: string | null; title: string }) {
    const name = plainTestName(test.testCode, test.title);
    if ('text' in name) return name.text;
    return this.ctx.t ? this.ctx.t(`record.results.testNames.${name.word}`) : test.title;
  });
  environment.addFilter('unit', (unit: string | null | undefined) => readableUnit(unit));
  // Macros take one object; this returns a copy with one attribute set (for defaults).
  environment.addFilter('setAttribute', (object: Record<string, unknown>, key: string, value: unknown) => ({ ...object, [key]: value }));
  return environment;
}
