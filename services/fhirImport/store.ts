// Step 2 of an import: tier by tier, resolve each staged row's references to row ids and
// write the rows, so every reference points at something already stored.
import type { Knex } from 'knex';
import { stagedByFullUrl, stagedChunk, type StagedRow } from '../../data/record/importStaging.ts';
import { idsBySourceId, linkRows, markDuplicates, replaceChildren, upsertRows } from '../../data/record/recordWrites.ts';
import type { MappedResource, RecordTable, ReferenceField } from './mapping.ts';
import type { EntryResult, ImportProblem } from './outcome.ts';
import type { ProblemLog } from './stage.ts';
import { LAST_TIER } from './resources/index.ts';

const CHUNK = 500;
const URL_REFERENCE = /^(urn:uuid:|urn:oid:)/;
const TYPED_REFERENCE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

export interface StoreResult {
  created: number;
  updated: number;
  patientIds: Set<number>;
}

export interface StoreOptions {
  /** Called with each stored entry's outcome (for a transaction-response). */
  onEntry?: ((index: number, result: EntryResult) => void) | undefined;
}

export async function storeStaged(trx: Knex.Transaction, problems: ProblemLog, options: StoreOptions = {}): Promise<StoreResult> {
  const result: StoreResult = { created: 0, updated: 0, patientIds: new Set() };
  for (let tier = 1; tier <= LAST_TIER; tier++) {
    let after = -1;
    for (;;) {
      const chunk = await stagedChunk(trx, tier, after, CHUNK);
      if (!chunk.length) break;
      after = chunk[chunk.length - 1]!.entry_index;
      await storeChunk(trx, chunk, problems, result, options);
    }
    // Later tiers refer to this one: stop at the first tier with problems, so that every
    // problem reported is a real one and not a consequence of an earlier one.
    if (problems.count) return result;
  }
  for (const table of ['clinical_notes', 'lab_observations', 'diagnostic_reports'] as const) await markDuplicates(trx, table);
  return result;
}

interface Resolution {
  owner: StagedRow;
  field: ReferenceField;
  /** Leave out quietly when it cannot be followed (a report's results, optional practitioners). */
  lenient: boolean;
  target?: { table: RecordTable; column: string; sourceId: string };
  id?: number;
}

async function storeChunk(trx: Knex.Transaction, chunk: StagedRow[], problems: ProblemLog, result: StoreResult, options: StoreOptions): Promise<void> {
  const resolutions: Resolution[] = [];
  for (const owner of chunk) {
    const row = owner.mapped as MappedResource;
    for (const field of row.references) resolutions.push({ owner, field, lenient: field.ignoreOtherTypes === true });
    for (const child of row.children?.rows ?? []) for (const field of child.references) resolutions.push({ owner, field, lenient: field.ignoreOtherTypes === true });
    for (const field of row.links?.references ?? []) resolutions.push({ owner, field, lenient: true });
  }
  const before = problems.count;
  await resolve(trx, resolutions, problems);
  if (problems.count > before) return;

  const resolved = new Map(resolutions.map((r) => [r.field, r]));
  const byTable = new Map<string, StagedRow[]>();
  for (const owner of chunk) byTable.set(owner.table_name!, [...(byTable.get(owner.table_name!) ?? []), owner]);
  for (const [table, owners] of byTable) {
    const rows = owners.map((owner) => {
      const mapped = owner.mapped as MappedResource;
      const columns = { ...mapped.columns };
      for (const field of mapped.references) {
        const r = resolved.get(field);
        if (r?.id !== undefined) columns[r.target!.column] = r.id;
      }
      return { sourceId: owner.source_id, naturalKey: mapped.naturalKey, columns };
    });
    const written = await upsertRows(trx, table, rows);
    for (const [position, owner] of owners.entries()) {
      const stored = written.get(owner.source_id)!;
      if (stored.created) result.created += 1;
      else result.updated += 1;
      options.onEntry?.(owner.entry_index, { status: stored.created ? 'created' : 'updated', location: `${owner.resource_type}/${owner.source_id}` });
      const patientId = table === 'patients' ? stored.id : rows[position]!.columns.patient_id;
      if (typeof patientId === 'number') result.patientIds.add(patientId);
    }
    await writeChildrenAndLinks(trx, owners, written, resolved);
  }
}

async function writeChildrenAndLinks(
  trx: Knex.Transaction,
  owners: StagedRow[],
  written: Map<string, { id: number }>,
  resolved: Map<ReferenceField, Resolution>,
): Promise<void> {
  const idOf = (field: ReferenceField) => resolved.get(field)?.id;
  const first = owners[0]!.mapped as MappedResource;
  if (first.children) {
    const { table, parentColumn } = first.children;
    const parentIds: number[] = [];
    const rows: Record<string, unknown>[] = [];
    for (const owner of owners) {
      const parentId = written.get(owner.source_id)!.id;
      parentIds.push(parentId);
      const seen = new Set<string>();
      for (const child of (owner.mapped as MappedResource).children?.rows ?? []) {
        const columns: Record<string, unknown> = { ...child.columns, [parentColumn]: parentId };
        let complete = true;
        for (const field of child.references) {
          const r = resolved.get(field);
          if (r?.id === undefined) complete = false;
          else columns[r.target!.column] = r.id;
        }
        // The same clinician listed twice is one member.
        const key = JSON.stringify(child.references.map(idOf));
        if (!complete || (child.references.length && seen.has(key))) continue;
        seen.add(key);
        rows.push(columns);
      }
    }
    await replaceChildren(trx, table, parentColumn, parentIds, rows);
  }
  if (first.links) {
    const links = owners.map((owner) => ({
      parentId: written.get(owner.source_id)!.id,
      ids: ((owner.mapped as MappedResource).links?.references ?? []).flatMap((field) => {
        const id = idOf(field);
        return id === undefined ? [] : [id];
      }),
    }));
    await linkRows(trx, first.links.table, first.links.column, links);
  }
}

async function resolve(trx: Knex.Transaction, resolutions: Resolution[], problems: ProblemLog): Promise<void> {
  const report = (r: Resolution, message: string, code: ImportProblem['code'] = 'not-found') => {
    if (r.lenient) return;
    problems.add({ location: r.owner.location, expression: `${r.owner.resource_path}.${r.field.path}`, message: `${r.field.path} "${r.field.reference}" ${message}`, code });
  };
  const staged = await stagedByFullUrl(trx, resolutions.filter((r) => URL_REFERENCE.test(r.field.reference)).map((r) => r.field.reference));
  const wanted = new Map<RecordTable, Set<string>>();
  for (const r of resolutions) {
    let type: string;
    let sourceId: string;
    if (URL_REFERENCE.test(r.field.reference)) {
      const entry = staged.get(r.field.reference);
      if (!entry) {
        report(r, 'does not resolve: no entry of this import has that fullUrl');
        continue;
      }
      if (entry.table_name === null) {
        report(r, `refers to a ${entry.resource_type} the portal does not keep`, 'not-supported');
        continue;
      }
      [type, sourceId] = [entry.resource_type, entry.source_id];
    } else {
      const match = TYPED_REFERENCE.exec(r.field.reference);
      if (!match) {
        report(r, 'is not a reference the importer can follow (use urn:uuid:… or Type/id)', 'value');
        continue;
      }
      [type, sourceId] = [match[1]!, match[2]!];
    }
    const target = r.field.targets[type];
    if (!target) {
      report(r, `must refer to a ${Object.keys(r.field.targets).join(' or ')}, not a ${type}`, 'value');
      continue;
    }
    r.target = { ...target, sourceId };
    wanted.set(target.table, (wanted.get(target.table) ?? new Set()).add(sourceId));
  }
  const found = new Map<RecordTable, Map<string, number>>();
  for (const [table, sourceIds] of wanted) found.set(table, await idsBySourceId(trx, table, [...sourceIds]));
  for (const r of resolutions) {
    if (!r.target) continue;
    r.id = found.get(r.target.table)?.get(r.target.sourceId);
    if (r.id === undefined) report(r, 'does not resolve: it is neither in this import nor already stored');
  }
}
