import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from 'graphql-ws';
import { AlertKind, AlertSeverity, AlertState } from '../../src/entities/alert.enums';
import {
  AcknowledgeAlertDocument,
  AlertsDocument,
  FleetAlertsDocument,
  ImportWorkerDocument,
  RefreshWorkerDocument,
  StopWorkerDocument,
  TerminateWorkerDocument,
  ThresholdAlertDocument,
  type ThresholdAlertSubscription,
  UpdateWorkerDocument,
} from '../generated/graphql';
import { request, requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { emulatorControl } from '../support/emulator-control';

const SECRET = 'alert-test-secret';
const PROBE_MESSAGE = 'subscription probe';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: Record<string, unknown> & { data?: Record<string, unknown> };
}

/** Webhook, flaky webhook and PagerDuty receivers on one local server. */
async function startReceivers() {
  const received: Received[] = [];
  const flakyAttempts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) };
      received.push(entry);
      if (entry.path === '/flaky') {
        const id = String(entry.json.id);
        const attempt = (flakyAttempts.get(id) ?? 0) + 1;
        flakyAttempts.set(id, attempt);
        res.statusCode = attempt <= 2 ? 500 : 200;
      } else {
        res.statusCode = entry.path === '/pagerduty' ? 202 : 200;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    at: (path: string) => received.filter((entry) => entry.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('alerts end to end', () => {
  let app: TestApp;
  let client: Client;
  let receivers: Awaited<ReturnType<typeof startReceivers>>;

  const emulator = () => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator;
  };

  const control = (instanceId: string, detail: string, body: unknown) =>
    emulatorControl(emulator().endpoint, 'POST', `instances/${instanceId}/${detail}`, body);

  const refresh = (id: string) => requestData(app.graphqlUrl, RefreshWorkerDocument, { id });

  const importRunningWorker = async () => {
    const [instance] = emulator().fleet.addInstances({ region: TEST_REGION, state: 'running' });
    await control(instance.instanceId, 'metrics', { cpu: 20, memory: 30 });
    const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instance.instanceId },
    });
    await refresh(importWorker.id);
    return importWorker;
  };

  const alertsOf = async (workerId: string) =>
    (
      await requestData(app.graphqlUrl, AlertsDocument, { filter: { workerId }, first: 50 })
    ).alerts.edges.map((edge) => edge.node);

  const watchAlerts = (workerId?: string) =>
    subscribeReady<ThresholdAlertSubscription, { workerId?: string }>(
      client,
      ThresholdAlertDocument,
      { workerId },
      () =>
        app.pubSub.publish('THRESHOLD_ALERT', {
          id: '00000000-0000-4000-8000-000000000000',
          workerId: workerId ?? '00000000-0000-4000-8000-000000000000',
          kind: AlertKind.TERMINATED,
          state: AlertState.FIRING,
          severity: AlertSeverity.INFO,
          value: null,
          threshold: null,
          resolvedValue: null,
          message: PROBE_MESSAGE,
          resolution: null,
          startedAt: new Date(0),
          resolvedAt: null,
          acknowledgedAt: null,
          lastNotifiedAt: null,
          reminders: 0,
        }),
      (event) => event.thresholdAlert.message === PROBE_MESSAGE,
    );

  const signatureOf = (body: string) =>
    `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

  beforeAll(async () => {
    receivers = await startReceivers();
    app = await startTestApp({
      WORKER_NOTIFICATION_WEBHOOKS: `${receivers.base}/events,${receivers.base}/flaky`,
      WORKER_NOTIFICATION_WEBHOOK_SECRET: SECRET,
      WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'routing-key-for-tests',
      WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: `${receivers.base}/pagerduty`,
      WORKER_NOTIFICATION_RETRY_BASE_MS: '50',
      WORKER_NOTIFICATION_GROUP_WAIT: '0',
      WORKER_NOTIFICATION_GROUP_INTERVAL: '1s',
      WORKER_AUTO_REMEDIATION: 'true',
      JOBS_PROCESS_EVERY_MS: '200',
      JOBS_LOCK_LIFETIME_MS: '10000',
    });
    client = wsClient(app.graphqlUrl);
  });

  afterAll(async () => {
    await client.dispose();
    await app.close();
    await receivers.close();
  });

  it('should fire CPU_HIGH and resolve it, pushing both to subscribers and every receiver', async () => {
    const worker = await importRunningWorker();
    const subscription = await watchAlerts(worker.id);

    await control(worker.awsInstanceId, 'metrics', { cpu: 97, memory: 30 });
    await refresh(worker.id);
    const firing = (await subscription.next()).thresholdAlert;
    await control(worker.awsInstanceId, 'metrics', { cpu: 20, memory: 30 });
    await refresh(worker.id);
    const resolved = (await subscription.next()).thresholdAlert;
    await subscription.close();

    expect(firing).toMatchObject({
      workerId: worker.id,
      kind: 'CPU_HIGH',
      state: 'FIRING',
      severity: 'WARNING',
      value: 97,
      threshold: 90,
      resolvedAt: null,
    });
    expect(resolved).toMatchObject({
      id: firing.id,
      state: 'RESOLVED',
      value: 97,
      threshold: 90,
      resolvedValue: 20,
    });

    const forAlert = (path: string) =>
      receivers.at(path).filter((entry) => entry.body.includes(firing.id));
    const events = await waitFor(() => {
      const got = forAlert('/events');
      return got.length === 2 ? got : undefined;
    });
    expect(events.map((event) => event.json.type)).toEqual([
      'com.cml.worker.alert.group.firing',
      'com.cml.worker.alert.group.resolved',
    ]);
    const told = (event: Received, list: 'firing' | 'resolved') =>
      (event.json.data?.[list] as { id: string }[]).find((alert) => alert.id === firing.id);
    expect(told(events[0], 'firing')).toMatchObject({ kind: 'CPU_HIGH', value: 97, threshold: 90 });
    expect(told(events[1], 'resolved')).toMatchObject({ state: 'RESOLVED', resolvedValue: 20 });
    for (const event of events) {
      expect(event.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
      expect(event.headers['x-signature-256']).toBe(signatureOf(event.body));
      expect(event.headers['webhook-signature']).toMatch(/^v1,/);
      expect(event.json).toMatchObject({
        specversion: '1.0',
        source: '/cml-worker-monitor',
        subject: `kind=CPU_HIGH,region=${TEST_REGION},severity=WARNING`,
      });
    }
    expect(new Set(events.map((event) => event.json.id)).size).toBe(2);

    const [trigger] = forAlert('/pagerduty');
    const pagerDuty = await waitFor(() => {
      const got = receivers
        .at('/pagerduty')
        .filter((entry) => entry.json.dedup_key === trigger?.json.dedup_key);
      return got.length === 2 ? got : undefined;
    });
    expect(pagerDuty.map((entry) => entry.json.event_action)).toEqual(['trigger', 'resolve']);
    expect(pagerDuty[0].json).toMatchObject({
      routing_key: 'routing-key-for-tests',
      payload: { severity: 'warning', class: 'CPU_HIGH' },
    });
    expect(pagerDuty[0].headers['x-signature-256']).toBeUndefined();
  });

  it('should retry a failing receiver with backoff and show each delivery with its attempts', async () => {
    const worker = await importRunningWorker();

    await control(worker.awsInstanceId, 'metrics', { cpu: 30, memory: 99 });
    await refresh(worker.id);

    const [alert] = await waitFor(async () => {
      const found = await alertsOf(worker.id);
      const done = found[0]?.deliveries.every((delivery) => delivery.state !== 'PENDING');
      return found.length === 1 && done ? found : undefined;
    });
    expect(alert).toMatchObject({ kind: 'MEMORY_HIGH', value: 99, threshold: 90 });
    const byReceiver = Object.fromEntries(
      alert.deliveries.map((delivery) => [delivery.receiverKind, delivery]),
    );
    expect(alert.deliveries).toHaveLength(3);
    expect(byReceiver.PAGERDUTY).toMatchObject({ state: 'DELIVERED', attempts: 1 });
    const flaky = alert.deliveries.find(
      (delivery) => delivery.receiverKind === 'CLOUDEVENTS' && delivery.attempts > 1,
    );
    expect(flaky).toMatchObject({
      event: 'FIRING',
      state: 'DELIVERED',
      attempts: 3,
      lastError: null,
    });
    expect(flaky?.receiver).toBe(`webhook ${receivers.base}`);
    const attempts = receivers.at('/flaky').filter((entry) => entry.body.includes(alert.id));
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((entry) => entry.json.id)).size).toBe(1);
  });

  it('should alert on a stop nobody asked for, and start the worker again with auto-remediation', async () => {
    const worker = await importRunningWorker();

    await control(worker.awsInstanceId, 'state', { state: 'stopped' });
    await refresh(worker.id);

    const [stopped] = await alertsOf(worker.id);
    expect(stopped).toMatchObject({
      kind: 'STOPPED_UNEXPECTEDLY',
      severity: 'WARNING',
      state: 'FIRING',
    });
    const remediated = await waitFor(async () => {
      const [alert] = await alertsOf(worker.id);
      return alert.remediations.length > 0 ? alert : undefined;
    });
    expect(remediated.remediations).toMatchObject([
      { action: 'START', outcome: 'REQUESTED', detail: null },
    ]);
    const running = await waitFor(
      async () => {
        const { refreshWorker } = await refresh(worker.id);
        return refreshWorker.status === 'RUNNING' ? refreshWorker : undefined;
      },
      15_000,
      500,
    );
    expect(running.status).toBe('RUNNING');
    const [resolved] = await alertsOf(worker.id);
    expect(resolved).toMatchObject({
      id: stopped.id,
      state: 'RESOLVED',
      resolution: 'worker is running again',
    });
  });

  it('should not alert on a stop this service asked for', async () => {
    const worker = await importRunningWorker();

    await requestData(app.graphqlUrl, StopWorkerDocument, { id: worker.id });
    await control(worker.awsInstanceId, 'state', { state: 'stopped' });
    const { refreshWorker } = await refresh(worker.id);

    expect(refreshWorker.status).toBe('STOPPED');
    expect(await alertsOf(worker.id)).toEqual([]);
  });

  it('should raise TERMINATED as INFO for terminateWorker and CRITICAL for anyone else', async () => {
    const ours = await importRunningWorker();
    const theirs = await importRunningWorker();

    await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: ours.id });
    await control(ours.awsInstanceId, 'state', { state: 'terminated' });
    await control(theirs.awsInstanceId, 'state', { state: 'terminated' });
    await refresh(ours.id);
    await refresh(theirs.id);

    expect(await alertsOf(ours.id)).toMatchObject([
      { kind: 'TERMINATED', severity: 'INFO', state: 'RESOLVED' },
    ]);
    expect(await alertsOf(theirs.id)).toMatchObject([
      { kind: 'TERMINATED', severity: 'CRITICAL', state: 'RESOLVED' },
    ]);
  });

  it('should fire STATUS_CHECK_FAILED on an impaired check and resolve it once both are OK', async () => {
    const worker = await importRunningWorker();

    await control(worker.awsInstanceId, 'status-checks', { instance: 'impaired' });
    await refresh(worker.id);
    const [firing] = await alertsOf(worker.id);
    await control(worker.awsInstanceId, 'status-checks', { system: 'ok', instance: 'ok' });
    await refresh(worker.id);
    const [resolved] = await alertsOf(worker.id);

    expect(firing).toMatchObject({
      kind: 'STATUS_CHECK_FAILED',
      severity: 'CRITICAL',
      state: 'FIRING',
      message: 'EC2 instance status check impaired',
    });
    expect(resolved).toMatchObject({ id: firing.id, state: 'RESOLVED' });
  });

  it('should resolve at once when a raised threshold no longer holds', async () => {
    const worker = await importRunningWorker();
    await control(worker.awsInstanceId, 'metrics', { cpu: 93, memory: 30 });
    await refresh(worker.id);

    await requestData(app.graphqlUrl, UpdateWorkerDocument, {
      id: worker.id,
      input: { thresholds: { cpu: 95 } },
    });
    await refresh(worker.id);

    expect(await alertsOf(worker.id)).toMatchObject([
      { kind: 'CPU_HIGH', state: 'RESOLVED', threshold: 90, resolvedValue: 93 },
    ]);
  });

  it('should acknowledge once, keep the first time, and answer NOT_FOUND for an unknown alert', async () => {
    const worker = await importRunningWorker();
    await control(worker.awsInstanceId, 'metrics', { cpu: 99, memory: 30 });
    await refresh(worker.id);
    const [alert] = await alertsOf(worker.id);

    const first = await requestData(app.graphqlUrl, AcknowledgeAlertDocument, { id: alert.id });
    const again = await requestData(app.graphqlUrl, AcknowledgeAlertDocument, { id: alert.id });
    const unknown = await request(app.graphqlUrl, AcknowledgeAlertDocument, {
      id: '00000000-0000-4000-8000-000000000000',
    });
    const malformed = await request(app.graphqlUrl, AcknowledgeAlertDocument, { id: 'nope' });

    expect(first.acknowledgeAlert.acknowledgedAt).not.toBeNull();
    expect(again.acknowledgeAlert.acknowledgedAt).toBe(first.acknowledgeAlert.acknowledgedAt);
    expect(again.acknowledgeAlert.state).toBe('FIRING');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('should page alerts newest first and filter them by worker, state and kind', async () => {
    const worker = await importRunningWorker();
    await control(worker.awsInstanceId, 'metrics', { cpu: 99, memory: 99 });
    await refresh(worker.id);
    await control(worker.awsInstanceId, 'metrics', { cpu: 99, memory: 10 });
    await refresh(worker.id);

    const page = async (after?: string) =>
      (
        await requestData(app.graphqlUrl, AlertsDocument, {
          filter: { workerId: worker.id },
          first: 1,
          after,
        })
      ).alerts;
    const first = await page();
    const second = await page(first.pageInfo.endCursor ?? undefined);
    const firingCpu = await requestData(app.graphqlUrl, AlertsDocument, {
      filter: { workerId: worker.id, state: 'FIRING', kind: ['CPU_HIGH'] },
    });
    const badCursor = await request(app.graphqlUrl, AlertsDocument, { after: 'garbage' });
    const tooMany = await request(app.graphqlUrl, AlertsDocument, { first: 501 });

    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const both = [...first.edges, ...second.edges].map((edge) => edge.node);
    expect(new Set(both.map((alert) => alert.kind))).toEqual(new Set(['CPU_HIGH', 'MEMORY_HIGH']));
    expect(Date.parse(both[0].startedAt)).toBeGreaterThanOrEqual(Date.parse(both[1].startedAt));
    expect(both[0].worker).toEqual({ id: worker.id, name: worker.name });
    expect(firingCpu.alerts.edges.map((edge) => edge.node.kind)).toEqual(['CPU_HIGH']);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  // Its own service, with no receiver and no poll due: nothing runs beside the requests whose
  // statements are counted.
  describe('on a service with nothing running in the background', () => {
    let quietApp: TestApp;

    beforeAll(async () => {
      quietApp = await startTestApp({ WORKER_METRICS_POLL_INTERVAL: '86400' });
    });

    afterAll(async () => {
      await quietApp.close();
    });

    it('should load the alerts of a page of workers, and their workers, in constant SQL', async () => {
      const fleet = quietApp.emulator?.fleet;
      const importHot = async (cpu: number) => {
        const [instance] = fleet?.addInstances({ region: TEST_REGION, state: 'running' }) ?? [];
        fleet?.setNextMetrics(instance.instanceId, { cpu, memory: 99 });
        const { importWorker } = await requestData(quietApp.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: instance.instanceId },
        });
        await requestData(quietApp.graphqlUrl, RefreshWorkerDocument, { id: importWorker.id });
      };
      await importHot(20);
      await importHot(99);
      // The jobs that run once at boot (pruning, reconciling) may still overlap the first
      // request: the fewest statements over three requests are the request's own.
      const statementsFor = async (first: number) => {
        const counts: number[] = [];
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const before = quietApp.sqlStatementCount();
          const { workers } = await requestData(quietApp.graphqlUrl, FleetAlertsDocument, {
            first,
            limit: 5,
          });
          // Both workers run hot on memory: every page holds alerts.
          expect(workers.edges[0].node.alerts.length).toBeGreaterThan(0);
          counts.push(quietApp.sqlStatementCount() - before);
        }
        return Math.min(...counts);
      };

      const forOne = await statementsFor(1);
      const forMany = await statementsFor(50);

      expect(forMany).toBe(forOne);
      // Among them, one for the active silences behind `silenced`, asked once per request.
      expect(forOne).toBeLessThanOrEqual(5);
    });
  });

  describe('with the idle policy and auto-stop on', () => {
    let idleApp: TestApp;

    beforeAll(async () => {
      idleApp = await startTestApp({
        WORKER_IDLE_AFTER: '1s',
        WORKER_IDLE_AUTO_STOP: 'true',
        JOBS_PROCESS_EVERY_MS: '200',
        JOBS_LOCK_LIFETIME_MS: '10000',
      });
    });

    afterAll(async () => {
      await idleApp.close();
    });

    it('should raise IDLE for an idle imported worker, stop it, and not call that stop unexpected', async () => {
      const fleet = idleApp.emulator?.fleet;
      const [instance] = fleet?.addInstances({ region: TEST_REGION, state: 'running' }) ?? [];
      fleet?.setNextMetrics(instance.instanceId, { cpu: 1, memory: 30 });
      const { importWorker: worker } = await requestData(idleApp.graphqlUrl, ImportWorkerDocument, {
        input: { awsInstanceId: instance.instanceId },
      });
      const alertsOfWorker = async () =>
        (
          await requestData(idleApp.graphqlUrl, AlertsDocument, {
            filter: { workerId: worker.id },
          })
        ).alerts.edges.map((edge) => edge.node);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await requestData(idleApp.graphqlUrl, RefreshWorkerDocument, { id: worker.id });
      const stopped = await waitFor(async () => {
        const [idle] = await alertsOfWorker();
        return idle?.remediations.length ? idle : undefined;
      });
      fleet?.setState(instance.instanceId, 'stopped');
      const { refreshWorker } = await requestData(idleApp.graphqlUrl, RefreshWorkerDocument, {
        id: worker.id,
      });

      expect(stopped).toMatchObject({
        kind: 'IDLE',
        severity: 'INFO',
        value: 1,
        threshold: 5,
        remediations: [{ action: 'STOP', outcome: 'REQUESTED' }],
      });
      expect(refreshWorker.status).toBe('STOPPED');
      expect(await alertsOfWorker()).toMatchObject([
        { id: stopped.id, kind: 'IDLE', state: 'RESOLVED' },
      ]);
    });
  });
});
