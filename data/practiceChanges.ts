// Queries on providers' requests to change practice (the MyPatients team's queue).
import type { Knex } from 'knex';

export interface CurrentPractice {
  practiceId: number;
  name: string;
  address: string;
  phone: string;
  fax: string;
  /** The provider's NPI from the record; null for an account without one (sponsored users). */
  npi: string | null;
}

/** The practice a provider account is placed in, as the record has it, and the provider's NPI. */
export async function currentPracticeOf(db: Knex, accountId: number): Promise<CurrentPractice | undefined> {
  const row = await db('provider_accounts as pa')
    .join('practices as pc', 'pc.id', 'pa.practice_id')
    .join('practitioners as pr', 'pr.id', 'pa.practitioner_id')
    .where('pa.account_id', accountId)
    .first('pc.id', 'pc.name', 'pc.address_line', 'pc.city', 'pc.state', 'pc.postal_code', 'pc.phone', 'pc.fax', 'pr.npi');
  if (!row) return undefined;
  const cityLine = [row.city, [row.state, row.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return { practiceId: Number(row.id), name: row.name, address: [row.address_line, cityLine].filter(Boolean).join(', '), phone: row.phone ?? '', fax: row.fax ?? '', npi: row.npi ?? null };
}

export interface PracticeChangeDetails {
  oldPracticeName: string;
  oldAddress: string;
  oldPhone: string;
  oldFax: string;
  newPracticeName: string;
  newAddressLine: string;
  newCity: string;
  newState: string;
  newPostalCode: string;
  newPhone: string;
  newFax: string;
  wasSponsor: boolean;
}

export interface PracticeChange extends PracticeChangeDetails {
  id: number;
  providerAccountId: number;
  providerName: string;
  providerEmail: string;
  oldPracticeId: number | null;
  submittedAt: Date;
  dueAt: Date;
  status: 'pending' | 'done';
  doneAt: Date | null;
  doneByName: string | null;
  doneNote: string | null;
}

export async function insertPracticeChange(db: Knex, change: PracticeChangeDetails & { providerAccountId: number; oldPracticeId: number | null; submittedAt: Date; dueAt: Date }): Promise<number> {
  const [row] = await db('practice_change_requests')
    .insert({
      provider_account_id: change.providerAccountId,
      old_practice_id: change.oldPracticeId,
      old_practice_name: change.oldPracticeName,
      old_address: change.oldAddress,
      old_phone: change.oldPhone,
      old_fax: change.oldFax,
      new_practice_name: change.newPracticeName,
      new_address_line: change.newAddressLine,
      new_city: change.newCity,
      new_state: change.newState,
      new_postal_code: change.newPostalCode,
      new_phone: change.newPhone,
      new_fax: change.newFax,
      was_sponsor: change.wasSponsor,
      submitted_at: change.submittedAt,
      due_at: change.dueAt,
    })
    .returning('id');
  return Number(row.id);
}

function changes(db: Knex) {
  return db('practice_change_requests as c')
    .join('accounts as a', 'a.id', 'c.provider_account_id')
    .leftJoin('accounts as done_by', 'done_by.id', 'c.done_by_account_id')
    .select('c.*', 'a.name as provider_name', 'a.email as provider_email', 'done_by.name as done_by_name');
}

function toChange(row: Record<string, any>): PracticeChange {
  return {
    id: Number(row.id),
    providerAccountId: Number(row.provider_account_id),
    providerName: row.provider_name,
    providerEmail: row.provider_email,
    oldPracticeId: row.old_practice_id === null ? null : Number(row.old_practice_id),
    oldPracticeName: row.old_practice_name,
    oldAddress: row.old_address,
    oldPhone: row.old_phone,
    oldFax: row.old_fax,
    newPracticeName: row.new_practice_name,
    newAddressLine: row.new_address_line,
    newCity: row.new_city,
    newState: row.new_state,
    newPostalCode: row.new_postal_code,
    newPhone: row.new_phone,
    newFax: row.new_fax,
    wasSponsor: row.was_sponsor,
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
    status: row.status,
    doneAt: row.done_at,
    doneByName: row.done_by_name,
    doneNote: row.done_note,
  };
}

export async function countPracticeChanges(db: Knex): Promise<{ total: number; pending: number }> {
  const row = await db('practice_change_requests').first(db.raw('count(*)::int AS total'), db.raw(`count(*) FILTER (WHERE status = 'pending')::int AS pending`));
  return { total: Number(row?.total ?? 0), pending: Number(row?.pending ?? 0) };
}

/** The queue: pending requests first, oldest first; then done ones, newest first. */
export async function practiceChangesPage(db: Knex, page: { limit: number; offset: number }): Promise<PracticeChange[]> {
  const rows = await changes(db)
    .orderByRaw(`(c.status = 'pending') DESC`)
    .orderByRaw(`CASE WHEN c.status = 'pending' THEN c.submitted_at END ASC`)
    .orderBy([{ column: 'c.done_at', order: 'desc' }, { column: 'c.id', order: 'asc' }])
    .limit(page.limit)
    .offset(page.offset);
  return rows.map(toChange);
}

export async function findPracticeChange(db: Knex, id: number): Promise<PracticeChange | undefined> {
  const row = await changes(db).where('c.id', id).first();
  return row && toChange(row);
}

/** Marks a pending request done; false when it was done already. */
export async function markPracticeChangeDone(db: Knex, id: number, done: { staffId: number; at: Date; note: string }): Promise<boolean> {
  const updated = await db('practice_change_requests').where({ id, status: 'pending' }).update({ status: 'done', done_at: done.at, done_by_account_id: done.staffId, done_note: done.note });
  return updated === 1;
}

/** Locks one request's row until the transaction ends (so two team members cannot finish it twice). */
export async function lockPracticeChange(trx: Knex, id: number): Promise<void> {
  await trx('practice_change_requests').where({ id }).forUpdate().first('id');
}

/** The practice a provider account is placed in now (the access policy's practice). */
export async function practiceIdOfProvider(db: Knex, accountId: number): Promise<number | undefined> {
  const row = await db('provider_accounts').where({ account_id: accountId }).first('practice_id');
  return row ? Number(row.practice_id) : undefined;
}

/** Places the provider account in another practice: from now on their access follows it. */
export async function moveProviderToPractice(trx: Knex, accountId: number, practiceId: number): Promise<boolean> {
  return (await trx('provider_accounts').where({ account_id: accountId }).update({ practice_id: practiceId })) === 1;
}

/** Adds the request's new practice to the record (a row made in the portal, with its own source id). */
export async function insertPracticeFromChange(trx: Knex, change: PracticeChange): Promise<number> {
  const [row] = await trx('practices')
    .insert({
      // Cannot collide with a FHIR id (which never contains ':') nor with a registration's practice.
      source_id: `portal:practice-change:${change.id}:practice`,
      name: change.newPracticeName,
      phone: change.newPhone,
      fax: change.newFax,
      address_line: change.newAddressLine,
      city: change.newCity,
      state: change.newState,
      postal_code: change.newPostalCode,
    })
    .returning('id');
  return Number(row.id);
}
