// The patients an account holder may see. Adding, approving and ending links comes with issue 5.
import type { Knex } from 'knex';
import { currentlyLinkedPatients, type LinkedPatient } from '../data/patientLinks.ts';

export function patientsOnAccount(deps: { db: Knex }, accountId: number): Promise<LinkedPatient[]> {
  return currentlyLinkedPatients(deps.db, accountId);
}
