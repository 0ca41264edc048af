import { cloudEventOf } from './cloudevents-format';
import { emailOf } from './email-format';
import type { GroupNotice } from './group-notice';
import { opsgenieRequestOf } from './opsgenie-format';
import { jsonRequest, type Outgoing } from './outgoing';
import { pagerDutyEventOf } from './pagerduty-format';
import type { NotificationSettings, Receiver } from './receivers';
import { slackMessageOf } from './slack-format';
import { signatureHeaders } from './webhook-signature';

export type { Outgoing } from './outgoing';

type HttpOutgoing = Extract<Outgoing, { transport: 'http' }>;

/**
 * What tells `receiver` about `notice`, built anew for each attempt (`now` dates its signature),
 * or null when this receiver does not take this notice: each format says which it leaves out,
 * and a receiver whose settings are gone has nowhere to go.
 */
export function buildOutgoing(
  receiver: Receiver,
  notice: GroupNotice,
  settings: NotificationSettings,
  now: Date,
): Outgoing | null {
  switch (receiver.kind) {
    case 'CLOUDEVENTS':
      return signed(
        http(receiver.url, cloudEventOf(notice, settings.source), {
          'content-type': 'application/cloudevents+json; charset=utf-8',
        }),
        notice.eventId,
        settings.webhookSecret,
        now,
      );
    case 'SLACK': {
      const message = slackMessageOf(notice);
      const request = message && http(receiver.url, message);
      return request && signed(request, notice.eventId, settings.webhookSecret, now);
    }
    case 'PAGERDUTY': {
      const event = settings.pagerDuty && pagerDutyEventOf(notice, settings.pagerDuty.routingKey);
      return event ? http(receiver.url, event) : null;
    }
    case 'OPSGENIE': {
      const request =
        settings.opsgenie && opsgenieRequestOf(notice, settings.opsgenie, settings.source);
      return request ? { transport: 'http', ...request } : null;
    }
    case 'EMAIL': {
      const message = settings.email && emailOf(notice, settings.email);
      return message ? { transport: 'smtp', message } : null;
    }
  }
}

function http(url: string, payload: unknown, headers?: Record<string, string>): HttpOutgoing {
  return { transport: 'http', ...jsonRequest(url, payload, headers) };
}

function signed(
  request: HttpOutgoing,
  webhookId: string,
  secret: string | undefined,
  now: Date,
): HttpOutgoing {
  if (secret === undefined) {
    return request;
  }
  const signature = signatureHeaders(secret, webhookId, request.body, now);
  return { ...request, headers: { ...request.headers, ...signature } };
}
