import type { Client } from 'graphql-ws';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import {
  FleetMetricsDocument,
  ImportWorkerDocument,
  RefreshWorkerDocument,
  WorkerMetricsDocument,
  WorkerMetricsHistoryDocument,
  type WorkerMetricsSubscription,
} from '../generated/graphql';
import { request, requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { emulatorControl } from '../support/emulator-control';

/** Marker samples that prove a subscription delivers; a real sample is never UNKNOWN at epoch 0. */
const PROBE_TIME = new Date(0);
const isProbe = (event: WorkerMetricsSubscription) =>
  event.workerMetrics.collectedAt === PROBE_TIME.toISOString();

describe('worker metrics over GraphQL', () => {
  let app: TestApp;
  let client: Client;

  const emulatorEndpoint = () => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator.endpoint;
  };

  const importRunningWorker = async () => {
    const [instance] =
      app.emulator?.fleet.addInstances({ region: TEST_REGION, state: 'running' }) ?? [];
    const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instance.instanceId },
    });
    // The first poll runs at once on import; let it land before the test's own.
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: importWorker.id });
    return importWorker;
  };

  const forceMetrics = (instanceId: string, metrics: { cpu: number; memory: number }) =>
    emulatorControl(emulatorEndpoint(), 'POST', `instances/${instanceId}/metrics`, metrics);

  const watch = (workerId: string | undefined) =>
    subscribeReady<WorkerMetricsSubscription, { workerId?: string }>(
      client,
      WorkerMetricsDocument,
      { workerId },
      () =>
        app.pubSub.publish('WORKER_METRICS', {
          workerId: workerId ?? 'probe',
          status: WorkerStatus.UNKNOWN,
          systemCheck: null,
          instanceCheck: null,
          cpuUtilization: null,
          memoryUtilization: null,
          cpuDatapointAt: null,
          memoryDatapointAt: null,
          cmlStatus: null,
          labsRunning: null,
          nodesRunning: null,
          collectedAt: PROBE_TIME,
        }),
      isProbe,
    );

  beforeAll(async () => {
    app = await startTestApp();
    client = wsClient(app.graphqlUrl);
  });

  afterAll(async () => {
    await client.dispose();
    await app.close();
  });

  it('should push a sample with the values CloudWatch reports to a subscriber of the worker', async () => {
    const worker = await importRunningWorker();
    const subscription = await watch(worker.id);

    await forceMetrics(worker.awsInstanceId, { cpu: 97, memory: 41.5 });
    const { refreshWorker } = await requestData(app.graphqlUrl, RefreshWorkerDocument, {
      id: worker.id,
    });

    const { workerMetrics } = await subscription.next();
    expect(workerMetrics).toMatchObject({
      workerId: worker.id,
      status: 'RUNNING',
      cpuUtilization: 97,
      memoryUtilization: 41.5,
    });
    expect(Date.parse(workerMetrics.collectedAt)).not.toBeNaN();
    expect(Date.parse(workerMetrics.cpuDatapointAt ?? '')).toBeLessThanOrEqual(
      Date.parse(workerMetrics.collectedAt),
    );
    expect(refreshWorker).toMatchObject({
      id: worker.id,
      status: 'RUNNING',
      cpuUtilization: 97,
      memoryUtilization: 41.5,
      lastPolledAt: workerMetrics.collectedAt,
      pollError: null,
    });
    await subscription.close();
  });

  it('should give a fleet-wide subscriber every worker, and a scoped one only its own', async () => {
    const watched = await importRunningWorker();
    const other = await importRunningWorker();
    const fleet = await watch(undefined);
    const single = await watch(watched.id);

    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: other.id });
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: watched.id });

    expect((await fleet.next()).workerMetrics.workerId).toBe(other.id);
    expect((await fleet.next()).workerMetrics.workerId).toBe(watched.id);
    expect((await single.next()).workerMetrics.workerId).toBe(watched.id);
    await Promise.all([fleet.close(), single.close()]);
  });

  it('should list the stored samples newest first, within the range asked', async () => {
    const worker = await importRunningWorker();
    await forceMetrics(worker.awsInstanceId, { cpu: 10, memory: 20 });
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id });
    await forceMetrics(worker.awsInstanceId, { cpu: 0, memory: 30 });
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id });

    const all = (await requestData(app.graphqlUrl, WorkerMetricsHistoryDocument, { id: worker.id }))
      .worker?.metrics;
    const newestTwo = (
      await requestData(app.graphqlUrl, WorkerMetricsHistoryDocument, { id: worker.id, limit: 2 })
    ).worker?.metrics;

    expect(all?.length).toBeGreaterThanOrEqual(3);
    const times = (all ?? []).map((sample) => Date.parse(sample.collectedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(newestTwo?.map((sample) => [sample.cpuUtilization, sample.memoryUtilization])).toEqual([
      [0, 30],
      [10, 20],
    ]);
    const since = newestTwo?.[1]?.collectedAt;
    const sinceOnly = (
      await requestData(app.graphqlUrl, WorkerMetricsHistoryDocument, { id: worker.id, since })
    ).worker?.metrics;
    expect(sinceOnly).toHaveLength(2);
  });

  it('should load the samples of a whole page of workers in one SQL statement', async () => {
    await importRunningWorker();
    await importRunningWorker();
    const statementsFor = async (first: number) => {
      const before = app.sqlStatementCount();
      await requestData(app.graphqlUrl, FleetMetricsDocument, { first, limit: 3 });
      return app.sqlStatementCount() - before;
    };

    const forOne = await statementsFor(1);
    const forMany = await statementsFor(50);

    expect(forMany).toBe(forOne);
    expect(forOne).toBeLessThanOrEqual(3);
  });

  it('should refuse a limit outside 1-1000 and refresh of an unknown worker', async () => {
    const worker = await importRunningWorker();

    const tooMany = await request(app.graphqlUrl, WorkerMetricsHistoryDocument, {
      id: worker.id,
      limit: 5000,
    });
    const unknown = await request(app.graphqlUrl, RefreshWorkerDocument, {
      id: '00000000-0000-4000-8000-000000000000',
    });

    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'limit',
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
