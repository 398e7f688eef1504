// "Who has looked at this record": every view of the patient's record through MyChildren's or
// MyPatients, read from the audit log, newest first, a page at a time. Where from (the IP
// address) is never shown; what was looked at is said as the section of the record.
import type { Knex } from 'knex';
import { countRecordViews, recordViews } from '../../data/auditEvents.ts';
import { pageBounds } from '../../domain/paging.ts';
import { RECORD_SECTIONS } from '../../domain/recordSections.ts';

export const VIEWS_PER_PAGE = 25;

export interface RecordView {
  id: number;
  occurredAt: Date;
  name: string | null;
  /** Locale key and values of the viewer's role. */
  role: { key: string; values?: Record<string, string> };
  practiceName: string | null;
  /** Locale key of the part of the record that was looked at. */
  sectionKey: string;
}

export interface RecordViewsPage {
  views: RecordView[];
  /** 1-based; a page past the end shows the last page. */
  page: number;
  pageCount: number;
  total: number;
}

// The record's sections, named as in its navigation (record.nav.*); the summary's audit name is 'record-summary'.
const NAV_SECTIONS: readonly string[] = RECORD_SECTIONS.filter((section) => section !== 'record');
// Pages whose audit name is not a section's path (a single note, a test's history …).
const PAGE_SECTIONS: Readonly<Record<string, string>> = {
  'record-summary': 'record.nav.record',
  'patient-overview': 'record.whoHasLooked.sections.overview',
  'record-download': 'record.whoHasLooked.sections.recordFile',
  note: 'record.nav.notes',
  report: 'record.nav.reports',
  'test-history': 'record.nav.results',
};

// MyPatients record pages (routes/provider/patients.ts: `provider-<page>`), as the family's sections.
const PROVIDER_PAGE_SECTIONS: Readonly<Record<string, string>> = {
  'record-summary': 'record.nav.record',
  notes: 'record.nav.notes',
  note: 'record.nav.notes',
  results: 'record.nav.results',
  reports: 'record.nav.reports',
  report: 'record.nav.reports',
  medications: 'record.nav.medications',
  admissions: 'record.nav.visits',
  visits: 'record.nav.visits',
};
const UNKNOWN_SECTION = 'record.whoHasLooked.sections.unknown';

/** The section an audited action (`view-<page>`) looked at, as a locale key. */
export function sectionKeyOf(action: string): string {
  const page = action.replace(/^view-/, '');
  if (PAGE_SECTIONS[page]) return PAGE_SECTIONS[page];
  if (page.startsWith('provider-')) {
    const providerPage = page.slice('provider-'.length);
    return Object.hasOwn(PROVIDER_PAGE_SECTIONS, providerPage) ? PROVIDER_PAGE_SECTIONS[providerPage]! : UNKNOWN_SECTION;
  }
  // "Share this record" (issue 8): the pages that list who has access and invite providers.
  if (page === 'sharing' || page.startsWith('sharing-')) return 'sharing.whoHasLookedSection';
  // A page named after its section and more ('results-…'): the section it belongs to.
  const section = NAV_SECTIONS.find((name) => page === name || page.startsWith(`${name}-`));
  return section ? `record.nav.${section}` : UNKNOWN_SECTION;
}

function roleOf(view: { actorType: 'family' | 'provider'; relationship: string | null; credential: string | null }): RecordView['role'] {
  if (view.actorType === 'provider') return view.credential ? { key: 'record.whoHasLooked.providerWithCredential', values: { credential: view.credential } } : { key: 'record.whoHasLooked.provider' };
  return view.relationship ? { key: `relationships.${view.relationship}` } : { key: 'record.whoHasLooked.unknownRole' };
}

export async function recordViewsPage(deps: { db: Knex }, patientId: number, requestedPage: number): Promise<RecordViewsPage> {
  const total = await countRecordViews(deps.db, patientId);
  const { page, pageCount, offset } = pageBounds(total, requestedPage, VIEWS_PER_PAGE);
  const rows = await recordViews(deps.db, patientId, { limit: VIEWS_PER_PAGE, offset });
  const views = rows.map((row) => ({ id: row.id, occurredAt: row.occurredAt, name: row.name, role: roleOf(row), practiceName: row.practiceName, sectionKey: sectionKeyOf(row.action) }));
  return { views, page, pageCount, total };
}
