import type { DataSource } from 'typeorm';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import {
  MetricSampleRepository,
  type NewSample,
} from '../../src/repositories/metric-sample.repository';
import { MetricHistoryService } from '../../src/services/history/metric-history.service';
import { MetricResolution } from '../../src/services/history/metric-resolution';
import { insertWorker } from '../support/factories';
import { testLogger } from '../support/silent-logger';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const at = (time: string) => new Date(`2026-12-02T${time}Z`);

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The nodes of a plan that read a table or an index, as `type on index`. */
function scansOf(node: PlanNode): string[] {
  const own = node['Node Type'].endsWith('Scan')
    ? [`${node['Node Type']} on ${node['Index Name'] ?? '-'}`]
    : [];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}

describe(`${MetricHistoryService.name} series`, () => {
  let dataSource: DataSource;
  let samples: MetricSampleRepository;
  let history: MetricHistoryService;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    samples = new MetricSampleRepository(dataSource);
    history = new MetricHistoryService(samples, 14, testLogger(), () => NOW);
  });

  afterAll(() => dropTestDataSource(dataSource));

  const store = (
    workerId: string,
    collectedAt: Date,
    cpuUtilization: number | null,
    memoryUtilization: number | null,
  ) => {
    const sample: NewSample = {
      workerId,
      status: WorkerStatus.RUNNING,
      systemCheck: null,
      instanceCheck: null,
      cpuUtilization,
      memoryUtilization,
      cpuDatapointAt: null,
      memoryDatapointAt: null,
    };
    return samples.insert(dataSource.manager, [sample], collectedAt);
  };

  it('should aggregate each whole bucket on epoch boundaries, counting samples without values', async () => {
    const worker = await insertWorker(dataSource);
    const other = await insertWorker(dataSource);
    await store(worker.id, at('10:00:00.000'), 10, 50);
    await store(worker.id, at('10:02:30.000'), 30, null);
    await store(worker.id, at('10:04:59.999'), null, 70);
    await store(worker.id, at('10:05:00.000'), 90, 20);
    await store(worker.id, at('10:15:00.000'), null, null);
    await store(other.id, at('10:07:00.000'), 5, 6);

    // 10:03 to 10:16 overlaps the buckets of 10:00, 10:05, 10:10 and 10:15, each taken whole.
    const [series, otherSeries, unknown] = await history.series(
      [worker.id, other.id, '00000000-0000-4000-8000-000000000000'],
      {
        since: at('10:03:00.000'),
        until: at('10:16:00.000'),
        resolution: MetricResolution.FIVE_MINUTES,
      },
    );

    const empty = {
      cpuMin: null,
      cpuAvg: null,
      cpuMax: null,
      memoryMin: null,
      memoryAvg: null,
      memoryMax: null,
    };
    expect(series).toEqual([
      {
        startsAt: at('10:00:00.000'),
        samples: 3,
        cpuMin: 10,
        cpuAvg: 20,
        cpuMax: 30,
        memoryMin: 50,
        memoryAvg: 60,
        memoryMax: 70,
      },
      {
        startsAt: at('10:05:00.000'),
        samples: 1,
        cpuMin: 90,
        cpuAvg: 90,
        cpuMax: 90,
        memoryMin: 20,
        memoryAvg: 20,
        memoryMax: 20,
      },
      { startsAt: at('10:10:00.000'), samples: 0, ...empty },
      { startsAt: at('10:15:00.000'), samples: 1, ...empty },
    ]);
    expect(otherSeries.map((bucket) => bucket.samples)).toEqual([0, 1, 0, 0]);
    expect(unknown.map((bucket) => bucket.startsAt)).toEqual(series.map((b) => b.startsAt));
    expect(unknown.every((bucket) => bucket.samples === 0)).toBe(true);
  });

  it('should compute only the figures asked for, each as it is among all of them', async () => {
    const worker = await insertWorker(dataSource);
    await store(worker.id, at('11:00:00.000'), 10, 50);
    await store(worker.id, at('11:01:00.000'), 30, 70);
    const window = {
      since: at('11:00:00.000'),
      until: at('11:05:00.000'),
      resolution: MetricResolution.FIVE_MINUTES,
    };

    const [[few]] = await history.series([worker.id], {
      ...window,
      figures: ['cpuAvg', 'memoryMax'],
    });
    const [[all]] = await history.series([worker.id], window);

    expect(few).toEqual({ startsAt: at('11:00:00.000'), cpuAvg: 20, memoryMax: 70 });
    expect(all).toMatchObject({ ...few, samples: 2, cpuMin: 10, memoryMin: 50 });
  });

  it('should cut days at UTC midnight and end the default window at now', async () => {
    const worker = await insertWorker(dataSource);
    await store(worker.id, new Date('2026-11-30T23:59:59.999Z'), 40, 40);
    await store(worker.id, new Date('2026-12-01T00:00:00.000Z'), 60, 60);
    await store(worker.id, at('11:59:00.000'), 80, 80);
    await store(worker.id, at('12:00:00.000'), 99, 99);

    const [days] = await history.series([worker.id], {
      since: new Date('2026-11-30T12:00:00.000Z'),
      resolution: MetricResolution.DAY,
    });
    const [minutes] = await history.series([worker.id], { since: at('11:58:30.000') });

    expect(days.map(({ startsAt, samples, cpuAvg }) => [startsAt, samples, cpuAvg])).toEqual([
      [new Date('2026-11-30T00:00:00.000Z'), 1, 40],
      [new Date('2026-12-01T00:00:00.000Z'), 1, 60],
      [new Date('2026-12-02T00:00:00.000Z'), 2, 89.5],
    ]);
    // Until is now, 12:00:00 exactly: the minute that starts there is not in the window yet.
    expect(minutes.map(({ startsAt, samples }) => [startsAt, samples])).toEqual([
      [at('11:58:00.000'), 0],
      [at('11:59:00.000'), 1],
    ]);
  });

  it('should read a page of workers in one statement served by the index alone', async () => {
    // A day of minute samples; the page is 2 of 40 workers, as 50 are of a fleet of 1,000.
    const workers = await Promise.all(Array.from({ length: 40 }, () => insertWorker(dataSource)));
    await dataSource.query(
      `INSERT INTO metric_sample ("workerId", status, "cpuUtilization", "memoryUtilization", "collectedAt")
       SELECT w.id, 'RUNNING', m % 100, (m * 7) % 100, $2::timestamptz - m * interval '1 minute'
       FROM unnest($1::uuid[]) AS w(id) CROSS JOIN generate_series(1, 1440) AS m`,
      [workers.map((worker) => worker.id), NOW],
    );
    await dataSource.query('VACUUM ANALYZE metric_sample');
    const statements: { sql: string; parameters: unknown[] }[] = [];
    const query = dataSource.manager.query.bind(dataSource.manager);
    const spy = jest.spyOn(dataSource.manager, 'query').mockImplementation((sql, parameters) => {
      statements.push({ sql, parameters: Array.isArray(parameters) ? parameters : [] });
      return query(sql, parameters);
    });

    const page = await history.series(
      workers.slice(0, 2).map((worker) => worker.id),
      { since: new Date(NOW.getTime() - 86_400_000), until: NOW },
    );
    spy.mockRestore();

    expect(statements).toHaveLength(1);
    expect(page.map((series) => series.length)).toEqual([288, 288]);
    expect(page[0].reduce((sum, bucket) => sum + bucket.samples, 0)).toBe(1440);
    const [{ 'QUERY PLAN': explained }] = await dataSource.query<
      { 'QUERY PLAN': { Plan: PlanNode }[] }[]
    >(`EXPLAIN (FORMAT JSON) ${statements[0].sql}`, statements[0].parameters);
    expect(scansOf(explained[0].Plan)).toEqual(['Index Only Scan on metric_sample_worker_history']);
  });
});
