// Court papers naming a guardian of a patient, uploaded by support and reviewed before they count.
import type { Knex } from 'knex';

export type PapersStatus = 'pending' | 'accepted' | 'rejected';

export interface GuardianshipPapers {
  id: number;
  patientId: number;
  accountId: number;
  accountName: string;
  fileName: string;
  sizeBytes: number;
  uploadedAt: Date;
  uploadedByName: string;
  status: PapersStatus;
  reviewedAt: Date | null;
}

export async function insertGuardianshipPapers(
  db: Knex,
  papers: { patientId: number; accountId: number; fileName: string; content: Buffer; uploadedBy: number; uploadedAt: Date },
): Promise<number> {
  const [row] = await db('guardianship_papers')
    .insert({
      patient_id: papers.patientId,
      account_id: papers.accountId,
      file_name: papers.fileName,
      content: papers.content,
      size_bytes: papers.content.length,
      uploaded_by_account_id: papers.uploadedBy,
      uploaded_at: papers.uploadedAt,
    })
    .returning('id');
  return Number(row.id);
}

export async function papersForPatient(db: Knex, patientId: number): Promise<GuardianshipPapers[]> {
  const rows = await db('guardianship_papers as g')
    .join('accounts as holder', 'holder.id', 'g.account_id')
    .join('accounts as uploader', 'uploader.id', 'g.uploaded_by_account_id')
    .where('g.patient_id', patientId)
    .orderBy('g.uploaded_at', 'desc')
    .select('g.id', 'g.patient_id', 'g.account_id', 'holder.name as holder_name', 'g.file_name', 'g.size_bytes', 'g.uploaded_at', 'uploader.name as uploader_name', 'g.status', 'g.reviewed_at');
  return rows.map((row) => ({
    id: Number(row.id),
    patientId: Number(row.patient_id),
    accountId: Number(row.account_id),
    accountName: row.holder_name,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    uploadedAt: row.uploaded_at,
    uploadedByName: row.uploader_name,
    status: row.status,
    reviewedAt: row.reviewed_at,
  }));
}

export async function papersFile(db: Knex, id: number): Promise<{ patientId: number; fileName: string; content: Buffer } | undefined> {
  const row = await db('guardianship_papers').where({ id }).first('patient_id', 'file_name', 'content');
  return row && { patientId: Number(row.patient_id), fileName: row.file_name, content: row.content };
}

/** Records the review; false if the papers were already reviewed. */
export async function reviewGuardianshipPapers(db: Knex, id: number, review: { status: 'accepted' | 'rejected'; reviewedBy: number; reviewedAt: Date }): Promise<boolean> {
  const updated = await db('guardianship_papers')
    .where({ id, status: 'pending' })
    .update({ status: review.status, reviewed_by_account_id: review.reviewedBy, reviewed_at: review.reviewedAt });
  return updated === 1;
}

/** Accepted papers name this account as the patient's guardian. */
export async function hasAcceptedPapers(db: Knex, patientId: number, accountId: number): Promise<boolean> {
  return (await db('guardianship_papers').where({ patient_id: patientId, account_id: accountId, status: 'accepted' }).first('id')) !== undefined;
}

/** The accounts with accepted papers for each of these patients. */
export async function accountsWithAcceptedPapers(db: Knex, patientIds: number[]): Promise<Set<string>> {
  const rows = await db('guardianship_papers').whereIn('patient_id', patientIds).andWhere({ status: 'accepted' }).select('patient_id', 'account_id');
  return new Set(rows.map((row) => `${row.patient_id}:${row.account_id}`));
}
