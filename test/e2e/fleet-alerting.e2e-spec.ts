import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from 'graphql-ws';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import type { EmulatedFleet } from '../../src/emulator/fleet.state';
import { AlertKind, AlertSeverity, AlertState } from '../../src/entities/alert.enums';
import {
  AcknowledgeAlertDocument,
  AlertsDocument,
  CreateSilenceDocument,
  ExpireSilenceDocument,
  ImportWorkersDocument,
  RefreshWorkerDocument,
  TerminateWorkerDocument,
  ThresholdAlertDocument,
  type ThresholdAlertSubscription,
} from '../generated/graphql';
import { requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const GROUP_WAIT_MS = 3_000;
const POLL_INTERVAL_MS = 5_000;
const GROUP_INTERVAL_MS = 2_000;
/** The sweep runs every second, jobs are looked for every 200 ms, receivers answer at once. */
const MARGIN_MS = 3_000;
const SECRET = 'whsec_' + Buffer.from('fleet-alerting-secret-for-tests').toString('base64');
const OPSGENIE_KEY = 'opsgenie-key-for-tests';
const PUBLIC_URL = 'https://cwm.example.org';
const PROBE_MESSAGE = 'subscription probe';

interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

/** CloudEvents, PagerDuty and Opsgenie receivers on one local HTTP server, and an SMTP server. */
async function startReceivers() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        at: Date.now(),
        path: req.url ?? '',
        headers: req.headers,
        body,
        json: JSON.parse(body) as Record<string, unknown>,
      });
      res.statusCode = req.url?.startsWith('/opsgenie') || req.url === '/pagerduty' ? 202 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const mails: { at: number; raw: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ at: Date.now(), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    smtpPort: (smtp.server.address() as AddressInfo).port,
    received,
    mails,
    at: (path: string) => received.filter((entry) => entry.path.startsWith(path)),
    close: () =>
      Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]),
  };
}

describe('alerting at fleet scale', () => {
  let app: TestApp;
  let client: Client;
  let receivers: Awaited<ReturnType<typeof startReceivers>>;

  const fleet = (): EmulatedFleet => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator.fleet;
  };

  const importRunning = async (count: number) => {
    const instances = fleet().addInstances({ count, region: TEST_REGION, state: 'running' });
    instances.forEach((instance) =>
      fleet().setNextMetrics(instance.instanceId, { cpu: 20, memory: 30 }),
    );
    const { importWorkers } = await requestData(app.graphqlUrl, ImportWorkersDocument, {
      inputs: instances.map((instance) => ({ awsInstanceId: instance.instanceId })),
    });
    expect(importWorkers.failed).toEqual([]);
    return importWorkers.imported;
  };

  /** Sets every worker's metrics just after a poll: the next one sees them all at once. */
  const setMetrics = (
    workers: readonly { awsInstanceId: string }[],
    metrics: { cpu: number; memory: number },
  ) => {
    workers.forEach((worker) => fleet().setNextMetrics(worker.awsInstanceId, metrics));
  };

  const afterNextPollBoundary = () =>
    new Promise((resolve) =>
      setTimeout(resolve, POLL_INTERVAL_MS - (Date.now() % POLL_INTERVAL_MS) + 100),
    );

  const alertsOf = async (workerIds: readonly string[], state: 'FIRING' | 'RESOLVED') => {
    const { alerts } = await requestData(app.graphqlUrl, AlertsDocument, {
      filter: { state },
      first: 500,
    });
    return alerts.edges.map((edge) => edge.node).filter((a) => workerIds.includes(a.workerId));
  };

  /**
   * What each receiver was told of these alerts (by alert or worker id): PagerDuty's and
   * Opsgenie's later requests name only the incident, so they are followed by dedup key and alias.
   */
  const toldOf = (ids: readonly string[]) => {
    const mentions = (text: string) => ids.some((id) => text.includes(id));
    const pages = receivers.at('/pagerduty');
    const keys = new Set(
      pages.filter((e) => mentions(e.body)).map((e) => String(e.json.dedup_key)),
    );
    const genie = receivers.at('/opsgenie');
    const aliases = genie
      .filter((e) => mentions(e.body))
      .map((e) => encodeURIComponent(String(e.json.alias)));
    return {
      cloudEvents: receivers.at('/events').filter((e) => mentions(e.body)),
      pagerDuty: pages.filter((e) => keys.has(String(e.json.dedup_key))),
      opsgenie: genie.filter((e) => mentions(e.body) || aliases.some((a) => e.path.includes(a))),
      mails: receivers.mails.filter((mail) => mentions(mail.raw)),
    };
  };

  const watchAlerts = () =>
    subscribeReady<ThresholdAlertSubscription, Record<string, never>>(
      client,
      ThresholdAlertDocument,
      {},
      () =>
        app.pubSub.publish('THRESHOLD_ALERT', {
          id: '00000000-0000-4000-8000-000000000000',
          workerId: '00000000-0000-4000-8000-000000000000',
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
          silenced: false,
        }),
      (event) => event.thresholdAlert.message === PROBE_MESSAGE,
    );

  beforeAll(async () => {
    receivers = await startReceivers();
    app = await startTestApp({
      WORKER_NOTIFICATION_WEBHOOKS: `${receivers.base}/events`,
      WORKER_NOTIFICATION_WEBHOOK_SECRET: SECRET,
      WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'routing-key-for-tests',
      WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: `${receivers.base}/pagerduty`,
      WORKER_NOTIFICATION_OPSGENIE_API_KEY: OPSGENIE_KEY,
      WORKER_NOTIFICATION_OPSGENIE_API_URL: `${receivers.base}/opsgenie`,
      WORKER_NOTIFICATION_EMAIL_SMTP_URL: `smtp://127.0.0.1:${receivers.smtpPort}`,
      WORKER_NOTIFICATION_EMAIL_INSECURE: 'true',
      WORKER_NOTIFICATION_EMAIL_FROM: 'cwm@example.org',
      WORKER_NOTIFICATION_EMAIL_TO: 'oncall@example.org',
      WORKER_NOTIFICATION_GROUP_WAIT: `${GROUP_WAIT_MS / 1000}s`,
      WORKER_NOTIFICATION_GROUP_INTERVAL: `${GROUP_INTERVAL_MS / 1000}s`,
      WORKER_NOTIFICATION_RETRY_BASE_MS: '50',
      PUBLIC_URL,
      WORKER_METRICS_POLL_INTERVAL: String(POLL_INTERVAL_MS / 1000),
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

  it('should tell each receiver once of 100 workers going hot in the same poll, within the group wait, and once when they cool', async () => {
    const workers = await importRunning(100);
    const workerIds = workers.map((worker) => worker.id);
    // The import polled each worker on its own; from the next boundary on, they share polls.
    await afterNextPollBoundary();
    await afterNextPollBoundary();
    setMetrics(workers, { cpu: 97, memory: 30 });
    const firing = await waitFor(async () => {
      const found = await alertsOf(workerIds, 'FIRING');
      return found.length === 100 ? found : undefined;
    }, 2 * POLL_INTERVAL_MS);
    const alertIds = firing.map((alert) => alert.id);
    const ids = [...alertIds, ...workerIds];
    const firedAt = Math.min(...firing.map((alert) => Date.parse(alert.startedAt)));
    const fired = await waitFor(
      () => {
        const told = toldOf(ids);
        return told.cloudEvents.length &&
          told.pagerDuty.length &&
          told.opsgenie.length &&
          told.mails.length
          ? told
          : undefined;
      },
      GROUP_WAIT_MS + MARGIN_MS + 5_000,
    );
    // Late duplicates would show by now.
    await new Promise((resolve) => setTimeout(resolve, GROUP_INTERVAL_MS + 1_000));
    const settled = toldOf(ids);

    expect(settled.cloudEvents).toHaveLength(1);
    expect(settled.opsgenie).toHaveLength(1);
    expect(settled.mails).toHaveLength(1);
    const [event] = settled.cloudEvents;
    expect(event.json).toMatchObject({
      type: 'com.cml.worker.alert.group.firing',
      data: { firingCount: 100 },
    });
    expect(
      new Webhook(SECRET).verify(event.body, event.headers as Record<string, string>),
    ).toBeTruthy();
    expect(settled.pagerDuty).toHaveLength(1);
    const [page] = settled.pagerDuty;
    expect(page.json).toMatchObject({ event_action: 'trigger', payload: { severity: 'warning' } });
    expect(page.json.links).toEqual([expect.objectContaining({ href: `${PUBLIC_URL}/` })]);
    expect(settled.opsgenie[0]).toMatchObject({ path: '/opsgenie/v2/alerts' });
    expect(settled.opsgenie[0].headers.authorization).toBe(`GenieKey ${OPSGENIE_KEY}`);
    expect(settled.mails[0].raw).toMatch(/Subject: .*WARNING.*CPU_HIGH/);
    expect(settled.mails[0].raw).toContain(`${PUBLIC_URL}/#/workers/${workerIds[0]}`);
    for (const told of [
      fired.cloudEvents[0],
      fired.pagerDuty[0],
      fired.opsgenie[0],
      fired.mails[0],
    ]) {
      expect(told.at - firedAt).toBeGreaterThanOrEqual(GROUP_WAIT_MS - 200);
      expect(told.at - firedAt).toBeLessThan(GROUP_WAIT_MS + MARGIN_MS);
    }

    await afterNextPollBoundary();
    setMetrics(workers, { cpu: 20, memory: 30 });
    await waitFor(
      async () => (await alertsOf(workerIds, 'RESOLVED')).length === 100,
      2 * POLL_INTERVAL_MS,
    );
    await waitFor(
      () => toldOf(ids).cloudEvents.length === 2,
      GROUP_INTERVAL_MS + MARGIN_MS + 5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, GROUP_INTERVAL_MS + 1_000));
    const cooled = toldOf(ids);

    expect(cooled.cloudEvents.map((entry) => entry.json.type)).toEqual([
      'com.cml.worker.alert.group.firing',
      'com.cml.worker.alert.group.resolved',
    ]);
    expect(cooled.cloudEvents[1].json).toMatchObject({
      data: { resolvedCount: 100, groupResolved: true },
    });
    expect(cooled.pagerDuty.map((entry) => entry.json.event_action)).toEqual([
      'trigger',
      'resolve',
    ]);
    expect(cooled.opsgenie.map((entry) => entry.path.split('?')[0])).toEqual([
      '/opsgenie/v2/alerts',
      expect.stringMatching(/^\/opsgenie\/v2\/alerts\/[^/]+\/close$/),
    ]);
    expect(cooled.mails).toHaveLength(2);
  }, 60_000);

  it('should publish a silenced region\u2019s alerts as silenced, deliver nothing, and deliver the still-firing ones once it is expired', async () => {
    const workers = await importRunning(3);
    const workerIds = workers.map((worker) => worker.id);
    const { createSilence } = await requestData(app.graphqlUrl, CreateSilenceDocument, {
      input: {
        matchers: { awsRegion: TEST_REGION, kinds: ['MEMORY_HIGH'] },
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        comment: 'maintenance of the memory modules',
      },
    });
    const subscription = await watchAlerts();

    setMetrics(workers, { cpu: 20, memory: 97 });
    const published: ThresholdAlertSubscription['thresholdAlert'][] = [];
    while (published.length < 3) {
      const { thresholdAlert } = await subscription.next();
      if (workerIds.includes(thresholdAlert.workerId)) {
        published.push(thresholdAlert);
      }
    }
    await subscription.close();
    const alertIds = published.map((alert) => alert.id);
    const ids = [...alertIds, ...workerIds];
    await new Promise((resolve) => setTimeout(resolve, GROUP_WAIT_MS + MARGIN_MS));

    expect(published.map((alert) => [alert.kind, alert.silenced])).toEqual([
      ['MEMORY_HIGH', true],
      ['MEMORY_HIGH', true],
      ['MEMORY_HIGH', true],
    ]);
    const quiet = toldOf(ids);
    expect([quiet.cloudEvents, quiet.opsgenie, quiet.mails]).toEqual([[], [], []]);
    expect(
      receivers.at('/pagerduty').filter((entry) => alertIds.some((id) => entry.body.includes(id))),
    ).toEqual([]);

    await requestData(app.graphqlUrl, ExpireSilenceDocument, { id: createSilence.id });
    const told = await waitFor(() => {
      const got = toldOf(ids).cloudEvents;
      return got.length > 0 ? got : undefined;
    }, MARGIN_MS + 5_000);
    await new Promise((resolve) => setTimeout(resolve, GROUP_INTERVAL_MS + 1_000));

    expect(toldOf(ids).cloudEvents).toHaveLength(1);
    expect(told[0].json).toMatchObject({ data: { firingCount: 3 } });
    expect(toldOf(ids).mails).toHaveLength(1);
  }, 60_000);

  it('should route a CRITICAL alert to PagerDuty and the webhook, an INFO one to the webhook only, and send acknowledgements on', async () => {
    const [asked, unasked, hot] = await importRunning(3);
    await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: asked.id });
    for (const worker of [asked, unasked]) {
      fleet().setState(worker.awsInstanceId, 'terminated');
      await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id });
    }
    const terminations = await waitFor(async () => {
      const found = (await alertsOf([asked.id, unasked.id], 'RESOLVED')).filter(
        (alert) => alert.kind === 'TERMINATED',
      );
      return found.length === 2 ? found : undefined;
    });
    const info = terminations.find((alert) => alert.severity === 'INFO');
    const critical = terminations.find((alert) => alert.severity === 'CRITICAL');
    await waitFor(
      () => toldOf([info?.id ?? '', critical?.id ?? '']).cloudEvents.length === 2,
      GROUP_WAIT_MS + MARGIN_MS + 5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const pagesMentioning = (id: string) =>
      receivers.at('/pagerduty').filter((entry) => entry.body.includes(id));
    expect(toldOf([info?.id ?? '']).cloudEvents).toHaveLength(1);
    expect(pagesMentioning(info?.id ?? '')).toEqual([]);
    expect(pagesMentioning(critical?.id ?? '').map((entry) => entry.json.event_action)).toEqual([
      'trigger',
    ]);

    setMetrics([hot], { cpu: 97, memory: 30 });
    const [alert] = await waitFor(async () => {
      const found = await alertsOf([hot.id], 'FIRING');
      return found.length === 1 ? found : undefined;
    }, 2 * POLL_INTERVAL_MS);
    const [trigger] = await waitFor(
      () => {
        const got = pagesMentioning(alert.id);
        return got.length === 1 ? got : undefined;
      },
      GROUP_WAIT_MS + MARGIN_MS + 5_000,
    );

    await requestData(app.graphqlUrl, AcknowledgeAlertDocument, { id: alert.id });
    const acknowledge = await waitFor(() =>
      receivers
        .at('/pagerduty')
        .find(
          (entry) =>
            entry.json.event_action === 'acknowledge' &&
            entry.json.dedup_key === trigger.json.dedup_key,
        ),
    );
    expect(acknowledge.json).toMatchObject({ routing_key: 'routing-key-for-tests' });
    await waitFor(() =>
      receivers
        .at('/opsgenie')
        .find((entry) => /\/acknowledge\?identifierType=alias$/.test(entry.path)),
    );
    await waitFor(() =>
      receivers
        .at('/events')
        .find(
          (entry) =>
            entry.json.type === 'com.cml.worker.alert.acknowledged' &&
            entry.body.includes(alert.id),
        ),
    );
  }, 60_000);
});
