// OperationOutcome and transaction-response bundles: what the importer answers.
/** One thing wrong with an import, located by entry. */
export interface ImportProblem {
  /** The entry (`Bundle.entry[3]`, `line 4`) or `Bundle`. */
  location: string;
  /** FHIRPath of the element at fault. */
  expression: string;
  message: string;
  code?: 'invalid' | 'structure' | 'required' | 'value' | 'not-found' | 'duplicate' | 'not-supported' | 'conflict' | 'too-costly' | undefined;
}

export interface ImportCounts {
  created: number;
  updated: number;
  /** Resources of kinds the portal does not keep (Condition, vital signs …), by type. */
  skipped: Record<string, number>;
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'fatal' | 'error' | 'warning' | 'information'; code: string; diagnostics: string; expression?: string[] }[];
}

export function failureOutcome(problems: readonly ImportProblem[], total: number): OperationOutcome {
  const issue: OperationOutcome['issue'] = problems.map((problem) => ({
    severity: 'error',
    code: problem.code ?? 'invalid',
    diagnostics: `${problem.location}: ${problem.message}`,
    expression: [problem.expression],
  }));
  if (total > problems.length) {
    issue.push({ severity: 'error', code: 'too-costly', diagnostics: `${total - problems.length} more problems not listed` });
  }
  issue.push({ severity: 'information', code: 'informational', diagnostics: 'Nothing from this import was stored.' });
  return { resourceType: 'OperationOutcome', issue };
}

export function successOutcome(counts: ImportCounts): OperationOutcome {
  const issue: OperationOutcome['issue'] = [
    { severity: 'information', code: 'informational', diagnostics: `Stored ${counts.created + counts.updated} resources: ${counts.created} created, ${counts.updated} updated.` },
  ];
  for (const [type, count] of Object.entries(counts.skipped)) {
    issue.push({ severity: 'warning', code: 'not-supported', diagnostics: `${count} ${type} resources were not stored: the portal does not keep them.` });
  }
  return { resourceType: 'OperationOutcome', issue };
}

/** What happened to each entry of a transaction, in entry order. */
export interface EntryResult {
  status: 'created' | 'updated' | 'skipped';
  location: string;
}

export function transactionResponse(results: readonly (EntryResult | undefined)[]) {
  return {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: results.map((result) => ({
      response:
        result === undefined || result.status === 'skipped'
          ? { status: '200 OK', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: 'Not stored: the portal does not keep this kind of resource.' }] } }
          : { status: result.status === 'created' ? '201 Created' : '200 OK', location: result.location },
    })),
  };
}
