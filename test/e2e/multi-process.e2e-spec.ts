import { Client as PgClient } from 'pg';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import {
  AlertsDocument,
  ImportWorkerDocument,
  MonitoringStatusDocument,
  RefreshWorkerDocument,
  WorkerMetricsDocument,
  type WorkerMetricsSubscription,
} from '../generated/graphql';
import { request, requestData, subscribeReady, wsClient } from '../support/graphql-client';
import {
  sharedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../support/service-process';
import { TEST_REGION } from '../support/test-app';
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { emulatorControl } from '../support/emulator-control';
import {
  startRequestRecorder,
  type RecordedRequest,
  type RequestRecorder,
} from '../support/request-recorder';

const INTERVAL_MS = 2_000;
const LOCK_LIFETIME_MS = 4_000;
const FLEET_SIZE = 40;
const ROUTING_KEY = 'multi-process-routing-key';
const GROUP_WAIT_MS = 2_000;

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
  let receiver: RequestRecorder;

  const startService = async () =>
    startServiceProcess({
      ...(await sharedServiceEnv({
        schema,
        emulatorEndpoint: emulator.endpoint,
        region: TEST_REGION,
        intervalMs: INTERVAL_MS,
      })),
      JOBS_LOCK_LIFETIME_MS: String(LOCK_LIFETIME_MS),
      // Neither process may lock the whole fleet, so both take part in every cycle.
      JOBS_LOCK_LIMIT: String(FLEET_SIZE * 0.6),
      WORKER_NOTIFICATION_WEBHOOKS: `${receiver.base}/events`,
      WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: `${receiver.base}/pagerduty`,
      WORKER_NOTIFICATION_GROUP_WAIT: `${GROUP_WAIT_MS / 1000}s`,
      WORKER_NOTIFICATION_GROUP_INTERVAL: `${GROUP_WAIT_MS / 1000}s`,
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

  /**
   * The notifications that told of these alerts; PagerDuty's resolve names only its incident,
   * so it is followed by the dedup key of the trigger.
   */
  const toldOf = (alertIds: readonly string[]) => {
    const mentions = (entry: RecordedRequest) => alertIds.some((id) => entry.body.includes(id));
    const pages = receiver.received.filter((entry) => entry.path === '/pagerduty');
    const keys = new Set(pages.filter(mentions).map((entry) => entry.json.dedup_key));
    return {
      cloudEvents: receiver.received.filter((entry) => entry.path === '/events' && mentions(entry)),
      pagerDuty: pages.filter((entry) => keys.has(entry.json.dedup_key)),
    };
  };

  const nextBoundary = () => (Math.floor(Date.now() / INTERVAL_MS) + 1) * INTERVAL_MS;

  beforeAll(async () => {
    receiver = await startRequestRecorder();
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
    await receiver.close();
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

  it('should raise one alert per condition and deliver each event once per receiver when both processes evaluate it', async () => {
    const setMetrics = (instanceId: string, metrics: { cpu: number; memory: number }) =>
      emulatorControl(emulator.endpoint, 'POST', `instances/${instanceId}/metrics`, metrics);
    /** Both processes poll the worker at once, round after round. */
    const refreshOnBoth = async (id: string) => {
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(
          [a, b].map((service) => requestData(service.graphqlUrl, RefreshWorkerDocument, { id })),
        );
      }
    };
    const alertsOf = async (workerId: string) =>
      (await requestData(a.graphqlUrl, AlertsDocument, { filter: { workerId }, first: 50 })).alerts;
    const eventsFor = (alertId: string) => ({
      cloudEvents: toldOf([alertId]).cloudEvents.map((entry) => entry.json.type),
      pagerDuty: toldOf([alertId]).pagerDuty.map((entry) => entry.json.event_action),
    });
    /** Waits for every delivery to be done with, then a while longer for late duplicates. */
    const settled = async (workerId: string, deliveries: number) => {
      const alerts = await waitFor(async () => {
        const found = await alertsOf(workerId);
        const rows = found.edges.flatMap((edge) => edge.node.deliveries);
        return rows.length >= deliveries && rows.every((row) => row.state !== 'PENDING')
          ? found
          : undefined;
      }, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return alerts;
    };

    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'running' });
    await setMetrics(instance.instanceId, { cpu: 20, memory: 30 });
    const { importWorker: worker } = await requestData(a.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instance.instanceId },
    });
    workerIds.push(worker.id);

    await setMetrics(instance.instanceId, { cpu: 97, memory: 30 });
    await refreshOnBoth(worker.id);
    await settled(worker.id, 2);

    const fired = await alertsOf(worker.id);
    expect(fired.totalCount).toBe(1);
    const [alert] = fired.edges.map((edge) => edge.node);
    expect(alert).toMatchObject({ kind: 'CPU_HIGH', state: 'FIRING', value: 97 });
    expect(eventsFor(alert.id)).toEqual({
      cloudEvents: ['com.cml.worker.alert.group.firing'],
      pagerDuty: ['trigger'],
    });
    expect(alert.deliveries).toHaveLength(2);
    expect(alert.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'FIRING', receiverKind: 'CLOUDEVENTS' }),
        expect.objectContaining({ event: 'FIRING', receiverKind: 'PAGERDUTY' }),
      ]),
    );
    for (const delivery of alert.deliveries) {
      expect(delivery).toMatchObject({ state: 'DELIVERED', attempts: 1 });
    }

    await setMetrics(instance.instanceId, { cpu: 20, memory: 30 });
    await refreshOnBoth(worker.id);
    await settled(worker.id, 4);

    const resolved = await alertsOf(worker.id);
    expect(resolved.totalCount).toBe(1);
    expect(resolved.edges[0].node).toMatchObject({
      id: alert.id,
      kind: 'CPU_HIGH',
      state: 'RESOLVED',
      resolvedValue: 20,
    });
    expect(eventsFor(alert.id)).toEqual({
      cloudEvents: ['com.cml.worker.alert.group.firing', 'com.cml.worker.alert.group.resolved'],
      pagerDuty: ['trigger', 'resolve'],
    });
    expect(resolved.edges[0].node.deliveries).toHaveLength(4);
    for (const delivery of resolved.edges[0].node.deliveries) {
      expect(delivery).toMatchObject({ state: 'DELIVERED', attempts: 1 });
    }
  }, 30_000);

  it('should send each group once per receiver when the whole fleet goes hot under both processes', async () => {
    const instanceIds = emulator.fleet.listInstances().map((instance) => instance.instanceId);
    const setAll = (cpu: number) =>
      instanceIds.forEach((id) => emulator.fleet.setNextMetrics(id, { cpu, memory: 30 }));
    const alertsIn = async (state: 'FIRING' | 'RESOLVED') =>
      (
        await requestData(a.graphqlUrl, AlertsDocument, { filter: { state }, first: 500 })
      ).alerts.edges.map((edge) => edge.node);

    /** How often each alert was told of in `list` across these notifications: once each, or none. */
    const timesTold = (entries: RecordedRequest[], list: 'firing' | 'resolved') => {
      const told = entries.flatMap((entry) =>
        ((entry.json.data?.[list] ?? []) as { id: string; isNew?: boolean }[])
          .filter((alert) => list === 'resolved' || alert.isNew)
          .map((alert) => alert.id),
      );
      return new Set(alertIds.map((id) => told.filter((toldId) => toldId === id).length));
    };
    let alertIds: string[] = [];

    setAll(97);
    const firing = await waitFor(async () => {
      const found = await alertsIn('FIRING');
      return found.length === workerIds.length ? found : undefined;
    }, 4 * INTERVAL_MS);
    alertIds = firing.map((alert) => alert.id);
    await waitFor(
      () => timesTold(toldOf(alertIds).cloudEvents, 'firing').has(1),
      GROUP_WAIT_MS + 5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, GROUP_WAIT_MS + 1_500));
    const fired = toldOf(alertIds);

    // Both processes polled the fleet: each alert was told of as new exactly once, in as few
    // notifications as the polls took (one, when the group wait gathered them all).
    expect(timesTold(fired.cloudEvents, 'firing')).toEqual(new Set([1]));
    expect(new Set(fired.cloudEvents.map((entry) => entry.json.id)).size).toBe(
      fired.cloudEvents.length,
    );
    expect(fired.pagerDuty.map((entry) => entry.json.event_action)).not.toContain('resolve');
    expect(new Set(fired.pagerDuty.map((entry) => entry.json.dedup_key)).size).toBe(1);

    setAll(20);
    await waitFor(async () => (await alertsIn('FIRING')).length === 0, 4 * INTERVAL_MS);
    await waitFor(
      () => timesTold(toldOf(alertIds).cloudEvents, 'resolved').size === 1,
      GROUP_WAIT_MS + 5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, GROUP_WAIT_MS + 1_500));
    const cooled = toldOf(alertIds);

    expect(timesTold(cooled.cloudEvents, 'resolved')).toEqual(new Set([1]));
    expect(cooled.cloudEvents.at(-1)?.json.data?.groupResolved).toBe(true);
    expect(cooled.pagerDuty.map((entry) => entry.json.event_action).at(-1)).toBe('resolve');
    expect(cooled.pagerDuty.filter((entry) => entry.json.event_action === 'resolve')).toHaveLength(
      1,
    );
  }, 40_000);

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
