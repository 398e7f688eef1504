// The one way MyPatients reads a patient's record. Opening it goes through openPatientForProvider
// (the access policy, and an audit row for every page, allowed or refused); every section then
// passes each row through the provider rules of domain/providerRecord.ts. It reads the same raw
// queries as the family record (data/record/healthRecord.ts) but never the family release path.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import {
  basisWording,
  encounterSection,
  providerEncounterDecision,
  providerLabResultDecision,
  providerMedicationDecision,
  providerNoteDecision,
  providerReportDecision,
  type BasisWording,
  type ProviderDecision,
  type ProviderRecordPolicy,
} from '../../domain/providerRecord.ts';
import { outOfRange, type OutOfRange } from '../../domain/labInterpretation.ts';
import {
  careTeamRows,
  encounterClinicianRows,
  labResultRows,
  medicationRows,
  noteRow,
  noteRows,
  reportRows,
  visitRows,
  type CareTeamRow,
  type EncounterClinicianRow,
  type LabResultRow,
  type MedicationRow,
  type NoteRow,
  type ReportRow,
  type VisitRow,
} from '../../data/record/healthRecord.ts';
import type { RequestOrigin } from '../audit.ts';
import { openPatientForProvider, type OpenedForProvider } from './providerAccess.ts';

export type { CareTeamRow, EncounterClinicianRow, MedicationRow, NoteRow };

export type ProviderRecordDeps = { db: Knex; config: Pick<Config, 'hospital' | 'releasePolicy'> };

/** Whether an item's values may still change; pages say "preliminary" beside those. */
interface Preliminary {
  preliminary: boolean;
}

export interface ProviderEncounter extends VisitRow {
  clinicians: EncounterClinicianRow[];
}

export type ProviderNote = NoteRow & Preliminary;
export type ProviderReport = ReportRow & Preliminary;
export interface ProviderLabResult extends LabResultRow, Preliminary {
  outOfRange: OutOfRange | null;
}

export interface ProviderLabPanel extends Preliminary {
  /** The panel report's id, or null for a result that came without a panel. */
  id: number | null;
  title: string;
  effectiveAt: Date | null;
  results: ProviderLabResult[];
}

export interface OpenedRecord {
  opened: OpenedForProvider;
  record: ProviderRecord;
  /** The basis in the words the page uses: the PCP is told apart from the PCP's practice colleagues. */
  basisWording: BasisWording;
}

/** Lab panels go on the results page; every other category of report on the reports page. */
const LAB_CATEGORY = 'LAB';

/**
 * Opens the patient's record for a provider's page (audited as `view-<page>`, allowed with the
 * basis or refused with the reason), or undefined when the provider may not see it.
 */
export async function openProviderRecord(deps: ProviderRecordDeps, accountId: number, patientId: number, page: string, origin: RequestOrigin, options: { oneItem?: boolean } = {}): Promise<OpenedRecord | undefined> {
  const opened = await openPatientForProvider(deps, accountId, patientId, page, origin, options);
  if (!opened) return undefined;
  const record = new ProviderRecord(deps.db, patientId, deps.config.releasePolicy);
  const pcp = opened.basis === 'pcp' ? (await record.careTeam()).pcp : null;
  return { opened, record, basisWording: basisWording(opened.basis, pcp?.id === opened.provider.practitionerId) };
}

function keep<T>(items: readonly T[], decide: (item: T) => ProviderDecision): (T & Preliminary)[] {
  const kept: (T & Preliminary)[] = [];
  for (const item of items) {
    const decision = decide(item);
    if (decision.shown) kept.push({ ...item, preliminary: decision.preliminary });
  }
  return kept;
}

export class ProviderRecord {
  private reportRowsRead?: Promise<ReportRow[]>;
  private careTeamRead?: Promise<CareTeamRow>;
  private encountersRead?: Promise<ProviderEncounter[]>;

  constructor(
    private readonly db: Knex,
    readonly patientId: number,
    private readonly policy: ProviderRecordPolicy,
  ) {}

  private allReports(): Promise<ReportRow[]> {
    this.reportRowsRead ??= reportRows(this.db, this.patientId);
    return this.reportRowsRead;
  }

  /** The patient's PCP and practice, and the care team. */
  careTeam(): Promise<CareTeamRow> {
    this.careTeamRead ??= careTeamRows(this.db, this.patientId);
    return this.careTeamRead;
  }

  /** Every encounter the provider may see, newest first, each with the clinicians on it (read once per request). */
  encounters(): Promise<ProviderEncounter[]> {
    this.encountersRead ??= this.readEncounters();
    return this.encountersRead;
  }

  private async readEncounters(): Promise<ProviderEncounter[]> {
    const [visits, clinicians] = await Promise.all([visitRows(this.db, this.patientId), encounterClinicianRows(this.db, this.patientId)]);
    return visits
      .filter((visit) => visit.kind === 'encounter' && providerEncounterDecision(visit).shown)
      .reverse()
      .map((visit) => ({ ...visit, clinicians: clinicians.get(visit.id) ?? [] }));
  }

  /** Hospital stays and emergency visits, newest first. */
  async admissions(): Promise<ProviderEncounter[]> {
    return (await this.encounters()).filter((encounter) => encounterSection(encounter.encounterClass) === 'admissions');
  }

  /** Clinic and video visits, newest first. */
  async specialtyVisits(): Promise<ProviderEncounter[]> {
    return (await this.encounters()).filter((encounter) => encounterSection(encounter.encounterClass) === 'visits');
  }

  async notes(): Promise<ProviderNote[]> {
    return keep(await noteRows(this.db, this.patientId), (note) => providerNoteDecision(note, this.policy));
  }

  /** One note with its text; undefined when it is not this patient's or may not be shown. */
  async note(noteId: number): Promise<ProviderNote | undefined> {
    const note = await noteRow(this.db, this.patientId, noteId);
    return note && keep([note], (row) => providerNoteDecision(row, this.policy))[0];
  }

  /** Lab results grouped by panel, newest panel first. */
  async labPanels(): Promise<ProviderLabPanel[]> {
    const [results, reports] = await Promise.all([labResultRows(this.db, this.patientId), this.allReports()]);
    const panels = new Map(reports.map((report) => [report.id, report]));
    const panelOf = (result: LabResultRow) => (result.panelId === null ? undefined : panels.get(result.panelId));
    const visible = keep(results, (result) => providerLabResultDecision(result, panelOf(result) ?? null, this.policy));
    const grouped = new Map<string, ProviderLabPanel>();
    for (const result of visible) {
      const panel = panelOf(result);
      const key = panel ? `panel-${panel.id}` : `result-${result.id}`;
      let group = grouped.get(key);
      if (!group) {
        const panelDecision = panel ? providerReportDecision(panel, this.policy) : undefined;
        group = { id: panel?.id ?? null, title: panel?.title ?? result.title, effectiveAt: panel?.effectiveAt ?? result.effectiveAt, results: [], preliminary: panelDecision?.shown === true && panelDecision.preliminary };
        grouped.set(key, group);
      }
      group.results.push({ ...result, outOfRange: outOfRange(result) });
      if (result.preliminary) group.preliminary = true;
    }
    return [...grouped.values()].sort((a, b) => (b.effectiveAt?.getTime() ?? 0) - (a.effectiveAt?.getTime() ?? 0));
  }

  /** Diagnostic and radiology reports (every category but lab panels), newest first. */
  async reports(): Promise<ProviderReport[]> {
    const reports = (await this.allReports()).filter((report) => report.category.toUpperCase() !== LAB_CATEGORY);
    return keep(reports, (report) => providerReportDecision(report, this.policy));
  }

  async report(reportId: number): Promise<ProviderReport | undefined> {
    return (await this.reports()).find((report) => report.id === reportId);
  }

  async medications(): Promise<MedicationRow[]> {
    return (await medicationRows(this.db, this.patientId)).filter((medication) => providerMedicationDecision(medication, this.policy).shown);
  }
}
