// Reads of one patient's clinical record, section by section, with the fields the release policy
// and the adolescent rules judge. Nothing here decides what a family may see: every caller goes
// through services/record/familyRecord.ts, which applies domain/familyRecord.ts to each row.
import type { Knex } from 'knex';
import type { CareTeamVisit } from '../../domain/familyRecord.ts';
import type { EncounterClass, LabResultStatus, NoteStatus, ReportStatus } from '../../domain/release.ts';
import { PCP_PRACTICE_ID, patientsWithPcpPractice } from './patients.ts';

/** What the release policy looks at on notes, results and reports. */
export interface ReleaseFields {
  source: 'internal' | 'external';
  duplicateOf: string | undefined;
  confidential: boolean;
  encounterConfidential: boolean;
  sensitivityLabels: string[];
}

export interface VisitRow {
  id: number;
  kind: 'encounter' | 'appointment';
  status: string;
  start: Date | null;
  end: Date | null;
  clinic: string | null;
  encounterClass: EncounterClass | null;
  virtual: boolean;
  reason: string | null;
  clinician: string | null;
  confidential: boolean;
}

export interface NoteRow extends ReleaseFields {
  id: number;
  status: NoteStatus;
  typeCode: string;
  title: string;
  departmentCode: string | null;
  department: string | null;
  encounterClass: EncounterClass | null;
  completedAt: Date | null;
  author: string | null;
  text: string | null;
}

export interface ReportRow extends ReleaseFields {
  id: number;
  status: ReportStatus;
  category: string;
  testCode: string;
  title: string;
  conclusion: string | null;
  effectiveAt: Date | null;
  completedAt: Date | null;
}

export interface LabResultRow extends ReleaseFields {
  id: number;
  status: LabResultStatus;
  testCode: string;
  title: string;
  valueNumber: number | null;
  valueText: string | null;
  unit: string | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  referenceText: string | null;
  flag: string | null;
  effectiveAt: Date | null;
  resultedAt: Date | null;
  panelId: number | null;
}

/** Medicines carry the confidentiality fields the adolescent rules and MyPatients judge (no duplicates, no outside copies). */
export interface MedicationRow extends Pick<ReleaseFields, 'confidential' | 'encounterConfidential' | 'sensitivityLabels'> {
  id: number;
  code: string | null;
  name: string;
  status: string;
  dosage: string | null;
  authoredAt: Date | null;
  prescriber: string | null;
}

export interface AllergyRow {
  id: number;
  code: string | null;
  substance: string;
  status: string | null;
  criticality: string | null;
  reaction: string | null;
  recordedAt: Date | null;
}

export interface ImmunizationRow {
  id: number;
  code: string | null;
  vaccine: string;
  status: string;
  occurredAt: Date | null;
  lotNumber: string | null;
}

export interface ClinicianRow {
  id: number;
  npi: string | null;
  name: string;
  givenNames: string;
  familyName: string;
  credential: string | null;
  phone: string | null;
  role: string | null;
}

export interface PracticeRow {
  id: number;
  name: string;
  phone: string | null;
  fax: string | null;
  addressLine: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

export interface CareTeamRow {
  pcp: ClinicianRow | null;
  pcpPractice: PracticeRow | null;
  members: ClinicianRow[];
}

export interface CoverageRow {
  id: number;
  status: string;
  payerName: string;
  memberId: string | null;
  groupNumber: string | null;
  planName: string | null;
  subscriberRelationship: string | null;
  periodStart: string | null;
  periodEnd: string | null;
}

export interface PatientDetailsRow {
  id: number;
  mrn: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  sex: string | null;
  preferredLanguage: string | null;
  phone: string | null;
  email: string | null;
  addressLine: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const clinicianName = (row: Record<string, any>, prefix: string) =>
  row[`${prefix}_family`] ? [row[`${prefix}_given`], row[`${prefix}_family`]].filter(Boolean).join(' ') + (row[`${prefix}_credential`] ? `, ${row[`${prefix}_credential`]}` : '') : null;

/** Spread it last in a row's literal: spread first, V8 builds slow dictionary-mode objects (measured 20 times slower). */
function releaseFields(row: Record<string, any>): ReleaseFields {
  return {
    source: row.is_external ? 'external' : 'internal',
    duplicateOf: row.duplicate_of_id === null ? undefined : String(row.duplicate_of_id),
    confidential: row.confidential,
    encounterConfidential: row.encounter_confidential === true,
    sensitivityLabels: row.sensitivity_labels ?? [],
  };
}

/** Past visits (encounters) and booked ones (appointments), earliest first. */
export async function visitRows(db: Knex, patientId: number): Promise<VisitRow[]> {
  const [encounters, appointments] = await Promise.all([
    db('encounters as e')
      .leftJoin('clinics as c', 'c.department_code', 'e.department_code')
      .where('e.patient_id', patientId)
      .select('e.id', 'e.status', 'e.period_start', 'e.period_end', 'e.class', 'e.reason', 'e.type', 'e.confidential', 'c.name as clinic', 'e.department_code', db.raw(FIRST_CLINICIAN)),
    db('appointments as a')
      .leftJoin('clinics as c', 'c.department_code', 'a.department_code')
      .leftJoin('practitioners as p', 'p.id', 'a.practitioner_id')
      .where('a.patient_id', patientId)
      .select('a.id', 'a.status', 'a.start_at', 'a.end_at', 'a.is_virtual', 'a.description', 'a.service_type', 'c.name as clinic', 'a.department_code', 'p.given_names as p_given', 'p.family_name as p_family', 'p.credential as p_credential'),
  ]);
  const rows: VisitRow[] = [
    ...encounters.map((row) => ({
      id: Number(row.id),
      kind: 'encounter' as const,
      status: row.status,
      start: row.period_start,
      end: row.period_end,
      clinic: row.clinic ?? row.department_code,
      encounterClass: row.class,
      virtual: row.class === 'virtual',
      reason: row.reason ?? row.type,
      clinician: row.clinician ?? null,
      confidential: row.confidential,
    })),
    ...appointments.map((row) => ({
      id: Number(row.id),
      kind: 'appointment' as const,
      status: row.status,
      start: row.start_at,
      end: row.end_at,
      clinic: row.clinic ?? row.department_code ?? row.service_type,
      encounterClass: null,
      virtual: row.is_virtual,
      reason: row.description,
      clinician: clinicianName(row, 'p'),
      // Appointments carry no confidentiality mark in the record.
      confidential: false,
    })),
  ];
  return rows.sort((a, b) => (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0) || a.id - b.id);
}

/** The first clinician on the encounter, by name and credential. */
const FIRST_CLINICIAN = `(SELECT concat_ws(' ', p.given_names, p.family_name) || coalesce(', ' || p.credential, '')
    FROM encounter_participants ep JOIN practitioners p ON p.id = ep.practitioner_id
   WHERE ep.encounter_id = e.id ORDER BY ep.id LIMIT 1) AS clinician`;

/**
 * Whether the item's visit is confidential, looked up by primary key for each item: joining the
 * encounters table instead lets PostgreSQL scan every visit in the hospital for a busy patient.
 */
const ENCOUNTER_CONFIDENTIAL = (alias: string) => `(SELECT confidential FROM encounters WHERE encounters.id = ${alias}.encounter_id) AS encounter_confidential`;

function noteQuery(db: Knex, patientId: number) {
  return db('clinical_notes as n')
    // A lateral look-up by primary key: a plain join lets the planner scan every visit in the hospital.
    .joinRaw('LEFT JOIN LATERAL (SELECT class, confidential FROM encounters WHERE encounters.id = n.encounter_id) AS e ON true')
    .leftJoin('clinics as c', 'c.department_code', 'n.department_code')
    .leftJoin('practitioners as p', 'p.id', 'n.author_practitioner_id')
    .where('n.patient_id', patientId)
    .select(
      'n.id', 'n.doc_status', 'n.status', 'n.type_code', 'n.type_display', 'n.department_code', 'c.name as department', 'n.completed_at',
      'n.confidential', 'n.sensitivity_labels', 'n.is_external', 'n.duplicate_of_id',
      'e.class as encounter_class', 'e.confidential as encounter_confidential',
      'p.given_names as p_given', 'p.family_name as p_family', 'p.credential as p_credential',
    );
}

function toNote(row: Record<string, any>): NoteRow {
  return {
    id: Number(row.id),
    // DocumentReference.status 'entered-in-error' withdraws the note whatever its docStatus says.
    status: row.status === 'entered-in-error' ? 'entered-in-error' : (row.doc_status ?? 'preliminary'),
    typeCode: row.type_code,
    title: row.type_display ?? row.type_code,
    departmentCode: row.department_code,
    department: row.department ?? row.department_code,
    encounterClass: row.encounter_class ?? null,
    completedAt: row.completed_at,
    author: clinicianName(row, 'p'),
    text: row.text ?? null,
    ...releaseFields(row),
  };
}

/** Every note of the patient, newest first; the text only when asked for (the download), as lists do not show it. */
export async function noteRows(db: Knex, patientId: number, options: { withText?: boolean } = {}): Promise<NoteRow[]> {
  const query = noteQuery(db, patientId);
  if (options.withText) query.select('n.text');
  const rows = await query.orderBy([{ column: 'n.completed_at', order: 'desc', nulls: 'last' }, { column: 'n.id', order: 'desc' }]);
  return rows.map(toNote);
}

/** One note of this patient with its text. */
export async function noteRow(db: Knex, patientId: number, noteId: number): Promise<NoteRow | undefined> {
  const row = await noteQuery(db, patientId).andWhere('n.id', noteId).first('n.text');
  return row && toNote(row);
}

function reportQuery(db: Knex) {
  return db('diagnostic_reports as r')
    .select(
      'r.id', 'r.status', 'r.category', 'r.code', 'r.display', 'r.conclusion', 'r.effective_at', 'r.completed_at',
      'r.confidential', 'r.sensitivity_labels', 'r.is_external', 'r.duplicate_of_id', db.raw(ENCOUNTER_CONFIDENTIAL('r')),
    );
}

function toReport(row: Record<string, any>): ReportRow {
  return {
    id: Number(row.id),
    status: row.status,
    category: row.category,
    testCode: row.code,
    title: row.display ?? row.code,
    conclusion: row.conclusion,
    effectiveAt: row.effective_at,
    completedAt: row.completed_at,
    ...releaseFields(row),
  };
}

/** Every report of the patient (lab panels included), newest first. */
export async function reportRows(db: Knex, patientId: number): Promise<ReportRow[]> {
  const rows = await reportQuery(db)
    .where('r.patient_id', patientId)
    .orderBy([{ column: 'r.effective_at', order: 'desc', nulls: 'last' }, { column: 'r.id', order: 'desc' }]);
  return rows.map(toReport);
}

/** Every lab result of the patient, newest first. */
export async function labResultRows(db: Knex, patientId: number): Promise<LabResultRow[]> {
  const rows = await db('lab_observations as o')
    .where('o.patient_id', patientId)
    .select(
      'o.id', 'o.status', 'o.code', 'o.display', 'o.value_number', 'o.value_text', 'o.unit', 'o.reference_low', 'o.reference_high', 'o.reference_text',
      'o.flag', 'o.effective_at', 'o.resulted_at', 'o.report_id',
      'o.confidential', 'o.sensitivity_labels', 'o.is_external', 'o.duplicate_of_id', db.raw(ENCOUNTER_CONFIDENTIAL('o')),
    )
    .orderBy([{ column: 'o.effective_at', order: 'desc', nulls: 'last' }, { column: 'o.id', order: 'asc' }]);
  return rows.map((row) => ({
    id: Number(row.id),
    status: row.status,
    testCode: row.code,
    title: row.display ?? row.code,
    valueNumber: numberOrNull(row.value_number),
    valueText: row.value_text,
    unit: row.unit,
    referenceLow: numberOrNull(row.reference_low),
    referenceHigh: numberOrNull(row.reference_high),
    referenceText: row.reference_text,
    flag: row.flag,
    effectiveAt: row.effective_at,
    resultedAt: row.resulted_at,
    panelId: numberOrNull(row.report_id),
    ...releaseFields(row),
  }));
}

export async function medicationRows(db: Knex, patientId: number): Promise<MedicationRow[]> {
  const rows = await db('medications as m')
    .leftJoin('practitioners as p', 'p.id', 'm.prescriber_id')
    .where('m.patient_id', patientId)
    .select(
      'm.id', 'm.code', 'm.name', 'm.status', 'm.dosage', 'm.authored_at', 'p.given_names as p_given', 'p.family_name as p_family', 'p.credential as p_credential',
      'm.confidential', 'm.sensitivity_labels', db.raw(ENCOUNTER_CONFIDENTIAL('m')),
    )
    .orderBy([{ column: 'm.authored_at', order: 'desc', nulls: 'last' }, { column: 'm.id', order: 'desc' }]);
  return rows.map((row) => ({
    id: Number(row.id),
    code: row.code,
    name: row.name,
    status: row.status,
    dosage: row.dosage,
    authoredAt: row.authored_at,
    prescriber: clinicianName(row, 'p'),
    confidential: row.confidential,
    encounterConfidential: row.encounter_confidential === true,
    sensitivityLabels: row.sensitivity_labels ?? [],
  }));
}

export async function allergyRows(db: Knex, patientId: number): Promise<AllergyRow[]> {
  const rows = await db('allergies').where('patient_id', patientId).orderBy([{ column: 'recorded_at', order: 'desc', nulls: 'last' }, { column: 'id', order: 'desc' }]);
  return rows.map((row) => ({ id: Number(row.id), code: row.code, substance: row.substance, status: row.clinical_status, criticality: row.criticality, reaction: row.reaction, recordedAt: row.recorded_at }));
}

export async function immunizationRows(db: Knex, patientId: number): Promise<ImmunizationRow[]> {
  const rows = await db('immunizations').where('patient_id', patientId).orderBy([{ column: 'occurred_at', order: 'desc', nulls: 'last' }, { column: 'id', order: 'desc' }]);
  return rows.map((row) => ({ id: Number(row.id), code: row.vaccine_code, vaccine: row.vaccine, status: row.status, occurredAt: row.occurred_at, lotNumber: row.lot_number }));
}

const clinicianColumns = ['p.id', 'p.npi', 'p.given_names', 'p.family_name', 'p.credential', 'p.phone'];

function toClinician(row: Record<string, any>): ClinicianRow {
  const name = [row.given_names, row.family_name].filter(Boolean).join(' ') + (row.credential ? `, ${row.credential}` : '');
  return { id: Number(row.id), npi: row.npi, name, givenNames: row.given_names, familyName: row.family_name, credential: row.credential, phone: row.phone, role: row.role ?? null };
}

/** The patient's PCP and practice (as the access policy takes it), and the members of their active care teams (the PCP once). */
export async function careTeamRows(db: Knex, patientId: number): Promise<CareTeamRow> {
  const patient = await patientsWithPcpPractice(db).where('p.id', patientId).first('p.pcp_practitioner_id', db.raw(`${PCP_PRACTICE_ID} AS pcp_practice_id`));
  const [pcp, practice, members] = await Promise.all([
    patient?.pcp_practitioner_id ? db('practitioners as p').where('p.id', patient.pcp_practitioner_id).first(clinicianColumns) : undefined,
    patient?.pcp_practice_id ? db('practices').where('id', patient.pcp_practice_id).first() : undefined,
    db('care_team_members as m')
      .join('care_teams as t', 't.id', 'm.care_team_id')
      .join('practitioners as p', 'p.id', 'm.practitioner_id')
      .where('t.patient_id', patientId)
      .andWhere((query) => query.whereNull('t.status').orWhereNotIn('t.status', ['inactive', 'entered-in-error']))
      .select([...clinicianColumns, 'm.role'])
      .orderBy('m.id'),
  ]);
  const seen = new Set<number>();
  return {
    pcp: pcp ? toClinician(pcp) : null,
    pcpPractice: practice
      ? { id: Number(practice.id), name: practice.name, phone: practice.phone, fax: practice.fax, addressLine: practice.address_line, city: practice.city, state: practice.state, postalCode: practice.postal_code }
      : null,
    members: members.map(toClinician).filter((member) => !seen.has(member.id) && seen.add(member.id)),
  };
}

/** Which of the patient's visits each clinician took part in, by practitioner id. */
export async function careTeamVisitsOf(db: Knex, patientId: number): Promise<Map<number, CareTeamVisit[]>> {
  const rows = await db('encounter_participants as ep')
    .join('encounters as e', 'e.id', 'ep.encounter_id')
    .where('e.patient_id', patientId)
    .select('ep.practitioner_id', 'e.status', 'e.confidential', 'e.department_code');
  const visitsOf = new Map<number, CareTeamVisit[]>();
  for (const row of rows) {
    const id = Number(row.practitioner_id);
    visitsOf.set(id, [...(visitsOf.get(id) ?? []), { status: row.status, confidential: row.confidential, departmentCode: row.department_code }]);
  }
  return visitsOf;
}

export async function coverageRows(db: Knex, patientId: number): Promise<CoverageRow[]> {
  const rows = await db('coverages')
    .where('patient_id', patientId)
    .select('id', 'status', 'payer_name', 'member_id', 'group_number', 'plan_name', 'subscriber_relationship', db.raw(`to_char(period_start, 'YYYY-MM-DD') AS period_start`), db.raw(`to_char(period_end, 'YYYY-MM-DD') AS period_end`))
    .orderBy([{ column: 'period_start', order: 'desc', nulls: 'last' }, { column: 'id', order: 'desc' }]);
  return rows.map((row) => ({
    id: Number(row.id),
    status: row.status,
    payerName: row.payer_name,
    memberId: row.member_id,
    groupNumber: row.group_number,
    planName: row.plan_name,
    subscriberRelationship: row.subscriber_relationship,
    periodStart: row.period_start,
    periodEnd: row.period_end,
  }));
}

/** The patient's own details, for the downloaded record. */
export async function patientDetailsRow(db: Knex, patientId: number): Promise<PatientDetailsRow | undefined> {
  const row = await db('patients')
    .where('id', patientId)
    .first('id', 'mrn', 'given_names', 'family_name', db.raw(`to_char(birth_date, 'YYYY-MM-DD') AS birth_date`), 'sex', 'preferred_language', 'phone', 'email', 'address_line', 'city', 'state', 'postal_code');
  return (
    row && {
      id: Number(row.id),
      mrn: row.mrn,
      givenNames: row.given_names,
      familyName: row.family_name,
      birthDate: row.birth_date,
      sex: row.sex,
      preferredLanguage: row.preferred_language,
      phone: row.phone,
      email: row.email,
      addressLine: row.address_line,
      city: row.city,
      state: row.state,
      postalCode: row.postal_code,
    }
  );
}

/** Which visit (encounter) each note, lab result and report was recorded in: ids only, nothing to show. */
export interface EncounterLinks {
  notes: Map<number, number>;
  labResults: Map<number, number>;
  reports: Map<number, number>;
}

export async function encounterLinkRows(db: Knex, patientId: number): Promise<EncounterLinks> {
  const linksOf = async (table: string) => {
    const rows = await db(table).where('patient_id', patientId).whereNotNull('encounter_id').select('id', 'encounter_id');
    return new Map(rows.map((row) => [Number(row.id), Number(row.encounter_id)]));
  };
  const [notes, labResults, reports] = await Promise.all([linksOf('clinical_notes'), linksOf('lab_observations'), linksOf('diagnostic_reports')]);
  return { notes, labResults, reports };
}

/** A clinician who took part in a visit, with how to reach them: their own phone and their practice's. */
export interface EncounterClinicianRow extends ClinicianRow {
  encounterId: number;
  practice: string | null;
  practicePhone: string | null;
}

/** The clinicians on each of the patient's encounters (encounter_participants), by encounter id, in the order recorded. */
export async function encounterClinicianRows(db: Knex, patientId: number): Promise<Map<number, EncounterClinicianRow[]>> {
  const rows = await db('encounter_participants as ep')
    .join('encounters as e', 'e.id', 'ep.encounter_id')
    .join('practitioners as p', 'p.id', 'ep.practitioner_id')
    // The practice of the clinician's first active role, if the record names one.
    .joinRaw(
      `LEFT JOIN LATERAL (SELECT pr.name, pr.phone FROM practitioner_roles r JOIN practices pr ON pr.id = r.practice_id
         WHERE r.practitioner_id = p.id AND r.active ORDER BY r.id LIMIT 1) AS practice ON true`,
    )
    .where('e.patient_id', patientId)
    .select([...clinicianColumns, 'ep.role', 'ep.encounter_id', 'practice.name as practice_name', 'practice.phone as practice_phone'])
    .orderBy('ep.id');
  const byEncounter = new Map<number, EncounterClinicianRow[]>();
  for (const row of rows) {
    const encounterId = Number(row.encounter_id);
    const list = byEncounter.get(encounterId) ?? [];
    list.push({ ...toClinician(row), encounterId, practice: row.practice_name ?? null, practicePhone: row.practice_phone ?? null });
    byEncounter.set(encounterId, list);
  }
  return byEncounter;
}
