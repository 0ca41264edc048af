import type { SeriesBucketFragment } from '../generated/graphql';

export type Metric = 'cpu' | 'memory';

/** One metric within one bucket; `values` counts the samples that had one. */
export interface BucketStats {
  min: number | null;
  avg: number | null;
  max: number | null;
  values: number;
}

export interface Bucket {
  startsAt: number;
  samples: number;
  cpu: BucketStats;
  memory: BucketStats;
}

/** A window of buckets as `metricSeries` cut it, kept up with the samples that arrive live. */
export interface Series {
  widthMs: number;
  /** The window asked: the buckets wholly before `now - windowMs` are dropped as time goes. */
  windowMs: number;
  /** Oldest first, one per bucket of the window, the empty ones too. */
  buckets: readonly Bucket[];
  /** The newest sample the buckets count: a live one no newer is counted already. */
  newestSampleAt: number | null;
}

export interface SeriesSample {
  at: number;
  cpu: number | null;
  memory: number | null;
}

/** The widths `metricSeries` picks from, finest first, and the most buckets it gives unasked. */
const WIDTHS_MS = [60_000, 300_000, 3_600_000, 86_400_000] as const;
const DEFAULT_BUCKETS_MAX = 500;

/**
 * The buckets' width: the step between two of them, else the one the service picks for the
 * window (the finest that gives at most 500 buckets).
 */
export function bucketWidth(startsAt: readonly number[], windowMs: number, now: number): number {
  const [first, second] = startsAt;
  if (first !== undefined && second !== undefined) {
    return second - first;
  }
  const since = now - windowMs;
  return (
    WIDTHS_MS.find(
      (width) => Math.ceil(now / width) - Math.floor(since / width) <= DEFAULT_BUCKETS_MAX,
    ) ?? WIDTHS_MS[WIDTHS_MS.length - 1]
  );
}

/**
 * The API's answer gives an average but not how many values it averages: every sample of a
 * bucket with an average is taken to have had one, which holds unless the bucket mixes samples
 * with and without values (a worker stopped within it).
 */
function statsOf(min: number | null, avg: number | null, max: number | null, samples: number) {
  return { min, avg, max, values: avg === null ? 0 : samples };
}

export function seriesFromAnswer(
  answer: readonly SeriesBucketFragment[],
  newestSampleAt: string | undefined,
  windowMs: number,
  now: number,
): Series {
  const buckets = answer.map((bucket) => ({
    startsAt: Date.parse(bucket.startsAt),
    samples: bucket.samples,
    cpu: statsOf(bucket.cpuMin, bucket.cpuAvg, bucket.cpuMax, bucket.samples),
    memory: statsOf(bucket.memoryMin, bucket.memoryAvg, bucket.memoryMax, bucket.samples),
  }));
  return {
    widthMs: bucketWidth(
      buckets.map((bucket) => bucket.startsAt),
      windowMs,
      now,
    ),
    windowMs,
    buckets,
    newestSampleAt: newestSampleAt === undefined ? null : Date.parse(newestSampleAt),
  };
}

const EMPTY_STATS: BucketStats = { min: null, avg: null, max: null, values: 0 };

const emptyBucket = (startsAt: number): Bucket => ({
  startsAt,
  samples: 0,
  cpu: EMPTY_STATS,
  memory: EMPTY_STATS,
});

function withValue(stats: BucketStats, value: number | null): BucketStats {
  if (value === null) {
    return stats;
  }
  const values = stats.values + 1;
  return {
    min: stats.min === null ? value : Math.min(stats.min, value),
    max: stats.max === null ? value : Math.max(stats.max, value),
    avg: ((stats.avg ?? 0) * stats.values + value) / values,
    values,
  };
}

const withSample = (bucket: Bucket, sample: SeriesSample): Bucket => ({
  startsAt: bucket.startsAt,
  samples: bucket.samples + 1,
  cpu: withValue(bucket.cpu, sample.cpu),
  memory: withValue(bucket.memory, sample.memory),
});

/**
 * The series once a live sample is counted in its bucket, the one starting at
 * `floor(at / width) × width` as the service cuts them. A bucket past the last one is added,
 * with empty buckets between so the chart shows the gap; buckets wholly out of the window go.
 * A sample no newer than the newest counted is counted already (or out of order) and changes
 * nothing.
 */
export function addSample(series: Series, sample: SeriesSample): Series {
  if (series.newestSampleAt !== null && sample.at <= series.newestSampleAt) {
    return series;
  }
  const width = series.widthMs;
  const startsAt = Math.floor(sample.at / width) * width;
  const buckets = [...series.buckets];
  const last = buckets.at(-1);
  if (last === undefined || last.startsAt < startsAt) {
    for (let next = (last?.startsAt ?? startsAt - width) + width; next < startsAt; next += width) {
      buckets.push(emptyBucket(next));
    }
    buckets.push(withSample(emptyBucket(startsAt), sample));
  } else {
    const index = buckets.findLastIndex((bucket) => bucket.startsAt === startsAt);
    const bucket = buckets[index];
    if (bucket === undefined) {
      return series;
    }
    buckets[index] = withSample(bucket, sample);
  }
  const since = sample.at - series.windowMs;
  return {
    ...series,
    buckets: buckets.filter((bucket) => bucket.startsAt + width > since),
    newestSampleAt: sample.at,
  };
}

/**
 * A chart's value: a number, null for a gap (the line breaks), undefined for a point with nothing
 * to say that the line crosses (uPlot joins across undefined, never across null).
 */
export type ChartValue = number | null | undefined;

/** The columns of one metric's chart, in seconds as uPlot wants them. */
export interface ChartColumns {
  x: number[];
  min: ChartValue[];
  avg: ChartValue[];
  max: ChartValue[];
  threshold: number[];
}

/**
 * Which buckets are gaps. A bucket whose samples had no value (a stopped worker) is one. So is a
 * run of empty buckets, unless its neighbours are no further apart than a poll interval and a
 * bucket: buckets finer than the polls are mostly empty, and that is no outage.
 */
function gapsOf(buckets: readonly Bucket[], metric: Metric, widthMs: number, spanMs: number) {
  const joined = new Set<number>();
  let previous: Bucket | undefined;
  for (const bucket of buckets) {
    if (bucket.samples === 0) {
      continue;
    }
    const valued = bucket[metric].avg !== null;
    if (valued && previous && bucket.startsAt - previous.startsAt <= spanMs + widthMs) {
      for (let time = previous.startsAt + widthMs; time < bucket.startsAt; time += widthMs) {
        joined.add(time);
      }
    }
    previous = valued ? bucket : undefined;
  }
  return joined;
}

/**
 * One point per bucket at its start, and the window's two ends, so the threshold spans the whole
 * window however little data there is. Gaps are nulls; see `gapsOf`.
 */
export function chartColumns(
  series: Series | null,
  metric: Metric,
  window: { since: number; until: number; spanMs: number },
  threshold: number,
): ChartColumns {
  const buckets = series?.buckets ?? [];
  const joined = gapsOf(buckets, metric, series?.widthMs ?? 0, window.spanMs);
  const byTime = new Map<number, { stats: BucketStats; joined: boolean }>();
  for (const bucket of buckets) {
    byTime.set(bucket.startsAt, { stats: bucket[metric], joined: joined.has(bucket.startsAt) });
  }
  const times = [...new Set([window.since, window.until, ...byTime.keys()])].sort((a, b) => a - b);
  const column = (pick: (stats: BucketStats) => number | null) =>
    times.map((time): ChartValue => {
      const entry = byTime.get(time);
      if (!entry) {
        return undefined;
      }
      return entry.joined ? undefined : pick(entry.stats);
    });
  return {
    x: times.map((time) => time / 1000),
    min: column((stats) => stats.min),
    avg: column((stats) => stats.avg),
    max: column((stats) => stats.max),
    threshold: times.map(() => threshold),
  };
}

/** The values with no line to either side (gaps around them): drawn as dots, or unseen. */
export function isolatedIndices(values: readonly ChartValue[]): number[] {
  const defined = values.flatMap((value, index) => (value === undefined ? [] : [index]));
  return defined.filter((index, position) => {
    const before = defined[position - 1];
    const after = defined[position + 1];
    return (
      typeof values[index] === 'number' &&
      (before === undefined || values[before] === null) &&
      (after === undefined || values[after] === null)
    );
  });
}

/** The average of the newest bucket that has one. */
export function latestAverage(series: Series | null, metric: Metric): number | null {
  const buckets = series?.buckets ?? [];
  for (let index = buckets.length - 1; index >= 0; index -= 1) {
    const avg = buckets[index]?.[metric].avg;
    if (avg !== null && avg !== undefined) {
      return avg;
    }
  }
  return null;
}

/** "1 min", "5 min", "1 h", "1 d". */
export function widthLabel(widthMs: number): string {
  if (widthMs >= 86_400_000) {
    return `${widthMs / 86_400_000} d`;
  }
  if (widthMs >= 3_600_000) {
    return `${widthMs / 3_600_000} h`;
  }
  return `${widthMs / 60_000} min`;
}
