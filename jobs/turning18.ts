// The age-18 transition (services/family/turning18.ts), run every hour at minute 0. pg-boss keeps
// one schedule per queue and lets only one instance send each scheduled job; the "stately" queue
// holds at most one waiting and one running job, so runs never pile up. The run is idempotent,
// so an hour missed is caught up by the next.
import type { Logger } from 'pino';
import { runTurning18, type Turning18Deps } from '../services/family/turning18.ts';
import { QUEUES, type JobQueue } from './queue.ts';

/** Hourly: links end within the hour after midnight on the birthday (hospital time). */
export const TURNING_18_SCHEDULE = '0 * * * *';

export async function startTurning18Job(deps: Turning18Deps & { queue: JobQueue; logger: Logger }): Promise<void> {
  const { queue, logger } = deps;
  await queue.createQueue(QUEUES.turning18, { name: QUEUES.turning18, policy: 'stately' });
  await queue.schedule(QUEUES.turning18, TURNING_18_SCHEDULE, undefined, { tz: deps.config.hospital.timeZone });
  await queue.work(QUEUES.turning18, { batchSize: 1 }, async () => {
    const summary = await runTurning18(deps, new Date());
    logger.info(summary, 'turning-18 run finished');
  });
}
