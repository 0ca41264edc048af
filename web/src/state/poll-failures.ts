import type { DashboardWorkerPollFailedSubscription } from '../generated/graphql';
import { workerSignal } from './fleet';

export type PollFailure = DashboardWorkerPollFailedSubscription['workerPollFailed'];

/**
 * A failed poll shows on the worker at once, as `Worker.pollError` then says it; the next
 * sample clears it. A failure older than the last successful poll is over already. False when
 * the worker is not known here.
 */
export function applyPollFailure(failure: PollFailure): boolean {
  const worker = workerSignal(failure.workerId);
  if (!worker) {
    return false;
  }
  const view = worker.value;
  if (view.lastPolledAt && Date.parse(view.lastPolledAt) >= Date.parse(failure.occurredAt)) {
    return true;
  }
  worker.value = {
    ...view,
    pollError: {
      message: failure.message,
      occurredAt: failure.occurredAt,
      consecutiveFailures: failure.consecutiveFailures,
    },
  };
  return true;
}
