// The notices sent to families about a patient (the reminders and emails as a patient turns 18),
// one row each, so a scheduled job that runs again never sends one twice.
import type { Knex } from 'knex';

export interface FamilyNotice {
  patientId: number;
  /** The account told, or null for the patient's own address from the record. */
  accountId: number | null;
  notice: string;
  sentAt: Date;
}

/**
 * Records the notice unless it is already on record; true if this call recorded it. Call it in
 * the transaction that queues the email: a second run, even a concurrent one, then gets false.
 */
export async function claimFamilyNotice(db: Knex, notice: FamilyNotice): Promise<boolean> {
  const rows = await db('family_notices')
    .insert({ patient_id: notice.patientId, account_id: notice.accountId, notice: notice.notice, sent_at: notice.sentAt })
    .onConflict()
    .ignore()
    .returning('id');
  return rows.length === 1;
}
