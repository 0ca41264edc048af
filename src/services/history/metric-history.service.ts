import type { DataSource, Repository } from 'typeorm';
import { MetricSample } from '../../entities/metric-sample.entity';
import type { Logger } from '../../logger';

export interface SampleRange {
  since?: Date | null;
  until?: Date | null;
  limit: number;
}

const PRUNE_BATCH = 5000;

/** The stored samples: history for the API, and the retention that bounds it. */
export class MetricHistoryService {
  private readonly samples: Repository<MetricSample>;

  constructor(
    dataSource: DataSource,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.samples = dataSource.getRepository(MetricSample);
  }

  /** The newest samples of each worker, in one statement for all of them. */
  async newestSamples(workerIds: readonly string[], range: SampleRange): Promise<MetricSample[][]> {
    const rows: Partial<MetricSample>[] = await this.samples.query(NEWEST_SAMPLES, [
      workerIds,
      range.since ?? null,
      range.until ?? null,
      range.limit,
    ]);
    const byWorker = new Map<string, MetricSample[]>(workerIds.map((id) => [id, []]));
    for (const row of rows) {
      byWorker.get(row.workerId ?? '')?.push(this.samples.create(row));
    }
    return workerIds.map((id) => byWorker.get(id) ?? []);
  }

  /** Deletes samples past the retention in bounded batches, so no statement holds locks long. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const result: [unknown[], number] = await this.samples.query(
        `DELETE FROM metric_sample WHERE id IN (
           SELECT id FROM metric_sample WHERE "collectedAt" < $1 LIMIT ${PRUNE_BATCH})`,
        [cutoff],
      );
      deleted += result[1];
      if (result[1] < PRUNE_BATCH) {
        break;
      }
    }
    if (deleted > 0) {
      this.logger.info({ deleted, cutoff }, 'pruned old metric samples');
    }
    return deleted;
  }
}

/** A lateral join walks each worker's index backwards and stops at the limit. */
const NEWEST_SAMPLES = `
  SELECT sample.*
  FROM unnest($1::uuid[]) AS requested(id)
  CROSS JOIN LATERAL (
    SELECT * FROM metric_sample AS m
    WHERE m."workerId" = requested.id
      AND ($2::timestamptz IS NULL OR m."collectedAt" >= $2)
      AND ($3::timestamptz IS NULL OR m."collectedAt" <= $3)
    ORDER BY m."collectedAt" DESC
    LIMIT $4
  ) AS sample`;
