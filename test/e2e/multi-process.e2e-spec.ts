import { Client as PgClient } from 'pg';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import {
  ImportWorkerDocument,
  MonitoringStatusDocument,
  RefreshWorkerDocument,
  WorkerMetricsDocument,
  type WorkerMetricsSubscription,
} from '../generated/graphql';
import { freePort } from '../support/free-port';
import { request, requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { TEST_REGION } from '../support/test-app';
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const INTERVAL_MS = 2_000;
const LOCK_LIFETIME_MS = 4_000;
const FLEET_SIZE = 40;

/**
 * Two service processes on one PostgreSQL (and Redis when REDIS_URL is set), both polling the
 * same fleet on a standalone emulator, as two replicas of the service would in production.
 */
describe('two service processes sharing the polling', () => {
  const schema = uniqueSchemaName();
  let emulator: RunningEmulator;
  let db: PgClient;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let workerIds: string[];

  const startService = async () =>
    startServiceProcess({
      PORT: String(await freePort()),
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_SCHEMA: schema,
      ...(process.env.REDIS_URL
        ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX }
        : {}),
      AWS_MODE: 'aws',
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      WORKER_METRICS_POLL_INTERVAL: String(INTERVAL_MS / 1000),
      WORKER_METRICS_PERIOD: '60',
      JOBS_PROCESS_EVERY_MS: '200',
      JOBS_LOCK_LIFETIME_MS: String(LOCK_LIFETIME_MS),
      // Neither process may lock the whole fleet, so both take part in every cycle.
      JOBS_LOCK_LIMIT: String(FLEET_SIZE * 0.6),
      WORKER_POLL_BATCH_WINDOW_MS: '100',
    });

  /** Samples per worker and interval, for the intervals that started at or after `from`. */
  const samplesPerInterval = async (from: number, to: number) => {
    const { rows } = await db.query<{ workerId: string; bucket: string; samples: string }>(
      `SELECT "workerId", floor(extract(epoch FROM "collectedAt") * 1000 / $1) AS bucket,
              count(*) AS samples
       FROM ${schema}.metric_sample
       WHERE "collectedAt" >= $2 AND "collectedAt" < $3
       GROUP BY 1, 2`,
      [INTERVAL_MS, new Date(from), new Date(to)],
    );
    return rows;
  };

  const expectExactlyOncePerInterval = async (from: number, cycles: number) => {
    const to = from + cycles * INTERVAL_MS;
    await waitFor(() => Date.now() > to + 1_000, to - Date.now() + 5_000);
    const rows = await samplesPerInterval(from, to);
    expect(rows.filter((row) => Number(row.samples) !== 1)).toEqual([]);
    for (const workerId of workerIds) {
      expect(rows.filter((row) => row.workerId === workerId)).toHaveLength(cycles);
    }
  };

  const nextBoundary = () => (Math.floor(Date.now() / INTERVAL_MS) + 1) * INTERVAL_MS;

  beforeAll(async () => {
    emulator = await startEmulator({ defaultRegion: TEST_REGION });
    const instances = emulator.fleet.addInstances({
      count: FLEET_SIZE,
      region: TEST_REGION,
      state: 'running',
    });
    [a, b] = await Promise.all([startService(), startService()]);
    db = new PgClient({ connectionString: testDatabaseUrl() });
    await db.connect();
    workerIds = [];
    for (const instance of instances) {
      const target = workerIds.length % 2 === 0 ? a : b;
      const { importWorker } = await requestData(target.graphqlUrl, ImportWorkerDocument, {
        input: { awsInstanceId: instance.instanceId },
      });
      workerIds.push(importWorker.id);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([a.stop(), b.stop()]);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    await emulator.close();
  });

  it('should register an instance imported on both processes at once once, with one job', async () => {
    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'running' });

    const results = await Promise.all(
      [a, b].map((service) =>
        request(service.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: instance.instanceId },
        }),
      ),
    );

    const imported = results.flatMap((result) => (result.data ? [result.data.importWorker] : []));
    expect(imported).toHaveLength(1);
    expect(results.flatMap((result) => result.errors ?? [])).toMatchObject([
      { extensions: { code: 'CONFLICT' } },
    ]);
    workerIds.push(imported[0].id);
    const status = await requestData(a.graphqlUrl, MonitoringStatusDocument, {});
    expect(status.monitoringStatus.jobs.scheduled).toBe(FLEET_SIZE + 1);
  });

  it('should poll every worker exactly once per interval, with both processes doing part of it', async () => {
    const from = nextBoundary() + INTERVAL_MS;

    await expectExactlyOncePerInterval(from, 3);

    const cycles = await Promise.all(
      [a, b].map(
        async (service) =>
          (await requestData(service.graphqlUrl, MonitoringStatusDocument, {})).monitoringStatus
            .lastCycle,
      ),
    );
    for (const cycle of cycles) {
      expect(cycle?.workersPolled).toBeGreaterThan(0);
    }
    expect((cycles[0]?.workersPolled ?? 0) + (cycles[1]?.workersPolled ?? 0)).toBe(
      workerIds.length,
    );
  }, 30_000);

  (process.env.REDIS_URL ? it : it.skip)(
    'should deliver to a subscriber on one process the samples of polls run by the other (needs REDIS_URL)',
    async () => {
      const client = wsClient(b.graphqlUrl);
      const workerId = workerIds[0];
      try {
        const subscription = await subscribeReady<WorkerMetricsSubscription, { workerId?: string }>(
          client,
          WorkerMetricsDocument,
          { workerId },
          async () => {
            await requestData(a.graphqlUrl, RefreshWorkerDocument, { id: workerId });
          },
          () => false,
        );

        const { refreshWorker } = await requestData(a.graphqlUrl, RefreshWorkerDocument, {
          id: workerId,
        });

        const seen = await waitFor(async () => {
          const { workerMetrics } = await subscription.next();
          return workerMetrics.collectedAt === refreshWorker.lastPolledAt ? workerMetrics : false;
        }, 10_000);
        expect(seen.workerId).toBe(workerId);
        await subscription.close();
      } finally {
        await client.dispose();
      }
    },
    30_000,
  );

  it('should poll the workers of a killed process again once its locks expire, losing and doubling none', async () => {
    // Slow AWS answers keep polls under way, so the kill lands mid-cycle.
    emulator.fleet.setFaults({ action: '*', latencyMs: 700 });
    await waitFor(() => Date.now() > nextBoundary() - INTERVAL_MS + 300, INTERVAL_MS * 2, 20);
    await a.kill();
    const killedAt = Date.now();
    emulator.fleet.clearFaults();

    const recovered = await waitFor(
      async () => {
        const { rows } = await db.query<{ polled: string }>(
          `SELECT count(DISTINCT "workerId") AS polled FROM ${schema}.metric_sample
         WHERE "collectedAt" > $1`,
          [new Date(killedAt + LOCK_LIFETIME_MS)],
        );
        return Number(rows[0].polled) === workerIds.length ? Date.now() : false;
      },
      LOCK_LIFETIME_MS + 5 * INTERVAL_MS,
    );

    const status = (await requestData(b.graphqlUrl, MonitoringStatusDocument, {})).monitoringStatus;
    expect(status.jobs.scheduled).toBe(workerIds.length);
    await expectExactlyOncePerInterval(
      Math.floor(recovered / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS,
      2,
    );
  }, 60_000);
});
