// Building blocks for the synthetic bundles: entries, references and dates in the hospital's zone.
import { TZDate } from '@date-fns/tz';
import { formatISO } from 'date-fns';

export type Resource = { resourceType: string; id: string } & Record<string, unknown>;

export interface BundleEntry {
  fullUrl: string;
  resource: Resource;
  request: { method: 'PUT'; url: string };
}

export interface Bundle {
  resourceType: 'Bundle';
  type: 'transaction';
  entry: BundleEntry[];
}

/** Resources of one family refer to each other by urn:uuid, to the shared directory by Type/id. */
export const urn = (resource: Resource) => ({ reference: `urn:uuid:${resource.id}` });
export const typed = (resource: Resource) => ({ reference: `${resource.resourceType}/${resource.id}` });

export function transactionBundle(resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    // PUT with the id: replaying the bundle updates, never duplicates.
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } })),
  };
}

export const coding = (system: string, code: string, display?: string) => ({ system, code, ...(display ? { display } : {}) });
export const concept = (system: string, code: string, display?: string) => ({ coding: [coding(system, code, display)], ...(display ? { text: display } : {}) });

/** 'YYYY-MM-DD' plus a number of days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' a number of whole years earlier or later; 29 February becomes 28 February. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** A local time on a calendar day in the hospital's zone, as a FHIR dateTime with its offset. */
export function localDateTime(date: string, hour: number, minute: number, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return formatISO(new TZDate(y, m - 1, d, hour, minute, timeZone));
}
