// Picks the page's language (the person's remembered choice, else their browser's),
// gives every view `t()` and `content()`, and serves the language switch.
import { Router, type Request } from 'express';
import type { Config } from '../config.ts';
import { chooseLanguage, isLanguage, type Language } from '../domain/language.ts';
import { isLocalPath } from '../domain/localPath.ts';
import { translate, translateContent, type Params } from '../locales/index.ts';
import { formatClockTime } from '../views/formatting.ts';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

declare module 'express-serve-static-core' {
  interface Request {
    language: Language;
  }
}

export function setUpI18n(config: Config): Router {
  const router = Router();

  router.use((req, res, next) => {
    const language = chooseLanguage(readCookie(req, LANGUAGE_COOKIE), req.headers['accept-language']);
    req.language = language;
    const hospitalParams = hospitalPlaceholders(config, language);
    res.locals.lang = language;
    res.locals.otherLanguage = language === 'en' ? 'es' : 'en';
    res.locals.t = (key: string, params: Params = {}) => translate(language, key, { ...hospitalParams, ...params });
    res.locals.content = (key: string) => translateContent(language, `content.${key}`, hospitalParams);
    res.locals.hospital = { ...config.hospital, supportHoursText: hospitalParams.supportHours };
    res.locals.currentPath = req.originalUrl;
    res.setHeader('Content-Language', language);
    next();
  });

  // A plain link, so the switch works without JavaScript and in text browsers.
  router.get('/language/:language', (req, res) => {
    const { language } = req.params;
    const back = isLocalPath(req.query.back) ? req.query.back : '/';
    if (isLanguage(language)) {
      res.cookie(LANGUAGE_COOKIE, language, { maxAge: ONE_YEAR_MS, httpOnly: true, sameSite: 'lax', secure: config.session.secureCookies, path: '/' });
    }
    res.redirect(303, back);
  });

  return router;
}

/** The hospital's details, which any text may mention as {placeholders}. */
function hospitalPlaceholders(config: Config, language: Language): Params {
  const { hospital } = config;
  return {
    hospitalName: hospital.name,
    mainPhone: hospital.mainPhone,
    supportPhone: hospital.supportPhone,
    myPatientsPhone: hospital.myPatientsPhone,
    supportHours: translate(language, 'common.supportHours', {
      start: formatClockTime(hospital.supportHours.start, language),
      end: formatClockTime(hospital.supportHours.end, language),
    }),
  };
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
