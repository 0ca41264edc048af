import { SAMPLES_PER_WORKER_MAX } from '../../src/schema/inputs/metrics.args';

export const BUCKET_FIELDS = [
  'startsAt',
  'samples',
  'cpuMin',
  'cpuAvg',
  'cpuMax',
  'memoryMin',
  'memoryAvg',
  'memoryMax',
] as const;

export interface Bucket {
  startsAt: string;
  samples: number;
  cpuMin: number | null;
  cpuAvg: number | null;
  cpuMax: number | null;
  memoryMin: number | null;
  memoryAvg: number | null;
  memoryMax: number | null;
}

export interface RawSample {
  collectedAt: string;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
}

export interface Window {
  since: Date;
  until: Date;
}

type Page<Node> = { data?: { workers: { edges: { node: Node }[] } }; errors?: unknown[] };

export type SeriesAnswer = Page<{ id: string; metricSeries: Bucket[] }>;
/** A worker with its slices of samples, each under its alias. */
export interface RawNode {
  id: string;
  [alias: string]: RawSample[] | string;
}

export type RawAnswer = Page<RawNode>;

/** A page of workers with their series over the window, at the resolution chosen for it. */
export function seriesRequest(first: number, window: Window): string {
  return JSON.stringify({
    query: `query Series($first: Int!, $since: DateTime!, $until: DateTime) {
      workers(first: $first) { edges { node { id
        metricSeries(since: $since, until: $until) { ${BUCKET_FIELDS.join(' ')} } } } } }`,
    variables: { first, since: window.since.toISOString(), until: window.until.toISOString() },
  });
}

/**
 * The same page and window as raw samples (a minute apart), the fields a client needs to bucket
 * them itself. `metrics` answers at most 1,000 samples per worker, so the window is asked in as many aliased
 * slices as that takes, in one request: each slice ends 1 ms before the next begins (both ends
 * of `metrics` are inclusive, samples fall on whole minutes).
 */
export function rawRequest(first: number, window: Window): string {
  const minutes = (window.until.getTime() - window.since.getTime()) / 60_000;
  const slices = Math.ceil(minutes / SAMPLES_PER_WORKER_MAX);
  const sliceMs = Math.ceil(minutes / slices) * 60_000;
  const aliases = Array.from({ length: slices }, (_, index) => {
    const since = new Date(window.since.getTime() + index * sliceMs);
    const until = index === slices - 1 ? window.until : new Date(since.getTime() + sliceMs - 1);
    return `s${index}: metrics(since: "${since.toISOString()}", until: "${until.toISOString()}", limit: ${SAMPLES_PER_WORKER_MAX}) { collectedAt cpuUtilization memoryUtilization }`;
  });
  return JSON.stringify({
    query: `query Raw($first: Int!) { workers(first: $first) { edges { node { id ${aliases.join(' ')} } } } }`,
    variables: { first },
  });
}

export function slicesOf(body: string): number {
  return (body.match(/metrics\(/g) ?? []).length;
}

/**
 * The raw samples of one worker bucketed as the service buckets them: what a client would
 * compute from the raw answer, and what the series must equal.
 */
export function bucketsOf(samples: readonly RawSample[], starts: readonly string[]): Bucket[] {
  const widthMs = starts.length > 1 ? Date.parse(starts[1]) - Date.parse(starts[0]) : 60_000;
  const byStart = new Map(starts.map((start) => [Date.parse(start), [] as RawSample[]]));
  for (const sample of samples) {
    const at = Date.parse(sample.collectedAt);
    byStart.get(Math.floor(at / widthMs) * widthMs)?.push(sample);
  }
  return starts.map((startsAt) => {
    const inBucket = byStart.get(Date.parse(startsAt)) ?? [];
    return {
      startsAt,
      samples: inBucket.length,
      ...statistics(
        'cpu',
        inBucket.map((sample) => sample.cpuUtilization),
      ),
      ...statistics(
        'memory',
        inBucket.map((sample) => sample.memoryUtilization),
      ),
    } as Bucket;
  });
}

function statistics(prefix: 'cpu' | 'memory', values: readonly (number | null)[]) {
  const known = values.filter((value): value is number => value !== null);
  const some = known.length > 0;
  return {
    [`${prefix}Min`]: some ? Math.min(...known) : null,
    [`${prefix}Avg`]: some ? known.reduce((sum, value) => sum + value, 0) / known.length : null,
    [`${prefix}Max`]: some ? Math.max(...known) : null,
  };
}

/** Where two workers' buckets differ, or undefined; averages agree to 1e-9. */
export function bucketDifference(
  series: readonly Bucket[],
  expected: readonly Bucket[],
): string | undefined {
  if (series.length !== expected.length) {
    return `${series.length} buckets, ${expected.length} expected`;
  }
  for (const [index, bucket] of series.entries()) {
    const other = expected[index];
    for (const field of BUCKET_FIELDS) {
      const [a, b] = [bucket[field], other?.[field]];
      const same =
        typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 : a === b;
      if (!same) {
        return `bucket ${index} (${bucket.startsAt}) ${field}: ${String(a)}, ${String(b)} expected`;
      }
    }
  }
  return undefined;
}
