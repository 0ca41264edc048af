import { badInput } from '../../errors/domain-error';
import type { SeriesFigure } from '../../repositories/metric-sample.repository';

/** How wide the buckets of a series are, finest first. */
export enum MetricResolution {
  MINUTE = 'MINUTE',
  FIVE_MINUTES = 'FIVE_MINUTES',
  HOUR = 'HOUR',
  DAY = 'DAY',
}

/** Fixed widths: a DAY is a UTC day, so every bucket boundary is a multiple of its width. */
export const RESOLUTION_MS: Readonly<Record<MetricResolution, number>> = {
  [MetricResolution.MINUTE]: 60_000,
  [MetricResolution.FIVE_MINUTES]: 300_000,
  [MetricResolution.HOUR]: 3_600_000,
  [MetricResolution.DAY]: 86_400_000,
};

const FINEST_FIRST = [
  MetricResolution.MINUTE,
  MetricResolution.FIVE_MINUTES,
  MetricResolution.HOUR,
  MetricResolution.DAY,
] as const;

/** The most buckets a series has when no resolution is asked. */
export const DEFAULT_BUCKETS_MAX = 500;

/**
 * The most buckets a series may have: a day at MINUTE (1,441 when the window does not start
 * on a minute) fits, about as many points as a chart has pixel columns; and a page of 50
 * workers at this many buckets stays well under the answer-size cap.
 */
export const BUCKETS_MAX = 2_000;

export interface SeriesWindow {
  since: Date;
  /** Unset: now. */
  until?: Date | null;
  /** Unset: the finest one that gives at most DEFAULT_BUCKETS_MAX buckets. */
  resolution?: MetricResolution | null;
  /** The figures asked of each bucket; null or unset: all of them. */
  figures?: readonly SeriesFigure[] | null;
}

/** The buckets a window is cut into: every whole bucket that overlaps it. */
export interface SeriesPlan {
  resolution: MetricResolution;
  widthMs: number;
  /** Start of the first bucket. */
  from: Date;
  /** End of the last bucket (exclusive). */
  to: Date;
  buckets: number;
}

/**
 * Buckets start at multiples of their width since the epoch, whatever the window: the same
 * bucket always covers the same samples, so a window asked twice answers the same buckets and
 * a sample that arrives later belongs to a bucket the client already has.
 */
export function planSeries(window: SeriesWindow, now: Date): SeriesPlan {
  const since = window.since.getTime();
  const until = (window.until ?? now).getTime();
  if (!(since < until)) {
    throw badInput('since', 'since must be before until (which defaults to now)');
  }
  const resolution = window.resolution ?? defaultResolution(since, until);
  const widthMs = RESOLUTION_MS[resolution];
  const buckets = bucketCount(since, until, widthMs);
  if (buckets > BUCKETS_MAX) {
    throw badInput(
      'resolution',
      `this window at ${resolution} has ${buckets} buckets, more than ${BUCKETS_MAX}: ` +
        'ask a coarser resolution or a shorter window',
    );
  }
  const from = Math.floor(since / widthMs) * widthMs;
  return {
    resolution,
    widthMs,
    from: new Date(from),
    to: new Date(from + buckets * widthMs),
    buckets,
  };
}

/** The finest resolution within DEFAULT_BUCKETS_MAX; DAY for windows too long for any. */
function defaultResolution(since: number, until: number): MetricResolution {
  return (
    FINEST_FIRST.find(
      (resolution) => bucketCount(since, until, RESOLUTION_MS[resolution]) <= DEFAULT_BUCKETS_MAX,
    ) ?? MetricResolution.DAY
  );
}

function bucketCount(since: number, until: number, widthMs: number): number {
  return Math.ceil(until / widthMs) - Math.floor(since / widthMs);
}
