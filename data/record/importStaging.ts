// The import's staging table: every checked entry of one import, held in PostgreSQL (not in
// memory) until the whole import is known to be good, and dropped when its transaction ends.
import type { Knex } from 'knex';

const STAGING = 'fhir_import_staging';

export interface StagedRow {
  entry_index: number;
  location: string;
  resource_path: string;
  full_url: string | null;
  resource_type: string;
  source_id: string;
  natural_key: string | null;
  /** 0 for an entry that is not stored (kept so references to it can be told apart). */
  tier: number;
  table_name: string | null;
  mapped: unknown;
}

export async function createStaging(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`
    CREATE TEMPORARY TABLE ${STAGING} (
      entry_index integer PRIMARY KEY,
      location text NOT NULL,
      resource_path text NOT NULL,
      full_url text,
      resource_type text NOT NULL,
      source_id text NOT NULL,
      natural_key text,
      tier integer NOT NULL,
      table_name text,
      mapped jsonb
    ) ON COMMIT DROP;
    CREATE INDEX ON ${STAGING} (tier, entry_index);
    CREATE INDEX ON ${STAGING} (full_url);
    CREATE INDEX ON ${STAGING} (table_name, source_id);
  `);
}

export async function insertStaged(trx: Knex.Transaction, rows: StagedRow[]): Promise<void> {
  if (rows.length) await trx(STAGING).insert(rows.map((row) => ({ ...row, mapped: JSON.stringify(row.mapped) })));
}

/** Temporary tables get no automatic statistics; without them every look-up would scan the table. */
export async function analyzeStaging(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`ANALYZE ${STAGING}`);
}

/** The next rows of a tier after the given entry, in entry order. */
export function stagedChunk(trx: Knex.Transaction, tier: number, afterIndex: number, size: number): Promise<StagedRow[]> {
  return trx(STAGING).where('tier', tier).andWhere('entry_index', '>', afterIndex).orderBy('entry_index').limit(size);
}

/** What each urn:uuid (or other full URL) in the import names. */
export async function stagedByFullUrl(
  trx: Knex.Transaction,
  fullUrls: string[],
): Promise<Map<string, { resource_type: string; source_id: string; table_name: string | null }>> {
  if (!fullUrls.length) return new Map();
  const rows = await trx(STAGING).select('full_url', 'resource_type', 'source_id', 'table_name').where('full_url', '=', trx.raw('ANY(?)', [[...new Set(fullUrls)]]));
  return new Map(rows.map((row) => [row.full_url, row]));
}

/** Entries that name the same record twice (same id, or same MRN or NPI) in one import. */
export async function repeatedEntries(trx: Knex.Transaction): Promise<{ locations: string[]; what: string }[]> {
  const { rows } = await trx.raw(`
    SELECT array_agg(location ORDER BY entry_index) AS locations, resource_type || '/' || source_id AS what
      FROM ${STAGING} WHERE table_name IS NOT NULL GROUP BY table_name, resource_type, source_id HAVING count(*) > 1
    UNION ALL
    SELECT array_agg(location ORDER BY entry_index), CASE resource_type WHEN 'Patient' THEN 'the same MRN' ELSE 'the same NPI' END
      FROM ${STAGING} WHERE natural_key IS NOT NULL GROUP BY resource_type, natural_key HAVING count(*) > 1
    LIMIT 100`);
  return rows;
}

/** The business identifiers of one table's rows in this import (for duplicate marking). */
export function stagedBusinessIdentifiers(trx: Knex.Transaction, table: string): Knex.QueryBuilder {
  return trx(STAGING)
    .where('table_name', table)
    .whereRaw(`mapped->'columns'->>'business_identifier' IS NOT NULL`)
    .select(trx.raw(`mapped->'columns'->>'business_identifier'`));
}
