// What the next back-office page says about the action just done (approved, sent, assigned…):
// kept in the session across the redirect that follows every form, and shown once.
import type { Request, Response } from 'express';

export interface StaffNotice {
  key: string;
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

export function redirectWithNotice(req: Request, res: Response, path: string, key: string, params: Record<string, string> = {}): void {
  req.session.staffNotice = { key, params };
  res.redirect(303, path);
}
