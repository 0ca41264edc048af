import type { PollBatcher } from '../services/polling/poll-batcher';
import type { JobHandler } from './scheduler';

/**
 * Hands the worker to the batcher and finishes once its batch is stored and published. The next
 * run is the next interval boundary rather than one interval after this run started, which
 * would drift a little each time: boundaries keep a fleet's jobs due together.
 */
export function pollWorkerHandler(batcher: PollBatcher): JobHandler<'poll-worker'> {
  return async ({ workerId }) => {
    const outcome = await batcher.poll(workerId, { scheduled: true });
    return { nextRunAt: outcome.nextPollAt };
  };
}
