import type { MetricHistoryService } from '../services/history/metric-history.service';

/** Deletes metric samples past METRICS_RETENTION_DAYS. One such job exists fleet-wide. */
export const PRUNE_METRICS_JOB = 'prune-metrics';

export const PRUNE_METRICS_EVERY_MS = 60 * 60 * 1000;

/** No payload: the job acts on the whole table. */
export type PruneMetricsPayload = Record<string, never>;

export function pruneMetricsHandler(history: MetricHistoryService): () => Promise<void> {
  return async () => {
    await history.prune();
  };
}
