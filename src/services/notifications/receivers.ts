import { createHash } from 'node:crypto';
import type { ReceiverKind as StoredReceiverKind } from '../../entities/alert.enums';

/** The stored receiver kinds, as the plain strings these formats compare with. */
export type ReceiverKind = `${StoredReceiverKind}`;

/** One place alert notifications are delivered to. */
export interface Receiver {
  /**
   * Stable identifier stored in the database: `${kind.toLowerCase()}:${first 16 hex of sha256(url)}`
   * (for PAGERDUTY: sha256 of eventsUrl + routingKey). Never contains the URL itself.
   */
  key: string;
  kind: ReceiverKind;
  /** Human label shown to operators and in logs: scheme and host only, never the path or query. */
  label: string;
  url: string;
}

export interface NotificationSettings {
  /** Already validated as http/https URLs. */
  webhookUrls: string[];
  /** Signs CloudEvents and Slack requests when set. */
  webhookSecret: string | undefined;
  pagerDuty: { routingKey: string; eventsUrl: string } | undefined;
  /** CloudEvents `source`, e.g. "/cml-worker-monitor". */
  source: string;
  timeoutMs: number;
}

const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * The receivers the settings describe: webhooks in the order given, PagerDuty last. A URL listed
 * twice is one receiver, so an alert is not delivered to it twice.
 */
export function receiversOf(settings: NotificationSettings): Receiver[] {
  const webhooks = new Map<string, Receiver>();
  for (const raw of settings.webhookUrls) {
    const url = new URL(raw);
    webhooks.set(url.href, webhookReceiver(url));
  }
  const receivers = [...webhooks.values()];
  if (settings.pagerDuty) {
    const url = new URL(settings.pagerDuty.eventsUrl);
    receivers.push({
      key: keyOf('PAGERDUTY', url.href + settings.pagerDuty.routingKey),
      kind: 'PAGERDUTY',
      label: `pagerduty ${url.host}`,
      url: url.href,
    });
  }
  return receivers;
}

function webhookReceiver(url: URL): Receiver {
  // Slack incoming-webhook URLs are credentials in themselves: the label keeps only the host.
  if (SLACK_HOSTS.has(url.hostname)) {
    return {
      key: keyOf('SLACK', url.href),
      kind: 'SLACK',
      label: `slack ${url.host}`,
      url: url.href,
    };
  }
  return {
    key: keyOf('CLOUDEVENTS', url.href),
    kind: 'CLOUDEVENTS',
    label: `webhook ${url.origin}`,
    url: url.href,
  };
}

function keyOf(kind: ReceiverKind, secretMaterial: string): string {
  const digest = createHash('sha256').update(secretMaterial).digest('hex');
  return `${kind.toLowerCase()}:${digest.slice(0, 16)}`;
}
