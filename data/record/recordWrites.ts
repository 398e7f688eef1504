// Writing imported rows: find what is already stored, insert or update in place, replace
// child rows, and mark items that copy another.
import type { Knex } from 'knex';
import { stagedBusinessIdentifiers } from './importStaging.ts';

/** Row ids by source id, for resolving references to already stored (or just written) rows. */
export async function idsBySourceId(trx: Knex.Transaction, table: string, sourceIds: string[]): Promise<Map<string, number>> {
  if (!sourceIds.length) return new Map();
  const rows = await trx(table).select('id', 'source_id').where('source_id', '=', trx.raw('ANY(?)', [sourceIds]));
  return new Map(rows.map((row) => [row.source_id, Number(row.id)]));
}

export interface UpsertRow {
  sourceId: string;
  naturalKey?: { column: 'mrn' | 'npi'; value: string } | undefined;
  columns: Record<string, unknown>;
}

/**
 * Inserts new rows and updates stored ones in place. A row is the stored one with the same
 * natural key (MRN, NPI) if there is one, else the one with the same source id.
 * Returns each row's id and whether it was created.
 */
export async function upsertRows(trx: Knex.Transaction, table: string, rows: UpsertRow[]): Promise<Map<string, { id: number; created: boolean }>> {
  const result = new Map<string, { id: number; created: boolean }>();
  if (!rows.length) return result;
  const naturalColumn = rows.find((row) => row.naturalKey)?.naturalKey?.column;
  const naturalValues = rows.flatMap((row) => (row.naturalKey ? [row.naturalKey.value] : []));
  const stored: Record<string, unknown>[] = await trx(table)
    .select(['id', 'source_id', ...(naturalColumn ? [naturalColumn] : [])])
    .whereIn('source_id', rows.map((row) => row.sourceId))
    .modify((query) => {
      if (naturalColumn) query.orWhereIn(naturalColumn, naturalValues);
    });
  const bySource = new Map(stored.map((row) => [row.source_id as string, Number(row.id)]));
  const byNatural = new Map(naturalColumn ? stored.map((row) => [row[naturalColumn] as string, Number(row.id)]) : []);
  const now = trx.fn.now();
  const records = rows.map((row) => {
    const id = (row.naturalKey && byNatural.get(row.naturalKey.value)) ?? bySource.get(row.sourceId);
    // knex writes DEFAULT for a key a row leaves out, so new rows get their id from the sequence.
    return { ...(id ? { id } : {}), source_id: row.sourceId, imported_at: now, ...row.columns };
  });
  const written: { id: string | number; source_id: string }[] = await trx(table).insert(records).onConflict('id').merge().returning(['id', 'source_id']);
  const existing = new Set(bySource.values());
  for (const value of byNatural.values()) existing.add(value);
  for (const row of written) result.set(row.source_id, { id: Number(row.id), created: !existing.has(Number(row.id)) });
  return result;
}

/** Replaces the child rows of the given parents with the given rows. */
export async function replaceChildren(trx: Knex.Transaction, table: string, parentColumn: string, parentIds: number[], rows: Record<string, unknown>[]): Promise<void> {
  if (!parentIds.length) return;
  await trx(table).whereIn(parentColumn, parentIds).delete();
  for (let start = 0; start < rows.length; start += 1000) await trx(table).insert(rows.slice(start, start + 1000));
}

/** Sets `column` to `parentId` on the given rows (a report's results). */
export async function linkRows(trx: Knex.Transaction, table: string, column: string, links: { parentId: number; ids: number[] }[]): Promise<void> {
  for (const link of links) if (link.ids.length) await trx(table).whereIn('id', link.ids).update({ [column]: link.parentId });
}

/**
 * Items of one patient sharing a business identifier are copies: our own copy (else the first
 * stored) is the original, and every other copy points to it. Only identifiers touched by this
 * import are looked at; an item that is no longer a copy is un-marked.
 */
export async function markDuplicates(trx: Knex.Transaction, table: 'clinical_notes' | 'lab_observations' | 'diagnostic_reports'): Promise<void> {
  await trx.raw(
    `UPDATE ?? AS item SET duplicate_of_id = NULLIF(copies.original_id, item.id)
       FROM (SELECT id, first_value(id) OVER (PARTITION BY patient_id, business_identifier ORDER BY is_external, id) AS original_id
               FROM ?? WHERE business_identifier IN (${stagedBusinessIdentifiers(trx, table).toQuery()})) AS copies
      WHERE item.id = copies.id AND item.duplicate_of_id IS DISTINCT FROM NULLIF(copies.original_id, item.id)`,
    [table, table],
  );
}
