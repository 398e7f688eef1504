// The hospital's details, which pages and emails may mention as {placeholders}.
import type { Config } from '../config.ts';
import type { Language } from '../domain/language.ts';
import { translate, type Params } from './index.ts';
import { formatClockTime } from '../views/formatting.ts';

/** The hospital's details, which any text may mention as {placeholders}. */
export function hospitalPlaceholders(config: Config, language: Language): Params {
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
