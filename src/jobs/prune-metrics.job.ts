import type { MetricHistoryService } from '../services/history/metric-history.service';
import type { JobHandler } from './scheduler';

export function pruneMetricsHandler(history: MetricHistoryService): JobHandler<'prune-metrics'> {
  return async () => {
    await history.prune();
  };
}
