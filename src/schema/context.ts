import DataLoader from 'dataloader';
import type { MetricSample } from '../entities/metric-sample.entity';
import type { MetricHistoryService, SampleRange } from '../services/metric-history.service';

/** Per request: the loaders that batch field resolution over a page of workers. */
export interface RequestContext {
  samplesOf(range: SampleRange): DataLoader<string, MetricSample[]>;
}

export interface ContextServices {
  metricHistory: MetricHistoryService;
}

export function createRequestContext({ metricHistory }: ContextServices): RequestContext {
  // Aliased fields may ask different ranges; workers asking the same one share a statement.
  const byRange = new Map<string, DataLoader<string, MetricSample[]>>();
  return {
    samplesOf(range) {
      const key = JSON.stringify([range.since, range.until, range.limit]);
      let loader = byRange.get(key);
      if (!loader) {
        loader = new DataLoader((workerIds) => metricHistory.newestSamples(workerIds, range));
        byRange.set(key, loader);
      }
      return loader;
    },
  };
}
