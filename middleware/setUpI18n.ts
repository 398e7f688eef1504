// Picks the page's language (the person's remembered choice, else their browser's),
// gives every view `t()` and `content()`, and serves the language switch for people who are
// not signed in (routes/auth/language.ts serves the signed-in one, which saves the choice).
import { parse as parseCookies } from 'cookie';
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { chooseLanguage, isLanguage, LANGUAGES, type Language } from '../domain/language.ts';
import { isLocalPath } from '../domain/localPath.ts';
import { translate, translateContent, translateOrFallBack, type MissingTextReport, type Params } from '../locales/index.ts';
import { hospitalPlaceholders } from '../locales/hospitalPlaceholders.ts';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

declare module 'express-serve-static-core' {
  interface Request {
    language: Language;
  }
}

export function setUpI18n(config: Config, logger: Logger): Router {
  const router = Router();

  // In development and tests a missing text throws, so it is found and fixed. Elsewhere it must
  // never stop a page: it is logged (once per key; a key names no person) and a fallback shown.
  const reported = new Set<string>();
  const missing: MissingTextReport | undefined =
    config.env === 'production'
      ? (language, key) => {
          if (reported.has(`${language}:${key}`)) return;
          reported.add(`${language}:${key}`);
          logger.warn({ language, key }, 'missing text');
        }
      : undefined;

  // What depends only on the language is worked out once, not on every request.
  const perLanguage = Object.fromEntries(LANGUAGES.map((language) => [language, languageDefaults(config, language, missing)])) as Record<Language, LanguageDefaults>;

  router.use((req, res, next) => {
    const language = chooseLanguage(req.headers.cookie ? parseCookies(req.headers.cookie)[LANGUAGE_COOKIE] : undefined, req.headers['accept-language']);
    const defaults = perLanguage[language];
    req.language = language;
    res.locals.lang = language;
    res.locals.otherLanguage = language === 'en' ? 'es' : 'en';
    res.locals.t = defaults.t;
    res.locals.content = defaults.content;
    res.locals.hospital = defaults.hospital;
    res.locals.currentPath = req.originalUrl;
    res.setHeader('Content-Language', language);
    next();
  });

  // A plain link, so the switch works without JavaScript and in text browsers.
  router.get('/language/:language', (req, res) => {
    const { language } = req.params;
    const back = isLocalPath(req.query.back) ? req.query.back : '/';
    if (isLanguage(language)) rememberLanguage(res, config, language);
    res.redirect(303, back);
  });

  return router;
}

/**
 * Makes `language` the page language from the next request on. Besides the switch, sign-in
 * and a change of the account's language use it, so the page follows the account.
 */
export function rememberLanguage(res: Response, config: Pick<Config, 'session'>, language: Language): void {
  res.cookie(LANGUAGE_COOKIE, language, { maxAge: ONE_YEAR_MS, httpOnly: true, sameSite: 'lax', secure: config.session.secureCookies, path: '/' });
}

interface LanguageDefaults {
  t: (key: string, params?: Params) => string;
  content: (key: string) => unknown;
  hospital: Config['hospital'] & { supportHoursText: string };
}

function languageDefaults(config: Config, language: Language, missing: MissingTextReport | undefined): LanguageDefaults {
  const hospitalParams = hospitalPlaceholders(config, language);
  const contentCache = new Map<string, unknown>();
  return {
    t: missing
      ? (key, params = {}) => translateOrFallBack(language, key, { ...hospitalParams, ...params }, missing)
      : (key, params = {}) => translate(language, key, { ...hospitalParams, ...params }),
    // Long page content is the same for everyone reading in this language.
    content: (key) => {
      if (!contentCache.has(key)) contentCache.set(key, translateContent(language, `content.${key}`, hospitalParams));
      return contentCache.get(key);
    },
    hospital: { ...config.hospital, supportHoursText: String(hospitalParams.supportHours) },
  };
}

