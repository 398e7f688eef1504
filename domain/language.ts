// Which language to show a page in: the person's own choice first, then their browser's.
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * `chosen` is the language the person picked (remembered in a cookie);
 * `acceptLanguage` is the browser's Accept-Language header.
 */
export function chooseLanguage(chosen: string | undefined, acceptLanguage: string | undefined): Language {
  if (isLanguage(chosen)) return chosen;
  const preferences = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...attributes] = part.trim().split(';');
      const qualityAttribute = attributes.find((attribute) => attribute.trim().startsWith('q='));
      const quality = qualityAttribute ? Number(qualityAttribute.trim().slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((preference) => preference.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  const match = preferences.find((preference) => isLanguage(preference.primary));
  return match && isLanguage(match.primary) ? match.primary : DEFAULT_LANGUAGE;
}

