// What the identity use cases need from the application.
import type { Knex } from 'knex';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { EmailOutboxDeps } from '../emailOutbox.ts';
import type { AccountKind } from '../../domain/accounts.ts';
import { PORTAL_PREFIX } from '../../domain/accounts.ts';

export interface IdentityDeps extends EmailOutboxDeps {
  db: Knex;
  now: () => Date;
  /** Failed sign-ins per network address, shared by every instance through PostgreSQL. */
  signInLimiter: RateLimiterPostgres;
}

/** An absolute link into `kind`'s portal, for emails. Secrets go in the query string, which is never logged. */
export function portalLink(deps: Pick<IdentityDeps, 'config'>, kind: AccountKind, path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${deps.config.publicUrl}${PORTAL_PREFIX[kind]}${path}${search ? `?${search}` : ''}`;
}

export function minutesFrom(now: Date, minutes: number): Date {
  return new Date(now.getTime() + minutes * 60_000);
}
