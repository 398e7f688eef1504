// What the next back-office page says about the action just done (approved, sent, assigned…):
// kept in the session across the redirect that follows every form, and shown once. The session
// holds the notice's full key, since the next page may be another queue's (a second tab, a
// redirect not followed), and that page must still find the notice's own words.
import type { Request, Response } from 'express';
import { STAFF_NOTICES, type StaffNoticeKey } from '../../locales/runtimeKeys.ts';

export interface StaffNotice {
  key: StaffNoticeKey;
  params: Record<string, string>;
}

declare module 'express-session' {
  interface SessionData {
    staffNotice?: StaffNotice;
  }
}

export function takeNotice(req: Request): StaffNotice | undefined {
  const notice = req.session.staffNotice;
  delete req.session.staffNotice;
  return notice;
}

type Area = keyof typeof STAFF_NOTICES;

/** The redirect-with-notice of one area's forms: `area.notices.<key>`, the key from its list. */
export function noticesOf<A extends Area>(area: A) {
  return (req: Request, res: Response, path: string, key: (typeof STAFF_NOTICES)[A][number], params: Record<string, string> = {}): void => {
    req.session.staffNotice = { key: `${area}.notices.${key}` as StaffNoticeKey, params };
    res.redirect(303, path);
  };
}
