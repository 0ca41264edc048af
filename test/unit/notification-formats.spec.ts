import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { buildOutgoing, type Outgoing } from '../../src/services/notifications/alert-notice';
import type {
  GroupNotice,
  NoticeAlert,
  NoticeWorker,
} from '../../src/services/notifications/group-notice';
import type {
  NotificationSettings,
  Receiver,
  ReceiverKind,
} from '../../src/services/notifications/receivers';

const PUBLIC_URL = 'https://cwm.example.org';
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/slacksecrettoken';
const WEBHOOK_URL = 'https://hooks.example.com:8443/alerts?token=querysecret';
const EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const OPSGENIE_URL = 'https://api.eu.opsgenie.com';
const ROUTING_KEY = 'routingkeysecret';
const OPSGENIE_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';
const DEDUP_KEY = 'cml-worker-monitor:group-1';
const STARTED_AT = '2026-11-24T12:00:00.000Z';
const OCCURRED_AT = '2026-11-24T12:05:00.000Z';
const NOW = new Date('2026-11-24T12:05:07.900Z');

const workerOf = (n: number): NoticeWorker => ({
  id: `worker-${n}`,
  name: `lab-${n}`,
  awsInstanceId: `i-0${n.toString(16).padStart(4, '0')}`,
  awsRegion: 'us-east-1',
});

/** A CPU alert on worker n, firing since STARTED_AT and told for the first time. */
const alertOn = (n: number, overrides: Partial<NoticeAlert> = {}): NoticeAlert => ({
  id: `alert-${n}`,
  workerId: `worker-${n}`,
  kind: 'CPU_HIGH',
  state: 'FIRING',
  severity: 'CRITICAL',
  value: 97,
  threshold: 90,
  resolvedValue: null,
  message: 'CPU at 97 %, above the 90 % threshold for 3 samples',
  resolution: null,
  startedAt: STARTED_AT,
  resolvedAt: null,
  acknowledgedAt: null,
  worker: workerOf(n),
  isNew: true,
  link: `${PUBLIC_URL}/#/workers/worker-${n}`,
  ...overrides,
});

const resolvedOn = (n: number, overrides: Partial<NoticeAlert> = {}): NoticeAlert =>
  alertOn(n, {
    state: 'RESOLVED',
    resolvedValue: 20,
    resolution: 'CPU at 20 %, below 85 %',
    resolvedAt: OCCURRED_AT,
    isNew: false,
    ...overrides,
  });

/** A group notice whose counts match what it lists, unless told otherwise. */
const noticeOf = (overrides: Partial<GroupNotice> = {}): GroupNotice => {
  const firing = overrides.firing ?? [alertOn(1)];
  const resolved = overrides.resolved ?? [];
  return {
    eventId: 'group-1:1',
    type: 'FIRING',
    occurredAt: OCCURRED_AT,
    group: {
      id: 'group-1',
      key: 'kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
      labels: { kind: 'CPU_HIGH', region: 'us-east-1', severity: 'CRITICAL' },
      dedupKey: DEDUP_KEY,
    },
    firing,
    firingCount: firing.length,
    resolved,
    resolvedCount: resolved.length,
    groupResolved: false,
    link: `${PUBLIC_URL}/#/workers/worker-1`,
    ...overrides,
  };
};

/** 100 WARNING alerts firing over 100 workers of a region, 3 more resolved. */
const fleetNotice = (overrides: Partial<GroupNotice> = {}): GroupNotice =>
  noticeOf({
    group: {
      id: 'group-2',
      key: 'kind=CPU_HIGH,region=us-east-1,severity=WARNING',
      labels: { kind: 'CPU_HIGH', region: 'us-east-1', severity: 'WARNING' },
      dedupKey: 'cml-worker-monitor:group-2',
    },
    firing: Array.from({ length: 100 }, (_, i) => alertOn(i + 1, { severity: 'WARNING' })),
    resolved: [101, 102, 103].map((n) => resolvedOn(n, { severity: 'WARNING' })),
    link: `${PUBLIC_URL}/#/`,
    ...overrides,
  });

/** Nothing without PUBLIC_URL carries a link. */
const withoutLinks = (notice: GroupNotice): GroupNotice => ({
  ...notice,
  link: null,
  firing: notice.firing.map((alert) => ({ ...alert, link: null })),
  resolved: notice.resolved.map((alert) => ({ ...alert, link: null })),
});

const settingsWith = (overrides: Partial<NotificationSettings> = {}): NotificationSettings => ({
  webhookUrls: [WEBHOOK_URL, SLACK_URL],
  webhookSecret: undefined,
  pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
  opsgenie: { apiKey: OPSGENIE_KEY, apiUrl: OPSGENIE_URL },
  email: {
    smtpUrl: 'smtp://mailer:secret@smtp.example.org:587',
    from: 'cwm@example.org',
    to: ['oncall@example.org', 'lab-admins@example.org'],
    tlsCaFile: undefined,
    insecure: false,
  },
  source: '/cml-worker-monitor',
  timeoutMs: 10_000,
  publicUrl: PUBLIC_URL,
  routes: [],
  ...overrides,
});

const RECEIVER_URLS: Record<ReceiverKind, string> = {
  CLOUDEVENTS: WEBHOOK_URL,
  SLACK: SLACK_URL,
  PAGERDUTY: EVENTS_URL,
  OPSGENIE: OPSGENIE_URL,
  EMAIL: 'smtp://mailer:secret@smtp.example.org:587',
};

const receiverOf = (kind: ReceiverKind): Receiver => ({
  key: `${kind.toLowerCase()}:0123456789abcdef`,
  kind,
  label: kind.toLowerCase(),
  url: RECEIVER_URLS[kind],
  route: { minSeverity: 'INFO', kinds: null, regions: null },
});

const outgoingFor = (
  kind: ReceiverKind,
  notice: GroupNotice,
  overrides: Partial<NotificationSettings> = {},
  now = NOW,
): Outgoing | null => buildOutgoing(receiverOf(kind), notice, settingsWith(overrides), now);

/** The HTTP request a receiver must take, for tests about its content. */
const requestFor = (
  kind: ReceiverKind,
  notice: GroupNotice,
  overrides: Partial<NotificationSettings> = {},
  now = NOW,
) => {
  const outgoing = outgoingFor(kind, notice, overrides, now);
  if (outgoing?.transport !== 'http') {
    throw new Error(`the ${kind} receiver took no HTTP request`);
  }
  return outgoing;
};

const bodyFor = (kind: ReceiverKind, notice: GroupNotice): ReturnType<typeof JSON.parse> =>
  JSON.parse(requestFor(kind, notice).body);

const slackLines = (notice: GroupNotice) =>
  (bodyFor('SLACK', notice) as { text: string }).text.split('\n');

const mailFor = (notice: GroupNotice) => {
  const outgoing = outgoingFor('EMAIL', notice);
  if (outgoing?.transport !== 'smtp') {
    throw new Error('the EMAIL receiver took no message');
  }
  return outgoing.message;
};

describe(buildOutgoing.name, () => {
  describe('CloudEvents webhook', () => {
    it('should send one CloudEvents 1.0 event describing the group and every alert it lists', () => {
      const notice = noticeOf({
        firing: [alertOn(1)],
        resolved: [resolvedOn(2, { worker: null, link: null })],
        firingCount: 4,
        link: `${PUBLIC_URL}/#/`,
      });

      const request = requestFor('CLOUDEVENTS', notice);

      expect(request.url).toBe(WEBHOOK_URL);
      expect(request.headers).toEqual({
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'cml-worker-monitor',
      });
      expect(JSON.parse(request.body)).toEqual({
        specversion: '1.0',
        id: 'group-1:1',
        source: '/cml-worker-monitor',
        type: 'com.cml.worker.alert.group.firing',
        subject: 'kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
        time: OCCURRED_AT,
        datacontenttype: 'application/json',
        data: {
          group: {
            key: 'kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
            labels: { kind: 'CPU_HIGH', region: 'us-east-1', severity: 'CRITICAL' },
          },
          type: 'FIRING',
          firingCount: 4,
          resolvedCount: 1,
          groupResolved: false,
          link: 'https://cwm.example.org/#/',
          firing: [
            {
              id: 'alert-1',
              workerId: 'worker-1',
              kind: 'CPU_HIGH',
              state: 'FIRING',
              severity: 'CRITICAL',
              value: 97,
              threshold: 90,
              resolvedValue: null,
              message: 'CPU at 97 %, above the 90 % threshold for 3 samples',
              resolution: null,
              startedAt: STARTED_AT,
              resolvedAt: null,
              acknowledgedAt: null,
              worker: {
                id: 'worker-1',
                name: 'lab-1',
                awsInstanceId: 'i-00001',
                awsRegion: 'us-east-1',
              },
              isNew: true,
              link: 'https://cwm.example.org/#/workers/worker-1',
            },
          ],
          resolved: [
            {
              id: 'alert-2',
              workerId: 'worker-2',
              kind: 'CPU_HIGH',
              state: 'RESOLVED',
              severity: 'CRITICAL',
              value: 97,
              threshold: 90,
              resolvedValue: 20,
              message: 'CPU at 97 %, above the 90 % threshold for 3 samples',
              resolution: 'CPU at 20 %, below 85 %',
              startedAt: STARTED_AT,
              resolvedAt: OCCURRED_AT,
              acknowledgedAt: null,
              worker: null,
              isNew: false,
              link: null,
            },
          ],
        },
      });
    });

    it.each([
      ['FIRING', 'com.cml.worker.alert.group.firing'],
      ['RESOLVED', 'com.cml.worker.alert.group.resolved'],
      ['REMINDER', 'com.cml.worker.alert.group.reminder'],
    ] as const)('should type a %s notice %s, with its event id', (type, eventType) => {
      const event = bodyFor('CLOUDEVENTS', noticeOf({ type, eventId: `group-1:${type}` }));

      expect(event.type).toBe(eventType);
      expect(event.id).toBe(`group-1:${type}`);
      expect(event.data.type).toBe(type);
    });

    it('should tell an acknowledgement about the acknowledged alert, on its worker', () => {
      const acknowledged = alertOn(7, { acknowledgedAt: OCCURRED_AT, isNew: false });
      const notice = noticeOf({
        type: 'ACKNOWLEDGED',
        eventId: 'alert-7:acknowledged',
        firing: [acknowledged],
      });

      const event = bodyFor('CLOUDEVENTS', notice);

      expect(event).toMatchObject({
        id: 'alert-7:acknowledged',
        type: 'com.cml.worker.alert.acknowledged',
        subject: 'worker-7',
      });
      expect(event.data).toEqual({
        group: {
          key: 'kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
          labels: { kind: 'CPU_HIGH', region: 'us-east-1', severity: 'CRITICAL' },
        },
        alerts: [expect.objectContaining({ id: 'alert-7', acknowledgedAt: OCCURRED_AT })],
        link: 'https://cwm.example.org/#/workers/worker-1',
      });
    });

    it('should publish only the fields of the notice, not whatever else the caller passed', () => {
      const entity = { ...alertOn(1), internalNote: 'do not publish' };
      const worker = { ...workerOf(1), sshKey: 'do not publish' };
      const notice = noticeOf({ firing: [{ ...entity, worker }] });
      const labels = { ...notice.group.labels, tenant: 'do not publish' };

      const request = requestFor('CLOUDEVENTS', { ...notice, group: { ...notice.group, labels } });

      expect(request.body).not.toContain('do not publish');
    });

    it('should carry null links without PUBLIC_URL', () => {
      const event = bodyFor('CLOUDEVENTS', withoutLinks(noticeOf()));

      expect(event.data.link).toBeNull();
      expect(event.data.firing[0].link).toBeNull();
    });
  });

  describe('signature', () => {
    const STANDARD_SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const RAW_SECRET = 's3cret-passphrase';
    const headersOf = (request: { headers: Record<string, string> }) => ({
      'webhook-id': request.headers['webhook-id'] ?? '',
      'webhook-timestamp': request.headers['webhook-timestamp'] ?? '',
      'webhook-signature': request.headers['webhook-signature'] ?? '',
    });
    const signedNow = (kind: ReceiverKind, secret: string, notice = noticeOf()) =>
      requestFor(kind, notice, { webhookSecret: secret }, new Date());

    it.each(['CLOUDEVENTS', 'SLACK'] as const)(
      'should sign a %s request the Standard Webhooks way with a whsec_ secret',
      (kind) => {
        const request = signedNow(kind, STANDARD_SECRET);

        const payload = new Webhook(STANDARD_SECRET).verify(request.body, headersOf(request));

        expect(payload).toEqual(JSON.parse(request.body));
        expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      },
    );

    it.each(['CLOUDEVENTS', 'SLACK'] as const)(
      'should sign a %s request with any other secret as its raw bytes',
      (kind) => {
        const request = signedNow(kind, RAW_SECRET);
        const base64 = Buffer.from(RAW_SECRET, 'utf8').toString('base64');

        expect(() =>
          new Webhook(RAW_SECRET, { format: 'raw' }).verify(request.body, headersOf(request)),
        ).not.toThrow();
        expect(() => new Webhook(base64).verify(request.body, headersOf(request))).not.toThrow();
      },
    );

    it('should key a secret beyond ASCII with its UTF-8 bytes', () => {
      const secret = 'clé-secrète-✓';
      const request = signedNow('CLOUDEVENTS', secret);
      const utf8 = new TextEncoder().encode(secret);

      expect(() =>
        new Webhook(utf8, { format: 'raw' }).verify(request.body, headersOf(request)),
      ).not.toThrow();
    });

    it('should be rejected once the body or the timestamp was altered', () => {
      const request = signedNow('CLOUDEVENTS', STANDARD_SECRET);
      const headers = headersOf(request);
      const webhook = new Webhook(STANDARD_SECRET);
      const earlier = String(Number(headers['webhook-timestamp']) - 1);

      expect(() => webhook.verify(request.body.replace('CRITICAL', 'INFO'), headers)).toThrow(
        'No matching signature found',
      );
      expect(() =>
        webhook.verify(request.body, { ...headers, 'webhook-timestamp': earlier }),
      ).toThrow('No matching signature found');
      expect(() =>
        new Webhook(
          `whsec_${Buffer.from('another key of 32 bytes........').toString('base64')}`,
        ).verify(request.body, headers),
      ).toThrow('No matching signature found');
    });

    it('should be rejected when it is older than five minutes, as a replay would be', () => {
      const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
      const request = requestFor(
        'CLOUDEVENTS',
        noticeOf(),
        { webhookSecret: STANDARD_SECRET },
        sixMinutesAgo,
      );

      expect(() => new Webhook(STANDARD_SECRET).verify(request.body, headersOf(request))).toThrow(
        'Message timestamp too old',
      );
    });

    it('should keep the webhook id across attempts and date each attempt', () => {
      const first = requestFor('SLACK', noticeOf(), { webhookSecret: RAW_SECRET }, NOW);
      const retry = requestFor(
        'SLACK',
        noticeOf(),
        { webhookSecret: RAW_SECRET },
        new Date(NOW.getTime() + 90_000),
      );

      expect(first.headers['webhook-id']).toBe('group-1:1');
      expect(retry.headers['webhook-id']).toBe('group-1:1');
      expect(first.headers['webhook-timestamp']).toBe(String(Math.floor(NOW.getTime() / 1000)));
      expect(retry.headers['webhook-timestamp']).toBe(
        String(Math.floor(NOW.getTime() / 1000) + 90),
      );
      expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    });

    it('should keep the x-signature-256 body HMAC keyed with the secret string as is', () => {
      const notice = noticeOf({
        firing: [alertOn(1, { worker: { ...workerOf(1), name: 'läb-1 ✓' } })],
      });
      for (const secret of [RAW_SECRET, STANDARD_SECRET]) {
        for (const kind of ['CLOUDEVENTS', 'SLACK'] as const) {
          const request = requestFor(kind, notice, { webhookSecret: secret });
          const expected = createHmac('sha256', secret)
            .update(Buffer.from(request.body, 'utf8'))
            .digest('hex');

          expect(request.headers['x-signature-256']).toBe(`sha256=${expected}`);
        }
      }
    });

    it('should not sign without a secret, nor sign PagerDuty or Opsgenie requests', () => {
      const signatureHeaders = [
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
        'x-signature-256',
      ];
      const unsigned = [
        requestFor('CLOUDEVENTS', noticeOf()),
        requestFor('SLACK', noticeOf()),
        requestFor('PAGERDUTY', noticeOf(), { webhookSecret: RAW_SECRET }),
        requestFor('OPSGENIE', noticeOf(), { webhookSecret: RAW_SECRET }),
      ];

      for (const request of unsigned) {
        for (const header of signatureHeaders) {
          expect(request.headers).not.toHaveProperty(header);
        }
      }
    });
  });

  describe('Slack', () => {
    it('should sum the group up, list its first ten workers with links, then count the rest', () => {
      const request = requestFor('SLACK', fleetNotice());
      const lines = (JSON.parse(request.body) as { text: string }).text.split('\n');

      expect(request.url).toBe(SLACK_URL);
      expect(request.headers['content-type']).toBe('application/json');
      expect(lines[0]).toBe(
        ':rotating_light: [WARNING] CPU_HIGH in us-east-1: 100 firing (100 new), 3 resolved',
      );
      expect(lines[1]).toBe(
        '• <https://cwm.example.org/#/workers/worker-1|lab-1> (i-00001, us-east-1): CPU 97 % above 90 %',
      );
      expect(lines.slice(1, 11)).toHaveLength(10);
      expect(lines[10]).toContain('|lab-10> (i-0000a, us-east-1)');
      expect(lines.slice(11)).toEqual([
        '…and 90 more',
        'Resolved:',
        '• <https://cwm.example.org/#/workers/worker-101|lab-101> (i-00065, us-east-1): CPU at 20 %, below 85 %',
        '• <https://cwm.example.org/#/workers/worker-102|lab-102> (i-00066, us-east-1): CPU at 20 %, below 85 %',
        '• <https://cwm.example.org/#/workers/worker-103|lab-103> (i-00067, us-east-1): CPU at 20 %, below 85 %',
        '<https://cwm.example.org/#/|Open in cml-worker-monitor>',
      ]);
    });

    it('should count what the notice could not list', () => {
      const notice = fleetNotice({ firing: fleetNotice().firing.slice(0, 3), firingCount: 700 });

      expect(slackLines(notice)).toContain('…and 697 more');
    });

    it('should tell the measure of a single alert on its worker', () => {
      expect(slackLines(noticeOf())).toEqual([
        ':rotating_light: [CRITICAL] CPU_HIGH on lab-1 (i-00001, us-east-1): 1 firing (1 new) — CPU 97 % above 90 %',
        '• <https://cwm.example.org/#/workers/worker-1|lab-1> (i-00001, us-east-1): CPU 97 % above 90 %',
        '<https://cwm.example.org/#/workers/worker-1|Open in cml-worker-monitor>',
      ]);
    });

    it('should tell the resolutions first, then what still fires', () => {
      const notice = fleetNotice({
        type: 'RESOLVED',
        firing: [alertOn(1, { severity: 'WARNING', isNew: false })],
        firingCount: 97,
      });

      expect(slackLines(notice).slice(0, 6)).toEqual([
        ':white_check_mark: [WARNING] CPU_HIGH in us-east-1: 3 resolved, 97 still firing',
        '• <https://cwm.example.org/#/workers/worker-101|lab-101> (i-00065, us-east-1): CPU at 20 %, below 85 %',
        '• <https://cwm.example.org/#/workers/worker-102|lab-102> (i-00066, us-east-1): CPU at 20 %, below 85 %',
        '• <https://cwm.example.org/#/workers/worker-103|lab-103> (i-00067, us-east-1): CPU at 20 %, below 85 %',
        'Still firing:',
        '• <https://cwm.example.org/#/workers/worker-1|lab-1> (i-00001, us-east-1): CPU 97 % above 90 %',
      ]);
    });

    it('should remind since when the oldest alert fires', () => {
      const notice = fleetNotice({
        type: 'REMINDER',
        firing: [
          alertOn(1, { severity: 'WARNING', isNew: false, startedAt: '2026-11-24T11:00:00.000Z' }),
          alertOn(2, { severity: 'WARNING', isNew: false, startedAt: '2026-11-24T09:30:00.000Z' }),
        ],
        firingCount: 2,
        resolved: [],
      });

      expect(slackLines(notice)[0]).toBe(
        ':repeat: [WARNING] CPU_HIGH in us-east-1: 2 still firing since 2026-11-24T09:30:00.000Z',
      );
    });

    it('should use the message of an alert that measures nothing, and name a removed worker', () => {
      const stopped = alertOn(9, {
        kind: 'STOPPED_UNEXPECTEDLY',
        severity: 'WARNING',
        value: null,
        threshold: null,
        message: 'stopped without a stop request',
        worker: null,
        link: null,
      });
      const notice = noticeOf({
        group: {
          ...noticeOf().group,
          key: 'kind=STOPPED_UNEXPECTEDLY',
          labels: { kind: 'STOPPED_UNEXPECTEDLY' },
        },
        firing: [stopped],
        link: null,
      });

      expect(slackLines(notice)).toEqual([
        ':rotating_light: [WARNING] STOPPED_UNEXPECTEDLY on removed worker worker-9: 1 firing (1 new) — stopped without a stop request',
        '• removed worker worker-9: stopped without a stop request',
      ]);
    });

    it('should name the kind on each line of a group that mixes kinds', () => {
      const notice = noticeOf({
        group: { ...noticeOf().group, key: 'region=us-east-1', labels: { region: 'us-east-1' } },
        firing: [
          alertOn(1),
          alertOn(2, { kind: 'IDLE', value: 2, threshold: 5, severity: 'INFO' }),
        ],
      });

      expect(slackLines(notice).slice(0, 3)).toEqual([
        ':rotating_light: [CRITICAL] CPU_HIGH, IDLE in us-east-1: 2 firing (2 new)',
        '• CPU_HIGH <https://cwm.example.org/#/workers/worker-1|lab-1> (i-00001, us-east-1): CPU 97 % above 90 %',
        '• IDLE <https://cwm.example.org/#/workers/worker-2|lab-2> (i-00002, us-east-1): CPU 2 % below 5 %',
      ]);
    });

    it('should link nothing without PUBLIC_URL', () => {
      const text = (bodyFor('SLACK', withoutLinks(fleetNotice())) as { text: string }).text;

      expect(text).not.toMatch(/[<>]/);
      expect(text).toContain('\n• lab-1 (i-00001, us-east-1): CPU 97 % above 90 %\n');
    });

    it('should escape the characters Slack reads as markup', () => {
      const worker = { ...workerOf(1), name: '<!channel> R&D' };
      const notice = noticeOf({
        firing: [alertOn(1, { worker, link: `${PUBLIC_URL}/#/workers/a&b` })],
      });

      const [headline, line] = slackLines(notice);

      expect(headline).toContain('on &lt;!channel&gt; R&amp;D (i-00001');
      expect(line).toBe(
        '• <https://cwm.example.org/#/workers/a&amp;b|&lt;!channel&gt; R&amp;D> (i-00001, us-east-1): CPU 97 % above 90 %',
      );
    });

    it('should not tell Slack about acknowledgements', () => {
      const notice = noticeOf({ type: 'ACKNOWLEDGED', eventId: 'alert-1:acknowledged' });

      expect(outgoingFor('SLACK', notice)).toBeNull();
    });
  });

  describe('PagerDuty', () => {
    it('should trigger one alert per group with a summary, severity, details and a link', () => {
      const request = requestFor('PAGERDUTY', noticeOf());

      expect(request.url).toBe(EVENTS_URL);
      expect(request.headers).toEqual({
        'content-type': 'application/json',
        'user-agent': 'cml-worker-monitor',
      });
      expect(JSON.parse(request.body)).toEqual({
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: DEDUP_KEY,
        payload: {
          summary:
            '[CRITICAL] CPU_HIGH on lab-1 (i-00001, us-east-1): 1 firing (1 new) — CPU 97 % above 90 %',
          source: 'i-00001',
          severity: 'critical',
          timestamp: OCCURRED_AT,
          component: 'lab-1',
          group: 'us-east-1',
          class: 'CPU_HIGH',
          custom_details: {
            group: 'kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
            firingCount: 1,
            newCount: 1,
            resolvedCount: 0,
            link: 'https://cwm.example.org/#/workers/worker-1',
            alerts: [expect.objectContaining({ id: 'alert-1', workerId: 'worker-1', value: 97 })],
            alertsNotShown: 0,
          },
        },
        links: [
          {
            href: 'https://cwm.example.org/#/workers/worker-1',
            text: 'Open in cml-worker-monitor',
          },
        ],
      });
    });

    it('should detail at most 20 alerts of a large group, at the worst severity it lists', () => {
      const notice = fleetNotice({
        group: { ...fleetNotice().group, key: 'region=us-east-1', labels: { region: 'us-east-1' } },
        firing: [...fleetNotice().firing, alertOn(200, { kind: 'MEMORY_HIGH' })],
        firingCount: 101,
      });

      const { payload } = bodyFor('PAGERDUTY', notice);

      expect(payload.severity).toBe('critical');
      expect(payload.source).toBe('region=us-east-1');
      expect(payload).not.toHaveProperty('component');
      expect(payload).not.toHaveProperty('class');
      expect(payload.group).toBe('us-east-1');
      expect(payload.custom_details).toMatchObject({
        firingCount: 101,
        newCount: 101,
        resolvedCount: 3,
        alertsNotShown: 84,
      });
      expect(payload.custom_details.alerts).toHaveLength(20);
    });

    it('should update the incident while part of the group resolves, and resolve it with the group', () => {
      const partly = fleetNotice({ type: 'RESOLVED', groupResolved: false });
      const fully = fleetNotice({
        type: 'RESOLVED',
        firing: [],
        firingCount: 0,
        groupResolved: true,
      });

      expect(bodyFor('PAGERDUTY', partly)).toMatchObject({
        event_action: 'trigger',
        dedup_key: 'cml-worker-monitor:group-2',
        payload: { summary: '[WARNING] CPU_HIGH in us-east-1: 3 resolved, 100 still firing' },
      });
      expect(bodyFor('PAGERDUTY', fully)).toEqual({
        routing_key: ROUTING_KEY,
        event_action: 'resolve',
        dedup_key: 'cml-worker-monitor:group-2',
      });
    });

    it('should acknowledge the incident, and leave reminders to PagerDuty', () => {
      const acknowledged = noticeOf({ type: 'ACKNOWLEDGED', eventId: 'alert-1:acknowledged' });

      expect(bodyFor('PAGERDUTY', acknowledged)).toEqual({
        routing_key: ROUTING_KEY,
        event_action: 'acknowledge',
        dedup_key: DEDUP_KEY,
      });
      expect(outgoingFor('PAGERDUTY', noticeOf({ type: 'REMINDER' }))).toBeNull();
    });

    it('should have nowhere to go once its routing key is no longer configured', () => {
      expect(outgoingFor('PAGERDUTY', noticeOf(), { pagerDuty: undefined })).toBeNull();
    });

    it('should keep the summary within 1024 characters and name a removed worker by id', () => {
      const long = alertOn(1, { value: null, message: 'x'.repeat(2_000), worker: null });

      const body = bodyFor('PAGERDUTY', withoutLinks(noticeOf({ firing: [long] })));

      expect(body.payload.summary).toHaveLength(1024);
      expect(body.payload.summary).toMatch(/x…$/);
      expect(body.payload.source).toBe('worker-1');
      expect(body.payload).not.toHaveProperty('component');
      expect(body.payload.custom_details.alerts[0].worker).toBeNull();
      expect(body).not.toHaveProperty('links');
    });
  });

  describe('Opsgenie', () => {
    it('should create one alert per group, its alias the group dedup key', () => {
      const request = requestFor('OPSGENIE', fleetNotice());
      const body = JSON.parse(request.body);

      expect(request.url).toBe('https://api.eu.opsgenie.com/v2/alerts');
      expect(request.headers).toEqual({
        'content-type': 'application/json',
        'user-agent': 'cml-worker-monitor',
        authorization: `GenieKey ${OPSGENIE_KEY}`,
      });
      expect(body).toEqual({
        message: '[WARNING] CPU_HIGH in us-east-1: 100 firing (100 new), 3 resolved',
        alias: 'cml-worker-monitor:group-2',
        description: expect.any(String),
        source: '/cml-worker-monitor',
        entity: 'kind=CPU_HIGH,region=us-east-1,severity=WARNING',
        tags: ['CPU_HIGH', 'WARNING', 'us-east-1'],
        details: {
          group: 'kind=CPU_HIGH,region=us-east-1,severity=WARNING',
          firing: '100',
          new: '100',
          resolved: '3',
          link: 'https://cwm.example.org/#/',
        },
        priority: 'P3',
      });
      const description: string = body.description;
      expect(description.split('\n').slice(0, 3)).toEqual([
        '100 firing (100 new), 3 resolved',
        'Firing:',
        '- CPU_HIGH lab-1 (i-00001, us-east-1): CPU 97 % above 90 %, since 2026-11-24T12:00:00.000Z https://cwm.example.org/#/workers/worker-1',
      ]);
      expect(description).toContain(
        '\nResolved:\n- CPU_HIGH lab-101 (i-00065, us-east-1): CPU at 20 %, below 85 %, resolved at 2026-11-24T12:05:00.000Z https://cwm.example.org/#/workers/worker-101\n',
      );
      expect(description).toMatch(
        /\nOpen in cml-worker-monitor: https:\/\/cwm\.example\.org\/#\/$/,
      );
    });

    it.each([
      ['CRITICAL', 'P1'],
      ['WARNING', 'P3'],
      ['INFO', 'P5'],
    ] as const)('should give a %s group priority %s', (severity, priority) => {
      const notice = noticeOf({
        firing: [alertOn(1, { severity })],
        group: { ...noticeOf().group, labels: {} },
      });

      expect(bodyFor('OPSGENIE', notice).priority).toBe(priority);
    });

    it('should keep every field within the Alert API limits', () => {
      const firing = Array.from({ length: 500 }, (_, i) =>
        alertOn(i + 1, { kind: 'K'.repeat(600), value: null, message: `${'m'.repeat(200)} ${i}` }),
      );
      const notice = noticeOf({
        group: {
          ...noticeOf().group,
          key: `kind=${'K'.repeat(600)}`,
          labels: { kind: 'K'.repeat(600) },
        },
        firing,
        firingCount: 2_000,
        resolved: firing.map((alert) => ({ ...alert, state: 'RESOLVED' as const })),
      });

      const body = bodyFor('OPSGENIE', notice);

      expect(body.message.length).toBeLessThanOrEqual(130);
      expect(body.message).toMatch(/…$/);
      expect(body.description.length).toBeLessThanOrEqual(15_000);
      expect(body.description).toMatch(/\n…and \d+ more\nResolved:\n/);
      expect(body.entity.length).toBeLessThanOrEqual(512);
      const tags: string[] = body.tags;
      expect(tags.every((tag) => tag.length <= 50)).toBe(true);
    });

    it('should close the alert once nothing of the group fires', () => {
      const notice = fleetNotice({
        type: 'RESOLVED',
        firing: [],
        firingCount: 0,
        groupResolved: true,
      });

      const request = requestFor('OPSGENIE', notice);

      expect(request.url).toBe(
        'https://api.eu.opsgenie.com/v2/alerts/cml-worker-monitor%3Agroup-2/close?identifierType=alias',
      );
      expect(request.headers.authorization).toBe(`GenieKey ${OPSGENIE_KEY}`);
      expect(JSON.parse(request.body)).toEqual({
        source: '/cml-worker-monitor',
        note: '[WARNING] CPU_HIGH in us-east-1: 3 resolved',
      });
    });

    it('should acknowledge the alert by its alias', () => {
      const notice = noticeOf({ type: 'ACKNOWLEDGED', eventId: 'alert-1:acknowledged' });

      const request = requestFor('OPSGENIE', notice);

      expect(request.url).toBe(
        'https://api.eu.opsgenie.com/v2/alerts/cml-worker-monitor%3Agroup-1/acknowledge?identifierType=alias',
      );
      expect(JSON.parse(request.body)).toEqual({
        source: '/cml-worker-monitor',
        note: '[CRITICAL] CPU_HIGH on lab-1 (i-00001, us-east-1): 1 acknowledged',
      });
    });

    it('should send nothing that would only bump the count of an open alert', () => {
      expect(outgoingFor('OPSGENIE', fleetNotice({ type: 'REMINDER' }))).toBeNull();
      expect(outgoingFor('OPSGENIE', fleetNotice({ type: 'RESOLVED' }))).toBeNull();
    });

    it('should have nowhere to go without Opsgenie settings', () => {
      expect(outgoingFor('OPSGENIE', noticeOf(), { opsgenie: undefined })).toBeNull();
    });
  });

  describe('email', () => {
    const terminated = (n: number) =>
      alertOn(n, {
        kind: 'TERMINATED',
        state: 'RESOLVED',
        value: null,
        threshold: null,
        message: 'terminated outside the service',
        resolution: 'the worker is gone',
        resolvedAt: OCCURRED_AT,
      });
    const terminations = (overrides: Partial<GroupNotice> = {}) =>
      noticeOf({
        group: {
          id: 'group-3',
          key: 'kind=TERMINATED,region=us-east-1',
          labels: { kind: 'TERMINATED', region: 'us-east-1' },
          dedupKey: 'cml-worker-monitor:group-3',
        },
        firing: [terminated(1), terminated(2), terminated(3)],
        link: `${PUBLIC_URL}/#/`,
        ...overrides,
      });

    it('should mail the configured recipients a subject with the severity, kind and place', () => {
      const mail = mailFor(terminations());

      expect(mail.from).toBe('cwm@example.org');
      expect(mail.to).toEqual(['oncall@example.org', 'lab-admins@example.org']);
      expect(mail.subject).toBe('[CRITICAL] TERMINATED: 3 firing (3 new) in us-east-1');
    });

    it('should mark the subject resolved once nothing of the group fires', () => {
      const resolved = terminations({
        type: 'RESOLVED',
        firing: [],
        resolved: [terminated(1), terminated(2), terminated(3)],
        groupResolved: true,
      });
      const partly = fleetNotice({ type: 'RESOLVED' });

      expect(mailFor(resolved).subject).toBe(
        '[RESOLVED] [CRITICAL] TERMINATED: 3 resolved in us-east-1',
      );
      expect(mailFor(partly).subject).toBe(
        '[WARNING] CPU_HIGH: 3 resolved, 100 still firing in us-east-1',
      );
    });

    it("should tell the group's and each alert's facts in the text body, with their links", () => {
      const notice = noticeOf({
        firing: [alertOn(1)],
        resolved: [resolvedOn(2, { worker: null, link: null })],
      });

      const { text } = mailFor(notice);

      expect(text).toContain(
        [
          '[CRITICAL] CPU_HIGH in us-east-1: 1 firing (1 new), 1 resolved',
          '',
          'Group: kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
          'Alerts: 1 firing (1 new), 1 resolved',
          'Firing since: 2026-11-24T12:00:00.000Z',
          'Open in cml-worker-monitor: https://cwm.example.org/#/workers/worker-1',
          '',
          'Firing (1)',
          '',
          '- CPU_HIGH on lab-1 (i-00001, us-east-1)',
          '  Worker: lab-1',
          '  Instance: i-00001',
          '  Region: us-east-1',
          '  Severity: CRITICAL',
          '  Measure: CPU 97 % above 90 %',
          '  Message: CPU at 97 %, above the 90 % threshold for 3 samples',
          '  Since: 2026-11-24T12:00:00.000Z',
          '  Worker page: https://cwm.example.org/#/workers/worker-1',
          '',
          'Resolved (1)',
          '',
          '- CPU_HIGH on removed worker worker-2',
          '  Worker: removed (worker-2)',
          '  Severity: CRITICAL',
          '  Measure: CPU 97 % above 90 %',
          '  Message: CPU at 97 %, above the 90 % threshold for 3 samples',
          '  Resolution: CPU at 20 %, below 85 %',
          '  Since: 2026-11-24T12:00:00.000Z',
          '  Resolved at: 2026-11-24T12:05:00.000Z',
        ].join('\n'),
      );
    });

    it('should link the dashboard and the workers in the HTML body', () => {
      const { html } = mailFor(terminations());

      expect(html).toContain('<a href="https://cwm.example.org/#/">https://cwm.example.org/#/</a>');
      expect(html).toContain(
        '<a href="https://cwm.example.org/#/workers/worker-3">https://cwm.example.org/#/workers/worker-3</a>',
      );
      expect(html).toContain('<h2 style="font-size: 1.1em">Firing (3)</h2>');
    });

    it('should escape every value it puts in the HTML body', () => {
      const worker = { ...workerOf(1), name: '<img src=x onerror=alert(1)> "R&D"' };
      const notice = noticeOf({
        firing: [alertOn(1, { worker, message: "<script>it's</script>" })],
        link: `${PUBLIC_URL}/#/workers/"><script>`,
      });

      const { html, subject } = mailFor(notice);

      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;R&amp;D&quot;');
      expect(html).toContain('&lt;script&gt;it&#39;s&lt;/script&gt;');
      expect(html).toContain('href="https://cwm.example.org/#/workers/&quot;&gt;&lt;script&gt;"');
      expect(subject).toContain('<img src=x onerror=alert(1)> "R&D"');
    });

    it('should keep the subject on one line whatever a name holds', () => {
      const worker = { ...workerOf(1), name: 'lab-1\r\nBcc: someone@example.org' };

      expect(mailFor(noticeOf({ firing: [alertOn(1, { worker })] })).subject).toBe(
        '[CRITICAL] CPU_HIGH: 1 firing (1 new) on lab-1 Bcc: someone@example.org (i-00001, us-east-1)',
      );
    });

    it('should detail at most 100 alerts per section and count the rest', () => {
      const notice = fleetNotice({
        firing: Array.from({ length: 150 }, (_, i) => alertOn(i + 1)),
        firingCount: 400,
        resolved: [],
      });

      const { text, html } = mailFor(notice);

      expect(text).toContain('\n- CPU_HIGH on lab-100 (');
      expect(text).not.toContain('\n- CPU_HIGH on lab-101 (i-00065');
      expect(text).toContain('\n…and 300 more\n');
      expect(html).toContain('<p>…and 300 more</p>');
    });

    it('should show no links without PUBLIC_URL', () => {
      const { text, html } = mailFor(withoutLinks(terminations()));

      expect(text).not.toContain('http');
      expect(html).not.toContain('<a ');
    });

    it('should not mail acknowledgements, nor mail without email settings', () => {
      expect(outgoingFor('EMAIL', noticeOf({ type: 'ACKNOWLEDGED' }))).toBeNull();
      expect(outgoingFor('EMAIL', noticeOf(), { email: undefined })).toBeNull();
    });
  });
});
