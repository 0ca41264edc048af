import { createHash } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import type { Client } from 'graphql-ws';
import { AlertKind, AlertSeverity, AlertState } from '../../src/entities/alert.enums';
import type { Alert } from '../../src/entities/alert.entity';
import type { MetricSampleEvent } from '../../src/entities/metric-sample.entity';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { AlertResolver } from '../../src/resolvers/alert.resolver';
import { WorkerEventsResolver } from '../../src/resolvers/worker-events.resolver';
import {
  ImportWorkerDocument,
  WorkerMetricsDocument,
  type WorkerMetricsSubscription,
} from '../generated/graphql';
import {
  requestData,
  subscribeReady,
  wsClient,
  type Subscription,
} from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

const VIEWER_KEY = 'viewer-key-0123456789abcdef0123456789abcdef';
const OPERATOR_KEY = 'operator-key-0123456789abcdef0123456789abcdef';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (credential: string) => `Bearer ${credential}`;

const WORKER_A = '00000000-0000-4000-8000-00000000000a';
const WORKER_B = '00000000-0000-4000-8000-00000000000b';
/** Marker samples that prove a subscription delivers: a real sample is never at epoch 0. */
const PROBE_TIME = new Date(0);
const PROBE_MESSAGE = 'subscription probe';

interface AlertWithWorker {
  thresholdAlert: { id: string; message: string; worker: { id: string; name: string } | null };
}
/** Alert.worker goes through the request's loader: the field a shared execution must still get right. */
const ALERT_WITH_WORKER: TypedDocumentNode<AlertWithWorker, { workerId?: string }> = parse(`
  subscription AlertWithWorker($workerId: ID) {
    thresholdAlert(workerId: $workerId) {
      id
      message
      worker {
        id
        name
      }
    }
  }
`);

const sample = (workerId: string, collectedAt: Date): MetricSampleEvent => ({
  workerId,
  status: WorkerStatus.RUNNING,
  systemCheck: null,
  instanceCheck: null,
  cpuUtilization: 12.5,
  memoryUtilization: 50,
  cpuDatapointAt: null,
  memoryDatapointAt: null,
  cmlStatus: null,
  labsRunning: null,
  nodesRunning: null,
  collectedAt,
});

const alert = (id: string, workerId: string, message: string): Alert => ({
  id,
  workerId,
  kind: AlertKind.CPU_HIGH,
  state: AlertState.FIRING,
  severity: AlertSeverity.WARNING,
  value: 97,
  threshold: 90,
  resolvedValue: null,
  message,
  resolution: null,
  startedAt: new Date(),
  resolvedAt: null,
  acknowledgedAt: null,
  lastNotifiedAt: null,
  reminders: 0,
});

describe('one subscription, many subscribers', () => {
  let app: TestApp;
  let viewer: Client;
  let operator: Client;

  const watchMetrics = (client: Client, workerId?: string) =>
    subscribeReady<WorkerMetricsSubscription, { workerId?: string }>(
      client,
      WorkerMetricsDocument,
      { workerId },
      () => app.pubSub.publish('WORKER_METRICS', sample(workerId ?? 'probe', PROBE_TIME)),
      (event) => event.workerMetrics.collectedAt === PROBE_TIME.toISOString(),
    );
  const watchAlerts = (client: Client, workerId: string) =>
    subscribeReady(
      client,
      ALERT_WITH_WORKER,
      { workerId },
      () =>
        app.pubSub.publish(
          'THRESHOLD_ALERT',
          alert('00000000-0000-4000-8000-000000000000', workerId, PROBE_MESSAGE),
        ),
      (event) => event.thresholdAlert.message === PROBE_MESSAGE,
    );
  const times = (count: number, open: () => Promise<Subscription<WorkerMetricsSubscription>>) =>
    Promise.all(Array.from({ length: count }, open));
  const nextOfEach = <T>(subscriptions: Subscription<T>[]) =>
    Promise.all(subscriptions.map((subscription) => subscription.next()));
  const closeAll = (subscriptions: Subscription<unknown>[]) =>
    Promise.all(subscriptions.map((subscription) => subscription.close()));

  beforeAll(async () => {
    app = await startTestApp({
      API_KEYS: `ci-viewer:viewer:${sha256(VIEWER_KEY)},ci-operator:operator:${sha256(OPERATOR_KEY)}`,
      // No poll publishes samples of its own while the test counts.
      WORKER_MONITORING_ENABLED: 'false',
      // Other suites of the run publish on the fleet-wide channels of the run's prefix.
      ...(process.env.REDIS_URL
        ? { REDIS_KEY_PREFIX: `${process.env.TEST_REDIS_PREFIX ?? 'cwm-test:'}fanout:` }
        : {}),
    });
    viewer = wsClient(app.graphqlUrl, { authorization: bearer(VIEWER_KEY) });
    operator = wsClient(app.graphqlUrl, { authorization: bearer(OPERATOR_KEY) });
  });

  afterAll(async () => {
    await Promise.all([viewer.dispose(), operator.dispose()]);
    await app.close();
  });

  afterEach(() => jest.restoreAllMocks());

  it('should execute each sample once per variables and role, every subscriber getting its own workers', async () => {
    const viewerFleet = await times(3, () => watchMetrics(viewer));
    const [viewerOfA] = await times(1, () => watchMetrics(viewer, WORKER_A));
    const operatorFleet = await times(2, () => watchMetrics(operator));
    const [operatorOfB] = await times(1, () => watchMetrics(operator, WORKER_B));
    const executions = jest.spyOn(WorkerEventsResolver.prototype, 'workerMetrics');
    const executed = () =>
      executions.mock.calls.filter(([event]) => event.collectedAt.getTime() !== 0).length;
    const fleet = [...viewerFleet, ...operatorFleet];

    const first = new Date('2026-03-01T10:00:00.000Z');
    await app.pubSub.publish('WORKER_METRICS', sample(WORKER_A, first));
    const [fleetOnA, viewerOnA] = await Promise.all([nextOfEach(fleet), viewerOfA.next()]);
    expect(executed()).toBe(3);

    const second = new Date('2026-03-01T10:00:01.000Z');
    await app.pubSub.publish('WORKER_METRICS', sample(WORKER_B, second));
    const [fleetOnB, operatorOnB] = await Promise.all([nextOfEach(fleet), operatorOfB.next()]);
    expect(executed()).toBe(6);

    const third = new Date('2026-03-01T10:00:02.000Z');
    await app.pubSub.publish('WORKER_METRICS', sample(WORKER_A, third));
    const viewerOnSecondA = await viewerOfA.next();
    await closeAll([...fleet, viewerOfA, operatorOfB]);

    const seen = (event: WorkerMetricsSubscription) => [
      event.workerMetrics.workerId,
      event.workerMetrics.collectedAt,
    ];
    expect(fleetOnA.map(seen)).toEqual(fleet.map(() => [WORKER_A, first.toISOString()]));
    expect(fleetOnB.map(seen)).toEqual(fleet.map(() => [WORKER_B, second.toISOString()]));
    expect(fleetOnA[0].workerMetrics).toMatchObject({ status: 'RUNNING', cpuUtilization: 12.5 });
    // Each scoped subscriber heard only its worker: B's sample never reached the one of A.
    expect(seen(viewerOnA)).toEqual([WORKER_A, first.toISOString()]);
    expect(seen(viewerOnSecondA)).toEqual([WORKER_A, third.toISOString()]);
    expect(seen(operatorOnB)).toEqual([WORKER_B, second.toISOString()]);
  });

  it("should load an alert's worker once for all its subscribers, each receiving it", async () => {
    const [instance] =
      app.emulator?.fleet.addInstances({ region: TEST_REGION, state: 'running' }) ?? [];
    const { importWorker: worker } = await requestData(
      app.graphqlUrl,
      ImportWorkerDocument,
      { input: { awsInstanceId: instance.instanceId } },
      bearer(OPERATOR_KEY),
    );
    const subscriptions = await Promise.all(
      [viewer, viewer, operator].map((client) => watchAlerts(client, worker.id)),
    );
    const loads = jest.spyOn(AlertResolver.prototype, 'worker');
    const loaded = () =>
      loads.mock.calls.filter(([event]) => event.message !== PROBE_MESSAGE).length;

    const fired = alert('00000000-0000-4000-8000-0000000000f1', worker.id, 'CPU above 90%');
    await app.pubSub.publish('THRESHOLD_ALERT', fired);
    const received = await nextOfEach(subscriptions);
    await closeAll(subscriptions);

    expect(received.map((event) => event.thresholdAlert)).toEqual(
      subscriptions.map(() => ({
        id: fired.id,
        message: fired.message,
        worker: { id: worker.id, name: worker.name },
      })),
    );
    // Viewers share one execution, the operator has its own.
    expect(loaded()).toBe(2);
  });
});
