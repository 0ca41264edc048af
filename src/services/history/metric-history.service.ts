import type { MetricSample } from '../../entities/metric-sample.entity';
import type { Logger } from '../../logger';
import type {
  MetricSampleRepository,
  SampleRange,
} from '../../repositories/metric-sample.repository';

export type { SampleRange };

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
  newestSamples(workerIds: readonly string[], range: SampleRange): Promise<MetricSample[][]> {
    return this.samples.newestOf(workerIds, range);
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
