import type { MonitoringService } from '../services/polling/monitoring.service';

/**
 * Re-runs the boot-time reconciliation now and then, so a poll job that could not be made or
 * cancelled while the job store was unreachable is made or cancelled once it answers.
 */
export const RECONCILE_POLLS_JOB = 'reconcile-polls';

export const RECONCILE_POLLS_EVERY_MS = 10 * 60 * 1000;

/** No payload: the job compares the whole registry with the whole job store. */
export type ReconcilePollsPayload = Record<string, never>;

export function reconcilePollsHandler(monitoring: MonitoringService): () => Promise<void> {
  return async () => {
    await monitoring.reconcile();
  };
}
