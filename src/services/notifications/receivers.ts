import { createHash } from 'node:crypto';
import type { ReceiverKind as StoredReceiverKind } from '../../entities/alert.enums';
import { type ReceiverRoute, routeFor, type RouteRule, SEVERITIES } from './routing';

export type { ReceiverRoute } from './routing';

/** The stored receiver kinds, as the plain strings these formats compare with. */
export type ReceiverKind = `${StoredReceiverKind}`;

/** One place alert notifications are delivered to. */
export interface Receiver {
  /**
   * Stable identifier stored in the database: `${kind.toLowerCase()}:${first 16 hex of sha256}`
   * of the secret material: the URL (PAGERDUTY: eventsUrl + routingKey, OPSGENIE: apiUrl +
   * apiKey, EMAIL: smtpUrl + the sorted recipients). Never contains the material itself.
   */
  key: string;
  kind: ReceiverKind;
  /** Human label shown to operators and in logs: never a credential, a URL path or a query. */
  label: string;
  /** http(s) endpoint; for EMAIL the SMTP URL */
  url: string;
  route: ReceiverRoute;
}

export interface EmailSettings {
  /** smtp:// (STARTTLS) or smtps://, with the account as user:password when the server wants one. */
  smtpUrl: string;
  from: string;
  to: string[];
  /** PEM file of the CAs the server's certificate is checked against; undefined: the system's. */
  tlsCaFile: string | undefined;
  /** smtp:// may go on without STARTTLS. */
  insecure: boolean;
}

export interface NotificationSettings {
  /** Already validated as http/https URLs. */
  webhookUrls: string[];
  /** Signs CloudEvents and Slack requests when set. */
  webhookSecret: string | undefined;
  pagerDuty: { routingKey: string; eventsUrl: string } | undefined;
  /** apiUrl: the API's base URL, without trailing slash. */
  opsgenie: { apiKey: string; apiUrl: string } | undefined;
  email: EmailSettings | undefined;
  /** CloudEvents `source`, e.g. "/cml-worker-monitor". */
  source: string;
  timeoutMs: number;
  /** The dashboard's URL without trailing slash, for links in notifications. */
  publicUrl: string | undefined;
  routes: RouteRule[];
}

const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * The receivers the settings describe: webhooks in the order given, then PagerDuty, Opsgenie
 * and email. A URL listed twice is one receiver, so an alert is not delivered to it twice.
 */
export function receiversOf(settings: NotificationSettings): Receiver[] {
  const webhooks = new Map<string, Omit<Receiver, 'route'>>();
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
  if (settings.opsgenie) {
    const { apiUrl, apiKey } = settings.opsgenie;
    receivers.push({
      key: keyOf('OPSGENIE', apiUrl + apiKey),
      kind: 'OPSGENIE',
      label: `opsgenie ${new URL(apiUrl).host}`,
      url: apiUrl,
    });
  }
  if (settings.email) {
    receivers.push(emailReceiver(settings.email));
  }
  return receivers.map((receiver) => ({ ...receiver, route: routeFor(receiver, settings.routes) }));
}

/** Whether a receiver's route takes an alert; region null (worker removed) passes only a route without regions. */
export function routeTakes(
  route: ReceiverRoute,
  alert: { kind: string; severity: string; region: string | null },
): boolean {
  const severities: readonly string[] = SEVERITIES;
  return (
    severities.indexOf(alert.severity) >= severities.indexOf(route.minSeverity) &&
    (route.kinds === null || route.kinds.includes(alert.kind)) &&
    (route.regions === null || (alert.region !== null && route.regions.includes(alert.region)))
  );
}

function webhookReceiver(url: URL): Omit<Receiver, 'route'> {
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

/** Recipients sorted: the same list in another order is the same receiver, its history kept. */
function emailReceiver(email: EmailSettings): Omit<Receiver, 'route'> {
  const recipients = [...new Set(email.to)].sort();
  const count = recipients.length === 1 ? '1 recipient' : `${recipients.length} recipients`;
  return {
    key: keyOf('EMAIL', email.smtpUrl + recipients.join(',')),
    kind: 'EMAIL',
    label: `email ${new URL(email.smtpUrl).hostname} (${count})`,
    url: email.smtpUrl,
  };
}

function keyOf(kind: ReceiverKind, secretMaterial: string): string {
  const digest = createHash('sha256').update(secretMaterial).digest('hex');
  return `${kind.toLowerCase()}:${digest.slice(0, 16)}`;
}
