// Clinical record rows made directly in the test database, and one patient's record built to
// exercise every release and adolescent rule. Each item carries a marker word in every field a
// page or the download could show, so a test can look for it anywhere:
//   SHOWN… markers must appear to every family viewer,
//   HELD… markers must never appear to anyone,
//   TEEN… markers appear to the patient only, never to a parent or guardian.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { isValidNpi } from '../../domain/npi.ts';

const sourceId = () => `test-${randomBytes(8).toString('hex')}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function insert(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await db(table).insert({ source_id: sourceId(), ...row }).returning('id');
  return Number(inserted.id);
}

export async function ensureClinic(db: Knex, code: string, name: string): Promise<void> {
  await db('clinics').insert({ source_id: `clinic-${code}`, department_code: code, name }).onConflict('department_code').ignore();
}

/** A fresh NPI each time (unique in the table), with a valid check digit. */
export function freshNpi(): string {
  for (;;) {
    const npi = `1${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    if (isValidNpi(npi)) return npi;
  }
}

export function addPractice(db: Knex, fields: { name: string; phone?: string; fax?: string }): Promise<number> {
  return insert(db, 'practices', { name: fields.name, phone: fields.phone ?? '555 010 7000', fax: fields.fax ?? null });
}

export function addPractitioner(db: Knex, fields: { familyName: string; givenNames?: string; credential?: string; npi?: string; phone?: string }): Promise<number> {
  return insert(db, 'practitioners', { family_name: fields.familyName, given_names: fields.givenNames ?? '', credential: fields.credential ?? 'MD', npi: fields.npi ?? null, phone: fields.phone ?? null });
}

export function addEncounter(db: Knex, patientId: number, fields: { start: Date; reason: string; class?: string; department?: string; confidential?: boolean; status?: string }): Promise<number> {
  return insert(db, 'encounters', {
    patient_id: patientId,
    class: fields.class ?? 'ambulatory',
    status: fields.status ?? 'finished',
    department_code: fields.department ?? 'general-pediatrics',
    reason: fields.reason,
    period_start: fields.start,
    period_end: new Date(fields.start.getTime() + HOUR),
    confidential: fields.confidential ?? false,
  });
}

export function addAppointment(db: Knex, patientId: number, fields: { start: Date; description: string; department?: string; status?: string; virtual?: boolean }): Promise<number> {
  return insert(db, 'appointments', {
    patient_id: patientId,
    status: fields.status ?? 'booked',
    department_code: fields.department ?? 'general-pediatrics',
    description: fields.description,
    is_virtual: fields.virtual ?? false,
    start_at: fields.start,
    end_at: new Date(fields.start.getTime() + HOUR / 2),
  });
}

interface ReleaseOptions {
  confidential?: boolean;
  labels?: string[];
  external?: boolean;
  duplicateOf?: number;
}

const releaseColumns = (options: ReleaseOptions) => ({
  confidential: options.confidential ?? false,
  sensitivity_labels: options.labels ?? [],
  is_external: options.external ?? false,
});

export function addNote(
  db: Knex,
  patientId: number,
  fields: ReleaseOptions & { marker: string; completedAt: Date; encounterId?: number; typeCode?: string; department?: string; docStatus?: string; status?: string; authorId?: number },
): Promise<number> {
  return insert(db, 'clinical_notes', {
    patient_id: patientId,
    encounter_id: fields.encounterId ?? null,
    author_practitioner_id: fields.authorId ?? null,
    type_code: fields.typeCode ?? '11506-3',
    type_display: `Progress note ${fields.marker}`,
    department_code: fields.department ?? 'general-pediatrics',
    status: fields.status ?? 'current',
    doc_status: fields.docStatus ?? 'final',
    completed_at: fields.completedAt,
    text: `Seen today. ${fields.marker} is the word to look for.`,
    ...releaseColumns(fields),
    duplicate_of_id: fields.duplicateOf ?? null,
  });
}

export function addReport(
  db: Knex,
  patientId: number,
  fields: ReleaseOptions & { marker: string; completedAt: Date; category?: string; code?: string; status?: string; encounterId?: number },
): Promise<number> {
  return insert(db, 'diagnostic_reports', {
    patient_id: patientId,
    encounter_id: fields.encounterId ?? null,
    category: fields.category ?? 'RAD',
    code: fields.code ?? '36643-5',
    display: `Chest X-ray ${fields.marker}`,
    status: fields.status ?? 'final',
    conclusion: `No acute findings. ${fields.marker}.`,
    effective_at: new Date(fields.completedAt.getTime() - 2 * HOUR),
    completed_at: fields.completedAt,
    ...releaseColumns(fields),
    duplicate_of_id: fields.duplicateOf ?? null,
  });
}

export function addLabResult(
  db: Knex,
  patientId: number,
  fields: ReleaseOptions & { marker: string; resultedAt: Date; code?: string; status?: string; value?: number; low?: number; high?: number; flag?: string; unit?: string; panelId?: number; encounterId?: number; display?: string },
): Promise<number> {
  return insert(db, 'lab_observations', {
    patient_id: patientId,
    encounter_id: fields.encounterId ?? null,
    report_id: fields.panelId ?? null,
    code: fields.code ?? '718-7',
    display: fields.display ?? `Hemoglobin ${fields.marker}`,
    status: fields.status ?? 'final',
    value_number: fields.value ?? 12.5,
    value_text: null,
    unit: fields.unit ?? 'g/dL',
    reference_low: fields.low ?? 11.5,
    reference_high: fields.high ?? 15.5,
    flag: fields.flag ?? null,
    effective_at: new Date(fields.resultedAt.getTime() - 4 * HOUR),
    resulted_at: fields.resultedAt,
    ...releaseColumns(fields),
    duplicate_of_id: fields.duplicateOf ?? null,
  });
}

export function addMedication(
  db: Knex,
  patientId: number,
  fields: Omit<ReleaseOptions, 'external' | 'duplicateOf'> & { name: string; status?: string; authoredAt: Date; dosage?: string; encounterId?: number },
): Promise<number> {
  return insert(db, 'medications', {
    patient_id: patientId,
    encounter_id: fields.encounterId ?? null,
    name: fields.name,
    status: fields.status ?? 'active',
    dosage: fields.dosage ?? '5 mL by mouth twice a day',
    authored_at: fields.authoredAt,
    confidential: fields.confidential ?? false,
    sensitivity_labels: fields.labels ?? [],
  });
}

export function addAllergy(db: Knex, patientId: number, fields: { substance: string; status?: string; recordedAt: Date }): Promise<number> {
  return insert(db, 'allergies', { patient_id: patientId, substance: fields.substance, clinical_status: fields.status ?? 'active', criticality: 'high', reaction: 'Hives', recorded_at: fields.recordedAt });
}

export function addImmunization(db: Knex, patientId: number, fields: { vaccine: string; status?: string; occurredAt: Date }): Promise<number> {
  return insert(db, 'immunizations', { patient_id: patientId, vaccine: fields.vaccine, vaccine_code: '20', status: fields.status ?? 'completed', occurred_at: fields.occurredAt, lot_number: 'L123456' });
}

export function addCoverage(db: Knex, patientId: number, fields: { payerName: string; status?: string }): Promise<number> {
  return insert(db, 'coverages', { patient_id: patientId, payer_name: fields.payerName, status: fields.status ?? 'active', member_id: 'M123456789', group_number: 'G12345', plan_name: 'Family Plan', subscriber_relationship: 'child', period_start: '2026-01-01' });
}

export async function addCareTeam(db: Knex, patientId: number, members: { practitionerId: number; role: string }[]): Promise<number> {
  const teamId = await insert(db, 'care_teams', { patient_id: patientId, name: 'Care team', status: 'active' });
  await db('care_team_members').insert(members.map((member) => ({ care_team_id: teamId, practitioner_id: member.practitionerId, role: member.role })));
  return teamId;
}

export async function setPcp(db: Knex, patientId: number, practitionerId: number, practiceName: string): Promise<void> {
  const practiceId = await insert(db, 'practices', { name: practiceName, phone: '555 010 4000', fax: '555 010 4001', address_line: '1 Main Street', city: 'Boston', state: 'MA', postal_code: '02115' });
  await db('patients').where('id', patientId).update({ pcp_practitioner_id: practitionerId, pcp_practice_id: practiceId });
}

export interface RecordMarkers {
  /** Every family viewer sees these. */
  shown: string[];
  /** No family viewer ever sees these. */
  held: string[];
  /** The patient sees these; parents and guardians never do. */
  teen: string[];
  ids: { noteId: number; heldNoteId: number; teenLabId: number; labId: number; reportId: number; heldReportId: number; teenReportId: number };
}

/**
 * A record with one item for each rule. Radiology waits 4 days in the test app's policy
 * (REPORT_RELEASE_DELAY_DAYS=RAD=4, see RECORD_TEST_ENV), so a report completed an hour ago is held.
 */
export async function fillRecordForEveryRule(db: Knex, patientId: number, now = new Date()): Promise<RecordMarkers> {
  await Promise.all([
    ensureClinic(db, 'general-pediatrics', 'General Pediatrics'),
    ensureClinic(db, 'psychiatry', 'Psychiatry'),
    ensureClinic(db, 'adolescent-medicine', 'Adolescent Medicine'),
  ]);
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const pcp = await addPractitioner(db, { familyName: 'Okafor', givenNames: 'Ada', npi: freshNpi(), phone: '555 010 5000' });
  await setPcp(db, patientId, pcp, 'Harbor Pediatrics');
  await addCareTeam(db, patientId, [{ practitionerId: pcp, role: 'Primary care provider' }]);

  const visit = await addEncounter(db, patientId, { start: ago(30), reason: 'SHOWNVISIT' });
  const inpatient = await addEncounter(db, patientId, { start: ago(60), reason: 'SHOWNSTAY', class: 'inpatient', department: 'inpatient-medicine' });
  const emergency = await addEncounter(db, patientId, { start: ago(90), reason: 'SHOWNEMERGENCY', class: 'emergency', department: 'emergency' });
  const confidentialVisit = await addEncounter(db, patientId, { start: ago(20), reason: 'TEENVISIT', department: 'adolescent-medicine', confidential: true });
  // On the care team only through the confidential visit: naming them to a parent says where it was.
  const teenClinician = await addPractitioner(db, { familyName: 'TEENCLINICIAN', givenNames: 'Rae', npi: freshNpi(), phone: '555 010 5001' });
  await db('encounter_participants').insert({ encounter_id: confidentialVisit, practitioner_id: teenClinician, role: 'ATND' });
  await addCareTeam(db, patientId, [{ practitionerId: teenClinician, role: 'Specialist' }]);
  await addEncounter(db, patientId, { start: ago(25), reason: 'HELDERRORVISIT', status: 'entered-in-error' });
  await addAppointment(db, patientId, { start: new Date(now.getTime() + 10 * DAY), description: 'SHOWNAPPOINTMENT' });
  await addAppointment(db, patientId, { start: new Date(now.getTime() + 12 * DAY), description: 'HELDERRORAPPOINTMENT', status: 'entered-in-error' });

  const noteId = await addNote(db, patientId, { marker: 'SHOWNNOTE', completedAt: ago(29), encounterId: visit });
  const heldNoteId = await addNote(db, patientId, { marker: 'HELDINPATIENTNOTE', completedAt: ago(59), encounterId: inpatient, department: 'inpatient-medicine' });
  await addNote(db, patientId, { marker: 'HELDEMERGENCYNOTE', completedAt: ago(89), encounterId: emergency, department: 'emergency' });
  await addNote(db, patientId, { marker: 'HELDDISCHARGESUMMARY', completedAt: ago(28), encounterId: visit, typeCode: '18842-5' });
  await addNote(db, patientId, { marker: 'HELDPSYCHIATRYNOTE', completedAt: ago(27), department: 'psychiatry' });
  await addNote(db, patientId, { marker: 'HELDCONFIDENTIALVISITNOTE', completedAt: ago(19), encounterId: confidentialVisit, department: 'general-pediatrics' });
  await addNote(db, patientId, { marker: 'HELDCONFIDENTIALNOTE', completedAt: ago(26), confidential: true });
  await addNote(db, patientId, { marker: 'HELDUNSIGNEDNOTE', completedAt: ago(1), docStatus: 'preliminary' });
  await addNote(db, patientId, { marker: 'HELDERRORNOTE', completedAt: ago(24), status: 'entered-in-error' });
  await addNote(db, patientId, { marker: 'HELDLABELLEDNOTE', completedAt: ago(23), labels: ['ETH'] });
  await addNote(db, patientId, { marker: 'HELDCOPYNOTE', completedAt: ago(29), external: true, duplicateOf: noteId });

  const panelId = await addReport(db, patientId, { marker: 'SHOWNPANEL', completedAt: ago(30), category: 'LAB', code: '58410-2', encounterId: visit });
  const labId = await addLabResult(db, patientId, { marker: 'SHOWNLAB', resultedAt: ago(30), panelId, encounterId: visit, value: 9.8, flag: 'L' });
  await addLabResult(db, patientId, { marker: 'SHOWNOLDLAB', resultedAt: ago(400), value: 13.1 });
  await addLabResult(db, patientId, { marker: 'HELDHIVTEST', resultedAt: ago(30), code: '56888-1', display: 'HIV 1+2 antibody HELDHIVTEST', panelId });
  await addLabResult(db, patientId, { marker: 'HELDLABELLEDLAB', resultedAt: ago(30), code: '2345-7', labels: ['STD'] });
  await addLabResult(db, patientId, { marker: 'HELDPRELIMINARYLAB', resultedAt: ago(1), status: 'preliminary' });
  await addLabResult(db, patientId, { marker: 'HELDERRORLAB', resultedAt: ago(30), status: 'entered-in-error' });
  await addLabResult(db, patientId, { marker: 'HELDCOPYLAB', resultedAt: ago(30), external: true, duplicateOf: labId });
  const geneticPanel = await addReport(db, patientId, { marker: 'HELDGENETICPANEL', completedAt: ago(40), category: 'LAB', code: '51969-4' });
  await addLabResult(db, patientId, { marker: 'HELDGENETICRESULT', resultedAt: ago(40), code: '2951-2', panelId: geneticPanel });
  const teenLabId = await addLabResult(db, patientId, { marker: 'TEENLAB', resultedAt: ago(20), code: '2345-7', confidential: true });
  await addLabResult(db, patientId, { marker: 'TEENVISITLAB', resultedAt: ago(20), code: '2093-3', encounterId: confidentialVisit });

  const reportId = await addReport(db, patientId, { marker: 'SHOWNREPORT', completedAt: ago(10) });
  const heldReportId = await addReport(db, patientId, { marker: 'HELDDELAYEDREPORT', completedAt: new Date(now.getTime() - HOUR) });
  await addReport(db, patientId, { marker: 'HELDPRELIMINARYREPORT', completedAt: ago(2), status: 'preliminary' });
  await addReport(db, patientId, { marker: 'HELDCANCELLEDREPORT', completedAt: ago(9), status: 'cancelled' });
  await addReport(db, patientId, { marker: 'HELDSENSITIVEREPORT', completedAt: ago(9), category: 'GE', code: '51969-4' });
  const teenReportId = await addReport(db, patientId, { marker: 'TEENREPORT', completedAt: ago(15), category: 'US', encounterId: confidentialVisit });

  await addMedication(db, patientId, { name: 'SHOWNMEDICATION', authoredAt: ago(30) });
  await addMedication(db, patientId, { name: 'HELDERRORMEDICATION', status: 'entered-in-error', authoredAt: ago(30) });
  await addMedication(db, patientId, { name: 'HELDLABELLEDMEDICATION', authoredAt: ago(30), labels: ['HIV'] });
  await addMedication(db, patientId, { name: 'TEENMEDICATION', authoredAt: ago(20), confidential: true });
  await addMedication(db, patientId, { name: 'TEENPRESCRIPTIONATVISIT', authoredAt: ago(20), encounterId: confidentialVisit });
  await addAllergy(db, patientId, { substance: 'SHOWNALLERGY', recordedAt: ago(300) });
  await addImmunization(db, patientId, { vaccine: 'SHOWNVACCINE', occurredAt: ago(200) });
  await addImmunization(db, patientId, { vaccine: 'HELDERRORVACCINE', status: 'entered-in-error', occurredAt: ago(200) });
  await addCoverage(db, patientId, { payerName: 'SHOWNPAYER' });
  await addCoverage(db, patientId, { payerName: 'HELDERRORPAYER', status: 'entered-in-error' });

  return {
    shown: ['SHOWNVISIT', 'SHOWNSTAY', 'SHOWNEMERGENCY', 'SHOWNAPPOINTMENT', 'SHOWNNOTE', 'SHOWNPANEL', 'SHOWNLAB', 'SHOWNOLDLAB', 'SHOWNREPORT', 'SHOWNMEDICATION', 'SHOWNALLERGY', 'SHOWNVACCINE', 'SHOWNPAYER'],
    held: [
      'HELDERRORVISIT', 'HELDERRORAPPOINTMENT', 'HELDINPATIENTNOTE', 'HELDEMERGENCYNOTE', 'HELDDISCHARGESUMMARY', 'HELDPSYCHIATRYNOTE', 'HELDCONFIDENTIALVISITNOTE',
      'HELDCONFIDENTIALNOTE', 'HELDUNSIGNEDNOTE', 'HELDERRORNOTE', 'HELDLABELLEDNOTE', 'HELDCOPYNOTE', 'HELDHIVTEST', 'HELDLABELLEDLAB', 'HELDPRELIMINARYLAB',
      'HELDERRORLAB', 'HELDCOPYLAB', 'HELDGENETICPANEL', 'HELDGENETICRESULT', 'HELDDELAYEDREPORT', 'HELDPRELIMINARYREPORT', 'HELDCANCELLEDREPORT',
      'HELDSENSITIVEREPORT', 'HELDERRORMEDICATION', 'HELDLABELLEDMEDICATION', 'HELDERRORVACCINE', 'HELDERRORPAYER',
    ],
    teen: ['TEENVISIT', 'TEENCLINICIAN', 'TEENLAB', 'TEENVISITLAB', 'TEENREPORT', 'TEENMEDICATION', 'TEENPRESCRIPTIONATVISIT'],
    ids: { noteId, heldNoteId, teenLabId, labId, reportId, heldReportId, teenReportId },
  };
}

/** The test app's settings for record tests: radiology waits 4 days (SPEC §1's example). */
export const RECORD_TEST_ENV = { REPORT_RELEASE_DELAY_DAYS: 'RAD=4' };

export interface LongRecord {
  /** Past visits, newest first: reasons LONGVISIT01 … LONGVISIT45. */
  pastVisits: number;
  /** Upcoming visits, soonest first: LONGSOON1 (in person), LONGSOON2 (video), LONGSOON3 (cancelled). */
  upcomingVisits: number;
  /** Notes, newest first: titled "Progress note LONGNOTE01" … . */
  notes: number;
  /** Lab panels, newest first, 80 days apart from 2 days ago: LONGPANEL01 … LONGPANEL25. */
  panels: number;
  ids: { firstNoteId: number; firstHemoglobinId: number };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A record long enough to page through (visits, notes and results lists), for a child: every
 * item is shown to family viewers. Panel n (1-based) was taken 2 + 80·(n−1) days ago and holds a
 * hemoglobin (in range, "Hemoglobin LONGPANELnn") and a white-cell count ("White cells
 * LONGPANELnn") that is high in panels 1, 4, 7 … 25. So: 2 panels in the last 3 months (1 of
 * them flagged), 5 in the last year (2 flagged), 23 in the last 5 years, 25 in all (9 flagged).
 */
export async function fillLongRecord(db: Knex, patientId: number, now = new Date()): Promise<LongRecord> {
  await ensureClinic(db, 'general-pediatrics', 'General Pediatrics');
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const later = (days: number) => new Date(now.getTime() + days * DAY);
  const pastVisits = 45;
  for (let n = 1; n <= pastVisits; n++) {
    await addEncounter(db, patientId, { start: ago(7 * n - 3), reason: `LONGVISIT${pad(n)}`, class: n === 2 ? 'virtual' : 'ambulatory', status: n === 3 ? 'cancelled' : 'finished' });
  }
  await addAppointment(db, patientId, { start: later(2), description: 'LONGSOON1' });
  await addAppointment(db, patientId, { start: later(5), description: 'LONGSOON2', virtual: true });
  await addAppointment(db, patientId, { start: later(9), description: 'LONGSOON3', status: 'cancelled' });

  const notes = 25;
  let firstNoteId = 0;
  for (let n = 1; n <= notes; n++) {
    const id = await addNote(db, patientId, { marker: `LONGNOTE${pad(n)}`, completedAt: ago(3 * n) });
    if (n === 1) firstNoteId = id;
  }
  // Plain text with line breaks and characters that must be escaped.
  await db('clinical_notes').where('id', firstNoteId).update({ text: 'First line LONGNOTETEXT.\nSecond line <b>not bold</b> & more.\n\nAfter a blank line.' });

  const panels = 25;
  let firstHemoglobinId = 0;
  for (let n = 1; n <= panels; n++) {
    const takenAt = ago(2 + 80 * (n - 1));
    const panelId = await addReport(db, patientId, { marker: `LONGPANEL${pad(n)}`, completedAt: takenAt, category: 'LAB', code: '58410-2' });
    await db('diagnostic_reports').where('id', panelId).update({ display: `Blood count LONGPANEL${pad(n)}` });
    const hemoglobin = await addLabResult(db, patientId, { marker: `LONGPANEL${pad(n)}`, resultedAt: takenAt, panelId, value: 12 + (n % 3) / 10 });
    if (n === 1) firstHemoglobinId = hemoglobin;
    const high = (n - 1) % 3 === 0;
    await addLabResult(db, patientId, {
      marker: `LONGPANEL${pad(n)}`, resultedAt: takenAt, panelId, code: '6690-2', display: `White cells LONGPANEL${pad(n)}`,
      value: high ? 17.2 : 8.1, low: 4.5, high: 13.5, unit: '10*3/uL', ...(high ? { flag: 'H' } : {}),
    });
  }
  return { pastVisits, upcomingVisits: 3, notes, panels, ids: { firstNoteId, firstHemoglobinId } };
}
