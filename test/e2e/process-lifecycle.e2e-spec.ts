import { Client as PgClient } from 'pg';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import { Worker } from '../../src/entities/worker.entity';
import { WorkersDocument } from '../generated/graphql';
import { buildWorker } from '../support/factories';
import { requestData } from '../support/graphql-client';
import {
  sharedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../support/service-process';
import { TEST_REGION } from '../support/test-app';
import { createTestDataSource, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const INTERVAL_MS = 2_000;
const FLEET_SIZE = 30;
const SHUTDOWN_TIMEOUT_MS = 15_000;
/** Slower than a whole interval's slack, so a poll is in flight when the signal comes. */
const AWS_LATENCY_MS = 1_500;

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

/**
 * Service processes started, stopped and split into roles on one registry and a standalone
 * emulator, as an orchestrator would run them.
 */
describe('service process lifecycle', () => {
  const schema = uniqueSchemaName();
  let emulator: RunningEmulator;
  let db: PgClient;
  let workerIds: string[];

  const startService = async (env: NodeJS.ProcessEnv = {}) =>
    startServiceProcess({
      ...(await sharedServiceEnv({
        schema,
        emulatorEndpoint: emulator.endpoint,
        region: TEST_REGION,
        intervalMs: INTERVAL_MS,
      })),
      JOBS_LOCK_LIFETIME_MS: '30000',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      ...env,
    });

  const samplesSince = async (since: number) => {
    const { rows } = await db.query<{ workerId: string; collectedAt: Date }>(
      `SELECT "workerId", "collectedAt" FROM ${schema}.metric_sample WHERE "collectedAt" >= $1`,
      [new Date(since)],
    );
    return rows;
  };

  const lockedPollJobs = async () => {
    const { rows } = await db.query<{ count: string }>(
      `SELECT count(*) FROM ${schema}.agenda_jobs
       WHERE name = 'poll-worker' AND locked_at IS NOT NULL`,
    );
    return Number(rows[0].count);
  };

  const nextBoundary = () => (Math.floor(Date.now() / INTERVAL_MS) + 1) * INTERVAL_MS;

  beforeAll(async () => {
    emulator = await startEmulator({ defaultRegion: TEST_REGION });
    const instances = emulator.fleet.addInstances({
      count: FLEET_SIZE,
      region: TEST_REGION,
      state: 'running',
    });
    // Registered before any process starts, as after a deployment: the first boot gives each
    // worker its job.
    const registry = await createTestDataSource(schema);
    const saved = await registry
      .getRepository(Worker)
      .save(
        instances.map((instance) =>
          registry
            .getRepository(Worker)
            .create(buildWorker({ awsRegion: TEST_REGION, awsInstanceId: instance.instanceId })),
        ),
      );
    workerIds = saved.map((worker) => worker.id);
    await registry.destroy();
    db = new PgClient({ connectionString: testDatabaseUrl() });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    await emulator.close();
  });

  it('should finish the poll in flight on SIGTERM, exit 0 and leave no job locked', async () => {
    const service = await startService();
    await waitFor(async () => (await samplesSince(0)).length >= FLEET_SIZE, 15_000);
    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', latencyMs: AWS_LATENCY_MS });
    const boundary = nextBoundary();
    await waitFor(() => Date.now() > boundary + 300, INTERVAL_MS + 1_000);
    expect(await lockedPollJobs()).toBeGreaterThan(0);

    const signalledAt = Date.now();
    const code = await service.stop();
    const tookMs = Date.now() - signalledAt;

    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', latencyMs: 0 });
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(await lockedPollJobs()).toBe(0);
    const finished = new Set((await samplesSince(boundary)).map((row) => row.workerId));
    expect(finished.size).toBe(FLEET_SIZE);
    expect(service.output.some((line) => line.includes('shut down cleanly'))).toBe(true);
  }, 60_000);

  describeWithRedis('split into an api and a worker process', () => {
    let api: ServiceProcess;
    let worker: ServiceProcess | undefined;

    afterAll(async () => {
      await Promise.allSettled([api.stop(), worker?.stop()]);
    });

    it('should serve GraphQL from the api process without running its jobs', async () => {
      api = await startService({ ROLE: 'api' });
      const since = Date.now();

      const { workers } = await requestData(api.graphqlUrl, WorkersDocument, {});
      await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS + 500));

      expect(workers.totalCount).toBe(FLEET_SIZE);
      expect(await samplesSince(since)).toEqual([]);
      const origin = new URL(api.graphqlUrl).origin;
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    }, 60_000);

    it('should poll every worker in the first cycle of the worker process, and serve no GraphQL', async () => {
      worker = await startService({ ROLE: 'worker' });
      const boundary = nextBoundary();

      const polled = await waitFor(async () => {
        const rows = await samplesSince(boundary);
        return new Set(rows.map((row) => row.workerId)).size === FLEET_SIZE ? rows : undefined;
      }, 3 * INTERVAL_MS);

      const firstCycle = polled.filter((row) => row.collectedAt.getTime() < boundary + INTERVAL_MS);
      expect(new Set(firstCycle.map((row) => row.workerId))).toEqual(new Set(workerIds));
      const origin = worker.graphqlUrl;
      expect((await fetch(`${origin}/graphql`)).status).toBe(404);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${origin}/readyz`)).json()).toEqual({ status: 'ready' });
    }, 60_000);
  });
});
