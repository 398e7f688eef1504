// Court papers naming a guardian: support uploads the PDF, and a review accepts or rejects it.
// Only accepted papers count for eligibility. The file's real type is checked, not its name.
import type { Knex } from 'knex';
import { fileTypeFromBuffer } from 'file-type';
import { insertGuardianshipPapers, papersFile, papersForPatient, reviewGuardianshipPapers, type GuardianshipPapers } from '../../data/guardianshipPapers.ts';
import { recordAudit, type RequestOrigin } from '../audit.ts';

export type { GuardianshipPapers };

export const PAPERS_MAX_BYTES = 10 * 1024 * 1024;

export type UploadOutcome = { outcome: 'uploaded'; id: number } | { outcome: 'not-pdf' } | { outcome: 'empty' };

export async function uploadPapers(
  deps: { db: Knex; now: () => Date },
  upload: { patientId: number; accountId: number; fileName: string; content: Buffer; staffId: number },
  origin: RequestOrigin,
): Promise<UploadOutcome> {
  if (upload.content.length === 0) return { outcome: 'empty' };
  if ((await fileTypeFromBuffer(upload.content))?.mime !== 'application/pdf') return { outcome: 'not-pdf' };
  return deps.db.transaction(async (trx) => {
    const id = await insertGuardianshipPapers(trx, {
      patientId: upload.patientId,
      accountId: upload.accountId,
      // The name is only shown back to staff; keep it short and printable.
      fileName: upload.fileName.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 120) || 'papers.pdf',
      content: upload.content,
      uploadedBy: upload.staffId,
      uploadedAt: deps.now(),
    });
    await recordAudit(trx, { actorType: 'staff', actorId: upload.staffId, action: 'upload-guardianship-papers', subjectType: 'patient', subjectId: upload.patientId, outcome: 'success' }, origin);
    return { outcome: 'uploaded' as const, id };
  });
}

export function papersOfPatient(deps: { db: Knex }, patientId: number): Promise<GuardianshipPapers[]> {
  return papersForPatient(deps.db, patientId);
}

export async function reviewPapers(
  deps: { db: Knex; now: () => Date },
  review: { papersId: number; patientId: number; decision: 'accepted' | 'rejected'; staffId: number },
  origin: RequestOrigin,
): Promise<boolean> {
  return deps.db.transaction(async (trx) => {
    const file = await papersFile(trx, review.papersId);
    if (!file || file.patientId !== review.patientId) return false;
    if (!(await reviewGuardianshipPapers(trx, review.papersId, { status: review.decision, reviewedBy: review.staffId, reviewedAt: deps.now() }))) return false;
    await recordAudit(trx, { actorType: 'staff', actorId: review.staffId, action: 'review-guardianship-papers', subjectType: 'patient', subjectId: review.patientId, outcome: 'success', reason: review.decision }, origin);
    return true;
  });
}

/** The PDF, for support to read before reviewing; the view is audited. */
export async function openPapers(deps: { db: Knex }, papersId: number, patientId: number, staffId: number, origin: RequestOrigin): Promise<{ fileName: string; content: Buffer } | undefined> {
  const file = await papersFile(deps.db, papersId);
  if (!file || file.patientId !== patientId) return undefined;
  await recordAudit(deps.db, { actorType: 'staff', actorId: staffId, action: 'view-guardianship-papers', subjectType: 'patient', subjectId: patientId, outcome: 'allowed' }, origin);
  return file;
}
