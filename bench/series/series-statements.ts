import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { entities } from '../../src/database/data-source';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { MetricSampleRepository } from '../../src/repositories/metric-sample.repository';
import { planSeries } from '../../src/services/history/metric-resolution';
import type { Window } from './series-requests';

/** What EXPLAIN (ANALYZE, BUFFERS) says of one statement: the median run of several. */
export interface StatementFigures {
  ms: number;
  /** Shared buffers hit or read: 8 KiB pages of table and index. */
  buffers: number;
  /** Table pages an index scan had to visit (heap fetches, heap blocks of a bitmap). */
  heapReads: number;
  /** The nodes that read a relation, e.g. "Index Only Scan metric_sample_worker_history". */
  scans: string;
}

interface Recorded {
  query: string;
  parameters: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Heap Fetches'?: number;
  'Exact Heap Blocks'?: number;
  'Lossy Heap Blocks'?: number;
  Plans?: PlanNode[];
}

type Explained = { 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }[];

/**
 * The statements behind a series, measured on the database itself: the repository's own
 * statement (recorded as it is sent, then explained with its parameters) on the index the
 * migrations made and on the one they replaced, and what a rollup table would cost instead, to
 * read and to keep filled on every poll.
 */
export class SeriesStatements {
  private readonly recorded: Recorded[] = [];
  private readonly dataSource: DataSource;
  private readonly samples: MetricSampleRepository;

  constructor(databaseUrl: string, schema: string) {
    const recorded = this.recorded;
    const logger: TypeOrmLogger = {
      logQuery: (query, parameters) =>
        recorded.push({ query, parameters: Array.isArray(parameters) ? parameters : [] }),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    this.dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      schema,
      entities,
      synchronize: false,
      extra: { max: 2, options: `-c search_path=${schema}` },
      logging: ['query'],
      logger,
    });
    this.samples = new MetricSampleRepository(this.dataSource);
  }

  async open(): Promise<void> {
    await this.dataSource.initialize();
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }

  /** The series statement the service sends for these workers and this window. */
  async series(workerIds: readonly string[], window: Window, runs: number) {
    this.recorded.length = 0;
    await this.samples.seriesOf(workerIds, planSeries(window, window.until));
    const [statement] = this.recorded;
    if (!statement || this.recorded.length !== 1) {
      throw new Error(`the series took ${this.recorded.length} statements, not one`);
    }
    return this.explain(statement, runs);
  }

  /** Back to the index of before: the same key, without the values. */
  async usePreviousIndex(): Promise<void> {
    await this.dataSource.query(
      `CREATE INDEX "metric_sample_worker_collected_at" ON metric_sample ("workerId", "collectedAt")`,
    );
    await this.dataSource.query(`DROP INDEX "metric_sample_worker_history"`);
    await this.dataSource.query('ANALYZE metric_sample');
  }

  /** An hourly rollup of every sample stored so far, laid out in time order as polls would. */
  async buildRollup(): Promise<void> {
    await this.dataSource.query(ROLLUP_TABLE);
    await this.dataSource.query(FILL_ROLLUP);
    await this.dataSource.query('VACUUM ANALYZE series_rollup');
  }

  rollupSeries(workerIds: readonly string[], window: Window, runs: number) {
    return this.explain(
      { query: ROLLUP_SERIES, parameters: [workerIds, window.since, window.until] },
      runs,
    );
  }

  /**
   * Milliseconds to store one sample for each of the workers in one transaction, as a poll
   * batch does: the repository's insert alone, and with the rollup's upsert beside it. Batches
   * alternate, a minute apart from `from` on; the median of each.
   */
  async batchInsertMs(workerIds: readonly string[], from: Date, batches: number) {
    const plain: number[] = [];
    const rolled: number[] = [];
    for (let batch = 0; batch < batches * 2; batch += 1) {
      const collectedAt = new Date(from.getTime() + batch * 60_000);
      const samples = workerIds.map((workerId, rank) => ({
        workerId,
        status: WorkerStatus.RUNNING,
        systemCheck: null,
        instanceCheck: null,
        cpuUtilization: (rank * 37 + batch * 11) % 100,
        memoryUtilization: (rank * 53 + batch * 7) % 100,
        cpuDatapointAt: null,
        memoryDatapointAt: null,
      }));
      const withRollup = batch % 2 === 1;
      const started = performance.now();
      await this.dataSource.transaction(async (tx) => {
        await this.samples.insert(tx, samples, collectedAt);
        if (withRollup) {
          await tx.query(UPSERT_ROLLUP, [
            workerIds,
            collectedAt,
            samples.map((sample) => sample.cpuUtilization),
            samples.map((sample) => sample.memoryUtilization),
          ]);
        }
      });
      (withRollup ? rolled : plain).push(performance.now() - started);
    }
    return { plain: median(plain), withRollup: median(rolled) };
  }

  private async explain(statement: Recorded, runs: number): Promise<StatementFigures> {
    const figures: StatementFigures[] = [];
    for (let run = 0; run < runs; run += 1) {
      const [row] = await this.dataSource.query<Explained>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.query}`,
        statement.parameters,
      );
      const explained = row?.['QUERY PLAN'][0];
      if (!explained) {
        throw new Error('EXPLAIN answered no plan');
      }
      const nodes = nodesOf(explained.Plan);
      figures.push({
        ms: explained['Execution Time'],
        buffers:
          (explained.Plan['Shared Hit Blocks'] ?? 0) + (explained.Plan['Shared Read Blocks'] ?? 0),
        heapReads: nodes.reduce(
          (sum, node) =>
            sum +
            (node['Heap Fetches'] ?? 0) +
            (node['Exact Heap Blocks'] ?? 0) +
            (node['Lossy Heap Blocks'] ?? 0),
          0,
        ),
        scans: nodes
          .filter((node) => node['Node Type'].endsWith('Scan'))
          .map((node) => `${node['Node Type']} ${node['Index Name'] ?? node['Relation Name']}`)
          .join(', '),
      });
    }
    const byTime = [...figures].sort((a, b) => a.ms - b.ms);
    const middle = byTime[Math.floor((byTime.length - 1) / 2)];
    if (!middle) {
      throw new Error('no run of the statement');
    }
    return middle;
  }
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

const ROLLUP_TABLE = `
  CREATE TABLE series_rollup (
    "workerId" uuid NOT NULL REFERENCES worker(id) ON DELETE CASCADE,
    "startsAt" timestamptz NOT NULL,
    samples integer NOT NULL,
    "cpuCount" integer NOT NULL, "cpuSum" float8, "cpuMin" float8, "cpuMax" float8,
    "memoryCount" integer NOT NULL, "memorySum" float8, "memoryMin" float8, "memoryMax" float8,
    PRIMARY KEY ("workerId", "startsAt")
  )`;

const FILL_ROLLUP = `
  INSERT INTO series_rollup
  SELECT "workerId", date_bin(interval '1 hour', "collectedAt", timestamptz 'epoch') AS hour,
    count(*), count("cpuUtilization"), sum("cpuUtilization"), min("cpuUtilization"),
    max("cpuUtilization"), count("memoryUtilization"), sum("memoryUtilization"),
    min("memoryUtilization"), max("memoryUtilization")
  FROM metric_sample GROUP BY 1, 2 ORDER BY 2, 1`;

const ROLLUP_SERIES = `
  SELECT "workerId", "startsAt", samples, "cpuMin", "cpuSum" / NULLIF("cpuCount", 0) AS "cpuAvg",
    "cpuMax", "memoryMin", "memorySum" / NULLIF("memoryCount", 0) AS "memoryAvg", "memoryMax"
  FROM series_rollup
  WHERE "workerId" = ANY($1::uuid[]) AND "startsAt" >= $2 AND "startsAt" < $3
  ORDER BY "workerId", "startsAt"`;

/** One sample per worker into its hour; least and greatest skip nulls, as min and max do. */
const UPSERT_ROLLUP = `
  INSERT INTO series_rollup AS r
  SELECT s."workerId", date_bin(interval '1 hour', $2::timestamptz, timestamptz 'epoch'), 1,
    (s.cpu IS NOT NULL)::int, s.cpu, s.cpu, s.cpu,
    (s.memory IS NOT NULL)::int, s.memory, s.memory, s.memory
  FROM unnest($1::uuid[], $3::float8[], $4::float8[]) AS s("workerId", cpu, memory)
  ON CONFLICT ("workerId", "startsAt") DO UPDATE SET
    samples = r.samples + 1,
    "cpuCount" = r."cpuCount" + excluded."cpuCount",
    "cpuSum" = COALESCE(r."cpuSum" + excluded."cpuSum", r."cpuSum", excluded."cpuSum"),
    "cpuMin" = LEAST(r."cpuMin", excluded."cpuMin"),
    "cpuMax" = GREATEST(r."cpuMax", excluded."cpuMax"),
    "memoryCount" = r."memoryCount" + excluded."memoryCount",
    "memorySum" = COALESCE(r."memorySum" + excluded."memorySum", r."memorySum", excluded."memorySum"),
    "memoryMin" = LEAST(r."memoryMin", excluded."memoryMin"),
    "memoryMax" = GREATEST(r."memoryMax", excluded."memoryMax")`;
