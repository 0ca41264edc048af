import type { AuditService } from '../services/audit/audit.service';
import type { MetricHistoryService } from '../services/history/metric-history.service';
import type { StatusHistoryService } from '../services/history/status-history.service';
import type { JobHandler } from './scheduler';

export function pruneMetricsHandler(
  history: MetricHistoryService,
  statusHistory: StatusHistoryService,
  audit: AuditService,
): JobHandler<'prune-metrics'> {
  return async () => {
    await history.prune();
    // Transitions are kept as long as samples, so a worker's history covers its charts.
    await statusHistory.prune();
    await audit.prune();
  };
}
