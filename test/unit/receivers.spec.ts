import {
  receiversOf,
  routeTakes,
  type EmailSettings,
  type NotificationSettings,
  type ReceiverRoute,
} from '../../src/services/notifications/receivers';

const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/slacksecrettoken';
const WEBHOOK_URL = 'https://hooks.example.com:8443/alerts?token=querysecret';
const EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const ROUTING_KEY = 'routingkeysecret';
const OPSGENIE_KEY = 'opsgeniekeysecret';
const SMTP_URL = 'smtps://mailer:smtppasswordsecret@smtp.example.org:465';

const settingsWith = (overrides: Partial<NotificationSettings> = {}): NotificationSettings => ({
  webhookUrls: [],
  webhookSecret: undefined,
  pagerDuty: undefined,
  opsgenie: undefined,
  email: undefined,
  source: '/cml-worker-monitor',
  timeoutMs: 10_000,
  publicUrl: undefined,
  routes: [],
  ...overrides,
});

const emailWith = (overrides: Partial<EmailSettings> = {}): EmailSettings => ({
  smtpUrl: SMTP_URL,
  from: 'cwm@example.org',
  to: ['oncall@example.org', 'lab-admins@example.org'],
  tlsCaFile: undefined,
  insecure: false,
  ...overrides,
});

/** Every receiver kind once, in the order receiversOf gives them. */
const everyReceiver = (overrides: Partial<NotificationSettings> = {}) =>
  receiversOf(
    settingsWith({
      webhookUrls: [WEBHOOK_URL, SLACK_URL],
      pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: EVENTS_URL },
      opsgenie: { apiKey: OPSGENIE_KEY, apiUrl: 'https://api.eu.opsgenie.com' },
      email: emailWith(),
      ...overrides,
    }),
  );

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

  describe('Opsgenie and email', () => {
    it('should put Opsgenie and email after PagerDuty, labelled by host without secrets', () => {
      const receivers = everyReceiver();

      expect(receivers.map(({ kind, label, url }) => [kind, label, url])).toEqual([
        ['CLOUDEVENTS', 'webhook https://hooks.example.com:8443', WEBHOOK_URL],
        ['SLACK', 'slack hooks.slack.com', SLACK_URL],
        ['PAGERDUTY', 'pagerduty events.pagerduty.com', EVENTS_URL],
        ['OPSGENIE', 'opsgenie api.eu.opsgenie.com', 'https://api.eu.opsgenie.com'],
        ['EMAIL', 'email smtp.example.org (2 recipients)', SMTP_URL],
      ]);
      const labels = receivers.map((receiver) => receiver.label).join(' ');
      for (const secret of [OPSGENIE_KEY, 'smtppasswordsecret', 'mailer', 'oncall', 'lab-admins']) {
        expect(labels).not.toContain(secret);
      }
    });

    it('should count one recipient in the singular', () => {
      const [receiver] = receiversOf(
        settingsWith({ email: emailWith({ to: ['oncall@example.org'] }) }),
      );

      expect(receiver.label).toBe('email smtp.example.org (1 recipient)');
    });

    it('should key Opsgenie by its URL and API key, and email by its server and recipients in any order', () => {
      const [opsgenie, email] = everyReceiver().slice(3);
      const keysWith = (overrides: Partial<NotificationSettings>) =>
        everyReceiver(overrides)
          .slice(3)
          .map((receiver) => receiver.key);

      expect(opsgenie.key).toMatch(/^opsgenie:[0-9a-f]{16}$/);
      expect(email.key).toMatch(/^email:[0-9a-f]{16}$/);
      expect(
        keysWith({ email: emailWith({ to: ['lab-admins@example.org', 'oncall@example.org'] }) }),
      ).toEqual([opsgenie.key, email.key]);
      expect(
        keysWith({ opsgenie: { apiKey: 'another-key', apiUrl: 'https://api.eu.opsgenie.com' } })[0],
      ).not.toBe(opsgenie.key);
      expect(
        keysWith({ opsgenie: { apiKey: OPSGENIE_KEY, apiUrl: 'https://api.opsgenie.com' } })[0],
      ).not.toBe(opsgenie.key);
      expect(keysWith({ email: emailWith({ to: ['oncall@example.org'] }) })[1]).not.toBe(email.key);
      expect(
        keysWith({ email: emailWith({ smtpUrl: 'smtps://mailer:other@smtp.example.org:465' }) })[1],
      ).not.toBe(email.key);
    });

    it('should keep the keys of webhooks and PagerDuty that stored deliveries refer to', () => {
      const keys = everyReceiver()
        .slice(0, 3)
        .map((receiver) => receiver.key);

      // sha256 of the URL (PagerDuty: events URL + routing key), its first 16 hex digits.
      expect(keys).toEqual([
        'cloudevents:cc7f6f717401efa8',
        'slack:e1172154c240bde0',
        'pagerduty:04bb86245cad9bc0',
      ]);
    });
  });

  describe('routes', () => {
    it('should give PagerDuty and Opsgenie WARNING and up, the others everything, without rules', () => {
      expect(everyReceiver().map(({ kind, route }) => [kind, route])).toEqual([
        ['CLOUDEVENTS', { minSeverity: 'INFO', kinds: null, regions: null }],
        ['SLACK', { minSeverity: 'INFO', kinds: null, regions: null }],
        ['PAGERDUTY', { minSeverity: 'WARNING', kinds: null, regions: null }],
        ['OPSGENIE', { minSeverity: 'WARNING', kinds: null, regions: null }],
        ['EMAIL', { minSeverity: 'INFO', kinds: null, regions: null }],
      ]);
    });

    it('should route each receiver by the rule naming its URL, else its kind', () => {
      const routes = everyReceiver({
        routes: [
          { receiver: 'webhook', kinds: ['IDLE'] },
          { receiver: 'slack', minSeverity: 'CRITICAL' },
          { receiver: SLACK_URL, regions: ['eu-west-1'] },
          { receiver: 'email', minSeverity: 'WARNING', regions: ['us-east-1'] },
        ],
      }).map((receiver) => receiver.route);

      expect(routes).toEqual([
        { minSeverity: 'INFO', kinds: ['IDLE'], regions: null },
        { minSeverity: 'INFO', kinds: null, regions: ['eu-west-1'] },
        { minSeverity: 'WARNING', kinds: null, regions: null },
        { minSeverity: 'WARNING', kinds: null, regions: null },
        { minSeverity: 'WARNING', kinds: null, regions: ['us-east-1'] },
      ]);
    });
  });
});

describe(routeTakes.name, () => {
  const route = (overrides: Partial<ReceiverRoute> = {}): ReceiverRoute => ({
    minSeverity: 'INFO',
    kinds: null,
    regions: null,
    ...overrides,
  });
  const alert = (
    overrides: Partial<{ kind: string; severity: string; region: string | null }>,
  ) => ({
    kind: 'CPU_HIGH',
    severity: 'WARNING',
    region: 'us-east-1',
    ...overrides,
  });

  it('should take alerts from the minimum severity up', () => {
    const warningUp = route({ minSeverity: 'WARNING' });

    expect(routeTakes(warningUp, alert({ severity: 'INFO' }))).toBe(false);
    expect(routeTakes(warningUp, alert({ severity: 'WARNING' }))).toBe(true);
    expect(routeTakes(warningUp, alert({ severity: 'CRITICAL' }))).toBe(true);
    expect(routeTakes(route({ minSeverity: 'CRITICAL' }), alert({ severity: 'WARNING' }))).toBe(
      false,
    );
    expect(routeTakes(route(), alert({ severity: 'INFO' }))).toBe(true);
  });

  it('should take only the kinds and regions listed, every one when none are', () => {
    const listed = route({ kinds: ['IDLE', 'CPU_HIGH'], regions: ['eu-west-1'] });

    expect(routeTakes(listed, alert({ region: 'eu-west-1' }))).toBe(true);
    expect(routeTakes(listed, alert({ kind: 'MEMORY_HIGH', region: 'eu-west-1' }))).toBe(false);
    expect(routeTakes(listed, alert({ region: 'us-east-1' }))).toBe(false);
    expect(routeTakes(route(), alert({ kind: 'LICENSE_EXPIRING', region: 'ap-south-2' }))).toBe(
      true,
    );
  });

  it('should pass an alert of a removed worker only to routes without regions', () => {
    expect(routeTakes(route(), alert({ region: null }))).toBe(true);
    expect(routeTakes(route({ kinds: ['CPU_HIGH'] }), alert({ region: null }))).toBe(true);
    expect(routeTakes(route({ regions: ['us-east-1'] }), alert({ region: null }))).toBe(false);
  });
});
