// What a resource mapper produces: the row for one table, the references still to resolve to
// row ids, and any child rows (care team members, encounter participants, statement lines).
import type { z } from 'zod';

export type RecordTable =
  | 'clinics'
  | 'practices'
  | 'practitioners'
  | 'practitioner_roles'
  | 'patients'
  | 'related_persons'
  | 'care_teams'
  | 'encounters'
  | 'appointments'
  | 'clinical_notes'
  | 'lab_observations'
  | 'diagnostic_reports'
  | 'medications'
  | 'allergies'
  | 'immunizations'
  | 'coverages'
  | 'billing_statements';

/** Where a reference may point, by the referenced resource's type. */
export type ReferenceTargets = Partial<Record<string, { table: RecordTable; column: string }>>;

export interface ReferenceField {
  /** FHIRPath-like location inside the resource, for error messages. */
  path: string;
  reference: string;
  targets: ReferenceTargets;
  /** A child row whose reference points to another kind of resource is left out, not an error. */
  ignoreOtherTypes?: boolean;
}

export interface ChildRow {
  columns: Record<string, unknown>;
  references: ReferenceField[];
}

export interface MappedResource {
  table: RecordTable;
  columns: Record<string, unknown>;
  references: ReferenceField[];
  /** A business key the row is matched by before its source id (patients by MRN, practitioners by NPI). */
  naturalKey?: { column: 'mrn' | 'npi'; value: string } | undefined;
  /** Rows owned by this one, replaced whole on every import. */
  children?: { table: string; parentColumn: string; rows: ChildRow[] } | undefined;
  /** Rows elsewhere that this one claims (a report's results): their `column` is set to this row's id. */
  links?: { table: RecordTable; column: string; references: ReferenceField[] } | undefined;
}

export interface Problem {
  /** Path inside the resource, such as `birthDate` or `identifier`. */
  path: string;
  message: string;
}

export type MapResult =
  | { kind: 'mapped'; row: MappedResource }
  | { kind: 'skipped'; reason: string }
  | { kind: 'invalid'; problems: Problem[] };

export interface MapContext {
  timeZone: string;
  mrnSystem: string;
}

export interface ResourceMapper<T> {
  resourceType: string;
  /** Import order: a resource is stored after every tier it may refer to. */
  tier: number;
  schema: z.ZodType<T>;
  map(resource: T, context: MapContext): MapResult;
}

/** One reference field with a single kind of target. */
export function referenceTo(path: string, reference: string | undefined, type: string, table: RecordTable, column: string): ReferenceField[] {
  return reference ? [{ path, reference, targets: { [type]: { table, column } } }] : [];
}

export const mapped = (row: MappedResource): MapResult => ({ kind: 'mapped', row });
export const invalid = (...problems: Problem[]): MapResult => ({ kind: 'invalid', problems });
export const skipped = (reason: string): MapResult => ({ kind: 'skipped', reason });

/** Declares a mapper with its schema's type inferred. */
export function defineMapper<S extends z.ZodType>(mapper: ResourceMapper<z.infer<S>> & { schema: S }): ResourceMapper<unknown> {
  return mapper as unknown as ResourceMapper<unknown>;
}
