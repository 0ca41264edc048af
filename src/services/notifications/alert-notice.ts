import { createHmac } from 'node:crypto';
import type { AlertEventType as StoredAlertEventType } from '../../entities/alert.enums';
import { percent } from '../alerts/alert-rules';
import type { NotificationSettings, Receiver } from './receivers';

/** The stored event types, as the plain strings these formats compare with. */
export type AlertEventType = `${StoredAlertEventType}`;

/** One thing that happened to an alert, to be told to every receiver. */
export interface AlertNotice {
  /** Stable across retries and receivers, e.g. `${alertId}:firing`, `${alertId}:reminder:3`. */
  eventId: string;
  type: AlertEventType;
  occurredAt: Date;
  alert: {
    id: string;
    workerId: string;
    /** CPU_HIGH | MEMORY_HIGH | STOPPED_UNEXPECTEDLY | TERMINATED | STATUS_CHECK_FAILED | IDLE */
    kind: string;
    state: 'FIRING' | 'RESOLVED';
    severity: 'INFO' | 'WARNING' | 'CRITICAL';
    value: number | null;
    threshold: number | null;
    resolvedValue: number | null;
    message: string;
    /** Why it resolved; null while firing. */
    resolution: string | null;
    startedAt: Date;
    resolvedAt: Date | null;
    acknowledgedAt: Date | null;
  };
  /** null when the worker was removed. */
  worker: { id: string; name: string; awsInstanceId: string; awsRegion: string } | null;
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** PagerDuty's limit on `payload.summary`. */
const PAGERDUTY_SUMMARY_MAX = 1024;

const SLACK_EMOJI: Record<AlertEventType, string> = {
  FIRING: ':rotating_light:',
  RESOLVED: ':white_check_mark:',
  REMINDER: ':repeat:',
};

/** How to read `value` against `threshold` for the alerts that measure something. */
const MEASURES = new Map<string, { metric: string; crossed: 'above' | 'below' }>([
  ['CPU_HIGH', { metric: 'CPU', crossed: 'above' }],
  ['MEMORY_HIGH', { metric: 'memory', crossed: 'above' }],
  ['IDLE', { metric: 'CPU', crossed: 'below' }],
]);

/**
 * The HTTP request that tells `receiver` about `notice`, or null when this receiver does not take
 * this event: PagerDuty ignores REMINDER (it escalates by itself), and a PagerDuty receiver whose
 * routing key is no longer configured has nowhere to go.
 */
export function buildRequest(
  receiver: Receiver,
  notice: AlertNotice,
  settings: NotificationSettings,
): OutgoingRequest | null {
  switch (receiver.kind) {
    case 'CLOUDEVENTS':
      return signed(
        receiver.url,
        'application/cloudevents+json; charset=utf-8',
        cloudEvent(notice, settings.source),
        settings.webhookSecret,
      );
    case 'SLACK':
      return signed(
        receiver.url,
        'application/json',
        { text: `${SLACK_EMOJI[notice.type]} ${escapeSlack(summaryOf(notice))}` },
        settings.webhookSecret,
      );
    case 'PAGERDUTY': {
      const event = settings.pagerDuty && pagerDutyEvent(notice, settings.pagerDuty.routingKey);
      return event ? request(receiver.url, 'application/json', event) : null;
    }
  }
}

function request(url: string, contentType: string, payload: unknown): OutgoingRequest {
  return {
    url,
    headers: { 'content-type': contentType, 'user-agent': 'cml-worker-monitor' },
    body: JSON.stringify(payload),
  };
}

/** Lets the receiver check that the request came from us and was not altered on the way. */
function signed(
  url: string,
  contentType: string,
  payload: unknown,
  secret: string | undefined,
): OutgoingRequest {
  const unsigned = request(url, contentType, payload);
  if (secret === undefined) {
    return unsigned;
  }
  const signature = createHmac('sha256', secret).update(unsigned.body, 'utf8').digest('hex');
  return {
    ...unsigned,
    headers: { ...unsigned.headers, 'x-signature-256': `sha256=${signature}` },
  };
}

function cloudEvent(notice: AlertNotice, source: string) {
  const { alert, worker } = notice;
  return {
    specversion: '1.0',
    id: notice.eventId,
    source,
    type: `com.cml.worker.alert.${notice.type.toLowerCase()}`,
    subject: alert.workerId,
    time: notice.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    // Fields are copied one by one: callers may pass entities, whose other columns are not ours to publish.
    data: {
      id: alert.id,
      workerId: alert.workerId,
      kind: alert.kind,
      state: alert.state,
      severity: alert.severity,
      value: alert.value,
      threshold: alert.threshold,
      resolvedValue: alert.resolvedValue,
      message: alert.message,
      resolution: alert.resolution,
      startedAt: alert.startedAt.toISOString(),
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
      worker: worker && {
        id: worker.id,
        name: worker.name,
        awsInstanceId: worker.awsInstanceId,
        awsRegion: worker.awsRegion,
      },
    },
  };
}

function pagerDutyEvent(notice: AlertNotice, routingKey: string) {
  const { alert, worker } = notice;
  const dedupKey = `cml-worker-monitor:${alert.id}`;
  switch (notice.type) {
    case 'REMINDER':
      return null;
    case 'RESOLVED':
      return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
    case 'FIRING':
      return {
        routing_key: routingKey,
        event_action: 'trigger',
        dedup_key: dedupKey,
        payload: {
          summary: truncate(summaryOf(notice), PAGERDUTY_SUMMARY_MAX),
          source: worker?.awsInstanceId ?? alert.workerId,
          severity: alert.severity.toLowerCase(),
          timestamp: alert.startedAt.toISOString(),
          component: worker?.name,
          group: worker?.awsRegion,
          class: alert.kind,
          custom_details: {
            alertId: alert.id,
            workerId: alert.workerId,
            value: alert.value,
            threshold: alert.threshold,
            resolvedValue: alert.resolvedValue,
            message: alert.message,
          },
        },
      };
  }
}

/** One line for people: `[WARNING] CPU_HIGH firing on worker lab-3 (i-0abc, us-east-1): CPU 97 % above 90 %`. */
function summaryOf(notice: AlertNotice): string {
  const { alert, worker } = notice;
  const where = worker
    ? `worker ${worker.name} (${worker.awsInstanceId}, ${worker.awsRegion})`
    : `removed worker ${alert.workerId}`;
  const what = {
    FIRING: `firing on ${where}`,
    RESOLVED: `resolved on ${where}`,
    REMINDER: `still firing on ${where} since ${alert.startedAt.toISOString()}`,
  }[notice.type];
  return `[${alert.severity}] ${alert.kind} ${what}: ${detailOf(notice)}`;
}

function detailOf({ type, alert }: AlertNotice): string {
  if (type === 'RESOLVED') {
    return alert.resolution ?? alert.message;
  }
  const measure = MEASURES.get(alert.kind);
  if (!measure || alert.value === null || alert.threshold === null) {
    return alert.message;
  }
  return `${measure.metric} ${percent(alert.value)} ${measure.crossed} ${percent(alert.threshold)}`;
}

/** Slack reads `&`, `<` and `>` as markup; these are the only escapes it asks for. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
