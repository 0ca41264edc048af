import type { DataSource } from 'typeorm';
import { FleetPageDocument, FleetSeriesDocument, WorkerSeriesDocument } from '../generated/graphql';
import { insertWorker } from '../support/factories';
import { request, requestData } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDataSource } from '../support/test-database';

const MINUTE_MS = 60_000;
const PAGE = 50;

/**
 * One service for the file, with nothing in the background: monitoring off (no poll, no
 * reconciliation) and no receiver (no notification sweep). The samples are written here.
 */
describe('Worker.metricSeries over GraphQL', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestApp({ WORKER_MONITORING_ENABLED: 'false' });
    db = await createTestDataSource(app.schema);
  });

  afterAll(async () => {
    await db.destroy();
    await app.close();
  });

  /** Minute samples of the last `minutes` before `end`; every tenth one without a CPU value. */
  const storeMinutes = (workerIds: string[], end: Date, minutes: number) =>
    db.query(
      `INSERT INTO metric_sample ("workerId", status, "cpuUtilization", "memoryUtilization", "collectedAt")
       SELECT w.id, 'RUNNING', CASE WHEN m % 10 = 0 THEN NULL ELSE m % 100 END, 50,
         $2::timestamptz - m * interval '1 minute'
       FROM unnest($1::uuid[]) AS w(id) CROSS JOIN generate_series(1, $3::int) AS m`,
      [workerIds, end, minutes],
    );

  it('should answer every bucket of the window oldest first, the empty ones too', async () => {
    const worker = await insertWorker(db);
    await db.query(
      `INSERT INTO metric_sample ("workerId", status, "cpuUtilization", "memoryUtilization", "collectedAt")
       VALUES ($1, 'RUNNING', 20, 40, '2026-12-01T10:00:10Z'), ($1, 'RUNNING', 60, 80, '2026-12-01T10:59:59.999Z'),
         ($1, 'STOPPED', NULL, NULL, '2026-12-01T12:30:00Z')`,
      [worker.id],
    );

    const { worker: answered } = await requestData(app.graphqlUrl, WorkerSeriesDocument, {
      id: worker.id,
      since: '2026-12-01T10:30:00.000Z',
      until: '2026-12-01T12:31:00.000Z',
      resolution: 'HOUR',
    });

    const gap = {
      cpuMin: null,
      cpuAvg: null,
      cpuMax: null,
      memoryMin: null,
      memoryAvg: null,
      memoryMax: null,
    };
    expect(answered?.metricSeries).toEqual([
      {
        startsAt: '2026-12-01T10:00:00.000Z',
        samples: 2,
        cpuMin: 20,
        cpuAvg: 40,
        cpuMax: 60,
        memoryMin: 40,
        memoryAvg: 60,
        memoryMax: 80,
      },
      { startsAt: '2026-12-01T11:00:00.000Z', samples: 0, ...gap },
      { startsAt: '2026-12-01T12:00:00.000Z', samples: 1, ...gap },
    ]);
  });

  it('should choose five-minute buckets for a day up to now when no resolution is asked', async () => {
    const worker = await insertWorker(db);
    const asked = Date.now();
    await storeMinutes([worker.id], new Date(asked), 24 * 60);

    const { worker: answered } = await requestData(app.graphqlUrl, WorkerSeriesDocument, {
      id: worker.id,
      since: new Date(asked - 24 * 60 * MINUTE_MS).toISOString(),
    });

    const series = answered?.metricSeries ?? [];
    const starts = series.map((bucket) => Date.parse(bucket.startsAt));
    expect(series.length).toBeGreaterThanOrEqual(289);
    expect(series.length).toBeLessThanOrEqual(290);
    expect(
      starts.every((start, index) => index === 0 || start - starts[index - 1] === 5 * MINUTE_MS),
    ).toBe(true);
    expect(starts[0] % (5 * MINUTE_MS)).toBe(0);
    expect(starts[starts.length - 1]).toBeLessThanOrEqual(Date.now());
    expect(series.reduce((sum, bucket) => sum + bucket.samples, 0)).toBe(24 * 60);
  });

  it('should refuse a since not before until, and more than 2,000 buckets', async () => {
    const worker = await insertWorker(db);
    const ask = (since: string, until: string | undefined, resolution?: 'MINUTE') =>
      request(app.graphqlUrl, WorkerSeriesDocument, { id: worker.id, since, until, resolution });

    const backwards = await ask('2026-12-02T00:00:00Z', '2026-12-01T00:00:00Z');
    const future = await ask(new Date(Date.now() + 3_600_000).toISOString(), undefined);
    const tooFine = await ask('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z', 'MINUTE');
    const unknownResolution = await request(app.graphqlUrl, WorkerSeriesDocument, {
      id: worker.id,
      since: '2026-12-01T00:00:00Z',
      resolution: 'SECOND' as 'MINUTE',
    });

    for (const refused of [backwards, future]) {
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'since',
      });
    }
    expect(tooFine.errors?.[0]).toMatchObject({
      message: expect.stringContaining('2880 buckets, more than 2000'),
      extensions: { code: 'BAD_USER_INPUT', field: 'resolution' },
    });
    expect(unknownResolution.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('should load the series of a page of 50 workers over 24 h of minute samples in one SQL statement', async () => {
    const workers = await Promise.all(Array.from({ length: PAGE }, () => insertWorker(db)));
    const asked = Date.now();
    await storeMinutes(
      workers.map((worker) => worker.id),
      new Date(asked),
      24 * 60,
    );
    const since = new Date(asked - 24 * 60 * MINUTE_MS).toISOString();
    // The jobs that run once at boot (pruning) may still overlap a request: the fewest
    // statements of three requests are the request's own.
    const statementsOf = async (send: () => Promise<unknown>) => {
      const counts: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const before = app.sqlStatementCount();
        await send();
        counts.push(app.sqlStatementCount() - before);
      }
      return Math.min(...counts);
    };
    const seriesOf = (first: number) => async () => {
      const { workers: page } = await requestData(app.graphqlUrl, FleetSeriesDocument, {
        first,
        since,
      });
      const complete = page.edges.filter(
        ({ node }) =>
          node.metricSeries.reduce((sum, bucket) => sum + bucket.samples, 0) === 24 * 60,
      );
      expect(complete).toHaveLength(Math.min(first, PAGE));
    };

    const pageAlone = await statementsOf(() =>
      requestData(app.graphqlUrl, FleetPageDocument, { first: PAGE }),
    );
    const forOne = await statementsOf(seriesOf(1));
    const forPage = await statementsOf(seriesOf(PAGE));

    expect(forPage).toBe(forOne);
    expect(forPage - pageAlone).toBe(1);
  });
});
