import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatedFleet } from '../../src/emulator/fleet.state';
import {
  AlertsDocument,
  ImportWorkerDocument,
  RefreshWorkerDocument,
  TerminateWorkerDocument,
} from '../generated/graphql';
import { requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

interface Received {
  path: string;
  body: string;
  json: {
    type?: string;
    event_action?: string;
    dedup_key?: string;
    data?: { firing: { id: string; kind: string; severity: string }[] };
  };
}

/** CloudEvents at /events, PagerDuty at /pagerduty; every request is kept. */
async function startReceivers() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', body, json: JSON.parse(body) as Received['json'] });
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    events: (alertId: string) =>
      received.filter((entry) => entry.path === '/events' && entry.body.includes(alertId)),
    /** PagerDuty's later events name only the incident: they are followed by its dedup key. */
    pages: (alertId: string) => {
      const pages = received.filter((entry) => entry.path === '/pagerduty');
      const keys = new Set(
        pages.filter((entry) => entry.body.includes(alertId)).map((e) => e.json.dedup_key),
      );
      return pages.filter((entry) => keys.has(entry.json.dedup_key));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a terminated worker', () => {
  let app: TestApp;
  let receivers: Awaited<ReturnType<typeof startReceivers>>;

  const fleet = (): EmulatedFleet => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator.fleet;
  };

  const importRunningWorker = async (cpu: number) => {
    const [instance] = fleet().addInstances({ region: TEST_REGION, state: 'running' });
    fleet().setNextMetrics(instance.instanceId, { cpu, memory: 30 });
    const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instance.instanceId },
    });
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: importWorker.id });
    return importWorker;
  };

  const alertsOf = async (workerId: string) =>
    (
      await requestData(app.graphqlUrl, AlertsDocument, { filter: { workerId }, first: 50 })
    ).alerts.edges.map((edge) => edge.node);

  beforeAll(async () => {
    receivers = await startReceivers();
    app = await startTestApp({
      WORKER_NOTIFICATION_WEBHOOKS: `${receivers.base}/events`,
      WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'routing-key-for-tests',
      WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: `${receivers.base}/pagerduty`,
      // A reminder each second, each looked for every second; polls only when asked.
      WORKER_ALERT_REPEAT_INTERVAL: '1s',
      WORKER_NOTIFICATION_GROUP_WAIT: '0',
      WORKER_METRICS_POLL_INTERVAL: '3600',
      JOBS_PROCESS_EVERY_MS: '200',
      JOBS_LOCK_LIFETIME_MS: '10000',
    });
  });

  afterAll(async () => {
    await app.close();
    await receivers.close();
  });

  it('should be notified once, INFO when asked for and CRITICAL otherwise, never reminded nor counted as alerting', async () => {
    const ours = await importRunningWorker(20);
    const theirs = await importRunningWorker(20);
    const hot = await importRunningWorker(97);
    const [cpuHigh] = await alertsOf(hot.id);

    await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: ours.id });
    for (const worker of [ours, theirs]) {
      fleet().setState(worker.awsInstanceId, 'terminated');
      await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id });
    }
    const [requested] = await alertsOf(ours.id);
    const unexpected = (await alertsOf(theirs.id)).find((alert) => alert.kind === 'TERMINATED');
    await waitFor(
      () =>
        receivers.events(requested.id).length > 0 &&
        receivers.events(unexpected?.id ?? '').length > 0,
    );
    const remindedBefore = receivers.events(cpuHigh.id).length;
    // Two more reminders of the alert that keeps firing: the reminder sweep ran meanwhile.
    await waitFor(() => receivers.events(cpuHigh.id).length >= remindedBefore + 2, 15_000);

    expect(receivers.events(requested.id).map((entry) => entry.json)).toMatchObject([
      {
        type: 'com.cml.worker.alert.group.firing',
        data: { firing: [{ kind: 'TERMINATED', severity: 'INFO' }] },
      },
    ]);
    expect(receivers.events(unexpected?.id ?? '').map((entry) => entry.json)).toMatchObject([
      {
        type: 'com.cml.worker.alert.group.firing',
        data: { firing: [{ kind: 'TERMINATED', severity: 'CRITICAL' }] },
      },
    ]);
    // A termination asked for opens no incident; one nobody asked for does, for a person to close.
    expect(receivers.pages(requested.id)).toEqual([]);
    expect(receivers.pages(unexpected?.id ?? '').map((entry) => entry.json.event_action)).toEqual([
      'trigger',
    ]);

    // Recorded resolved as it fired, with its one notification per receiver.
    const recorded = [...(await alertsOf(ours.id)), ...(await alertsOf(theirs.id))].filter(
      (alert) => alert.kind === 'TERMINATED',
    );
    expect(recorded).toMatchObject([
      { severity: 'INFO', state: 'RESOLVED', resolvedAt: requested.startedAt },
      { severity: 'CRITICAL', state: 'RESOLVED', resolvedAt: unexpected?.startedAt },
    ]);
    expect(recorded.map((alert) => alert.deliveries.map((delivery) => delivery.event))).toEqual([
      ['FIRING'],
      ['FIRING', 'FIRING'],
    ]);

    const firing = await requestData(app.graphqlUrl, AlertsDocument, {
      filter: { state: 'FIRING' },
      first: 50,
    });
    expect(firing.alerts.edges.map((edge) => edge.node.kind)).toEqual(['CPU_HIGH']);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('cwm_alerts_firing{kind="CPU_HIGH"} 1');
    expect(metrics).toContain('cwm_alerts_firing{kind="TERMINATED"} 0');
  }, 30_000);
});
