// Step 1 of an import: read every entry, check it, map it to its row, and stage it.
import type { Knex } from 'knex';
import type { z } from 'zod';
import { analyzeStaging, insertStaged, repeatedEntries, type StagedRow } from '../../data/record/importStaging.ts';
import type { MapContext } from './mapping.ts';
import type { ImportProblem } from './outcome.ts';
import { MAPPERS } from './resources/index.ts';
import type { EntrySource, SourceEntry } from './sources.ts';

const BATCH = 500;
const ACCEPTED_BUNDLE_TYPES = ['transaction', 'collection'];

export interface StageResult {
  bundleType: string | null;
  /** Entries read, stored or not. */
  entryCount: number;
  staged: number;
  skipped: Record<string, number>;
}

export interface ProblemLog {
  add(problem: ImportProblem): void;
  count: number;
}

export async function stageEntries(trx: Knex.Transaction, source: EntrySource, context: MapContext, problems: ProblemLog): Promise<StageResult> {
  const result: StageResult = { bundleType: null, entryCount: 0, staged: 0, skipped: {} };
  let batch: StagedRow[] = [];
  for await (const item of source) {
    if (item.kind === 'problem') {
      problems.add({ location: item.location, expression: item.expression, message: item.message, code: 'structure' });
    } else if (item.kind === 'bundle') {
      if (item.resourceType !== 'Bundle') problems.add({ location: 'Bundle', expression: 'Bundle.resourceType', message: 'is not "Bundle"', code: 'structure' });
      else if (typeof item.type !== 'string' || !ACCEPTED_BUNDLE_TYPES.includes(item.type)) {
        problems.add({ location: 'Bundle', expression: 'Bundle.type', message: `must be "transaction" or "collection" (got ${JSON.stringify(item.type ?? null)})`, code: 'not-supported' });
      } else result.bundleType = item.type;
    } else {
      const row = stageEntry(item.entry, result.entryCount++, context, problems, result);
      if (row) batch.push(row);
      if (batch.length >= BATCH) {
        await insertStaged(trx, batch);
        batch = [];
      }
    }
  }
  await insertStaged(trx, batch);
  await analyzeStaging(trx);
  for (const repeat of await repeatedEntries(trx)) {
    const [first, ...others] = repeat.locations;
    for (const location of others) {
      problems.add({ location, expression: location, message: `names the same record as ${first} (${repeat.what})`, code: 'duplicate' });
    }
  }
  return result;
}

function stageEntry(entry: SourceEntry, index: number, context: MapContext, problems: ProblemLog, result: StageResult): StagedRow | null {
  const { location, resourcePath } = entry;
  const resource = entry.resource as Record<string, unknown>;
  const resourceType = typeof resource?.resourceType === 'string' ? resource.resourceType : null;
  if (!resourceType) {
    problems.add({ location, expression: `${resourcePath}.resourceType`, message: 'has no resourceType', code: 'required' });
    return null;
  }
  const sourceId = sourceIdOf(entry, resource);
  if (!sourceId) {
    problems.add({ location, expression: `${resourcePath}.id`, message: `${resourceType} has no id (give resource.id, or a urn:uuid fullUrl)`, code: 'required' });
    return null;
  }
  const base = { entry_index: index, location, resource_path: resourcePath, full_url: entry.fullUrl, resource_type: resourceType, source_id: sourceId };
  const mapper = MAPPERS.get(resourceType);
  const skip = () => {
    result.skipped[resourceType] = (result.skipped[resourceType] ?? 0) + 1;
    // Kept (unstored) so a reference to it can be recognised and left out.
    return { ...base, natural_key: null, tier: 0, table_name: null, mapped: null };
  };
  if (!mapper) return skip();
  const parsed = mapper.schema.safeParse(resource);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.add({ location, expression: `${resourcePath}${pathText(issue.path)}`, message: `${resourceType}${pathText(issue.path)} ${issueText(issue)}`, code: 'value' });
    }
    return null;
  }
  const mapped = mapper.map(parsed.data, context);
  if (mapped.kind === 'invalid') {
    for (const problem of mapped.problems) {
      problems.add({ location, expression: `${resourcePath}.${problem.path}`, message: `${resourceType}.${problem.path} ${problem.message}`, code: 'value' });
    }
    return null;
  }
  if (mapped.kind === 'skipped') return skip();
  result.staged += 1;
  const naturalKey = mapped.row.naturalKey;
  return { ...base, natural_key: naturalKey ? naturalKey.value : null, tier: mapper.tier, table_name: mapped.row.table, mapped: mapped.row };
}

/**
 * The id a resource is kept under, so a re-import finds it: its own id, else the id of a
 * transaction's `PUT Type/id`, else its urn:uuid, else its first business identifier.
 */
function sourceIdOf(entry: SourceEntry, resource: Record<string, unknown>): string | null {
  if (typeof resource.id === 'string' && resource.id) return resource.id;
  if (entry.requestId) return entry.requestId;
  if (entry.fullUrl?.startsWith('urn:uuid:')) return entry.fullUrl.slice('urn:uuid:'.length);
  const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as { system?: unknown; value?: unknown }[]) : [];
  const first = identifiers.find((i) => typeof i?.value === 'string' && i.value);
  return first ? `${typeof first.system === 'string' ? first.system : ''}|${String(first.value)}` : null;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
  return issue.message;
}
