import { createHmac } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildRequest,
  type AlertNotice,
  type OutgoingRequest,
} from '../../src/services/notifications/alert-notice';
import {
  receiversOf,
  type NotificationSettings,
  type Receiver,
} from '../../src/services/notifications/receivers';
import { retryDelayMs } from '../../src/jobs/job-catalogue';
import { sendRequest } from '../../src/services/notifications/webhook-sender';
import { freePort } from '../support/free-port';

const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/slacksecrettoken';
const WEBHOOK_URL = 'https://hooks.example.com:8443/alerts?token=querysecret';
const EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const ROUTING_KEY = 'routingkeysecret';
const STARTED_AT = new Date('2026-11-24T12:00:00.000Z');
const OCCURRED_AT = new Date('2026-11-24T12:05:00.000Z');
const LAB_3 = { id: 'worker-1', name: 'lab-3', awsInstanceId: 'i-0abc', awsRegion: 'us-east-1' };

const settingsWith = (overrides: Partial<NotificationSettings> = {}): NotificationSettings => ({
  webhookUrls: [],
  webhookSecret: undefined,
  pagerDuty: undefined,
  source: '/cml-worker-monitor',
  timeoutMs: 10_000,
  ...overrides,
});

const cpuNotice = (overrides: Partial<AlertNotice> = {}): AlertNotice => ({
  eventId: 'alert-1:firing',
  type: 'FIRING',
  occurredAt: OCCURRED_AT,
  alert: {
    id: 'alert-1',
    workerId: 'worker-1',
    kind: 'CPU_HIGH',
    state: 'FIRING',
    severity: 'CRITICAL',
    value: 97,
    threshold: 90,
    resolvedValue: null,
    message: 'CPU above 90% for 3 samples',
    resolution: null,
    startedAt: STARTED_AT,
    resolvedAt: null,
    acknowledgedAt: null,
  },
  worker: LAB_3,
  ...overrides,
});

const resolvedCpuNotice = (): AlertNotice => {
  const firing = cpuNotice();
  return {
    ...firing,
    eventId: 'alert-1:resolved',
    type: 'RESOLVED',
    alert: {
      ...firing.alert,
      state: 'RESOLVED',
      resolvedValue: 20,
      resolution: 'CPU at 20 %, below 85 %',
      resolvedAt: OCCURRED_AT,
    },
  };
};

const receiverOf = (settings: NotificationSettings, kind: Receiver['kind']): Receiver => {
  const receiver = receiversOf(settings).find((candidate) => candidate.kind === kind);
  if (!receiver) {
    throw new Error(`no ${kind} receiver in the settings`);
  }
  return receiver;
};

/** Builds a request that must exist, for tests about its content. */
const requestFor = (
  kind: Receiver['kind'],
  notice: AlertNotice,
  overrides: Partial<NotificationSettings> = {},
): OutgoingRequest => {
  const settings = settingsWith({
    webhookUrls: [WEBHOOK_URL, SLACK_URL],
    pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
    ...overrides,
  });
  const request = buildRequest(receiverOf(settings, kind), notice, settings);
  if (!request) {
    throw new Error(`the ${kind} receiver took no request`);
  }
  return request;
};

const slackText = (notice: AlertNotice) =>
  (JSON.parse(requestFor('SLACK', notice).body) as { text: string }).text;

describe(receiversOf.name, () => {
  it('should tell Slack webhooks from CloudEvents webhooks and put PagerDuty last', () => {
    const receivers = receiversOf(
      settingsWith({
        webhookUrls: [SLACK_URL, WEBHOOK_URL, 'https://hooks.slack-gov.com/services/T/B/x'],
        pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
      }),
    );

    expect(receivers.map(({ kind, label }) => [kind, label])).toEqual([
      ['SLACK', 'slack hooks.slack.com'],
      ['CLOUDEVENTS', 'webhook https://hooks.example.com:8443'],
      ['SLACK', 'slack hooks.slack-gov.com'],
      ['PAGERDUTY', 'pagerduty events.pagerduty.com'],
    ]);
    expect(receivers.map((receiver) => receiver.url)).toEqual([
      SLACK_URL,
      WEBHOOK_URL,
      'https://hooks.slack-gov.com/services/T/B/x',
      EVENTS_URL,
    ]);
  });

  it('should treat a webhook on another host that mentions Slack as a CloudEvents webhook', () => {
    const [receiver] = receiversOf(
      settingsWith({ webhookUrls: ['https://hooks.slack.com.example.org/services/x'] }),
    );

    expect(receiver.kind).toBe('CLOUDEVENTS');
  });

  it('should list a URL given twice once', () => {
    const receivers = receiversOf(
      settingsWith({ webhookUrls: [WEBHOOK_URL, SLACK_URL, WEBHOOK_URL, SLACK_URL] }),
    );

    expect(receivers.map((receiver) => receiver.url)).toEqual([WEBHOOK_URL, SLACK_URL]);
  });

  it('should give keys that are stable, differ per URL and do not reveal the URL', () => {
    const settings = settingsWith({
      webhookUrls: [WEBHOOK_URL, 'https://hooks.example.com:8443/other'],
      pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
    });
    const keys = receiversOf(settings).map((receiver) => receiver.key);
    const otherRoutingKey = receiversOf(
      settingsWith({ pagerDuty: { routingKey: 'another-key', eventsUrl: EVENTS_URL } }),
    )[0].key;

    expect(receiversOf(settings).map((receiver) => receiver.key)).toEqual(keys);
    expect(keys[0]).toMatch(/^cloudevents:[0-9a-f]{16}$/);
    expect(keys[1]).toMatch(/^cloudevents:[0-9a-f]{16}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toMatch(/^pagerduty:[0-9a-f]{16}$/);
    expect(otherRoutingKey).not.toBe(keys[2]);
  });

  it('should never put the path, query or credentials of a URL in a label', () => {
    const labels = receiversOf(
      settingsWith({
        webhookUrls: [SLACK_URL, WEBHOOK_URL, 'https://user:password@example.net/hook'],
        pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
      }),
    ).map((receiver) => receiver.label);

    expect(labels).toContain('webhook https://example.net');
    for (const secret of [
      'slacksecrettoken',
      'querysecret',
      'password',
      'user',
      'services',
      ROUTING_KEY,
    ]) {
      expect(labels.join(' ')).not.toContain(secret);
    }
  });
});

describe(buildRequest.name, () => {
  describe('CloudEvents webhook', () => {
    it('should send a CloudEvents 1.0 structured event describing the alert and its worker', () => {
      const request = requestFor('CLOUDEVENTS', cpuNotice());

      expect(request.url).toBe(WEBHOOK_URL);
      expect(request.headers).toEqual({
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'cml-worker-monitor',
      });
      expect(JSON.parse(request.body)).toEqual({
        specversion: '1.0',
        id: 'alert-1:firing',
        source: '/cml-worker-monitor',
        type: 'com.cml.worker.alert.firing',
        subject: 'worker-1',
        time: '2026-11-24T12:05:00.000Z',
        datacontenttype: 'application/json',
        data: {
          id: 'alert-1',
          workerId: 'worker-1',
          kind: 'CPU_HIGH',
          state: 'FIRING',
          severity: 'CRITICAL',
          value: 97,
          threshold: 90,
          resolvedValue: null,
          resolution: null,
          message: 'CPU above 90% for 3 samples',
          startedAt: '2026-11-24T12:00:00.000Z',
          resolvedAt: null,
          acknowledgedAt: null,
          worker: {
            id: 'worker-1',
            name: 'lab-3',
            awsInstanceId: 'i-0abc',
            awsRegion: 'us-east-1',
          },
        },
      });
    });

    it('should name the event after what happened and carry a removed worker as null', () => {
      const resolved = JSON.parse(requestFor('CLOUDEVENTS', resolvedCpuNotice()).body);
      const reminder = JSON.parse(
        requestFor(
          'CLOUDEVENTS',
          cpuNotice({ eventId: 'alert-1:reminder:3', type: 'REMINDER', worker: null }),
        ).body,
      );

      expect(resolved.type).toBe('com.cml.worker.alert.resolved');
      expect(resolved.data.resolvedAt).toBe('2026-11-24T12:05:00.000Z');
      expect(resolved.data.resolvedValue).toBe(20);
      expect(resolved.data.resolution).toBe('CPU at 20 %, below 85 %');
      expect(reminder.type).toBe('com.cml.worker.alert.reminder');
      expect(reminder.id).toBe('alert-1:reminder:3');
      expect(reminder.data.worker).toBeNull();
    });

    it('should publish only the fields of the notice, not whatever else the caller passed', () => {
      const notice = cpuNotice();
      const entity = { ...notice.alert, internalNote: 'do not publish' };

      const request = requestFor('CLOUDEVENTS', { ...notice, alert: entity });

      expect(request.body).not.toContain('do not publish');
    });
  });

  describe('signature', () => {
    it('should sign the exact body with the webhook secret', () => {
      const notice = cpuNotice({ worker: { ...LAB_3, name: 'läb-3 ✓' } });
      for (const kind of ['CLOUDEVENTS', 'SLACK'] as const) {
        const request = requestFor(kind, notice, { webhookSecret: 's3cret' });
        const expected = createHmac('sha256', 's3cret')
          .update(Buffer.from(request.body, 'utf8'))
          .digest('hex');

        expect(request.headers['x-signature-256']).toBe(`sha256=${expected}`);
      }
    });

    it('should not sign without a secret, nor sign PagerDuty events', () => {
      expect(requestFor('CLOUDEVENTS', cpuNotice()).headers).not.toHaveProperty('x-signature-256');
      expect(requestFor('SLACK', cpuNotice()).headers).not.toHaveProperty('x-signature-256');
      expect(
        requestFor('PAGERDUTY', cpuNotice(), { webhookSecret: 's3cret' }).headers,
      ).not.toHaveProperty('x-signature-256');
    });
  });

  describe('Slack', () => {
    it('should post a JSON text line for a firing measured alert', () => {
      const request = requestFor('SLACK', cpuNotice());

      expect(request.url).toBe(SLACK_URL);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('cml-worker-monitor');
      expect(slackText(cpuNotice())).toBe(
        ':rotating_light: [CRITICAL] CPU_HIGH firing on worker lab-3 (i-0abc, us-east-1): CPU 97 % above 90 %',
      );
    });

    it('should tell the value the alert resolved at', () => {
      expect(slackText(resolvedCpuNotice())).toBe(
        ':white_check_mark: [CRITICAL] CPU_HIGH resolved on worker lab-3 (i-0abc, us-east-1): CPU at 20 %, below 85 %',
      );
    });

    it('should remind since when the alert fires', () => {
      expect(slackText(cpuNotice({ eventId: 'alert-1:reminder:1', type: 'REMINDER' }))).toBe(
        ':repeat: [CRITICAL] CPU_HIGH still firing on worker lab-3 (i-0abc, us-east-1) since 2026-11-24T12:00:00.000Z: CPU 97 % above 90 %',
      );
    });

    it('should use the message of a status alert, which measures nothing', () => {
      const notice = cpuNotice();
      const stopped: AlertNotice = {
        ...notice,
        alert: {
          ...notice.alert,
          kind: 'STOPPED_UNEXPECTEDLY',
          severity: 'WARNING',
          value: null,
          threshold: null,
          message: 'stopped without a stop request',
        },
        worker: null,
      };

      expect(slackText(stopped)).toBe(
        ':rotating_light: [WARNING] STOPPED_UNEXPECTEDLY firing on removed worker worker-1: stopped without a stop request',
      );
    });

    it('should escape the characters Slack reads as markup', () => {
      const notice = cpuNotice({
        worker: {
          id: 'worker-1',
          name: '<!channel> R&D',
          awsInstanceId: 'i-0abc',
          awsRegion: 'us-east-1',
        },
      });

      expect(slackText(notice)).toContain('on worker &lt;!channel&gt; R&amp;D (i-0abc');
    });
  });

  describe('PagerDuty', () => {
    it('should trigger an event with a summary, severity and details', () => {
      const request = requestFor('PAGERDUTY', cpuNotice());

      expect(request.url).toBe(EVENTS_URL);
      expect(request.headers).toEqual({
        'content-type': 'application/json',
        'user-agent': 'cml-worker-monitor',
      });
      expect(JSON.parse(request.body)).toEqual({
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: 'cml-worker-monitor:alert-1',
        payload: {
          summary:
            '[CRITICAL] CPU_HIGH firing on worker lab-3 (i-0abc, us-east-1): CPU 97 % above 90 %',
          source: 'i-0abc',
          severity: 'critical',
          timestamp: '2026-11-24T12:00:00.000Z',
          component: 'lab-3',
          group: 'us-east-1',
          class: 'CPU_HIGH',
          custom_details: {
            alertId: 'alert-1',
            workerId: 'worker-1',
            value: 97,
            threshold: 90,
            resolvedValue: null,
            message: 'CPU above 90% for 3 samples',
          },
        },
      });
    });

    it('should resolve the incident it triggered', () => {
      const trigger = JSON.parse(requestFor('PAGERDUTY', cpuNotice()).body);
      const resolve = JSON.parse(requestFor('PAGERDUTY', resolvedCpuNotice()).body);

      expect(resolve).toEqual({
        routing_key: ROUTING_KEY,
        event_action: 'resolve',
        dedup_key: trigger.dedup_key,
      });
    });

    it('should keep the summary within 1024 characters and name a removed worker by id', () => {
      const notice = cpuNotice({ worker: null });
      const long: AlertNotice = {
        ...notice,
        alert: { ...notice.alert, value: null, message: 'x'.repeat(2_000) },
      };

      const { payload } = JSON.parse(requestFor('PAGERDUTY', long).body);

      expect(payload.summary).toHaveLength(1024);
      expect(payload.summary).toMatch(/x…$/);
      expect(payload.source).toBe('worker-1');
      expect(payload).not.toHaveProperty('component');
    });

    it('should leave reminders to PagerDuty', () => {
      const settings = settingsWith({
        pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
      });
      const reminder = cpuNotice({ eventId: 'alert-1:reminder:1', type: 'REMINDER' });

      expect(buildRequest(receiverOf(settings, 'PAGERDUTY'), reminder, settings)).toBeNull();
    });
  });
});

describe(sendRequest.name, () => {
  interface Received {
    method: string | undefined;
    url: string | undefined;
    headers: IncomingHttpHeaders;
    body: string;
  }

  let server: Server;
  let baseUrl: string;
  let received: Received[];
  let answer: (response: ServerResponse) => void;

  beforeEach(async () => {
    received = [];
    answer = (response) => response.writeHead(200).end();
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { method, url, headers } = request;
        received.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const secretUrl = () => `${baseUrl}/services/T0001/B0001/slacksecrettoken?token=querysecret`;
  const send = (timeoutMs = 5_000) =>
    sendRequest(
      {
        url: secretUrl(),
        headers: { 'content-type': 'application/json', 'x-test': 'yes' },
        body: '{"a":"é"}',
      },
      timeoutMs,
    );
  const expectNoUrlIn = (error: string) => {
    for (const part of ['slacksecrettoken', 'querysecret', '/services', '127.0.0.1', baseUrl]) {
      expect(error).not.toContain(part);
    }
  };

  it('should POST the body and headers as built', async () => {
    await send();

    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/services/T0001/B0001/slacksecrettoken?token=querysecret',
        body: '{"a":"é"}',
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-test': 'yes' }),
      }),
    ]);
  });

  it.each([200, 202, 204])('should report success on HTTP %i', async (status) => {
    answer = (response) => response.writeHead(status).end(status === 204 ? undefined : 'thanks');

    await expect(send()).resolves.toEqual({ ok: true, status });
  });

  it.each([
    [500, 'HTTP 500 Internal Server Error'],
    [503, 'HTTP 503 Service Unavailable'],
    [429, 'HTTP 429 Too Many Requests'],
    [408, 'HTTP 408 Request Timeout'],
  ])('should report HTTP %i as worth retrying', async (status, error) => {
    answer = (response) => response.writeHead(status, 'see https://leak.example/secret').end('no');

    const result = await send();

    expect(result).toEqual({ ok: false, retryable: true, status, error });
  });

  it.each([
    [400, 'HTTP 400 Bad Request'],
    [404, 'HTTP 404 Not Found'],
    [410, 'HTTP 410 Gone'],
  ])('should report HTTP %i as not worth retrying', async (status, error) => {
    answer = (response) => response.writeHead(status).end('no');

    await expect(send()).resolves.toEqual({ ok: false, retryable: false, status, error });
  });

  it('should not follow a redirect, nor retry it', async () => {
    answer = (response) => response.writeHead(302, { location: '/elsewhere' }).end();

    const result = await send();

    expect(result).toEqual({
      ok: false,
      retryable: false,
      status: 302,
      error: 'HTTP 302 Found (redirects are not followed)',
    });
    expect(received.map((request) => request.url)).toEqual([
      '/services/T0001/B0001/slacksecrettoken?token=querysecret',
    ]);
  });

  it('should give up on a receiver that does not answer in time, and retry later', async () => {
    answer = () => undefined;

    const started = Date.now();
    const result = await send(200);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      status: null,
      error: 'timed out after 200 ms',
    });
  });

  it('should report a refused connection as worth retrying, without the URL', async () => {
    const closedPort = await freePort();

    const result = await sendRequest(
      {
        url: `http://127.0.0.1:${closedPort}/services/T0001/B0001/slacksecrettoken`,
        headers: {},
        body: '',
      },
      5_000,
    );

    expect(result).toEqual({
      ok: false,
      retryable: true,
      status: null,
      error: 'connection refused (ECONNREFUSED)',
    });
    expectNoUrlIn(result.ok ? '' : result.error);
    expect(result.ok ? '' : result.error).not.toContain(String(closedPort));
  });

  it('should never put the URL in an error', async () => {
    const errors: string[] = [];
    for (const status of [500, 404, 302]) {
      answer = (response) => response.writeHead(status, { location: secretUrl() }).end(secretUrl());
      const result = await send();
      errors.push(result.ok ? '' : result.error);
    }
    answer = () => undefined;
    const timedOut = await send(100);
    errors.push(timedOut.ok ? '' : timedOut.error);

    expect(errors).toHaveLength(4);
    errors.forEach((error) => {
      expect(error).not.toBe('');
      expectNoUrlIn(error);
    });
  });
});

describe(retryDelayMs.name, () => {
  const options = { baseMs: 1_000, maxMs: 60_000 };

  it('should double the delay with each attempt, from half to all of it', () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(500);
    expect(retryDelayMs(1, options, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, options, () => 1)).toBe(2_000);
    expect(retryDelayMs(4, options, () => 0)).toBe(4_000);
    expect(retryDelayMs(4, options, () => 0.5)).toBe(6_000);
  });

  it('should never wait longer than the cap, however many attempts failed', () => {
    expect(retryDelayMs(7, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(7, options, () => 0)).toBe(30_000);
    expect(retryDelayMs(2_000, options, () => 1)).toBe(60_000);
  });

  it('should stay within its bounds with the default randomness', () => {
    for (let i = 0; i < 100; i += 1) {
      const delay = retryDelayMs(3, options);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});
