import type { MetricSampleRow } from '../../entities/metric-sample.entity';
import type { Logger } from '../../logger';
import type {
  MetricSampleRepository,
  SampleRange,
  SeriesBucket,
} from '../../repositories/metric-sample.repository';
import { planSeries, type SeriesPlan, type SeriesWindow } from './metric-resolution';

export type { SampleRange, SeriesBucket, SeriesWindow };

const PRUNE_BATCH = 5000;

/** The stored samples: history for the API, and the retention that bounds it. */
export class MetricHistoryService {
  constructor(
    private readonly samples: MetricSampleRepository,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The newest samples of each worker, in one statement for all of them. */
  newestSamples(workerIds: readonly string[], range: SampleRange): Promise<MetricSampleRow[][]> {
    return this.samples.newestOf(workerIds, range);
  }

  /**
   * Every bucket of the window for each worker, oldest first, in one statement for all of them.
   * Buckets without samples are there too (0 samples, null values): a chart draws a gap rather
   * than a line across them, and the series of a page of workers share one time axis.
   */
  async series(workerIds: readonly string[], window: SeriesWindow): Promise<SeriesBucket[][]> {
    const plan = planSeries(window, this.now());
    const stored = await this.samples.seriesOf(workerIds, { ...plan, figures: window.figures });
    return stored.map((buckets) => everyBucket(buckets, plan));
  }

  /** Deletes samples past the retention in bounded batches, so no statement holds locks long. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const batch = await this.samples.deleteOlderThan(cutoff, PRUNE_BATCH);
      deleted += batch;
      if (batch < PRUNE_BATCH) {
        break;
      }
    }
    if (deleted > 0) {
      this.logger.info({ deleted, cutoff }, 'pruned old metric samples');
    }
    return deleted;
  }
}

function everyBucket(stored: readonly SeriesBucket[], plan: SeriesPlan): SeriesBucket[] {
  const byStart = new Map(stored.map((bucket) => [bucket.startsAt.getTime(), bucket]));
  return Array.from({ length: plan.buckets }, (_, index) => {
    const startsAt = plan.from.getTime() + index * plan.widthMs;
    return byStart.get(startsAt) ?? emptyBucket(new Date(startsAt));
  });
}

function emptyBucket(startsAt: Date): SeriesBucket {
  return {
    startsAt,
    samples: 0,
    cpuMin: null,
    cpuAvg: null,
    cpuMax: null,
    memoryMin: null,
    memoryAvg: null,
    memoryMax: null,
  };
}
