import { type EmulatedInstance, wasRunningAt } from './instance-lifecycle';
import { curveValue, type MetricKind } from './metric-curves';

const MINUTE_MS = 60_000;

const METRICS: ReadonlyArray<{ namespace: string; metricName: string; kind: MetricKind }> = [
  { namespace: 'AWS/EC2', metricName: 'CPUUtilization', kind: 'cpu' },
  { namespace: 'CWAgent', metricName: 'mem_used_percent', kind: 'memory' },
];

/** The only dimension the emulated metrics are published under, as EC2 and the agent do. */
export const INSTANCE_DIMENSION = 'InstanceId';

export function metricKindOf(namespace: string, metricName: string): MetricKind | undefined {
  return METRICS.find(
    (metric) => metric.namespace === namespace && metric.metricName === metricName,
  )?.kind;
}

export interface MetricRange {
  startMs: number;
  endMs: number;
  periodSeconds: number;
}

/** One period's raw one-minute samples; periods without any sample are left out. */
export interface MetricBucket {
  timestamp: number;
  samples: number[];
}

/**
 * The instance's one-minute samples grouped by period, oldest first. A minute has a sample
 * only if the instance was running when it began and it has begun; an override replaces
 * every sample of the periods that had not ended when it was set.
 */
export function metricBuckets(
  instance: EmulatedInstance,
  kind: MetricKind,
  range: MetricRange,
  now: number,
): MetricBucket[] {
  const firstRun = instance.runningIntervals[0];
  if (!firstRun) {
    return [];
  }
  const periodMs = range.periodSeconds * 1000;
  const override = instance.metricOverrides[kind];
  const buckets: MetricBucket[] = [];
  // Periods before the instance first ran cannot hold samples: a long range skips them.
  const firstStart = Math.max(range.startMs, firstRun.from);
  for (
    let bucketStart = Math.floor(firstStart / periodMs) * periodMs;
    bucketStart < range.endMs && bucketStart <= now;
    bucketStart += periodMs
  ) {
    const bucketEnd = Math.min(bucketStart + periodMs, range.endMs);
    const overridden = override !== undefined && override.since < bucketStart + periodMs;
    const samples: number[] = [];
    for (let minute = bucketStart; minute < bucketEnd && minute <= now; minute += MINUTE_MS) {
      if (wasRunningAt(instance, minute)) {
        samples.push(
          overridden
            ? override.value
            : curveValue(instance.curves[kind], kind, instance.seed, minute / MINUTE_MS),
        );
      }
    }
    if (samples.length > 0) {
      buckets.push({ timestamp: bucketStart, samples });
    }
  }
  return buckets;
}

export type StatisticFunction = (samples: readonly number[]) => number;

const STATISTICS: Readonly<Record<string, StatisticFunction>> = {
  Average: (samples) => samples.reduce((sum, value) => sum + value, 0) / samples.length,
  Maximum: (samples) => Math.max(...samples),
  Minimum: (samples) => Math.min(...samples),
  Sum: (samples) => samples.reduce((sum, value) => sum + value, 0),
  SampleCount: (samples) => samples.length,
};

export const BASIC_STATISTICS = Object.keys(STATISTICS);

/** `Average`, `Maximum`, `Minimum`, `Sum`, `SampleCount`, or a percentile such as `p99`. */
export function statisticFunction(name: string): StatisticFunction | undefined {
  const basic = STATISTICS[name];
  if (basic) {
    return basic;
  }
  const percentile = /^p(\d{1,2}(\.\d{1,2})?|100)$/.exec(name);
  if (!percentile) {
    return undefined;
  }
  const rank = Number(percentile[1]) / 100;
  return (samples) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(rank * sorted.length) - 1)] ?? Number.NaN;
  };
}
