// The one way MyChildren's reads a patient's health record. Opening it checks the holder's link
// and writes the audit row (services/family/patientAccess.ts); every section then passes each
// item through the release policy and the adolescent rules (domain/familyRecord.ts) and says, in
// general terms only, why anything was held. Pages, htmx fragments and the download all read here.
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import {
  careTeamMembersFor,
  familyLabResultDecision,
  familyListItemDecision,
  familyMedicationDecision,
  familyNoteDecision,
  familyReportDecision,
  familyVisitDecision,
  withheldNotices,
  type FamilyDecision,
  type FamilyViewContext,
  type WithheldNotice,
  type WithheldReason,
} from '../../domain/familyRecord.ts';
import { outOfRange, type OutOfRange } from '../../domain/labInterpretation.ts';
import {
  allergyRows,
  careTeamRows,
  careTeamVisitsOf,
  coverageRows,
  encounterLinkRows,
  immunizationRows,
  labResultRows,
  medicationRows,
  noteRow,
  noteRows,
  patientDetailsRow,
  reportRows,
  visitRows,
  type AllergyRow,
  type CareTeamRow,
  type ClinicianRow,
  type CoverageRow,
  type EncounterLinks,
  type ImmunizationRow,
  type LabResultRow,
  type MedicationRow,
  type NoteRow,
  type PatientDetailsRow,
  type ReportRow,
  type VisitRow,
} from '../../data/record/healthRecord.ts';
import type { RequestOrigin } from '../audit.ts';
import type { FamilyViewer } from '../../domain/adolescentPrivacy.ts';
import type { ReleasePolicy } from '../../domain/release.ts';
import { openPatient, viewerOf, type OpenedPatient } from '../family/patientAccess.ts';

export type { AllergyRow, CareTeamRow, CoverageRow, EncounterLinks, ImmunizationRow, MedicationRow, NoteRow, PatientDetailsRow, ReportRow, VisitRow, WithheldNotice };

type RecordDeps = { db: Knex; config: Config; now: () => Date };

/** A section of the record as one viewer may see it, and what they are told about the rest. */
export interface Section<T> {
  items: T[];
  notices: WithheldNotice[];
}

export interface LabResult extends LabResultRow {
  outOfRange: OutOfRange | null;
}

/** The results of one panel (or one result on its own), as they were collected together. */
export interface LabPanel {
  /** The panel report's id, or null for a result that came without a panel. */
  id: number | null;
  /** The panel's code (or the lone result's), so the page can name it in plain words. */
  testCode: string | null;
  title: string;
  effectiveAt: Date | null;
  results: LabResult[];
}

export interface TestHistory {
  testCode: string;
  title: string;
  results: LabResult[];
}

export interface Visits {
  upcoming: VisitRow[];
  past: VisitRow[];
}

/** Lab panels live on the results page; every other category of report on the reports page. */
const LAB_CATEGORY = 'LAB';

/**
 * Opens the patient's record for the signed-in holder (audited as `view-<page>`, allowed or
 * refused), or undefined when the holder may not open it.
 */
export async function openFamilyRecord(
  deps: RecordDeps,
  accountId: number,
  patientId: number,
  page: string,
  origin: RequestOrigin,
  options: { oneItem?: boolean } = {},
): Promise<{ opened: OpenedPatient; record: FamilyRecord } | undefined> {
  const opened = await openPatient(deps, accountId, patientId, page, origin, options);
  if (!opened) return undefined;
  const context: FamilyViewContext = {
    viewer: viewerOf(opened.patient.relationship),
    patientBirthDate: opened.patient.birthDate,
    now: deps.now(),
    timeZone: deps.config.hospital.timeZone,
    policy: deps.config.releasePolicy,
  };
  return { opened, record: new FamilyRecord(deps.db, opened.patient.patientId, context) };
}

/**
 * The care-team members `viewer` may see named (domain/familyRecord.ts careTeamMembersFor). Only
 * for someone other than the patient does this read which visits tie each one to the patient.
 */
export async function careTeamNamedTo(db: Knex, patientId: number, members: ClinicianRow[], viewer: FamilyViewer, policy: ReleasePolicy): Promise<ClinicianRow[]> {
  if (viewer === 'patient') return members;
  const visitsOf = await careTeamVisitsOf(db, patientId);
  const named = new Set(careTeamMembersFor(members.map((member) => ({ id: member.id, visits: visitsOf.get(member.id) ?? [] })), viewer, policy).map((member) => member.id));
  return members.filter((member) => named.has(member.id));
}

/** Keeps what the decision shows, and remembers why the rest was held. */
class Sieve {
  readonly reasons = new Set<WithheldReason>();

  keep<T>(items: readonly T[], decide: (item: T) => FamilyDecision): T[] {
    return items.filter((item) => {
      const decision = decide(item);
      if (!decision.shown) this.reasons.add(decision.reason);
      return decision.shown;
    });
  }
}

export class FamilyRecord {
  constructor(
    private readonly db: Knex,
    readonly patientId: number,
    private readonly context: FamilyViewContext,
  ) {}

  private reportRowsRead?: Promise<ReportRow[]>;

  /** Read once per request: lab panels and the reports page both need them (the download needs both). */
  private allReports(): Promise<ReportRow[]> {
    this.reportRowsRead ??= reportRows(this.db, this.patientId);
    return this.reportRowsRead;
  }

  private section<T>(items: T[], sieve: Sieve): Section<T> {
    return { items, notices: withheldNotices(sieve.reasons, this.context) };
  }

  async visits(): Promise<Visits & { notices: WithheldNotice[] }> {
    const sieve = new Sieve();
    const visible = sieve.keep(await visitRows(this.db, this.patientId), (visit) => familyVisitDecision(visit, this.context));
    const now = this.context.now.getTime();
    const isUpcoming = (visit: VisitRow) => visit.kind === 'appointment' && (visit.start?.getTime() ?? 0) > now;
    const upcoming = visible.filter(isUpcoming);
    // Past visits newest first, as the hospital recorded them (an appointment becomes an encounter).
    const past = visible.filter((visit) => visit.kind === 'encounter' && (visit.start?.getTime() ?? 0) <= now).reverse();
    return { upcoming, past, notices: withheldNotices(sieve.reasons, this.context) };
  }

  /** The visible notes, newest first; with their text for the download. */
  async notes(options: { withText?: boolean } = {}): Promise<Section<NoteRow>> {
    const sieve = new Sieve();
    return this.section(sieve.keep(await noteRows(this.db, this.patientId, options), (note) => familyNoteDecision(note, this.context)), sieve);
  }

  /** One note with its text; undefined when it is not this patient's or may not be shown. */
  async note(noteId: number): Promise<NoteRow | undefined> {
    const note = await noteRow(this.db, this.patientId, noteId);
    return note && familyNoteDecision(note, this.context).shown ? note : undefined;
  }

  /** Lab results grouped by panel, newest panel first. */
  async labPanels(): Promise<Section<LabPanel>> {
    const sieve = new Sieve();
    const [results, reports] = await Promise.all([labResultRows(this.db, this.patientId), this.allReports()]);
    const panels = new Map(reports.map((report) => [report.id, report]));
    const visible = sieve.keep(results, (result) => familyLabResultDecision(result, result.panelId === null ? null : (panels.get(result.panelId) ?? null), this.context));
    const grouped = new Map<string, LabPanel>();
    for (const result of visible) {
      const panel = result.panelId === null ? undefined : panels.get(result.panelId);
      const key = panel ? `panel-${panel.id}` : `result-${result.id}`;
      let group = grouped.get(key);
      if (!group) {
        group = { id: panel?.id ?? null, testCode: panel?.testCode ?? result.testCode, title: panel?.title ?? result.title, effectiveAt: panel?.effectiveAt ?? result.effectiveAt, results: [] };
        grouped.set(key, group);
      }
      group.results.push(withInterpretation(result));
    }
    const ordered = [...grouped.values()].sort((a, b) => (b.effectiveAt?.getTime() ?? 0) - (a.effectiveAt?.getTime() ?? 0));
    return this.section(ordered, sieve);
  }

  /** Every visible result of the same test as this one, newest first; undefined when this one may not be shown. */
  async testHistory(resultId: number): Promise<TestHistory | undefined> {
    const { items } = await this.labPanels();
    const results = items.flatMap((panel) => panel.results);
    const chosen = results.find((result) => result.id === resultId);
    if (!chosen) return undefined;
    return { testCode: chosen.testCode, title: chosen.title, results: results.filter((result) => result.testCode === chosen.testCode) };
  }

  /** Diagnostic and radiology reports (every category but lab panels), newest first. */
  async reports(): Promise<Section<ReportRow>> {
    const sieve = new Sieve();
    const reports = (await this.allReports()).filter((report) => report.category.toUpperCase() !== LAB_CATEGORY);
    return this.section(sieve.keep(reports, (report) => familyReportDecision(report, this.context)), sieve);
  }

  async report(reportId: number): Promise<ReportRow | undefined> {
    const { items } = await this.reports();
    return items.find((report) => report.id === reportId);
  }

  async medications(): Promise<Section<MedicationRow>> {
    const sieve = new Sieve();
    const medications = await medicationRows(this.db, this.patientId);
    return this.section(sieve.keep(medications, (medication) => familyMedicationDecision(medication, this.context)), sieve);
  }

  async allergies(): Promise<Section<AllergyRow>> {
    return this.listSection(await allergyRows(this.db, this.patientId));
  }

  async immunizations(): Promise<Section<ImmunizationRow>> {
    return this.listSection(await immunizationRows(this.db, this.patientId));
  }

  async insurance(): Promise<Section<CoverageRow>> {
    return this.listSection(await coverageRows(this.db, this.patientId));
  }

  /** The PCP and the care team; a parent is not told of clinicians seen only in confidential care. */
  async careTeam(): Promise<CareTeamRow> {
    const careTeam = await careTeamRows(this.db, this.patientId);
    return { ...careTeam, members: await careTeamNamedTo(this.db, this.patientId, careTeam.members, this.context.viewer, this.context.policy) };
  }

  /** The patient's own details (for the download). */
  async patientDetails(): Promise<PatientDetailsRow> {
    const details = await patientDetailsRow(this.db, this.patientId);
    if (!details) throw new Error('An opened patient has no record row');
    return details;
  }

  /**
   * Which visit each note, result and report belongs to, by id only. It shows nothing by itself:
   * a caller links an item it was given to a visit it was given, and drops any other link.
   */
  encounterLinks(): Promise<EncounterLinks> {
    return encounterLinkRows(this.db, this.patientId);
  }

  private listSection<T extends { status: string | null }>(rows: T[]): Section<T> {
    const sieve = new Sieve();
    return this.section(sieve.keep(rows, familyListItemDecision), sieve);
  }
}

function withInterpretation(result: LabResultRow): LabResult {
  return { ...result, outOfRange: outOfRange(result) };
}
