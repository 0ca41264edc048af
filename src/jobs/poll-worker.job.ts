import type { PollBatcher } from '../services/polling/poll-batcher';
import type { JobHandler } from './scheduler';

export const POLL_WORKER_JOB = 'poll-worker';

export interface PollWorkerPayload {
  workerId: string;
}

/**
 * Hands the worker to the batcher and finishes once its batch is stored and published. Agenda
 * would schedule the next run one interval after this run started, drifting a little each
 * time; setting it to the next interval boundary keeps a fleet's jobs due together.
 */
export function pollWorkerHandler(batcher: PollBatcher): JobHandler<PollWorkerPayload> {
  return async ({ workerId }, job) => {
    const outcome = await batcher.poll(workerId);
    job.attrs.nextRunAt = outcome.nextPollAt;
  };
}
