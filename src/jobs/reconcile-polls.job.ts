import type { MonitoringService } from '../services/polling/monitoring.service';
import type { JobHandler } from './scheduler';

/**
 * Re-runs the boot-time reconciliation now and then, so a poll job that could not be made or
 * cancelled while the job store was unreachable is made or cancelled once it answers.
 */
export function reconcilePollsHandler(
  monitoring: MonitoringService,
): JobHandler<'reconcile-polls'> {
  return async () => {
    await monitoring.reconcile();
  };
}
