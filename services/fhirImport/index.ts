// Imports FHIR R4 (a transaction or collection bundle, or NDJSON of resources) into the record,
// all or nothing: parse → check and map each entry (stage) → resolve references and write,
// tier by tier (store) → audit, in one database transaction.
import type { Database } from '../../data/database.ts';
import { recordAuditEvents, type AuditEvent } from '../../data/auditEvents.ts';
import { createStaging } from '../../data/record/importStaging.ts';
import { failureOutcome, successOutcome, transactionResponse, type EntryResult, type ImportCounts, type ImportProblem, type OperationOutcome } from './outcome.ts';
import { stageEntries, type ProblemLog } from './stage.ts';
import { storeStaged } from './store.ts';
import type { EntrySource } from './sources.ts';
import { DEFAULT_MRN_SYSTEM } from './systems.ts';

export { entriesFromBundle, entriesFromBundles, entriesFromJsonStream, entriesFromNdjson, sourceFor, ImportTooLargeError, type EntrySource, type SourceFormat } from './sources.ts';

/** Problems listed in an answer; the rest are counted. */
const LISTED_PROBLEMS = 200;

export interface ImportActor {
  type: Extract<AuditEvent['actorType'], 'system' | 'integration'>;
  id?: number | null;
  ip?: string | null;
  requestId?: string | null;
}

export interface ImportOptions {
  timeZone: string;
  mrnSystem?: string;
  actor: ImportActor;
  /** Keep each entry's outcome, for a transaction-response (memory grows with the import). */
  collectEntryResults?: boolean;
}

export type ImportResult =
  | { ok: true; bundleType: string | null; counts: ImportCounts; patientCount: number; outcome: OperationOutcome; response: object }
  | { ok: false; problems: ImportProblem[]; problemCount: number; outcome: OperationOutcome };

class ImportRejected extends Error {}

export async function importFhir(db: Database, source: EntrySource, options: ImportOptions): Promise<ImportResult> {
  const listed: ImportProblem[] = [];
  const problems: ProblemLog = {
    count: 0,
    add(problem) {
      this.count += 1;
      if (listed.length < LISTED_PROBLEMS) listed.push(problem);
    },
  };
  const context = { timeZone: options.timeZone, mrnSystem: options.mrnSystem ?? DEFAULT_MRN_SYSTEM };
  const entryResults: (EntryResult | undefined)[] = [];
  const actor = { actorType: options.actor.type, actorId: options.actor.id, ip: options.actor.ip, requestId: options.actor.requestId };
  try {
    const result = await db.transaction(async (trx) => {
      await createStaging(trx);
      const staged = await stageEntries(trx, source, context, problems);
      if (problems.count) throw new ImportRejected();
      const stored = await storeStaged(trx, problems, {
        onEntry: options.collectEntryResults ? (index, entry) => (entryResults[index] = entry) : undefined,
      });
      if (problems.count) throw new ImportRejected();
      await recordAuditEvents(trx, [
        ...[...stored.patientIds].map((patientId): AuditEvent => ({ ...actor, action: 'record.import', subjectType: 'patient', subjectId: patientId, outcome: 'success' })),
        { ...actor, action: 'fhir.import', outcome: 'success' },
      ]);
      const counts: ImportCounts = { created: stored.created, updated: stored.updated, skipped: staged.skipped };
      return { bundleType: staged.bundleType, entryCount: staged.entryCount, counts, patientCount: stored.patientIds.size };
    });
    const { entryCount, ...summary } = result;
    const outcome = successOutcome(result.counts);
    const response =
      result.bundleType === 'transaction' && options.collectEntryResults ? transactionResponse(Array.from({ length: entryCount }, (_, index) => entryResults[index])) : outcome;
    return { ok: true, ...summary, outcome, response };
  } catch (error) {
    if (!(error instanceof ImportRejected)) {
      const problem = storageProblem(error);
      if (!problem) throw error;
      problems.add(problem);
    }
    await recordAuditEvents(db, [{ ...actor, action: 'fhir.import', outcome: 'failure', reason: 'invalid-import' }]);
    return { ok: false, problems: listed, problemCount: problems.count, outcome: failureOutcome(listed, problems.count) };
  }
}

/** PostgreSQL refusing a value (class 22: data exception, 23: constraint) is bad input, not a fault. */
function storageProblem(error: unknown): ImportProblem | null {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^2[23]/.test(code)) return null;
  return { location: 'Bundle', expression: 'Bundle', message: `could not be stored: ${(error as Error).message.replace(/^.* - /, '')}`, code: code.startsWith('23') ? 'conflict' : 'value' };
}
