// Sends the links and codes asked for at "forgot password" (services/identity/passwordReset.ts).
// The request only queues a job, so its answer takes the same time for every address.
import { sendPasswordReset, type PasswordResetRequest } from '../services/identity/passwordReset.ts';
import type { IdentityDeps } from '../services/identity/deps.ts';
import { QUEUES, type JobQueue } from './queue.ts';

export async function startPasswordResetJob(deps: Pick<IdentityDeps, 'db' | 'config' | 'views'> & { queue: JobQueue; pollingIntervalSeconds?: number }): Promise<void> {
  await deps.queue.work<PasswordResetRequest>(QUEUES.passwordReset, { batchSize: 1, pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 1 }, async ([job]) => {
    await sendPasswordReset(deps, job!.data);
  });
}
