import type { DataSource, Repository } from 'typeorm';
import type { CmlServiceStatus } from '../entities/cml.types';
import type { CheckStatus, WorkerStatus } from '../entities/worker-status.enum';
import {
  MetricSample,
  type MetricSampleColumn,
  type MetricSampleRow,
} from '../entities/metric-sample.entity';
import { toStatusChecks } from '../entities/worker.entity';
import { quoteIdentifier } from '../database/sql';
import { Queryable, rowsOf } from './sql-result';
import { getOrAdd } from '../lib/maps';

export interface SampleRange {
  since?: Date | null;
  until?: Date | null;
  limit: number;
  /** The columns to read besides `workerId`; null or unset: all of them. */
  columns?: readonly MetricSampleColumn[] | null;
}

/** Whole buckets of `widthMs` from `from` (a multiple of it) to `to`, exclusive. */
export interface SeriesQuery {
  from: Date;
  to: Date;
  widthMs: number;
  /** The figures to compute besides `startsAt` (the rows hold no other); null or unset: all. */
  figures?: readonly SeriesFigure[] | null;
}

/** What a bucket sums up its samples with. */
export type SeriesFigure = Exclude<keyof SeriesBucket, 'startsAt'>;

/** The samples of one worker in one bucket; a figure is null when none of them has a value. */
export interface SeriesBucket {
  startsAt: Date;
  samples: number;
  cpuMin: number | null;
  cpuAvg: number | null;
  cpuMax: number | null;
  memoryMin: number | null;
  memoryAvg: number | null;
  memoryMax: number | null;
}

export interface NewSample {
  workerId: string;
  status: WorkerStatus;
  systemCheck: CheckStatus | null;
  instanceCheck: CheckStatus | null;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
  cpuDatapointAt: Date | null;
  memoryDatapointAt: Date | null;
  cmlStatus?: CmlServiceStatus | null;
  labsRunning?: number | null;
  nodesRunning?: number | null;
}

/** The only writer of `metric_sample`. */
export class MetricSampleRepository {
  private readonly samples: Repository<MetricSample>;

  constructor(dataSource: DataSource) {
    this.samples = dataSource.getRepository(MetricSample);
  }

  /**
   * One statement for a whole batch. Joined to the workers that exist, so a worker removed
   * while its batch was polled loses its own sample, not the batch's.
   */
  async insert(tx: Queryable, samples: readonly NewSample[], collectedAt: Date): Promise<void> {
    if (samples.length > 0) {
      await tx.query(INSERT_SAMPLES, [
        samples.map((s) => s.workerId),
        samples.map((s) => s.status),
        samples.map((s) => s.systemCheck),
        samples.map((s) => s.instanceCheck),
        samples.map((s) => s.cpuUtilization),
        samples.map((s) => s.memoryUtilization),
        samples.map((s) => s.cpuDatapointAt),
        samples.map((s) => s.memoryDatapointAt),
        collectedAt,
        samples.map((s) => s.cmlStatus ?? null),
        samples.map((s) => s.labsRunning ?? null),
        samples.map((s) => s.nodesRunning ?? null),
      ]);
    }
  }

  /**
   * The newest samples of each worker, in one statement for all of them, as plain rows of the
   * columns asked for: a timestamp not asked for is neither read nor parsed.
   */
  async newestOf(workerIds: readonly string[], range: SampleRange): Promise<MetricSampleRow[][]> {
    const columns = range.columns ?? ALL_SAMPLE_COLUMNS;
    const rows = await rowsOf<MetricSampleRow>(this.samples, newestSamplesStatement(columns), [
      workerIds,
      range.since ?? null,
      range.until ?? null,
      range.limit,
    ]);
    const withChecks = columns.includes('systemCheck') && columns.includes('instanceCheck');
    const byWorker = new Map<string, MetricSampleRow[]>(workerIds.map((id) => [id, []]));
    for (const row of rows) {
      if (withChecks) {
        row.statusChecks = toStatusChecks(row.systemCheck ?? null, row.instanceCheck ?? null);
      }
      byWorker.get(row.workerId)?.push(row);
    }
    return workerIds.map((id) => byWorker.get(id) ?? []);
  }

  /**
   * The buckets that hold samples, oldest first, for every worker in one statement. Aggregates
   * skip nulls, so a sample without a CPU value counts in `samples` and nowhere else.
   */
  async seriesOf(workerIds: readonly string[], query: SeriesQuery): Promise<SeriesBucket[][]> {
    const rows = await rowsOf<SeriesBucket & { workerId: string }>(
      this.samples,
      seriesStatement(query.figures),
      [workerIds, query.from, query.to, query.widthMs / 1000],
    );
    const byWorker = new Map<string, SeriesBucket[]>(workerIds.map((id) => [id, []]));
    for (const { workerId, ...bucket } of rows) {
      byWorker.get(workerId)?.push(bucket);
    }
    return workerIds.map((id) => byWorker.get(id) ?? []);
  }

  /** Deletes at most `limit` samples collected before `cutoff`; returns how many went. */
  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    const deleted = await rowsOf<{ id: string }>(
      this.samples,
      `DELETE FROM metric_sample WHERE id IN (
         SELECT id FROM metric_sample WHERE "collectedAt" < $1 LIMIT $2)
       RETURNING id`,
      [cutoff, limit],
    );
    return deleted.length;
  }
}

const INSERT_SAMPLES = `
  INSERT INTO metric_sample ("workerId", "status", "systemCheck", "instanceCheck",
    "cpuUtilization", "memoryUtilization", "cpuDatapointAt", "memoryDatapointAt", "cmlStatus",
    "labsRunning", "nodesRunning", "collectedAt")
  SELECT sample.*, $9::timestamptz
  FROM unnest($1::uuid[], $2::worker_status[], $3::check_status[], $4::check_status[],
    $5::float8[], $6::float8[], $7::timestamptz[], $8::timestamptz[], $10::cml_status[],
    $11::int[], $12::int[])
    AS sample("workerId", status, system_check, instance_check, cpu, memory, cpu_at, memory_at,
      cml_status, labs_running, nodes_running)
  JOIN worker AS w ON w.id = sample."workerId"`;

const ALL_SAMPLE_COLUMNS: readonly MetricSampleColumn[] = [
  'status',
  'systemCheck',
  'instanceCheck',
  'cpuUtilization',
  'memoryUtilization',
  'cpuDatapointAt',
  'memoryDatapointAt',
  'cmlStatus',
  'labsRunning',
  'nodesRunning',
  'collectedAt',
];

const newestSamplesStatements = new Map<string, string>();

/** A lateral join walks each worker's index backwards and stops at the limit. */
function newestSamplesStatement(columns: readonly MetricSampleColumn[]): string {
  const key = columns.join(',');
  let statement = newestSamplesStatements.get(key);
  if (!statement) {
    const read = ['workerId', ...columns.filter((column) => column !== 'workerId')]
      .map((column) => `m.${quoteIdentifier(column)}`)
      .join(', ');
    statement = `
      SELECT sample.*
      FROM unnest($1::uuid[]) AS requested(id)
      CROSS JOIN LATERAL (
        SELECT ${read} FROM metric_sample AS m
        WHERE m."workerId" = requested.id
          AND ($2::timestamptz IS NULL OR m."collectedAt" >= $2)
          AND ($3::timestamptz IS NULL OR m."collectedAt" <= $3)
        ORDER BY m."collectedAt" DESC
        LIMIT $4
      ) AS sample`;
    newestSamplesStatements.set(key, statement);
  }
  return statement;
}

const SERIES_FIGURES: Readonly<Record<SeriesFigure, string>> = {
  samples: 'count(*)::int',
  cpuMin: 'min("cpuUtilization")',
  cpuAvg: 'avg("cpuUtilization")',
  cpuMax: 'max("cpuUtilization")',
  memoryMin: 'min("memoryUtilization")',
  memoryAvg: 'avg("memoryUtilization")',
  memoryMax: 'max("memoryUtilization")',
};

const seriesStatements = new Map<string, string>();

/**
 * Read from `metric_sample_worker_history` alone (an index-only scan: it includes both values),
 * worker by worker in time order, with the figures asked for. date_bin from the epoch gives the
 * same boundaries as the service's plan.
 */
function seriesStatement(figures: readonly SeriesFigure[] | null | undefined): string {
  const computed = figures ?? (Object.keys(SERIES_FIGURES) as SeriesFigure[]);
  return getOrAdd(seriesStatements, computed.join(','), () => {
    const columns = computed.map(
      (figure) => `${SERIES_FIGURES[figure]} AS ${quoteIdentifier(figure)}`,
    );
    return `
      SELECT "workerId",
        date_bin($4::int * interval '1 second', "collectedAt", timestamptz 'epoch') AS "startsAt"
        ${columns.map((column) => `, ${column}`).join('')}
      FROM metric_sample
      WHERE "workerId" = ANY($1::uuid[]) AND "collectedAt" >= $2 AND "collectedAt" < $3
      GROUP BY "workerId", "startsAt"
      ORDER BY "workerId", "startsAt"`;
  });
}
