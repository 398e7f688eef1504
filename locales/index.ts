// Every string on every screen and email comes from en.json or es.json.
import { readFileSync } from 'node:fs';
import type { Language } from '../domain/language.ts';

export type Messages = { [key: string]: string | Messages | Messages[] | string[] };

const catalogues: Record<Language, Messages> = {
  en: JSON.parse(readFileSync(new URL('./en.json', import.meta.url), 'utf8')) as Messages,
  es: JSON.parse(readFileSync(new URL('./es.json', import.meta.url), 'utf8')) as Messages,
};

export type Params = Record<string, string | number>;

export class MissingTranslationError extends Error {}

/** The entry at a dotted key: a string, or a structure of strings for long content pages. */
export function lookup(language: Language, key: string): unknown {
  const entry = catalogueEntry(catalogues[language], key);
  if (entry === undefined) throw new MissingTranslationError(`No "${language}" text for "${key}"`);
  return entry;
}

function catalogueEntry(catalogue: Messages, key: string): unknown {
  let entry: unknown = catalogue;
  for (const part of key.split('.')) {
    entry = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[part] : undefined;
  }
  return entry;
}

/** The text at `key` with {placeholders} filled in from `params`. */
export function translate(language: Language, key: string, params: Params = {}): string {
  const entry = lookup(language, key);
  if (typeof entry !== 'string') throw new MissingTranslationError(`"${key}" is not a single text in "${language}"`);
  return interpolate(entry, params);
}

/** Told when a page asks for a text its language's catalogue lacks. */
export type MissingTextReport = (language: Language, key: string) => void;

/**
 * `translate` for pages outside development, where a missing text must not stop the page: it
 * reports the key, then shows the other language's text, or else the key's last segment.
 */
export function translateOrFallBack(language: Language, key: string, params: Params, report: MissingTextReport, from: Record<Language, Messages> = catalogues): string {
  const text = (other: Language) => {
    const entry = catalogueEntry(from[other], key);
    return typeof entry === 'string' ? interpolate(entry, params) : undefined;
  };
  const own = text(language);
  if (own !== undefined) return own;
  report(language, key);
  return text(language === 'en' ? 'es' : 'en') ?? key.slice(key.lastIndexOf('.') + 1);
}

/** A structured entry (sections, lists) with placeholders filled in throughout. */
export function translateContent(language: Language, key: string, params: Params = {}): unknown {
  return fill(lookup(language, key), params);
}

function fill(entry: unknown, params: Params): unknown {
  if (typeof entry === 'string') return interpolate(entry, params);
  if (Array.isArray(entry)) return entry.map((item) => fill(item, params));
  if (entry !== null && typeof entry === 'object') {
    return Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, fill(value, params)]));
  }
  return entry;
}

function interpolate(text: string, params: Params): string {
  // A value that ends with a full stop ("5:00 p.m." in Spanish) already closes the sentence, so
  // the text's own stop right after it is dropped rather than doubled.
  return text.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, stop: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    return stop && value.endsWith('.') ? value : value + stop;
  });
}

/** Every dotted key path in a catalogue, arrays included by index (for the parity test). */
export function keyPaths(language: Language): string[] {
  const paths: string[] = [];
  const walk = (entry: unknown, prefix: string) => {
    if (entry !== null && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry)) walk(value, prefix ? `${prefix}.${key}` : key);
    } else {
      paths.push(prefix);
    }
  };
  walk(catalogues[language], '');
  return paths.sort();
}
